"""Forms and query strings fuzzed with Hypothesis: whatever a browser can send, the answer is never a 500.

The forms are read from the pages of the patient's and the clinician's journeys as a browser reads them
(tests/security/forms_on_page.py), so a field added to a form is fuzzed without touching this file. Each
example starts from what the page itself would send and replaces, repeats or drops fields: random text,
100,000-character values, NUL and other control characters, emoji, numbers and dates where text is expected
and the reverse. An unhandled error in a view reaches the test client as the exception itself (a 500 in
production), and any answer of 500 or above fails as well.
"""

import datetime
import traceback

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from rehab.models import SessionLog
from reminders.models import Notification, TimeSuggestion
from tests.careteam.conftest import CareWorld, build_world
from tests.careteam.test_access_matrix import plan_of
from tests.security.conftest import signed_in_client
from tests.security.forms_on_page import PageForm, forms_on

EXAMPLES_PER_FORM = 6
EXAMPLES_PER_QUERY = 10
# The same examples on every run, so that a failure is reproducible and the run time steady; a new form or
# field changes the examples.
FUZZ = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failing example is reported as drawn
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Sign-out would end the session the rest of the run uses; it takes no input anyway.
NOT_FUZZED = {"accounts:logout"}

ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b",
    "99999-99-99",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "24:00",
    "25:61",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "١٢٣",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "true",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "\u202eevil",
    "😀👩‍⚕️",
    "ｆｕｌｌｗｉｄｔｈ",
]


class Huge(str):
    """A very long value that Hypothesis reports in a few characters, not 100,000."""

    def __repr__(self) -> str:
        return f"Huge({self[:4]!r}..., {len(self)} characters)"


huge = st.builds(
    lambda chunk, size: Huge((chunk * (size // len(chunk) + 1))[:size]),
    st.sampled_from(["a", "é", "\x00", "\\[", "<b>", "😀", "1", " "]),
    st.sampled_from([1_000, 100_000]),
)
one_value = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats().map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    huge,
)


def field_values(default: list[str]):
    """Keep what the page sends, drop the field, send one odd value or several."""
    return st.one_of(
        st.just(default),
        st.none(),
        one_value.map(lambda value: [value]),
        st.lists(one_value, min_size=2, max_size=3),
    )


def fuzzed_forms(form: PageForm):
    return st.fixed_dictionaries({name: field_values(default) for name, default in form.fields.items()}).map(
        lambda fields: {name: values for name, values in fields.items() if values is not None}
    )


def world_with_plan() -> CareWorld:
    """The access matrix's world, with an active plan for the patient and things for them to answer."""
    world = build_world()
    plan = plan_of(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SessionLog.objects.create(plan=plan, patient=world.patient, date=yesterday, slot=0, slot_name="Today")
    TimeSuggestion.objects.create(
        patient=world.patient, suggested_by=world.lead, times=[{"time": "07:30", "weekdays": [0, 2]}]
    )
    Notification.objects.create(user=world.patient, title="Time to exercise", url="/rehab/today/")
    return world


JOURNEY_PAGES = {
    "anonymous": [
        ("accounts:login", {}),
        ("accounts:password_reset", {}),
        ("conditions:check", {}),
    ],
    "patient": [
        ("rehab:today", {}),
        ("rehab:today_session_play", {"slot": 0}),
        ("rehab:today_flare_up", {}),
        ("rehab:outcome_form", {"kind_slug": "visa-h"}),
        ("rehab:outcome_form", {"kind_slug": "psfs"}),
        ("rehab:outcome_form", {"kind_slug": "pain-rating"}),
        ("reminders:preferences", {}),
        ("reminders:notifications", {}),
        ("accounts:details", {}),
        ("accounts:password_change", {}),
        ("conditions:check", {}),
    ],
    "lead": [
        ("careteam:note_create", {"public_id": "patient"}),
        ("careteam:note_addendum", {"public_id": "note"}),
        ("careteam:referral_create", {"public_id": "patient"}),
        ("careteam:team_manage", {"public_id": "patient"}),
        ("careteam:patient_detail", {"public_id": "patient"}),
        ("careteam:alert_list", {}),
        ("careteam:referral_detail", {"public_id": "referral"}),
        ("rehab:plan_builder", {"patient_id": "patient"}),
        ("reminders:suggestion_create", {"patient_id": "patient"}),
        ("accounts:details", {}),
    ],
}

# The forms each journey must offer (the pages offer more, all fuzzed): a page that stops showing one of these
# would silently drop it from the fuzzing.
JOURNEY_FORMS = {
    "anonymous": {"accounts:login", "accounts:password_reset", "conditions:check"},
    "patient": {
        "conditions:check",
        "rehab:today_session_log",
        "rehab:today_session_rate",
        "rehab:today_check_in",
        "rehab:today_weekly_check",
        "rehab:today_flare_up",
        "rehab:outcome_form",
        "reminders:settings_save",
        "reminders:time_add",
        "reminders:pause",
        "accounts:details",
        "accounts:password_change",
    },
    "lead": {
        "careteam:note_create",
        "careteam:note_addendum",
        "careteam:referral_create",
        "careteam:alert_acknowledge",
        "careteam:team_manage",
        "rehab:plan_settings",
        "rehab:prescription_update",
        "rehab:prescription_add",
        "reminders:suggestion_create",
        "accounts:details",
    },
}


def _url(world: CareWorld, name: str, kwargs: dict) -> str:
    ids = {"patient": world.patient_id, "note": world.note.public_id, "referral": world.referral.public_id}
    return reverse(name, kwargs={key: ids.get(value, value) for key, value in kwargs.items()})


def _journey_forms(world: CareWorld, persona: str, client: Client) -> dict[str, tuple[str, PageForm]]:
    """One form per route it posts to, from the pages of the persona's journey."""
    found: dict[str, tuple[str, PageForm]] = {}
    for name, kwargs in JOURNEY_PAGES[persona]:
        path = _url(world, name, kwargs)
        response = client.get(path)
        assert response.status_code == 200, (persona, path, response.status_code)
        for form in forms_on(response.content.decode(), path):
            try:
                match = resolve(form.action.split("?")[0])
            except Resolver404:
                continue
            if form.method != "post" or match.view_name in NOT_FUZZED:
                continue
            # One form per route and per argument that is not an object's id (each outcome questionnaire).
            named = sorted((key, value) for key, value in match.kwargs.items() if isinstance(value, str))
            key = match.view_name + "".join(f" {key}={value}" for key, value in named)
            found.setdefault(key, (path, form))
    return found


def _where(error: BaseException) -> str:
    """The exception and the last line of the portal's own code it passed through."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "/.venv/" not in frame.filename]
    place = f" at {frames[-1].filename}:{frames[-1].lineno} ({frames[-1].line})" if frames else ""
    return "".join(traceback.format_exception_only(error)).strip()[:500] + place


def _answer_is_not_a_server_error(client: Client, method: str, url: str, data) -> None:
    response = client.post(url, data) if method == "post" else client.get(url, data)
    assert response.status_code < 500, f"{method.upper()} {url} answered {response.status_code}"
    if response.status_code >= 400:
        assert response.content.strip(), (
            f"{method.upper()} {url} answered {response.status_code} with no message"
        )


def _fuzzing(client: Client, form: PageForm):
    @FUZZ
    @given(data=fuzzed_forms(form))
    def posting(data):
        _answer_is_not_a_server_error(client, "post", form.action, data)

    return posting


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(JOURNEY_PAGES))
def test_fuzzed_forms_of_the_journey_never_give_a_server_error(persona):
    world = world_with_plan()
    client = signed_in_client(world.persona(persona))
    forms = _journey_forms(world, persona, client)
    routes = {key.split()[0] for key in forms}
    assert JOURNEY_FORMS[persona] <= routes, f"not found on the pages: {JOURNEY_FORMS[persona] - routes}"

    failures = []
    for route, (page, form) in sorted(forms.items()):
        try:
            _fuzzing(client, form)()
        except Exception as error:  # noqa: BLE001 - every form is fuzzed; all failures are reported together
            failures.append(
                f"{route} (the form on {page}): {_where(error)}\n"
                + "\n".join(getattr(error, "__notes__", []))[:1500]
            )
    assert not failures, "\n\n".join(failures)


EXTREMES = {
    "nothing at all": None,
    "100,000 characters": Huge("a" * 100_000),
    "a NUL character": "before\x00after",
    "a date that cannot be": "99999-99-99",
    "zero": "0",
    "a negative number": "-1",
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(JOURNEY_PAGES))
def test_extreme_values_in_every_field_at_once_never_give_a_server_error(persona):
    """Every field of a form empty, huge, NUL (PostgreSQL text columns cannot hold it), an impossible date,
    zero or negative, all at once and beside the form's own CSRF token."""
    world = world_with_plan()
    client = signed_in_client(world.persona(persona))
    failures = []
    for route, (page, form) in sorted(_journey_forms(world, persona, client).items()):
        for label, value in EXTREMES.items():
            data = {
                name: default if name == "csrfmiddlewaretoken" else [value]
                for name, default in form.fields.items()
                if value is not None or name == "csrfmiddlewaretoken"
            }
            try:
                _answer_is_not_a_server_error(client, "post", form.action, data)
            except Exception as error:  # noqa: BLE001 - every form and value is tried; failures reported together
                failures.append(f"{route} (the form on {page}) with {label} in every field: {_where(error)}")
    assert not failures, "\n".join(failures)


QUERY_PAGES = [
    ("anonymous", "conditions:list", {}, ["q", "page"]),
    ("patient", "rehab:today", {}, ["slot", "logged", "checked"]),
    ("patient", "reminders:notifications", {}, ["page"]),
    ("patient", "rehab:my_progress", {}, ["weeks", "from", "to", "page"]),
    ("lead", "rehab:patient_list", {}, ["q", "stage", "attention", "page"]),
    ("lead", "careteam:patient_detail", {"public_id": "patient"}, ["discipline", "author", "page"]),
    ("lead", "careteam:timeline", {"public_id": "patient"}, ["page"]),
    ("lead", "careteam:alert_list", {}, ["page", "patient", "kind"]),
    ("lead", "rehab:plan_history", {"plan_id": "plan"}, ["from", "to"]),
    ("lead", "rehab:plan_print", {"plan_id": "plan"}, ["from"]),
    ("lead", "rehab:patient_progress", {"patient_id": "patient"}, ["weeks", "page"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "name", "kwargs", "params"), QUERY_PAGES, ids=[f"{row[0]}-{row[1]}" for row in QUERY_PAGES]
)
def test_fuzzed_query_strings_never_give_a_server_error(persona, name, kwargs, params):
    world = world_with_plan()
    client = signed_in_client(world.persona(persona))
    ids = {"patient": world.patient_id, "plan": plan_of(world).public_id}
    url = reverse(name, kwargs={key: ids[value] for key, value in kwargs.items()})
    for value in EXTREMES.values():
        if value is not None:
            _answer_is_not_a_server_error(client, "get", url, dict.fromkeys(params, value))
    queries = st.fixed_dictionaries(
        {},
        optional={
            **{param: st.one_of(one_value, st.lists(one_value, min_size=2, max_size=3)) for param in params},
            "unexpected": one_value,
        },
    )

    @settings(FUZZ, max_examples=EXAMPLES_PER_QUERY)
    @given(query=queries)
    def getting(query):
        _answer_is_not_a_server_error(client, "get", url, query)

    getting()
