import datetime
import functools
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from common import text_limits
from common.models import AppendOnlyModel


@functools.cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London.")


def default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    ADMIN = "admin", "Administrator"


class Discipline(models.TextChoices):
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    CHIROPRACTIC = "chiropractic", "Chiropractic"
    MASSAGE = "massage", "Massage therapy"
    KINESIOLOGY = "kinesiology", "Kinesiology"
    NUTRITION = "nutrition", "Nutrition"
    PSYCHOTHERAPY = "psychotherapy", "Psychotherapy and coaching"


EMAIL_MAX_LENGTH = 254  # the longest address SMTP allows


def sign_in_address(value: object) -> str:
    """An email address as sign-in compares it: trimmed and lower-cased by Python, as addresses are stored."""
    return str(value).strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        """Sign-in ignores the case of the email address, as people type it either way. Addresses are stored
        lower-cased by Python (`User.clean`), and the typed one is matched the same way, exactly: the
        database's own case folding (UPPER() on PostgreSQL) maps spellings such as a dotless "ı" onto "i",
        which would let one account be guessed at under addresses the lockout counts apart."""
        return self.get(email=sign_in_address(username or ""))

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(role=Role.ADMIN, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. The role decides which parts of the portal they see."""

    email = models.EmailField("email address", max_length=EMAIL_MAX_LENGTH, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Reminders and dates are shown in this time zone.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Kept by accounts.signals from the person's confirmed authenticators, so that the check every page makes
    # for a patient (two_factor.two_factor_required) reads the row already loaded instead of a query.
    has_authenticator = models.BooleanField(default=False, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique_ci"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_staff(self) -> bool:
        """Only admins may open Django's admin site."""
        return self.role == Role.ADMIN

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def profile(self) -> "PatientProfile | ClinicianProfile | None":
        """The profile that goes with the role: a patient's or a clinician's; admins have none."""
        if self.is_patient:
            return getattr(self, "patient_profile", None)
        if self.is_clinician:
            return getattr(self, "clinician_profile", None)
        return None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self) -> datetime.date:
        """Today's date where this person is, by the time zone they chose."""
        return timezone.localtime(timezone=self.zone).date()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class AffectedSide(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


GOALS_MAX_LENGTH = text_limits.NOTE


class PatientProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient_profile")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    affected_side = models.CharField(max_length=8, choices=AffectedSide.choices, blank=True)
    onset_date = models.DateField("symptoms began", null=True, blank=True)
    sport_or_occupation = models.CharField(max_length=200, blank=True)
    goals = models.TextField(
        blank=True,
        max_length=GOALS_MAX_LENGTH,
        validators=[MaxLengthValidator(GOALS_MAX_LENGTH)],
        help_text="What the patient wants to get back to, in their words.",
    )
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an admin completed the patient's request to close the account. The records are kept.",
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"Patient profile of {self.user}"

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        if self.onset_date and self.onset_date > today:
            errors["onset_date"] = "Symptoms cannot begin in the future."
        if self.onset_date and self.date_of_birth and self.onset_date < self.date_of_birth:
            errors["onset_date"] = "Symptoms cannot begin before the date of birth."
        if errors:
            raise ValidationError(errors)


class ClinicianProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="clinician_profile")
    discipline = models.CharField(max_length=16, choices=Discipline.choices)
    registration_number = models.CharField(
        "professional registration number",
        max_length=50,
        blank=True,
        help_text="For example the HCPC number of a physiotherapist.",
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discipline__in=Discipline.values),
                name="accounts_clinician_discipline_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_discipline_display()})"


USER_AGENT_MAX_LENGTH = 300
CLOSURE_REASON_MAX_LENGTH = text_limits.SHORT_TEXT


class AuditEvent(AppendOnlyModel):
    """One write of a patient's record, one read of it by staff, or one security event (a sign-in, a failed
    one, a lockout, a second-factor check): who, what, which patient, when and from where. Rows are only ever
    added; the foreign keys protect them from disappearing with a deleted account. The actor is empty only for
    a sign-in attempt on an address that has no account; `detail` then keeps what was typed."""

    # No index of their own: the two indexes in Meta begin with them, and each index is written on every
    # view a member of staff makes.
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events", db_index=False
    )
    action = models.CharField(max_length=64)
    detail = models.CharField(max_length=300, blank=True)
    patient = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events_as_patient",
        db_index=False,
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="accounts_audit_patient_at"),
            models.Index(fields=["actor", "-at"], name="accounts_audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.patient or ''} at {self.at:%Y-%m-%d %H:%M}"


class AccountClosureRequest(models.Model):
    """A patient's request to close their account. Sign-in stopped when it was made; an admin completes it.

    Closing keeps the health records (the law requires the clinic to keep them for years) and marks them
    closed: `completed_at` here and `PatientProfile.closed_at`. A patient has at most one open request.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="closure_requests")
    reason = models.CharField(
        max_length=CLOSURE_REASON_MAX_LENGTH, blank=True, help_text="Why, if the patient chose to say."
    )
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="closures_completed"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(completed_at__isnull=True),
                name="accounts_one_open_closure_per_patient",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True, completed_by__isnull=True)
                | models.Q(completed_at__isnull=False, completed_by__isnull=False),
                name="accounts_closure_completed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure of the account of {self.patient} requested {self.requested_at:%Y-%m-%d}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
