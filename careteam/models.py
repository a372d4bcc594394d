"""Care teams, clinical notes, referrals and alerts: the shared record of each patient.

Notes and addenda are append-only: saving an existing one or deleting one raises `AppendOnlyError`, and so do
`update()` and `delete()` on their querysets. A correction is an addendum with a reason.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Discipline, User
from common import text_limits
from common.clinic_time import clinic_today
from common.models import AppendOnlyModel

# Length limits of the free-text fields, checked by the model (validators) and the forms (max_length). Note
# and addendum bodies are rendered as Markdown, so they take the renderer's tested limit.
NOTE_TEXT_MAX = text_limits.MARKDOWN_MAX
REASON_MAX = text_limits.NOTE
TRIGGER_MAX = 4_000  # written by the services that raise alerts, never typed by a person


def _limited_text(limit: int, verbose_name: str | None = None, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead clinician"
    MEMBER = "member", "Member"


class CareTeamMembershipQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "CareTeamMembershipQuerySet":
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)

    def active(self) -> "CareTeamMembershipQuerySet":
        """Active on the clinic's today: never on a day moved by the zone the user chose."""
        return self.active_on(clinic_today())

    def holding_a_place(self) -> "CareTeamMembershipQuerySet":
        """Memberships that were ever meant to run: not those withdrawn before they began (which end the
        day before their first day)."""
        return self.exclude(active_to__lt=F("active_from"))

    def running_on_or_after(self, day: datetime.date) -> "CareTeamMembershipQuerySet":
        """Holding a place on `day` or later: current or future."""
        return self.holding_a_place().filter(Q(active_to__isnull=True) | Q(active_to__gte=day))


class CareTeamMembership(models.Model):
    """A clinician on a patient's care team, from `active_from` to `active_to` (both days included)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="care_memberships")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="care_team_memberships")
    discipline = models.CharField(max_length=16, choices=Discipline.choices)
    role = models.CharField(max_length=8, choices=TeamRole.choices, default=TeamRole.MEMBER)
    active_from = models.DateField(default=clinic_today)
    active_to = models.DateField("last day", null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareTeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "active_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(role="lead", active_to__isnull=True),
                name="careteam_one_open_lead_per_patient",
                violation_error_message="This patient already has a lead clinician.",
            ),
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(active_to__isnull=True),
                name="careteam_one_open_membership_per_clinician",
                violation_error_message="This clinician is already on the patient's team.",
            ),
            # A membership ended before its first day (withdrawn) ends the day before it starts.
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_to__gte=models.F("active_from"))
                | Q(ended_at__isnull=False),
                name="careteam_membership_ends_after_it_starts",
                violation_error_message="The last day cannot be before the first day.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values), name="careteam_membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(discipline__in=Discipline.values), name="careteam_membership_discipline_valid"
            ),
        ]
        indexes = [models.Index(fields=["clinician", "patient"], name="careteam_membership_clin_pat")]

    def __str__(self) -> str:
        return f"{self.clinician} on the team of {self.patient} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == TeamRole.LEAD

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(clinic_today())


class Visibility(models.TextChoices):
    TEAM = "team", "Care team only"
    SHARED = "shared", "Shared with the patient"


class Note(AppendOnlyModel):
    """A clinical note in SOAP form plus free text. Never changed after it is written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="clinical_notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="notes_written")
    author_discipline = models.CharField(
        max_length=16, choices=Discipline.choices, help_text="The author's discipline when they wrote it."
    )
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.TEAM)
    subjective = _limited_text(NOTE_TEXT_MAX, blank=True, help_text="What the patient reports.")
    objective = _limited_text(NOTE_TEXT_MAX, blank=True, help_text="What you observed and measured.")
    assessment = _limited_text(NOTE_TEXT_MAX, blank=True, help_text="Your clinical reasoning.")
    plan = _limited_text(NOTE_TEXT_MAX, blank=True, help_text="What happens next.")
    body = _limited_text(
        NOTE_TEXT_MAX, "free text", blank=True, help_text="Anything else. Markdown is allowed."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="careteam_note_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(author_discipline__in=Discipline.values), name="careteam_note_discipline_valid"
            ),
        ]
        indexes = [models.Index(fields=["patient", "-created_at"], name="careteam_note_patient_at")]

    def __str__(self) -> str:
        return f"{self.get_author_discipline_display()} note on {self.patient} by {self.author}"

    def clean(self) -> None:
        super().clean()
        if not any(
            (text or "").strip()
            for text in (self.subjective, self.objective, self.assessment, self.plan, self.body)
        ):
            raise ValidationError("Write at least one of the SOAP fields or the free text.")

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED

    @property
    def soap_sections(self) -> list[tuple[str, str]]:
        sections = [
            ("Subjective", self.subjective),
            ("Objective", self.objective),
            ("Assessment", self.assessment),
            ("Plan", self.plan),
        ]
        return [(label, text) for label, text in sections if text.strip()]


class NoteAddendum(AppendOnlyModel):
    """A correction or addition to a note, with the reason for it. Shown under the note."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="addenda_written")
    author_discipline = models.CharField(max_length=16, choices=Discipline.choices)
    reason = models.CharField(max_length=300)
    body = _limited_text(NOTE_TEXT_MAX, help_text="Markdown is allowed.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "note addendum"
        verbose_name_plural = "note addenda"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Addendum by {self.author} to {self.note}"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (within two weeks)"
    URGENT = "urgent", "Urgent (within two days)"


class ReferralStatus(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_LEAD = "awaiting_lead", "Accepted, waiting for the lead's confirmation"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class Referral(models.Model):
    """A referral of a patient to a named clinician (the normal case) or to a discipline.

    open -> accepted -> completed, or open -> declined. A named clinician who accepts joins the care team. An
    acceptance the team has not vouched for (a referral to a discipline only, or a clinician who was on this
    team before and was taken off it) waits for the lead: open -> awaiting_lead -> accepted (the lead confirms
    and the clinician joins) or declined (the lead declines, with the reason). `responded_by` is the clinician
    who accepted or declined; `reviewed_by` is the lead (or admin) who confirmed or declined an acceptance.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="referrals_made")
    discipline = models.CharField("refer to", max_length=16, choices=Discipline.choices)
    to_clinician = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        null=True,
        blank=True,
        verbose_name="named clinician",
    )
    reason = _limited_text(REASON_MAX)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    responded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = _limited_text(REASON_MAX, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="careteam_referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="careteam_referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(discipline__in=Discipline.values), name="careteam_referral_discipline_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="careteam_referral_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="awaiting_lead") | Q(responded_by__isnull=False),
                name="careteam_referral_awaiting_lead_has_clinician",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.patient} to {self.get_discipline_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ReferralStatus.OPEN

    @property
    def is_awaiting_lead(self) -> bool:
        return self.status == ReferralStatus.AWAITING_LEAD

    @property
    def is_named(self) -> bool:
        return self.to_clinician_id is not None


class AlertKind(models.TextChoices):
    RED_FLAG = "red_flag", "Red flag"
    PAIN_OVER_THRESHOLD = "pain_over_threshold", "Pain over threshold"
    PAIN_RISING = "pain_rising", "Pain rising"
    MISSED_SESSIONS = "missed_sessions", "Missed sessions"
    FLARE_UP = "flare_up", "Flare-up"
    PAIN_TREND = "pain_trend", "Pain creeping up"
    SCORE_FALLING = "score_falling", "Questionnaire score falling"
    MISSED_CHECK_INS = "missed_check_ins", "Missed next-morning check-ins"
    # Raised by the reminders pipeline when a message to the patient failed for good (a bounced email).
    REMINDER_UNDELIVERED = "reminder_undelivered", "Reminder could not be delivered"
    # Raised when a patient asks to close their account, so the team knows before an admin completes it.
    ACCOUNT_CLOSURE = "account_closure", "Account closure requested"


class AlertSeverity(models.TextChoices):
    """Ordered from least to most severe; `SEVERITY_RANK` gives the order to sort by."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    EMERGENCY = "emergency", "Emergency"


SEVERITY_RANK = {
    AlertSeverity.LOW: 1,
    AlertSeverity.MEDIUM: 2,
    AlertSeverity.HIGH: 3,
    AlertSeverity.EMERGENCY: 4,
}


class Alert(models.Model):
    """Something a clinician on the patient's team must look at. Open until someone acknowledges it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    trigger = _limited_text(TRIGGER_MAX, "what triggered it")
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="When set, an alert with the same patient, kind and key is raised once.",
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledge_comment = _limited_text(REASON_MAX, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="careteam_alert_raised_once_per_key",
            ),
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="careteam_alert_kind_valid"),
            models.CheckConstraint(
                condition=Q(severity__in=AlertSeverity.values), name="careteam_alert_severity_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient", "raised_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="careteam_alert_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.get_kind_display().lower()} alert for {self.patient}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
