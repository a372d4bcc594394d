"""The demo people of `manage.py seed_demo`. Other apps' demo data builds on these accounts."""

import datetime
from typing import Any

from accounts import services
from accounts.models import Discipline, User

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published in the README; demo mode only

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
    return created


def _exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()
