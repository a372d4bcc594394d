"""The main navigation: what each role sees. Each app adds its pages here as they land."""

from dataclasses import dataclass

from common.addresses import address


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# The clinician's list of patients; pages of the lower apps link back to it through the context processor.
MY_PATIENTS_URL_NAME = "rehab:patient_list"

# (label, URL name, roles that see it)
# A patient's home is Today (home sends a patient with a plan there, and Today without a plan says what
# comes next), so patients get one entry for it, not "Home" and "Today" for the same page.
NAV_ENTRIES: list[tuple[str, str, set[str]]] = [
    ("Today", "rehab:today", {"patient"}),
    ("Home", "home", {"clinician", "admin"}),
    ("My patients", MY_PATIENTS_URL_NAME, {"clinician", "admin"}),
    ("My plan", "rehab:my_plan", {"patient"}),
    ("Progress", "rehab:my_progress", {"patient"}),
    ("Questionnaires", "rehab:my_outcomes", {"patient"}),
    ("Reminders", "reminders:preferences", {"patient"}),
    ("Needs attention", "careteam:alert_list", {"clinician", "admin"}),
    ("My care team", "careteam:my_team", {"patient"}),
    ("Conditions", "conditions:list", {"patient", "clinician", "admin"}),
    ("Administration", "admin:index", {"admin"}),
]


def navigation_for(user, path: str) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = []
    for label, url_name, roles in NAV_ENTRIES:
        if user.role in roles:
            url = address(url_name)
            current = path == url if url == "/" else path.startswith(url)
            items.append(NavItem(label, url, current))
    return items
