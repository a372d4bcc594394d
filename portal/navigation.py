"""The main navigation: what each role sees. Each app adds its pages here as they land."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# (label, URL name, roles that see it)
NAV_ENTRIES: list[tuple[str, str, set[str]]] = [
    ("Home", "home", {"patient", "clinician", "admin"}),
    ("Administration", "admin:index", {"admin"}),
]


def navigation_for(user, path: str) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = []
    for label, url_name, roles in NAV_ENTRIES:
        if user.role in roles:
            url = reverse(url_name)
            current = path == url if url == "/" else path.startswith(url)
            items.append(NavItem(label, url, current))
    return items
