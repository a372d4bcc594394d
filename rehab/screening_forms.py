"""The clinician's form for releasing a plan from a red-flag hold. The patient's side of the screen is
`conditions.forms.RedFlagChecklistForm`, the same questions wherever they are asked."""

import uuid

from django import forms

from rehab.forms import _ChangeForm
from rehab.holds import PlanHold
from rehab.services.screening import NOTE_REQUIRED


class HoldReleaseForm(_ChangeForm):
    """The note, and the red-flag screens the clinician was shown (see `plan_hold_release`)."""

    screens = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)
    field_order = ["reason", "screens", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.required = True
        reason.label = "Note to the patient"
        reason.help_text = (
            "What you found when you reviewed the signs they reported, and why they can exercise again. The "
            "patient reads this on Today."
        )
        reason.error_messages["required"] = NOTE_REQUIRED

    @classmethod
    def for_hold(cls, hold: PlanHold, version: int) -> "HoldReleaseForm":
        shown = ",".join(str(screen.public_id) for screen in hold.screens)
        return cls(initial={"version": version, "screens": shown})

    def clean(self):
        cleaned = super().clean() or {}
        try:
            cleaned["screens"] = {uuid.UUID(part) for part in cleaned.get("screens", "").split(",")}
        except ValueError:
            # Said above the form: the field is hidden, so an error beside it would not be seen.
            self.add_error(None, "Open the plan page again: the list of signs was not sent whole.")
        return cleaned
