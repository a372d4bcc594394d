import datetime

import factory
from django.utils import timezone

from accounts.models import ClinicianProfile, Discipline, PatientProfile, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PATIENT
    password = factory.django.Password(TEST_PASSWORD)


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = datetime.date(1985, 6, 1)
    affected_side = "left"
    onset_date = datetime.date(2026, 3, 1)
    sport_or_occupation = "Runner"
    goals = "Run 10 km without pain"


class ClinicianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicianProfile

    user = factory.SubFactory(UserFactory, role=Role.CLINICIAN)
    discipline = Discipline.PHYSIOTHERAPY
    registration_number = factory.Sequence(lambda n: f"PH{n:06d}")


class PatientFactory(UserFactory):
    """A patient user with their profile."""

    role = Role.PATIENT
    profile = factory.RelatedFactory(PatientProfileFactory, factory_related_name="user")


class ClinicianFactory(UserFactory):
    """A clinician user with their profile; choose the discipline with profile__discipline=..."""

    role = Role.CLINICIAN
    profile = factory.RelatedFactory(ClinicianProfileFactory, factory_related_name="user")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conditions.Condition"

    name = factory.Sequence(lambda n: f"Test condition {n}")
    slug = factory.Sequence(lambda n: f"test-condition-{n}")
    aliases = "another name"
    summary = "A short summary of the condition."
    published = True
    content_date = datetime.date(2026, 1, 15)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conditions.Section"

    condition = factory.SubFactory(ConditionFactory)
    order = factory.Sequence(lambda n: n)
    kind = "overview"
    title = "Overview"
    body = "Some **Markdown** text."


class RedFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conditions.RedFlag"

    condition = factory.SubFactory(ConditionFactory)
    sign = "Sudden severe pain"
    action = "Get assessed promptly."


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conditions.FAQ"

    condition = factory.SubFactory(ConditionFactory)
    order = factory.Sequence(lambda n: n)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conditions.Reference"

    condition = factory.SubFactory(ConditionFactory)
    order = factory.Sequence(lambda n: n)
    citation = factory.Sequence(lambda n: f"Author {n}. Journal 2020.")
    doi = factory.Sequence(lambda n: f"10.1000/test.{n}")


def _days_ago(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


class CareTeamMembershipFactory(factory.django.DjangoModelFactory):
    """A clinician on a patient's team since 30 days ago; pass active_to=... for an ended membership."""

    class Meta:
        model = "careteam.CareTeamMembership"

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(ClinicianFactory)
    discipline = factory.LazyAttribute(lambda m: m.clinician.clinician_profile.discipline)
    role = "member"
    active_from = factory.LazyFunction(lambda: _days_ago(30))


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careteam.Note"

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(ClinicianFactory)
    author_discipline = factory.LazyAttribute(lambda n: n.author.clinician_profile.discipline)
    visibility = "team"
    subjective = "Buttock pain when sitting."
    assessment = "Loading is tolerated."
    body = "Free text with **Markdown**."


class NoteAddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careteam.NoteAddendum"

    note = factory.SubFactory(NoteFactory)
    author = factory.LazyAttribute(lambda a: a.note.author)
    author_discipline = factory.LazyAttribute(lambda a: a.author.clinician_profile.discipline)
    reason = "Corrects the side"
    body = "The right side, not the left."


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careteam.Referral"

    patient = factory.SubFactory(PatientFactory)
    referred_by = factory.SubFactory(ClinicianFactory)
    discipline = "nutrition"
    reason = "Energy intake around training."
    urgency = "routine"


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careteam.Alert"

    patient = factory.SubFactory(PatientFactory)
    kind = "pain_over_threshold"
    severity = "medium"
    trigger = "Pain 6/10 the morning after a session."


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.Exercise"

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    stages = [1]
    target = "hamstring"
    position = "supine"
    summary = "What it is for."
    steps = "Lie down.\nLift.\nLower."
    default_sets = 3
    default_reps = 10


class PlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.PlanTemplate"
        django_get_or_create = ("stage",)

    stage = 1
    name = factory.LazyAttribute(lambda template: f"Stage {template.stage}")
    summary_for_patient = "Settle the pain."
    criteria_for_clinician = "Pain 3/10 or less for two weeks"


class PlanTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.PlanTemplateItem"

    template = factory.SubFactory(PlanTemplateFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    sets = 3
    reps = 10
    days_of_week = [0, 1, 2, 3, 4, 5, 6]
    order = factory.Sequence(lambda n: n)


class SessionLogFactory(factory.django.DjangoModelFactory):
    """A rated session of a plan's patient, written directly (services.session_log checks the clock)."""

    class Meta:
        model = "rehab.SessionLog"

    plan = None  # pass plan=...
    patient = factory.LazyAttribute(lambda s: s.plan.patient)
    date = factory.LazyFunction(lambda: _days_ago(1))
    slot = 0
    slot_name = "Today"
    pain_during = 2
    pain_after = 2
    effort = 5
    rated_at = factory.LazyFunction(timezone.now)
    suggestion = "progress"
    rule = "session-safe"


class MorningCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.MorningCheckIn"

    plan = None  # pass plan=...
    patient = factory.LazyAttribute(lambda c: c.plan.patient)
    date = factory.LazyFunction(lambda: _days_ago(0))
    pain_on_waking = 1
    load_test_pain = 1
    suggestion = "progress"
    rule = "morning-settled"


class OutcomeMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.OutcomeMeasure"

    patient = factory.SubFactory(PatientFactory)
    kind = "visa_h"
    taken_on = factory.LazyFunction(lambda: _days_ago(0))
    score = 50
    answers = factory.LazyFunction(dict)


class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    """A person's reminder choices with the model's defaults (in-app and email, every kind on)."""

    class Meta:
        model = "reminders.ReminderSettings"
        django_get_or_create = ("user",)

    user = factory.SubFactory(PatientFactory)


class ReminderTimeFactory(factory.django.DjangoModelFactory):
    """An exercise reminder at 08:00 local every day; pass time=... and weekdays=[...] for others."""

    class Meta:
        model = "reminders.ReminderTime"

    user = factory.SubFactory(PatientFactory)
    time = datetime.time(8, 0)
    weekdays = factory.LazyFunction(lambda: [0, 1, 2, 3, 4, 5, 6])
    # Set long before the moments the tests dispatch at: a time is not due before it existed.
    created_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A pending in-app exercise reminder due now; its source is unique per row."""

    class Meta:
        model = "reminders.Delivery"

    recipient = factory.SubFactory(PatientFactory)
    kind = "exercise"
    source = factory.Sequence(lambda n: f"test:{n}")
    occurrence = factory.LazyFunction(timezone.now)
    channel = "in_app"
    status = "pending"
