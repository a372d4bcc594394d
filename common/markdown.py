"""Markdown from admins and clinicians, rendered to HTML that is safe to put on a page.

Markdown itself passes raw HTML through, so every rendering goes through nh3 (the Ammonia sanitiser) with an
allow-list: no script, no event handler attribute, no style, and links only to http, https and mailto.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

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
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 on the line above
