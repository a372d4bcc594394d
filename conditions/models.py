import uuid

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from common import text_limits
from conditions.red_flags import Urgency


class Condition(models.Model):
    """A patient article about one condition, written and kept up to date by admins."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The article's address: /conditions/<slug>/."
    )
    aliases = models.TextField(
        blank=True,
        max_length=text_limits.NOTE,
        validators=[MaxLengthValidator(text_limits.NOTE)],
        help_text="Other names people search for, one a line (for example “high hamstring”).",
    )
    summary = models.TextField(
        max_length=text_limits.NOTE,
        validators=[MaxLengthValidator(text_limits.NOTE)],
        help_text="One plain paragraph shown in the list and at the top of the article.",
    )
    illustration_path = models.CharField(
        max_length=200,
        blank=True,
        help_text="A file under static/, for example conditions/img/hamstring-anatomy.svg.",
    )
    illustration_alt = models.TextField(
        "illustration text alternative",
        blank=True,
        max_length=text_limits.SHORT_TEXT,
        validators=[MaxLengthValidator(text_limits.SHORT_TEXT)],
        help_text="What the illustration shows, for screen readers.",
    )
    published = models.BooleanField(
        default=False, help_text="Only published articles are shown to the public."
    )
    content_date = models.DateField(
        "text dated",
        null=True,
        blank=True,
        help_text="When the shipped text was last written or checked against the clinical digest.",
    )
    # Set together, and only by `condition_mark_reviewed`: a review date without a clinician behind it
    # would tell readers the article was checked when nobody did.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"role__in": ["clinician", "admin"]},
    )
    last_reviewed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_reviewed__isnull=True, reviewed_by__isnull=True)
                | models.Q(last_reviewed__isnull=False, reviewed_by__isnull=False),
                name="conditions_condition_review_has_reviewer_and_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("conditions:detail", kwargs={"slug": self.slug})

    @property
    def is_reviewed(self) -> bool:
        """Reviewed by a clinician, so the article may say who checked it and when."""
        return self.last_reviewed is not None and self.reviewed_by_id is not None

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.illustration_path:
            if not finders.find(self.illustration_path):
                errors["illustration_path"] = f"There is no static file {self.illustration_path!r}."
            if not self.illustration_alt.strip():
                errors["illustration_alt"] = "Describe the illustration for people who cannot see it."
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "The review date cannot be in the future."
        if (self.last_reviewed is None) != (self.reviewed_by_id is None):
            errors["last_reviewed"] = "A review needs both the clinician who reviewed it and the date."
        if errors:
            raise ValidationError(errors)


class SectionKind(models.TextChoices):
    OVERVIEW = "overview", "Overview"
    ANATOMY = "anatomy", "Anatomy"
    TENDON = "tendon", "What happens in the tendon"
    SYMPTOMS = "symptoms", "Symptoms"
    SEVERITY = "severity", "Severity and expected recovery"
    CAUSES = "causes", "Causes and risk factors"
    ASSESSMENT = "assessment", "How it is assessed"
    TREATMENT = "treatment", "Treatment and self-management"
    PHASES = "phases", "Rehab phases"
    CARE_TEAM = "care_team", "The care team"
    PREVENTION = "prevention", "Prevention"
    DIFFERENCES = "differences", "How it differs from hamstring tendinopathy"
    WHEN_TO_SEE = "when_to_see", "When to see a clinician"


class Section(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(
        max_length=text_limits.ARTICLE_SECTION,
        validators=[MaxLengthValidator(text_limits.ARTICLE_SECTION)],
        help_text="Markdown. Tables, lists and ### sub-headings work; raw HTML is removed.",
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["condition", "kind"], name="conditions_section_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SectionKind.values), name="conditions_section_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return self.kind.replace("_", "-")


class RedFlag(models.Model):
    """A sign that points away from the condition, and what to do about it."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="red_flags")
    order = models.PositiveSmallIntegerField(default=0)
    sign = models.TextField(
        max_length=text_limits.SHORT_TEXT, validators=[MaxLengthValidator(text_limits.SHORT_TEXT)]
    )
    action = models.TextField(
        "what to do",
        max_length=text_limits.SHORT_TEXT,
        validators=[MaxLengthValidator(text_limits.SHORT_TEXT)],
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.sign


class RelatedCondition(models.Model):
    from_condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="related")
    to_condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    difference = models.TextField(
        max_length=text_limits.SHORT_TEXT,
        validators=[MaxLengthValidator(text_limits.SHORT_TEXT)],
        help_text="How it differs, in a sentence or two.",
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_condition", "to_condition"], name="conditions_related_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_condition=models.F("to_condition")),
                name="conditions_related_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_condition} → {self.to_condition}"


class FAQ(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=300)
    answer = models.TextField(
        max_length=text_limits.LONG_TEXT,
        validators=[MaxLengthValidator(text_limits.LONG_TEXT)],
        help_text="Markdown.",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question


class Reference(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(default=0)
    citation = models.TextField(
        max_length=text_limits.SHORT_TEXT, validators=[MaxLengthValidator(text_limits.SHORT_TEXT)]
    )
    doi = models.CharField(
        "DOI", max_length=200, blank=True, help_text="Only the DOI itself, for example 10.1136/bmj.b296."
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.citation

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def clean(self) -> None:
        super().clean()
        self.doi = self.doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if self.doi and (
            not self.doi.startswith("10.") or "/" not in self.doi or any(c.isspace() for c in self.doi)
        ):
            raise ValidationError({"doi": "A DOI starts with 10. and has a slash, such as 10.1136/bmj.b296."})


class ResultKind(models.TextChoices):
    """What a self-check told the patient: how urgently to get assessed for a red flag, to get assessed
    because the pain is not typical of tendinopathy (no grade named), or how severe their pain looks."""

    RED_FLAGS = "red_flags", "Get assessed promptly"
    ASSESS = "assess", "Get assessed (no grade named)"
    SEVERITY = "severity", "Severity estimate"


class SymptomSeverity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class SymptomCheck(models.Model):
    """A patient's answers to the hamstring self-check and the result they were shown."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="symptom_checks",
        limit_choices_to={"role": "patient"},
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answers = models.JSONField()
    result_kind = models.CharField(max_length=16, choices=ResultKind.choices)
    red_flags = models.JSONField(default=list, blank=True, help_text="Codes of the red flags answered yes.")
    has_red_flags = models.BooleanField(default=False)
    severity = models.CharField(max_length=10, choices=SymptomSeverity.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(result_kind=ResultKind.RED_FLAGS, has_red_flags=True, severity="")
                    | models.Q(result_kind=ResultKind.ASSESS, has_red_flags=False, severity="")
                    | models.Q(
                        result_kind=ResultKind.SEVERITY,
                        has_red_flags=False,
                        severity__in=SymptomSeverity.values,
                    )
                ),
                name="conditions_symptomcheck_result_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"Self-check of {self.patient} on {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("conditions:check_result", kwargs={"public_id": self.public_id})


class ScreenSource(models.TextChoices):
    SELF_CHECK = "self_check", "Symptom self-check"
    FLARE_UP = "flare_up", "Starting a flare-up"
    WEEKLY = "weekly", "Weekly check on Today"


class RedFlagScreenQuerySet(models.QuerySet):
    def flagged(self) -> "RedFlagScreenQuerySet":
        """Screens with at least one "yes"."""
        return self.exclude(urgency="")

    def holding(self) -> "RedFlagScreenQuerySet":
        """Screens with a "yes" that no clinician has released: each holds its patient's plan."""
        return self.flagged().filter(released_at__isnull=True)


class RedFlagScreen(models.Model):
    """One pass through the red-flag screen (`conditions.red_flags`), with every answer kept.

    A screen with a "yes" holds the patient's exercise plan from the moment it is saved until a clinician of
    their care team releases it; answered all "no", it only records that the patient was asked (the weekly
    check is asked again seven days after the last one).
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="red_flag_screens",
        limit_choices_to={"role": "patient"},
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=12, choices=ScreenSource.choices)
    answers = models.JSONField()
    flags = models.JSONField(default=list, blank=True, help_text="Codes of the questions answered yes.")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_note = models.TextField(
        blank=True, max_length=text_limits.NOTE, validators=[MaxLengthValidator(text_limits.NOTE)]
    )

    objects = RedFlagScreenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | models.Q(released_at__isnull=False, released_by__isnull=False),
                name="conditions_redflagscreen_released_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Red-flag screen of {self.patient} on {self.created_at:%Y-%m-%d}"

    @property
    def holds_plan(self) -> bool:
        return bool(self.flags) and self.released_at is None
