"""The door to a patient's saved self-checks. Like careteam.access, it answers 404 for missing and forbidden
alike. A saved check is only ever shown to its patient, so no staff read is handed out here to audit."""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.models import User
from conditions.models import SymptomCheck


def symptom_check_for_user(*, user: User | AnonymousUser, public_id: uuid.UUID) -> SymptomCheck:
    """A saved self-check, for the patient it belongs to only; 404 for anyone else and for unknown ids."""
    if not (isinstance(user, User) and user.is_patient):
        raise Http404
    check = SymptomCheck.objects.filter(patient=user, public_id=public_id).first()
    if check is None:
        raise Http404
    return check
