from django import template
from django.utils.safestring import SafeString

from common.markdown import render_markdown_cached

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ note.body|markdown }}: Markdown rendered through the sanitiser (remembered per text, see
    `render_markdown_cached`)."""
    return render_markdown_cached(text)
