"""How many characters each kind of free text may have: one place for the numbers the models and forms share.

A `TextField`'s `max_length` only reaches the form drawn from it, so the models pair it with
`MaxLengthValidator(limit)` and `full_clean()` refuses an over-long value however it came in; plain forms
use the same number as their field's `max_length`. The limits are a few times the longest text shipped or
seen, so nobody writing in good faith meets them, while a page never has to carry megabytes of one field.
"""

# A sentence or two: a red flag and what to do about it, how two conditions differ, a citation, alt text.
SHORT_TEXT = 1_000

# A note or a paragraph: session and flare-up notes, a plan's goals, the note on releasing a hold, an
# article's summary and aliases, a notification's body.
NOTE = 2_000

# Several paragraphs or a list a line each: FAQ answers, exercise steps and cautions, stage templates.
LONG_TEXT = 5_000

# One section of a condition article, in Markdown (the longest shipped one has about 5,700 characters).
ARTICLE_SECTION = 10_000

# The longest text a field of the portal may hand to `common.markdown.render_markdown`: the worst inputs
# known render in about 40 ms at this length (tests/common/test_markdown.py), well inside 100 ms.
MARKDOWN_MAX = 10_000
