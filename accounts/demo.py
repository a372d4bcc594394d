"""The demo people of `manage.py seed_demo`. Other apps' demo data builds on these accounts."""

import base64
import datetime
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.audit import is_staff_user
from accounts.models import Discipline, User
from accounts.two_factor import AUTHENTICATOR_NAME

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published in the README; demo mode only

# Every demo clinician and the demo admin has an authenticator with this key (base32, as authenticator apps
# take it; time-based, 6 digits, 30 s). Published in the README; `manage.py demo_code EMAIL` prints the code.
DEMO_TOTP_SECRET = "UFPM5IQTQRF6FMUVLMF6ZH2L6W5LGRCH"  # noqa: S105 - demo mode only

DEMO_PATIENT: dict[str, Any] = {
    "email": "patient@demo.test",
    "first_name": "Alex",
    "last_name": "Morgan",
    "date_of_birth": datetime.date(1988, 4, 12),
    "affected_side": "right",
    "onset_date": datetime.date(2026, 7, 20),
    "sport_or_occupation": "Club runner (half marathons); office job, sits most of the day",
    "goals": "Sit through a working day without buttock pain, then run a half marathon again next spring.",
}

DEMO_CLINICIANS = [
    ("physio@demo.test", "Priya", "Shah", Discipline.PHYSIOTHERAPY, "PH123456"),
    ("chiro@demo.test", "Tom", "Baker", Discipline.CHIROPRACTIC, "GCC-04512"),
    ("massage@demo.test", "Maria", "Costa", Discipline.MASSAGE, "CNHC-88213"),
    ("kinesiology@demo.test", "Kenji", "Ito", Discipline.KINESIOLOGY, ""),
    ("nutrition@demo.test", "Nadia", "Haddad", Discipline.NUTRITION, "AfN-2231"),
    ("psychotherapy@demo.test", "Sean", "O'Neill", Discipline.PSYCHOTHERAPY, "UKCP-77310"),
]

DEMO_ADMIN: dict[str, str] = {"email": "admin@demo.test", "first_name": "Ada", "last_name": "Admin"}

DEMO_ACCOUNTS: list[tuple[str, str]] = [
    (DEMO_PATIENT["email"], "patient, a runner with proximal hamstring tendinopathy"),
    *[(email, f"clinician: {discipline.label.lower()}") for email, _, _, discipline, _ in DEMO_CLINICIANS],
    (DEMO_ADMIN["email"], "administrator"),
]


def seed_demo_accounts() -> list[str]:
    """Create the demo accounts that do not exist yet; existing ones are left as they are."""
    created: list[str] = []
    if not _exists(DEMO_PATIENT["email"]):
        services.patient_create(password=DEMO_PASSWORD, **DEMO_PATIENT)
        created.append(DEMO_PATIENT["email"])
    for email, first_name, last_name, discipline, registration_number in DEMO_CLINICIANS:
        if not _exists(email):
            services.clinician_create(
                email=email,
                first_name=first_name,
                last_name=last_name,
                password=DEMO_PASSWORD,
                discipline=discipline,
                registration_number=registration_number,
            )
            created.append(email)
    if not _exists(DEMO_ADMIN["email"]):
        services.admin_create(password=DEMO_PASSWORD, **DEMO_ADMIN)
        created.append(DEMO_ADMIN["email"])
    for user in User.objects.filter(email__in=[email for email, _ in DEMO_ACCOUNTS]):
        if is_staff_user(user):
            _ensure_demo_authenticator(user)
    return created


def demo_authenticator_key() -> str:
    """DEMO_TOTP_SECRET as django-otp stores keys: hex."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def _ensure_demo_authenticator(user: User) -> None:
    """Staff sign in with a second factor, the demo's too: give them the published authenticator, unless they
    already have one."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, key=demo_authenticator_key(), confirmed=True
        )


def _exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()
