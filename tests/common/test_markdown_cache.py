from django.template import Context, Template

from common import markdown
from common.markdown import render_markdown, render_markdown_cached
from common.recent import RecentMarkup

SECTION = "## Loading\n\n- **Hold** for 45 s\n- Rest a minute\n\n<script>alert(1)</script>"


def test_a_text_is_rendered_once_and_then_served_from_memory():
    first = render_markdown_cached(SECTION)
    assert first == render_markdown(SECTION)
    assert render_markdown_cached(SECTION) is first


def test_the_template_filter_serves_the_same_sanitised_html():
    template = Template("{% load markdown_filters %}{{ text|markdown }}")
    html = template.render(Context({"text": SECTION}))
    assert "<strong>Hold</strong>" in html
    assert "<script" not in html
    assert html == str(render_markdown_cached(SECTION))


def test_another_renderer_version_renders_the_text_again(monkeypatch):
    before = render_markdown_cached(SECTION)
    monkeypatch.setattr(markdown, "RENDERER_VERSION", "test-next")
    after = render_markdown_cached(SECTION)
    assert after is not before
    assert after == before


def test_empty_and_missing_text_render_to_nothing():
    assert render_markdown_cached("") == ""
    assert render_markdown_cached(None) == ""  # type: ignore[arg-type]


def test_the_cache_keeps_only_the_most_recently_used_texts():
    recent = RecentMarkup(2)
    recent.put(b"a", markdown.mark_safe("A"))
    recent.put(b"b", markdown.mark_safe("B"))
    assert recent.get(b"a") == "A"  # now the most recent
    recent.put(b"c", markdown.mark_safe("C"))
    assert recent.get(b"b") is None
    assert recent.get(b"a") == "A" and recent.get(b"c") == "C"
