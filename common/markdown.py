"""Markdown from admins and clinicians, rendered to HTML that is safe to put on a page, in linear time.

Three steps, each linear in the length of the text:

1. pyromark (pulldown-cmark, in Rust) parses CommonMark with pipe tables into a stream of events. The
   earlier Python-Markdown took 34 s on 12 KB of ``\\[``; markdown-it-py, linear too, still takes a quarter
   of a second on 20 KB of nested brackets.
2. `_html_from_events` writes the HTML. Raw HTML in the text is never passed on: its tags are dropped and the
   words between them kept as text. Elements nest at most `MAX_NESTING` deep (deeper ones keep their text and
   lose only their tags), because an HTML parser, the sanitiser's included, slows down with the square of
   the depth: 20 KB of ``>`` or ``1. `` would otherwise take seconds in step 3.
3. nh3 (the Ammonia sanitiser) cleans the result against an allow-list: no script, no event handler
   attribute, no style, and links only to http, https and mailto.

The worst inputs known are timed in tests/common/test_markdown.py.

Pages render the same texts again and again (an article has about 26 of them), so templates go through
`render_markdown_cached`, which keeps the sanitised HTML of recent texts in this process.
"""

import hashlib
import re
from html import escape
from typing import Any

import nh3
import pyromark
from django.utils.safestring import SafeString, mark_safe

from common.recent import RecentMarkup

MARKDOWN_OPTIONS = pyromark.Options.ENABLE_TABLES
MAX_NESTING = 20

ALLOWED_TAGS = set(
    "a abbr blockquote br caption code dd del div dl dt em h2 h3 h4 h5 h6 hr li ol p pre span strong sub sup "
    "table tbody td tfoot th thead tr ul".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# `[^<>]` rather than `[^>]`: a run of `<` with no `>` then costs one pass, not one pass per `<`.
_TAG = re.compile(r"<[^<>]*>")
_SIMPLE_TAGS = {
    "Paragraph": ("<p>", "</p>\n"),
    "Item": ("<li>", "</li>\n"),
    "Emphasis": ("<em>", "</em>"),
    "Strong": ("<strong>", "</strong>"),
    "Strikethrough": ("<del>", "</del>"),
    "TableHead": ("<thead><tr>", "</tr></thead>\n<tbody>\n"),
    "TableRow": ("<tr>", "</tr>\n"),
}
_ALIGN = {"Left": "left", "Center": "center", "Right": "right"}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown (with tables) to sanitised HTML, marked safe for templates."""
    html = _html_from_events(pyromark.events(text or "", options=MARKDOWN_OPTIONS))
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 on the line above


# Part of every cache key: change it whenever the renderer or the allow-lists above change what a text
# becomes. (The cache lives in one process, so a deploy empties it anyway; the version keeps that true if the
# cache ever moves somewhere shared.)
RENDERER_VERSION = "1"
CACHED_TEXTS = 1024  # at most MARKDOWN_MAX characters each: a few megabytes of HTML at worst


recent_html = RecentMarkup(CACHED_TEXTS)


def render_markdown_cached(text: str) -> SafeString:
    """`render_markdown`, remembered for the most recent texts by a hash of the renderer's version and the
    text, so the same article section or note is parsed and sanitised once per process, not once per view."""
    text = text or ""
    key = hashlib.blake2b(f"{RENDERER_VERSION}\n{text}".encode(), digest_size=20).digest()
    return recent_html.get_or_render(key, lambda: render_markdown(text))


_BREAKS = {"SoftBreak": "\n", "HardBreak": "<br>\n", "Rule": "<hr>\n"}


def _html_from_events(events: Any) -> str:
    """HTML for pulldown-cmark's events, as its own renderer writes it, but with raw HTML reduced to its text
    and nesting capped. Each start event pushes the end tag it needs (empty when it wrote no tag), so an end
    event only pops one. One pass, with the common events first: this loop is most of the rendering time."""
    out: list[str] = []
    closers: list[str] = []
    depth = 0
    alignments: tuple[str, ...] = ()
    cell = 0
    in_head = False
    for event in events:
        if type(event) is str:
            out.append(_BREAKS.get(event, ""))
            continue
        for kind, value in event.items():
            if kind == "Text":
                out.append(escape(value, quote=False))
            elif kind == "End":
                if value == "TableHead":
                    in_head, cell = False, 0
                elif value == "TableRow":
                    cell = 0
                closing = closers.pop()
                if closing:
                    depth -= 1
                    out.append(closing)
            elif kind == "Start":
                if value == "TableCell":
                    name = "th" if in_head else "td"
                    align = _ALIGN.get(alignments[cell]) if cell < len(alignments) else None
                    cell += 1
                    opening, closing = (f'<{name} align="{align}">' if align else f"<{name}>"), f"</{name}>"
                else:
                    opening, closing = _tags(value)
                    if value == "TableHead":
                        in_head, cell = True, 0
                    elif type(value) is dict and "Table" in value:
                        alignments = value["Table"]
                if opening and depth < MAX_NESTING:
                    depth += 1
                    out.append(opening)
                    closers.append(closing)
                else:
                    closers.append("")
            elif kind == "Html" or kind == "InlineHtml":
                out.append(escape(_TAG.sub("", value), quote=False))
            elif kind == "Code":
                out.append(f"<code>{escape(value, quote=False)}</code>")
            elif isinstance(value, str):  # the text of extensions that are off (math, footnotes)
                out.append(escape(value, quote=False))
    return "".join(out)


def _tags(tag: Any) -> tuple[str, str]:
    """The opening and closing tags of a start event other than a table cell; empty for none."""
    if type(tag) is str:
        return _SIMPLE_TAGS.get(tag, ("", ""))  # HtmlBlock, and the extensions that are off, write no tag
    for kind, data in tag.items():
        if kind == "Heading":
            level = data["level"][1]
            return f"<h{level}>", f"</h{level}>\n"
        if kind == "BlockQuote":
            return "<blockquote>\n", "</blockquote>\n"
        if kind == "CodeBlock":
            return "<pre><code>", "</code></pre>\n"
        if kind == "List":
            return ("<ul>\n", "</ul>\n") if data is None else ("<ol>\n", "</ol>\n")
        if kind == "Table":
            return "<table>", "</tbody></table>\n"
        if kind == "Link":
            title = f' title="{escape(data["title"])}"' if data["title"] else ""
            return f'<a href="{escape(data["dest_url"])}"{title}>', "</a>"
    return "", ""  # Image: its alt text stays as text, since the allow-list has no <img>
