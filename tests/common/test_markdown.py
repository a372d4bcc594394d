import pytest

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


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "## Load\n\n- **Hold** 45 s\n- [NHS](https://www.nhs.uk)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Load</h2>" in html
    assert "<strong>Hold</strong>" in html
    assert 'href="https://www.nhs.uk"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<table>" in html and "<td>2</td>" in html


def test_text_that_looks_like_html_is_escaped_not_dropped():
    assert "pain 3 &lt; 5" in render_markdown("pain 3 < 5")
