import pytest

from tests.factories import AdminFactory, ClinicianFactory, PatientFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 is deliberately slow; the tests check behaviour, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def cache_of_its_own(settings):
    """Each test counts (password reset requests, per IP address and per address) in a fresh in-memory cache,
    so no Redis is needed on SQLite and no test inherits another's counts."""
    import uuid

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def followers_counted_at_once(request):
    """On PostgreSQL a follower's counter is written when the transaction commits (a deferred trigger,
    common/change_counters.py), and a test's transaction never commits: here it is written with the rest, as
    if each write had committed. Tests with transaction=True commit, and keep it deferred."""
    uses_db = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from common.change_counters import FOLLOWERS_TRIGGER

    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [FOLLOWERS_TRIGGER])
        if cursor.fetchone():
            cursor.execute(f"SET CONSTRAINTS {FOLLOWERS_TRIGGER} IMMEDIATE")


@pytest.fixture
def pages_drawn_every_time(settings):
    """Nothing is kept for a signed-in person (common/private_page_cache.py), so every view draws its page,
    change counters read included: for tests that count what drawing a page costs."""
    settings.PRIVATE_PAGE_SECONDS = 0


@pytest.fixture(autouse=True)
def force_login_passes_two_factor(monkeypatch):
    """`client.force_login` stands for a whole sign-in, so for staff (and patients who turned two-factor on)
    it also passes the second factor with a real, confirmed authenticator of theirs, as the code page does;
    the middleware's check still runs. Tests of the second step sign in with the password instead."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import authenticator_for, two_factor_required

    sign_in = Client.force_login

    def force_login(self, user, backend=None):
        sign_in(self, user, backend)
        if two_factor_required(user):
            device = authenticator_for(user) or TOTPDevice.objects.create(
                user=user, name="Test app", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def patient(db):
    return PatientFactory()


@pytest.fixture
def clinician(db):
    return ClinicianFactory()


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def shipped_conditions(db):
    """The condition articles shipped with the portal, loaded as `manage.py load_conditions` does."""
    from conditions.content import SHIPPED_ARTICLES, SHIPPED_ON
    from conditions.services import conditions_load

    conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON)
