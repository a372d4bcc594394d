"""Every route that accepts a POST refuses one without a valid CSRF token, and the refusal changes nothing.

The routes come from the project's URL resolver, the admin's included, so a new route is swept as soon as it
exists. A route accepts POST unless its view says otherwise: a class-based view without a `post` method, or a
function view under `require_GET`/`require_safe`/`require_http_methods` without "POST". Each route is posted
to by nobody and by a patient, a team clinician and an admin (each of them past two-factor sign-in), once
with no token at all and once with a forged one; one of them has access to whatever the route changes.
The URL arguments of the project's own routes are built by the access matrix's catalogue
(tests/careteam/test_access_matrix.py); the admin's from its registered models.
"""

import dataclasses
import secrets
import string
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from tests.careteam.conftest import CareWorld, build_world
from tests.careteam.test_access_matrix import MATRIX
from tests.security.conftest import signed_in_client

# The links in reminder emails: the signed token in the address is the authority, no cookie is involved
# (reminders/views/links.py explains why the exemption is safe). No other route may be exempt.
CSRF_EXEMPT = {"reminders:link_snooze", "reminders:link_unsubscribe"}
# How many POST-accepting routes the sweep found when it was written: 57 of the project's and 163 of the admin
# (which grow with every registered model). Fewer means the discovery broke, not that the project shrank.
PROJECT_ROUTES_FOUND = 57
ADMIN_ROUTES_FOUND = 163
POSTERS = ("anonymous", "patient", "lead", "admin")
# The admin's routes are all behind its staff check: nobody and the admin are enough.
ADMIN_POSTERS = ("anonymous", "admin")


@dataclasses.dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    callback: Callable
    params: tuple[str, ...]
    converters: dict

    @property
    def in_admin(self) -> bool:
        return self.namespace.split(":")[0] == "admin"


def _wrapped_chain(view: Callable) -> Iterator[Callable]:
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        yield view
        view = getattr(view, "__wrapped__", None)


def accepts_post(view: Callable) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    for layer in _wrapped_chain(view):
        code = getattr(layer, "__code__", None)
        if code is None or "request_method_list" not in code.co_freevars:
            continue
        cell = layer.__closure__[code.co_freevars.index("request_method_list")]
        return "POST" in cell.cell_contents
    return True


def project_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = tuple(pattern.pattern.regex.groupindex)
                converters = getattr(pattern.pattern, "converters", {})
                routes.append(Route(name, namespace, pattern.callback, params, converters))

    walk(get_resolver().url_patterns, "")
    return routes


def post_routes() -> list[Route]:
    return [route for route in project_routes() if accepts_post(route.callback)]


def _admin_model(view: Callable):
    for layer in _wrapped_chain(view):
        model_admin = getattr(layer, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            return model_admin.model
    return None


def admin_kwargs(route: Route, world: CareWorld) -> dict:
    model = _admin_model(route.callback)
    instance = model.objects.order_by("pk").first() if model is not None else None
    values = {
        "object_id": str(instance.pk) if instance else "1",
        "id": str(instance.pk) if instance else "1",
        "pk": str(instance.pk) if instance else "1",
        "app_label": "accounts",
        "content_type_id": str(ContentType.objects.get_for_model(type(world.patient)).pk),
        "url": "",
    }
    if route.name == "admin:view_on_site":
        values["object_id"] = str(world.patient.pk)
    missing = [param for param in route.params if param not in values]
    assert not missing, f"No value for {missing} of {route.name}: add one to admin_kwargs"
    return {param: values[param] for param in route.params}


def url_of(route: Route, world: CareWorld) -> str:
    if route.in_admin:
        return reverse(route.name, kwargs=admin_kwargs(route, world))
    if route.name in MATRIX:
        return reverse(route.name, kwargs=MATRIX[route.name].kwargs(world))
    # Not catalogued yet (the access matrix's own test says so): any value the converter takes reaches the
    # route, and the CSRF check runs before the view looks anything up.
    samples = {UUIDConverter: str(uuid.uuid4()), IntConverter: "1"}
    return reverse(
        route.name, kwargs={name: samples.get(type(route.converters.get(name)), "x") for name in route.params}
    )


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table but the sessions', in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model is not Session and not model._meta.proxy
    }


SWEPT = [route for route in post_routes() if route.name not in CSRF_EXEMPT]


def test_the_sweep_finds_the_post_routes_of_every_app_and_the_admin():
    names = {route.name for route in SWEPT}
    admin_routes = sum(route.in_admin for route in SWEPT)
    assert len(SWEPT) - admin_routes >= PROJECT_ROUTES_FOUND, f"only these POST routes found: {sorted(names)}"
    assert admin_routes >= ADMIN_ROUTES_FOUND, f"only {admin_routes} admin POST routes found"
    for namespace in ("accounts", "careteam", "rehab", "reminders", "conditions", "admin"):
        assert any(route.namespace == namespace for route in SWEPT), namespace
    assert {"accounts:login", "careteam:note_create", "rehab:today_session_log", "admin:login"} <= names
    assert "rehab:my_progress" not in names  # GET only


def test_only_the_email_link_routes_are_exempt_from_csrf():
    exempt = {route.name for route in project_routes() if getattr(route.callback, "csrf_exempt", False)}
    assert exempt == CSRF_EXEMPT


def well_formed_token(length: int) -> str:
    """A token of the right length and alphabet that the server never issued, so that the check compares it
    with the cookie's (and finds them different) instead of refusing its form."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


def _changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


GROUPS = sorted({route.namespace.split(":")[0] or "portal" for route in SWEPT})


@pytest.mark.django_db
@pytest.mark.parametrize("group", GROUPS)
def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(group):
    """One world per app (building one per route would take minutes); the database is compared before and
    after the whole app's sweep."""
    world = build_world()
    routes = [route for route in SWEPT if (route.namespace.split(":")[0] or "portal") == group]
    posters = ADMIN_POSTERS if group == "admin" else POSTERS
    clients = {
        persona: signed_in_client(world.persona(persona), enforce_csrf_checks=True) for persona in posters
    }
    urls = {route.name: url_of(route, world) for route in routes}
    before = database_state()
    refused_wrongly = []
    for name, url in urls.items():
        for persona, client in clients.items():
            client.cookies.pop("csrftoken", None)
            without = client.post(url, {"reason": "CSRF sweep", "body": "CSRF sweep"})
            client.cookies["csrftoken"] = well_formed_token(32)
            forged = client.post(url, {"csrfmiddlewaretoken": well_formed_token(64), "reason": "CSRF sweep"})
            for kind, response in (("no token", without), ("forged token", forged)):
                if response.status_code != 403:
                    refused_wrongly.append(
                        f"POST {url} ({name}) as {persona} with {kind}: {response.status_code}"
                    )
    assert len(urls) == len(routes) > 0
    assert not refused_wrongly, "\n".join(refused_wrongly)
    changed = _changes(before, database_state())
    assert not changed, f"posts without a valid token to the {group} routes changed {changed}"
