import datetime
import uuid

from django import forms
from django.db.models import QuerySet

from accounts.models import Discipline, Role, User
from careteam.models import (
    REASON_MAX,
    CareTeamMembership,
    Note,
    NoteAddendum,
    Referral,
    TeamRole,
    Visibility,
)
from common.clinic_time import clinic_today
from common.forms import FieldsOnlyMixin, plain_fields_of


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        profile = getattr(obj, "clinician_profile", None)
        return (
            f"{obj.get_full_name()} ({profile.get_discipline_display()})" if profile else obj.get_full_name()
        )


def clinicians() -> QuerySet[User]:
    return User.objects.filter(
        role=Role.CLINICIAN, is_active=True, clinician_profile__isnull=False
    ).select_related("clinician_profile")


class NoteForm(FieldsOnlyMixin, forms.ModelForm):
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.TEAM,
        help_text="Shared notes appear on the patient's “My care team” page.",
    )

    class Meta:
        model = Note
        fields = ["visibility", "subjective", "objective", "assessment", "plan", "body"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["subjective", "objective", "assessment", "plan"]
        }

    def clean(self):
        cleaned = super().clean() or {}
        texts = [cleaned.get(name, "") for name in ("subjective", "objective", "assessment", "plan", "body")]
        if not any((text or "").strip() for text in texts):
            raise forms.ValidationError("Write at least one of the SOAP fields or the free text.")
        return cleaned


class AddendumForm(FieldsOnlyMixin, forms.ModelForm):
    class Meta:
        model = NoteAddendum
        fields = ["reason", "body"]
        labels = {"reason": "Reason for the addendum", "body": "Addendum"}
        help_texts = {"reason": "For example: corrects the side, adds a result that came later."}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class ReferralForm(FieldsOnlyMixin, forms.ModelForm):
    """Refer to a named clinician (the normal case), or to a discipline when it does not matter who."""

    to_clinician = ClinicianChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Refer to",
        empty_label="Nobody by name: any clinician of the discipline",
        help_text="The clinician you name joins the care team when they accept. Or name nobody and choose a "
        "discipline: whoever of it accepts joins once the lead clinician confirms.",
    )

    class Meta:
        model = Referral
        fields = ["to_clinician", "discipline", "urgency", "reason"]
        labels = {"discipline": "Discipline"}
        help_texts = {"discipline": "Needed only when you name nobody; otherwise the clinician's own."}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, patient: User, **kwargs):
        super().__init__(*args, **kwargs)
        on_team = CareTeamMembership.objects.active().filter(patient=patient).values("clinician")
        self.fields["to_clinician"].queryset = clinicians().exclude(pk__in=on_team)  # type: ignore[attr-defined]
        self.fields["discipline"].required = False

    def clean(self):
        cleaned = super().clean() or {}
        clinician, discipline = cleaned.get("to_clinician"), cleaned.get("discipline")
        if not discipline:
            if clinician is not None:
                cleaned["discipline"] = clinician.clinician_profile.discipline
            elif "to_clinician" not in self.errors:
                self.add_error("discipline", "Choose a discipline, or name a clinician.")
        elif clinician is not None and clinician.clinician_profile.discipline != discipline:
            self.add_error(
                "to_clinician",
                f"{clinician.get_full_name()} is not a clinician of {Discipline(discipline).label.lower()}.",
            )
        return cleaned


class DeclineForm(FieldsOnlyMixin, forms.Form):
    reason = forms.CharField(
        label="Why you decline", widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX, strip=True
    )


class AcknowledgeForm(FieldsOnlyMixin, forms.Form):
    comment = forms.CharField(
        label="What you did (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        strip=True,
        required=False,
    )


MAX_ALERTS_AT_ONCE = 100


class PublicIdsField(forms.Field):
    """The public ids of the alerts ticked on the page (each checkbox sends `alert=<id>`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[uuid.UUID]:
        values = value or []
        if len(values) > MAX_ALERTS_AT_ONCE:
            raise forms.ValidationError(f"Acknowledge at most {MAX_ALERTS_AT_ONCE} alerts at once.")
        try:
            return list(dict.fromkeys(uuid.UUID(str(item)) for item in values))
        except ValueError:
            raise forms.ValidationError("One of the ticked alerts is not an alert of this page.") from None

    def validate(self, value) -> None:
        if not value:
            raise forms.ValidationError("Tick the alerts to acknowledge.")


class BulkAcknowledgeForm(AcknowledgeForm):
    """Several alerts of the inbox at once: the ticked ones and one optional note."""

    alert = PublicIdsField()


class MembershipAddForm(FieldsOnlyMixin, forms.Form):
    clinician = ClinicianChoiceField(queryset=User.objects.none())
    role = forms.ChoiceField(choices=TeamRole.choices, initial=TeamRole.MEMBER)
    active_from = forms.DateField(
        label="First day", initial=clinic_today, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, patient: User, **kwargs):
        super().__init__(*args, **kwargs)
        on_team = CareTeamMembership.objects.active().filter(patient=patient).values("clinician")
        self.fields["clinician"].queryset = clinicians().exclude(pk__in=on_team)  # type: ignore[attr-defined]

    def clean_active_from(self) -> datetime.date:
        day = self.cleaned_data["active_from"]
        if day < clinic_today():
            raise forms.ValidationError("The first day cannot be in the past.")
        return day


class MembershipEndForm(FieldsOnlyMixin, forms.Form):
    last_day = forms.DateField(
        label="Last day on the team",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to end it now.",
    )


class NoteFilterForm(forms.Form):
    discipline = forms.ChoiceField(choices=[("", "All disciplines"), *Discipline.choices], required=False)
    author = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="All authors")

    def __init__(self, *args, authors: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.authors = authors
        self.fields["author"].queryset = authors  # type: ignore[attr-defined]

    def plain_fields(self) -> list[dict]:
        """The two selects, for the record to write out as plain HTML (common/forms.py `plain_field`). The
        authors are listed from the queryset this form was given, read once, rather than by the field, which
        would query its own copy again."""
        everyone = ("", self.fields["author"].empty_label)  # type: ignore[attr-defined]
        authors = [everyone, *((author.pk, str(author)) for author in self.authors)]
        return list(plain_fields_of(self, choices={"author": authors}).values())
