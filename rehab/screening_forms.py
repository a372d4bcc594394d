"""The clinician's form for releasing a plan from a red-flag hold. The patient's side of the screen is
`conditions.forms.RedFlagChecklistForm`, the same questions wherever they are asked."""

from rehab.forms import _ChangeForm
from rehab.services.screening import NOTE_REQUIRED


class HoldReleaseForm(_ChangeForm):
    field_order = ["reason", "version"]

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
