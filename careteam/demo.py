"""The demo patient's care team, notes, referrals and an alert, for `manage.py seed_demo`.

One referral names the nutritionist (open in her inbox); one goes to kinesiology with nobody named and has
been accepted by the kinesiologist, waiting for the lead (physio@demo.test) to confirm.

Safe to run again: each item is created only when it is not there yet (notes are recognised by author and
assessment, the alert by its dedupe key).
"""

import datetime

from django.utils import timezone

from accounts.demo import DEMO_PATIENT
from accounts.models import Discipline, User
from careteam import services
from careteam.models import (
    AlertKind,
    AlertSeverity,
    CareTeamMembership,
    Note,
    Referral,
    TeamRole,
    Urgency,
    Visibility,
)
from common.clinic_time import clinic_today

DEMO_TEAM = [
    ("physio@demo.test", TeamRole.LEAD),
    ("chiro@demo.test", TeamRole.MEMBER),
    ("massage@demo.test", TeamRole.MEMBER),
    ("psychotherapy@demo.test", TeamRole.MEMBER),
]

# (author, days ago, visibility, subjective, objective, assessment, plan, free text)
DEMO_NOTES = [
    (
        "physio@demo.test",
        40,
        Visibility.SHARED,
        "Deep ache at the right sit bone for three months, worse after long meetings and hill running.",
        "Tender over the right ischial tuberosity. Single-leg bridge on the right 9 reps, left 20. "
        "Pain 4/10 on the bent-knee stretch test.",
        "Presentation fits proximal hamstring tendinopathy on the right; no red flags on screening.",
        "Start isometric loading; cushion when sitting; pause hill runs and speed work.",
        "We agreed on **three sessions a week** and a pain rule: up to 3/10 during exercise is fine if it "
        "settles by the next morning.",
    ),
    (
        "chiro@demo.test",
        33,
        Visibility.TEAM,
        "Low back stiff in the mornings, no leg pain below the knee.",
        "Lumbar flexion full with mild end-range stiffness. Neural tension test negative on both sides.",
        "Lumbar spine not the main source of the buttock pain.",
        "Mobility routine for the lower back; review in four weeks.",
        "",
    ),
    (
        "massage@demo.test",
        26,
        Visibility.SHARED,
        "Hamstrings feel tight after the office day.",
        "Increased tone in the right hamstring and gluteals; moderate pressure tolerated away from the "
        "tendon.",
        "Soft-tissue work eases tone; the tendon itself was not loaded or compressed.",
        "Fortnightly sessions while the loading programme builds.",
        "",
    ),
    (
        "psychotherapy@demo.test",
        21,
        Visibility.TEAM,
        "Worried the running season is lost; sleeping less since the injury.",
        "",
        "Fear of movement score moderate; motivation to recover is high.",
        "Goal setting around a spring half marathon; short sessions on pacing the return.",
        "",
    ),
    (
        "physio@demo.test",
        12,
        Visibility.SHARED,
        "Sitting tolerance up to about an hour; morning pain gone on most days.",
        "Single-leg bridge on the right 15 reps. Isometrics comfortable at 70% effort.",
        "Responding well to loading.",
        "Progress to isotonic work: bridges with a longer lever and Romanian deadlifts with light weight.",
        "",
    ),
    (
        "physio@demo.test",
        3,
        Visibility.TEAM,
        "Pain rose to 6/10 after a long drive at the weekend.",
        "",
        "Likely a flare after prolonged compression; loading programme still appropriate.",
        "Hold the current level for a week; referred to nutrition for energy intake around training.",
        "",
    ),
]

REFERRAL_REASON = (
    "Training load is about to increase; please review energy and protein intake around sessions and the "
    "patient's weight goals before the return to running."
)
KINESIOLOGY_REASON = (
    "Running gait looks asymmetric on the affected side; please assess movement patterns before the "
    "return to hills."
)


def seed_demo_careteam() -> list[str]:
    """Create what is missing of the demo patient's care record; return what was created, in words."""
    patient = User.objects.get(email__iexact=DEMO_PATIENT["email"])
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.test")}
    created: list[str] = []
    today = clinic_today()

    for email, role in DEMO_TEAM:
        clinician = people[email]
        if not CareTeamMembership.objects.filter(patient=patient, clinician=clinician).exists():
            services.membership_add(
                patient=patient,
                clinician=clinician,
                role=role,
                by=None,
                active_from=today - datetime.timedelta(days=45),
            )
            created.append(f"team member {email}")

    now = timezone.now()
    for email, days_ago, visibility, subjective, objective, assessment, plan, body in DEMO_NOTES:
        author = people[email]
        if not Note.objects.filter(patient=patient, author=author, assessment=assessment).exists():
            services.note_create(
                patient=patient,
                author=author,
                visibility=visibility,
                subjective=subjective,
                objective=objective,
                assessment=assessment,
                plan=plan,
                body=body,
                written_at=now - datetime.timedelta(days=days_ago, hours=2),
            )
            created.append(f"note by {email}")

    if not Referral.objects.filter(patient=patient, discipline=Discipline.NUTRITION).exists():
        services.referral_create(
            patient=patient,
            referred_by=people["physio@demo.test"],
            discipline=Discipline.NUTRITION,
            to_clinician=people["nutrition@demo.test"],
            reason=REFERRAL_REASON,
            urgency=Urgency.ROUTINE,
        )
        created.append("referral to nutrition@demo.test")

    if not Referral.objects.filter(patient=patient, discipline=Discipline.KINESIOLOGY).exists():
        referral = services.referral_create(
            patient=patient,
            referred_by=people["chiro@demo.test"],
            discipline=Discipline.KINESIOLOGY,
            reason=KINESIOLOGY_REASON,
            urgency=Urgency.SOON,
        )
        services.referral_accept(referral=referral, clinician=people["kinesiology@demo.test"])
        created.append("referral to kinesiology, accepted and waiting for the lead")

    alert = services.alert_raise(
        patient=patient,
        kind=AlertKind.PAIN_OVER_THRESHOLD,
        severity=AlertSeverity.MEDIUM,
        trigger="Pain 6/10 the morning after Saturday's session, above the agreed limit of 3/10.",
        dedupe_key="demo-pain-over-threshold",
    )
    if alert is not None:
        created.append("alert")
    return created
