import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common import text_limits
from common.models import AppendOnlyModel
from rehab.outcomes import MAXIMUM, OutcomeKind
from rehab.pain_rules import Suggestion

SETS_RANGE = (1, 10)
REPS_RANGE = (1, 50)
HOLD_RANGE = (0, 300)
REST_RANGE = (0, 600)
TIMES_PER_DAY_RANGE = (1, 4)
PAIN_RANGE = (0, 10)
# A slot's session done again the same day is logged as an extra session, numbered from 1; a few at most, as
# each one adds load on the tendon (see `SessionLog.extra`).
EXTRA_SESSIONS_RANGE = (0, 3)
# The highest alert limit a plan may have: pain above 7/10 during or after loading is never acceptable, so no
# plan may wait longer than that before telling the patient to ease off and alerting the care team.
PAIN_ALERT_ABOVE_MAX = 7
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


DOSAGE_RANGES = {
    "sets": SETS_RANGE,
    "reps": REPS_RANGE,
    "hold_seconds": HOLD_RANGE,
    "rest_seconds": REST_RANGE,
    "times_per_day": TIMES_PER_DAY_RANGE,
}


def _bounded(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


def _score_between(
    name: str, low: int = 0, high: int = 10, *, nullable: bool = True
) -> models.CheckConstraint:
    bounded = Q(**{f"{name}__gte": low, f"{name}__lte": high})
    condition = (Q(**{f"{name}__isnull": True}) | bounded) if nullable else bounded
    return models.CheckConstraint(condition=condition, name=f"%(app_label)s_%(class)s_{name}_{low}_{high}")


def validate_days_of_week(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one day of the week.")
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in value) or len(set(value)) != len(value):
        raise ValidationError("Days of the week are numbers 0 (Monday) to 6 (Sunday), each at most once.")


class Stage(models.IntegerChoices):
    SETTLE = 1, "Stage 1: settle and protect"
    STRENGTH = 2, "Stage 2: build strength"
    LOAD = 3, "Stage 3: load in more hip flexion"
    RETURN = 4, "Stage 4: energy storage and return to running"


class HipFlexion(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Target(models.TextChoices):
    HAMSTRING = "hamstring", "Hamstring"
    GLUTE = "glute", "Glute"
    HIP_FLEXOR = "hip_flexor", "Hip flexor"
    CORE = "core", "Core"


class BodyPosition(models.TextChoices):
    """The position an exercise is done in, so a clinician can find exercises a patient can get into."""

    SUPINE = "supine", "Lying on the back"
    PRONE = "prone", "Lying face down"
    SIDE_LYING = "side_lying", "Side-lying"
    KNEELING = "kneeling", "Kneeling"
    SITTING = "sitting", "Sitting"
    STANDING = "standing", "Standing"
    MOVING = "moving", "Walking or running"


class Exercise(models.Model):
    """An exercise of the library, with its default dosage. Admins edit the library; plans copy the dosage."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    stages = models.JSONField(default=list, help_text="Loading stages it belongs to, e.g. [1, 2].")
    hip_flexion = models.CharField(
        "tendon compression (hip flexion)", max_length=8, choices=HipFlexion.choices, default=HipFlexion.LOW
    )
    target = models.CharField(max_length=16, choices=Target.choices)
    # Blank only for an admin's own exercise made before positions existed; the admin form asks for one.
    position = models.CharField("body position", max_length=16, choices=BodyPosition.choices, blank=True)
    equipment = models.CharField(max_length=120, blank=True)
    is_isometric = models.BooleanField(
        "isometric hold", default=False, help_text="Offered in the default flare-up set."
    )
    clinician_choice_only = models.BooleanField(
        "clinician's choice only",
        default=False,
        help_text="Never in a stage template; a clinician adds it to a plan by hand.",
    )
    summary = models.CharField(max_length=300)
    steps = models.TextField(
        max_length=text_limits.LONG_TEXT,
        validators=[MaxLengthValidator(text_limits.LONG_TEXT)],
        help_text="One step per line, in order.",
    )
    cautions = models.TextField(
        blank=True,
        max_length=text_limits.LONG_TEXT,
        validators=[MaxLengthValidator(text_limits.LONG_TEXT)],
        help_text="One caution per line.",
    )
    default_sets = models.PositiveSmallIntegerField(validators=_bounded(*SETS_RANGE))
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*REPS_RANGE))
    default_hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_bounded(*HOLD_RANGE)
    )
    default_rest_seconds = models.PositiveSmallIntegerField(default=60, validators=_bounded(*REST_RANGE))
    default_times_per_day = models.PositiveSmallIntegerField(
        default=1, validators=_bounded(*TIMES_PER_DAY_RANGE)
    )
    default_days_per_week = models.PositiveSmallIntegerField(default=7, validators=_bounded(1, 7))
    default_load_note = models.CharField(max_length=200, blank=True)
    illustration = models.CharField(max_length=200, blank=True, help_text="Path under static/.")
    illustration_alt = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            not isinstance(self.stages, list)
            or not self.stages
            or any(s not in Stage.values for s in self.stages)
        ):
            raise ValidationError({"stages": "List the stages as numbers from 1 to 4, e.g. [1, 2]."})
        if self.default_reps is None and self.default_hold_seconds is None:
            raise ValidationError("Give default repetitions, a hold time, or both.")
        if self.illustration and not self.illustration_alt:
            raise ValidationError({"illustration_alt": "An illustration needs alt text."})

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def caution_list(self) -> list[str]:
        return [line.strip() for line in self.cautions.splitlines() if line.strip()]


class PlanTemplate(models.Model):
    """The starting programme of one stage, edited by admins."""

    stage = models.PositiveSmallIntegerField(choices=Stage.choices, unique=True)
    name = models.CharField(max_length=120)
    summary_for_patient = models.TextField(
        max_length=text_limits.NOTE, validators=[MaxLengthValidator(text_limits.NOTE)]
    )
    criteria_for_clinician = models.TextField(
        max_length=text_limits.LONG_TEXT,
        validators=[MaxLengthValidator(text_limits.LONG_TEXT)],
        help_text="When to move on, one criterion per line.",
    )

    class Meta:
        ordering = ["stage"]

    def __str__(self) -> str:
        return self.name

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria_for_clinician.splitlines() if line.strip()]


class DosageFields(models.Model):
    """Sets, reps, hold, rest, load, times per day and days: the same bounds wherever a dosage is stored."""

    sets = models.PositiveSmallIntegerField(validators=_bounded(*SETS_RANGE))
    reps = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*REPS_RANGE))
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*HOLD_RANGE))
    rest_seconds = models.PositiveSmallIntegerField(default=60, validators=_bounded(*REST_RANGE))
    load = models.CharField(max_length=200, blank=True)
    times_per_day = models.PositiveSmallIntegerField(default=1, validators=_bounded(*TIMES_PER_DAY_RANGE))
    days_of_week = models.JSONField(default=list, validators=[validate_days_of_week])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        # The database's copy of the ranges above; reps and hold may be empty.
        constraints = [
            _score_between(name, low, high, nullable=name in ("reps", "hold_seconds"))
            for name, (low, high) in DOSAGE_RANGES.items()
        ]

    def clean(self) -> None:
        if self.reps is None and not self.hold_seconds:
            raise ValidationError("Give repetitions, a hold time, or both.")

    @property
    def days_label(self) -> str:
        days = sorted(self.days_of_week or [])
        if days == EVERY_DAY:
            return "every day"
        return ", ".join(WEEKDAYS[day][:3] for day in days)


class PlanTemplateItem(DosageFields):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")

    class Meta(DosageFields.Meta):
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return f"{self.template}: {self.exercise}"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"


PAIN_ALERT_TOO_HIGH = (
    f"The alert limit can be at most {PAIN_ALERT_ABOVE_MAX}/10: pain above that is too much in any plan, so "
    "the patient is always told to ease off by then."
)
PAIN_LIMITS_OUT_OF_ORDER = (
    f"The alert limit must be above the safe limit (and at most {PAIN_ALERT_ABOVE_MAX}), for example safe up "
    "to 3 and alert above 5."
)


class RehabPlan(models.Model):
    """A patient's own programme. Every change goes through `services.plans.plan_revising` (a revision)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rehab_plans"
    )
    condition = models.ForeignKey("conditions.Condition", on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    goals = models.TextField(
        blank=True, max_length=text_limits.NOTE, validators=[MaxLengthValidator(text_limits.NOTE)]
    )
    start_date = models.DateField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    lead_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_rehab_plans"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every revision; an edit made against an older version is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    pain_safe_max = models.PositiveSmallIntegerField(
        "safe pain, up to",
        default=3,
        validators=_bounded(PAIN_RANGE[0], PAIN_ALERT_ABOVE_MAX - 1),
        help_text="Pain during or after exercise up to this score is in the safe zone (below the alert).",
    )
    pain_alert_above = models.PositiveSmallIntegerField(
        "alert when pain is above",
        default=5,
        validators=_bounded(PAIN_RANGE[0] + 1, PAIN_ALERT_ABOVE_MAX),
        help_text=f"Pain above this score tells the patient to ease off and alerts the care team "
        f"(at most {PAIN_ALERT_ABOVE_MAX}).",
    )
    load_test_rise_alert = models.PositiveSmallIntegerField(
        "alert when the load test rises by",
        default=2,
        validators=_bounded(1, 10),
        help_text="A rise of this many points in the morning bridge test since the check-in before.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="active"), name="rehab_one_active_plan_per_patient"
            ),
            models.CheckConstraint(
                condition=Q(pain_safe_max__lt=models.F("pain_alert_above")),
                name="rehab_plan_pain_limits_in_order",
            ),
            models.CheckConstraint(
                condition=Q(pain_alert_above__lte=PAIN_ALERT_ABOVE_MAX),
                name="rehab_plan_pain_alert_above_at_most_7",
            ),
            models.CheckConstraint(
                condition=Q(load_test_rise_alert__gte=1, load_test_rise_alert__lte=10),
                name="rehab_plan_load_test_rise_1_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} plan for {self.patient}"

    def clean(self) -> None:
        if self.pain_alert_above is not None and self.pain_alert_above > PAIN_ALERT_ABOVE_MAX:
            raise ValidationError({"pain_alert_above": PAIN_ALERT_TOO_HIGH})
        if (
            self.pain_safe_max is not None
            and self.pain_alert_above is not None
            and self.pain_safe_max >= self.pain_alert_above
        ):
            raise ValidationError({"pain_alert_above": PAIN_LIMITS_OUT_OF_ORDER})

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE


class Prescription(DosageFields):
    plan = models.ForeignKey(RehabPlan, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note_to_patient = models.CharField(max_length=500, blank=True)
    in_flare_up_set = models.BooleanField(
        "in the flare-up set",
        default=False,
        help_text="Done during a flare-up. When no exercise is ticked, the plan's isometric ones are used.",
    )

    class Meta(DosageFields.Meta):
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.dosage_label})"

    @property
    def dosage_label(self) -> str:
        return dosage_label(self.sets, self.reps, self.hold_seconds)


def dosage_label(sets: int, reps: int | None, hold_seconds: int | None) -> str:
    """'3 × 12', '5 × 45 s hold' or '3 × 10 with a 3 s hold'."""
    if reps and hold_seconds:
        return f"{sets} × {reps} with a {hold_seconds} s hold"
    if hold_seconds:
        return f"{sets} × {hold_seconds} s hold"
    return f"{sets} × {reps}"


class PlanRevision(AppendOnlyModel):
    """A full snapshot of a plan after one save, with who saved it and why. Never changed or deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    summary = models.CharField(max_length=500, help_text="What changed since the revision before, in short.")
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="rehab_revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.plan}"


class SessionLog(models.Model):
    """One session of a day as the patient did it: the exercises ticked, then how it went.

    `date` is the patient's local date and `slot` the session's index in the plan's day (see `schedule`). The
    pain and effort scores are empty until the patient rates the session; the pain rules then give the
    suggestion stored with it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="sessions")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(help_text="The patient's local date.")
    slot = models.PositiveSmallIntegerField(validators=_bounded(0, 3))
    slot_name = models.CharField(max_length=12)
    extra = models.PositiveSmallIntegerField(
        default=0,
        validators=_bounded(*EXTRA_SESSIONS_RANGE),
        help_text="0 for the slot's planned session; 1, 2, … for the extra sessions the patient did again.",
    )
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*PAIN_RANGE))
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*PAIN_RANGE))
    effort = models.PositiveSmallIntegerField(null=True, blank=True, validators=_bounded(*PAIN_RANGE))
    note = models.CharField(max_length=1000, blank=True)
    logged_at = models.DateTimeField(default=timezone.now)
    rated_at = models.DateTimeField(null=True, blank=True)
    in_flare_up = models.BooleanField(default=False)
    suggestion = models.CharField(max_length=10, choices=Suggestion.choices, blank=True)
    rule = models.CharField(max_length=40, blank=True, help_text="The pain rule that gave the suggestion.")

    class Meta:
        ordering = ["-date", "-slot", "-extra"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date", "slot", "extra"], name="rehab_session_once_per_slot_and_extra"
            ),
            _score_between("extra", *EXTRA_SESSIONS_RANGE, nullable=False),
            _score_between("pain_during"),
            _score_between("pain_after"),
            _score_between("effort"),
            _score_between("slot", 0, 3, nullable=False),
            models.CheckConstraint(
                condition=Q(rated_at__isnull=True)
                | Q(pain_during__isnull=False, pain_after__isnull=False, effort__isnull=False),
                name="rehab_session_rated_has_scores",
            ),
        ]
        indexes = [models.Index(fields=["patient", "date"], name="rehab_session_patient_date")]

    def __str__(self) -> str:
        return f"{self.title} of {self.date} ({self.patient})"

    @property
    def is_extra(self) -> bool:
        return self.extra > 0

    @property
    def title(self) -> str:
        """'Morning session', or 'Extra morning session' for one done again ('Extra session' on a day of one
        session, whose slot is named 'Today')."""
        if not self.is_extra:
            return f"{self.slot_name} session"
        return "Extra session" if self.slot_name == "Today" else f"Extra {self.slot_name.lower()} session"

    @property
    def is_rated(self) -> bool:
        return self.rated_at is not None

    @property
    def worst_pain(self) -> int | None:
        scores = [score for score in (self.pain_during, self.pain_after) if score is not None]
        return max(scores) if scores else None


class ExerciseDone(models.Model):
    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercises_done")
    prescription = models.ForeignKey(Prescription, on_delete=models.SET_NULL, null=True, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets_done = models.PositiveSmallIntegerField(validators=_bounded(0, SETS_RANGE[1]))
    sets_prescribed = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "prescription"], name="rehab_exercise_done_once"),
            _score_between("sets_done", 0, SETS_RANGE[1], nullable=False),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.sets_done} of {self.sets_prescribed} sets"


class MorningCheckIn(models.Model):
    """The 24-hour response: pain on waking and pain during three single-leg bridges, once a morning."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="check_ins")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(help_text="The patient's local date.")
    pain_on_waking = models.PositiveSmallIntegerField(validators=_bounded(*PAIN_RANGE))
    load_test_pain = models.PositiveSmallIntegerField(
        "pain during three single-leg bridges", validators=_bounded(*PAIN_RANGE)
    )
    created_at = models.DateTimeField(default=timezone.now)
    suggestion = models.CharField(max_length=10, choices=Suggestion.choices, blank=True)
    rule = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "morning check-in"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="rehab_check_in_once_a_day"),
            _score_between("pain_on_waking", nullable=False),
            _score_between("load_test_pain", nullable=False),
        ]
        indexes = [models.Index(fields=["patient", "date"], name="rehab_check_in_patient_date")]

    def __str__(self) -> str:
        return f"Check-in of {self.date} ({self.patient})"


class FlareUp(models.Model):
    """Flare-up mode: started by the patient in one tap, ended by a clinician with a note."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="flare_ups")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(
        blank=True,
        max_length=text_limits.NOTE,
        validators=[MaxLengthValidator(text_limits.NOTE)],
        help_text="The clinician's note on ending flare-up mode.",
    )

    class Meta:
        verbose_name = "flare-up"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(ended_at__isnull=True), name="rehab_one_open_flare_up_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="rehab_flare_up_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Flare-up of {self.plan.patient} from {self.started_at:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class OutcomeMeasure(models.Model):
    """A VISA-H, PSFS or pain rating the patient filled in, with its score and the answers behind it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcome_measures"
    )
    plan = models.ForeignKey(
        RehabPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="outcome_measures"
    )
    kind = models.CharField(max_length=12, choices=OutcomeKind.choices)
    taken_on = models.DateField(help_text="The patient's local date.")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    answers = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutcomeKind.values), name="rehab_outcome_kind_valid"),
            models.CheckConstraint(
                condition=Q(score__gte=0)
                & (Q(kind="visa_h", score__lte=100) | (~Q(kind="visa_h") & Q(score__lte=10))),
                name="rehab_outcome_score_in_range",
            ),
            models.UniqueConstraint(
                fields=["patient", "kind", "taken_on"], name="rehab_outcome_once_a_day_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score} of {self.patient} on {self.taken_on}"

    @property
    def maximum(self) -> int:
        return MAXIMUM[OutcomeKind(self.kind)]
