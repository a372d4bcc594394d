import pytest

from tests.factories import AdminFactory, ClinicianFactory, PatientFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 is deliberately slow; the tests check behaviour, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
