import time

import pytest

from common import text_limits
from common.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"></svg>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<body onload="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p title="x" onmouseover="alert(1)">hover</p>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]
FORBIDDEN = (
    "<script onerror onload onfocus ontoggle onmouseover javascript: vbscript: data: <iframe <style style= "
    "<object <form <meta <input <svg <img"
).split()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_handler_or_dangerous_url_survives_rendering(payload):
    html = render_markdown(payload).lower()
    for marker in FORBIDDEN:
        assert marker not in html, f"{marker!r} survived in {html!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_inside_ordinary_markdown_leaves_the_text_around_it(payload):
    html = render_markdown(f"Before **this**.\n\n{payload}\n\nAfter.").lower()
    assert "<strong>this</strong>" in html and "after." in html
    for marker in FORBIDDEN:
        assert marker not in html, f"{marker!r} survived in {html!r}"


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "## Load\n\n- **Hold** 45 s\n- [NHS](https://www.nhs.uk)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Load</h2>" in html
    assert "<strong>Hold</strong>" in html
    assert 'href="https://www.nhs.uk"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<table>" in html and "<td>2</td>" in html


def test_numbered_lists_sub_headings_and_emphasis_render_as_before():
    html = render_markdown("### Stage 1\n\n1. Hold *gently*\n2. Rest\n\n> Stop if it hurts.")
    assert "<h3>Stage 1</h3>" in html
    assert "<ol>\n<li>Hold <em>gently</em></li>\n<li>Rest</li>\n</ol>" in html
    assert "<blockquote>\n<p>Stop if it hurts.</p>\n</blockquote>" in html


def test_table_columns_keep_their_alignment_and_links_their_title():
    html = render_markdown(
        '| Level | Weeks |\n|:--|--:|\n| Mild | 6 |\n\n[NHS](https://www.nhs.uk "NHS site")'
    )
    assert '<th align="left">Level</th>' in html and '<td align="right">6</td>' in html
    assert 'title="NHS site"' in html


def test_a_top_level_heading_is_kept_as_text_because_the_page_has_its_own_h1():
    html = render_markdown("# Title")
    assert "<h1" not in html and "Title" in html


def test_text_that_looks_like_html_is_escaped_not_dropped():
    assert "pain 3 &lt; 5" in render_markdown("pain 3 < 5")


def test_empty_or_missing_text_renders_as_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""  # type: ignore[arg-type]


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _joined(parts, length: int, separator: str = "") -> str:
    """The parts joined until the text reaches `length`, cut there."""
    text, size = [], 0
    for part in parts:
        if size >= length:
            break
        text.append(part)
        size += len(part) + len(separator)
    return separator.join(text)[:length]


def _counting():
    n = 0
    while True:
        n += 1
        yield n


# Inputs that make Markdown parsers backtrack, rescan or nest without end, each cut at `length`. Every one is
# known to take a second or more in some renderer: Python-Markdown took 34 s on the first; the bracket
# families cost markdown-it-py about 15 µs a character; an HTML parser (the sanitiser's too) slows down with
# the square of the nesting depth, so runs of `>`, `1. ` or `<div>` took seconds before nesting was capped.
def _pathological(length: int) -> dict[str, str]:
    return {
        "escaped brackets \\[": _repeat("\\[", length),
        "open brackets [[[[": _repeat("[", length),
        "close brackets ]]]]": _repeat("]", length),
        "image openers ![![": _repeat("![", length),
        "bracket pairs ![[]": _repeat("![[]", length),
        "nested links [[a](b)](c)": ("[" * (length // 8) + "a" + "](b)" * (length // 8))[:length],
        "unclosed links [a](": _repeat("[a](", length),
        "reference chains [a][": _repeat("[a][", length),
        'link titles [a](b "': _repeat('[a](b "', length),
        "angle destinations [a](<": _repeat("[a](<", length),
        "link reference definitions": _joined((f"[r{n}]: /u{n}\n" for n in _counting()), length // 2)
        + "\n"
        + _joined((f"[r{n}]" for n in _counting()), length // 2),
        "emphasis runs *a**a***": _repeat("*a**a***", length),
        "underscore runs _a__a___": _repeat("_a__a___", length),
        "opening emphasis **a": _repeat("**a", length),
        "triple emphasis ***a": _repeat("***a", length),
        "spaced emphasis *a *b": _repeat("*a *b ", length),
        "mixed delimiters *_`[<": _repeat("*_`[<", length),
        "growing backtick runs": _joined(("`" * n + "a" for n in _counting()), length),
        "lone backticks": _repeat("`", length),
        "nested blockquotes > > >": _repeat("> ", length),
        "nested blockquotes >>>>": _repeat(">", length),
        "blockquote staircase": _joined(("> " * n + "a" for n in _counting()), length, "\n"),
        "nested lists": _joined(("  " * n + "- a" for n in range(length)), length, "\n"),
        "nested numbered lists 1. 1. 1.": _repeat("1. ", length),
        "lists in quotes - > - >": _repeat("- > ", length),
        "less-than runs <<<<": _repeat("<", length),
        "unclosed tags <a href='": _repeat("<a href='", length),
        "nested raw tags <div><div>": _repeat("<div>", length),
        "nested raw lists <dl><ul>": _repeat("<dl><ul>", length),
        "formatting tags then paragraphs": _joined((f"<b title={n}>" for n in _counting()), length // 2)
        + _repeat("<p>x", length // 2),
        "unclosed comments <!--": _repeat("<!--", length),
        "unclosed CDATA <![CDATA[": _repeat("<![CDATA[", length),
        "autolink openers <http://": _repeat("<http://", length),
        "entity openers &#": _repeat("&#", length),
        "table of many rows": "| a | b |\n|---|---|\n" + _repeat("| x |\n", length),
        "table of many columns": "|"
        + "a|" * (length // 6)
        + "\n|"
        + "-|" * (length // 6)
        + "\n"
        + "|x" * (length // 6),
        "setext headings": _repeat("a\n=\n", length),
        "hard breaks": _repeat("a  \n", length),
        "tabs and quotes": _repeat("\t>", length),
    }


BUDGET_SECONDS = 0.1
SIZES = {"12 KB": 12_000, "the longest Markdown field": text_limits.MARKDOWN_MAX}


@pytest.mark.parametrize("size", SIZES)
def test_the_worst_known_inputs_each_render_in_under_100_ms(size):
    """A guard against a renderer, a setting or a sanitiser step with worse than linear time. Each input is
    rendered three times and the fastest run counts, so one pause of a busy machine does not fail the build;
    a superlinear step is seconds away from the budget at these lengths, not milliseconds. Run with -s to see
    the figures."""
    slow = {}
    for name, text in _pathological(SIZES[size]).items():
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            render_markdown(text)
            timings.append(time.perf_counter() - started)
        best = min(timings)
        print(f"{size:>26} {len(text):6d} chars {best * 1000:7.2f} ms  {name}")
        if best >= BUDGET_SECONDS:
            slow[name] = f"{best * 1000:.0f} ms"
    assert not slow, f"over {BUDGET_SECONDS * 1000:.0f} ms: {slow}"


def test_deep_nesting_is_capped_but_keeps_every_word():
    html = render_markdown("> " * 100 + "deep words")
    assert html.count("<blockquote>") == 20 and "deep words" in html


def test_raw_html_in_the_text_is_reduced_to_its_words():
    html = render_markdown("<div>\nkept words\n</div>\n\nsome <b>bold</b> and <sitting-bone> text")
    assert "<div" not in html and "<b>" not in html
    assert "kept words" in html and "some bold and  text" in html
