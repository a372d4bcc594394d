"""The forms a page shows, read from its HTML as a browser would: where each one posts and what it sends."""

import dataclasses
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclasses.dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    text_fields: set[str] = dataclasses.field(default_factory=set)
    max_lengths: dict[str, int] = dataclasses.field(default_factory=dict)
    choices: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: str | None = None
        self.first_option: str | None = None
        self.select_multiple = False
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_path, attr.get("action") or self.page_path))
            path = action.path + (f"?{action.query}" if action.query else "")
            self.current = PageForm(method=(attr.get("method") or "get").lower(), action=path)
            self.forms.append(self.current)
            return
        form = self.current
        if form is not None and tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attr.get("value", "")
            if "selected" in attr:
                form.add(self.select, attr.get("value", ""))
            return
        if form is None or not attr.get("name") or "disabled" in attr:
            return
        name = attr["name"]
        if attr.get("maxlength", "").isdigit():
            form.max_lengths[name] = int(attr["maxlength"])
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(attr.get("value", "on"))
                if "checked" in attr or name not in form.fields:
                    form.fields.setdefault(name, [])
                    if "checked" in attr:
                        form.add(name, attr.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                form.add(name, attr.get("value", ""))
                if kind in ("text", "email", "search", "password", "tel", "url"):
                    form.text_fields.add(name)
        elif tag == "select":
            self.select = name
            self.select_multiple = "multiple" in attr
            self.first_option = None
            form.fields.setdefault(name, [])
        elif tag == "textarea":
            self.textarea = name
            form.add(name, "")
            form.text_fields.add(name)

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            if self.current is not None and self.select and not self.current.fields[self.select]:
                if self.first_option is not None and not self.select_multiple:
                    self.current.add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(html: str, page_path: str) -> list[PageForm]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
