"""Migration 0006: people who already had a confirmed authenticator keep signing in with it."""

import pytest

from accounts.models import User
from tests.factories import PatientFactory
from tests.migrating import migrate_to, migrate_to_latest

BEFORE = [("accounts", "0005_account_closure_and_goals_limit"), ("otp_totp", "0003_add_timestamps")]
AFTER = [("accounts", "0006_user_has_authenticator")]


@pytest.mark.django_db(transaction=True)
def test_people_with_a_confirmed_authenticator_are_marked_and_the_others_are_not():
    confirmed, pending, without = PatientFactory(), PatientFactory(), PatientFactory()
    executor = migrate_to(BEFORE)
    old_device = executor.loader.project_state(BEFORE).apps.get_model("otp_totp", "TOTPDevice")
    old_device.objects.create(user_id=confirmed.pk, name="app", confirmed=True)
    old_device.objects.create(user_id=pending.pk, name="app", confirmed=False)

    migrate_to(AFTER)
    marked = dict(
        User.objects.filter(pk__in=[confirmed.pk, pending.pk, without.pk]).values_list(
            "pk", "has_authenticator"
        )
    )
    assert marked == {confirmed.pk: True, pending.pk: False, without.pk: False}
    migrate_to_latest()
