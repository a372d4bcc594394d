import base64
import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_TOTP_SECRET, demo_authenticator_key, seed_demo_accounts
from accounts.models import AuditEvent
from accounts.two_factor import BACKUP_CODE_COUNT, current_code
from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    CareTeamMembershipFactory,
    ClinicianFactory,
    PatientFactory,
)

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SET_UP = reverse("accounts:two_factor_set_up")
BACKUP_CODES = reverse("accounts:two_factor_backup_codes")
MANAGE = reverse("accounts:two_factor")


def password_sign_in(client, user, next_url: str = ""):
    data = {"username": user.email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(SIGN_IN, data)
    assert response.status_code == 302, "the password step failed"
    return response


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that no step the device accepts now (one either side) would show."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for offset in (-1, 0, 1):
        totp.drift = device.drift + offset
        accepted.add(totp.token())
    return next(f"{n:06d}" for n in range(123456, 10**6) if n not in accepted)


def actions_of(user) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).order_by("at", "id").values_list("action", flat=True))


@pytest.fixture
def staff_with_app(db):
    clinician = ClinicianFactory()
    return clinician, authenticator(clinician)


# Staff must pass the second factor


def test_staff_without_an_authenticator_is_sent_to_set_one_up_after_the_password(client):
    clinician = ClinicianFactory()
    password_sign_in(client, clinician)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0] == (f"{VERIFY}?next=/", 302)
    assert response.redirect_chain[-1][0] == f"{SET_UP}?next=/"
    page = response.content.decode()
    assert "Set up two-factor sign-in" in page
    assert '<img class="two-factor-qr' in page and 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    secret = response.context["secret"].replace(" ", "")
    assert secret in page.replace(" ", "") and secret == base64.b32encode(device.bin_key).decode()
    assert 'href="otpauth://totp/Hamstring%20rehab%20portal' in page


def test_staff_cannot_open_a_patient_record_or_the_admin_before_the_second_factor(client):
    membership = CareTeamMembershipFactory()
    record = reverse("careteam:patient_detail", args=[membership.patient.patient_profile.public_id])
    password_sign_in(client, membership.clinician)
    response = client.get(record)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={record}"
    assert client.get(reverse("rehab:patient_list")).status_code == 302

    client.post(reverse("accounts:logout"))
    admin = AdminFactory()
    password_sign_in(client, admin)
    for path in ("/admin/", "/admin/accounts/user/", "/admin/otp_totp/totpdevice/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path


def test_the_admin_sign_in_page_is_no_way_around_the_second_factor(client):
    admin = AdminFactory()
    device = authenticator(admin)
    response = client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    after = client.get("/admin/")
    assert after.status_code == 302 and after["Location"] == f"{VERIFY}?next=/admin/"
    assert client.get("/admin/accounts/auditevent/").status_code == 302

    assert client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_between_the_two_steps_can_still_sign_out_and_see_the_service_status(client, staff_with_app):
    clinician, _ = staff_with_app
    password_sign_in(client, clinician)
    assert client.get(reverse("health")).status_code in (200, 503)  # answered, not sent to the code page
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert "Enter the 6-digit code from your authenticator app" in page.content.decode()
    assert reverse("reminders:notifications") not in page.content.decode()  # no navigation yet
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_right_code_lets_staff_in_with_a_new_session_id_and_back_to_the_page_they_asked_for(
    client, staff_with_app
):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    before = client.session.session_key
    response = client.post(VERIFY, {"code": current_code(device), "next": "/care/alerts/"})
    assert response.status_code == 302
    assert response["Location"] == "/care/alerts/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != before
    assert client.get("/care/alerts/").status_code == 200
    assert actions_of(clinician)[-1] == "auth.2fa.verify"


def test_a_next_address_on_another_site_is_ignored(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_with_a_message_and_a_400(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "That code is wrong or has already been used" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.filter(actor=clinician).latest("id")
    assert (event.action, event.detail) == ("auth.2fa.fail", "app code: wrong code")


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abc", "x" * 5000, "12 34 5ü"])
def test_a_code_that_is_no_code_at_all_gets_a_400_with_a_message(client, staff_with_app, typed):
    clinician, _ = staff_with_app
    password_sign_in(client, clinician)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_a_code_typed_with_spaces_is_accepted(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    code = current_code(device)
    assert client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_a_used_code_cannot_be_used_again(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    code = current_code(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    device.refresh_from_db()
    assert device.last_t >= 0

    client.post(reverse("accounts:logout"))
    password_sign_in(client, clinician)
    replay = client.post(VERIFY, {"code": code})
    assert replay.status_code == 400
    assert "already been used" in replay.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_wrong_codes_slow_down_the_next_attempt_with_a_clear_message(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    for _ in range(4):  # each one after the wait the last one asked for
        TOTPDevice.objects.filter(pk=device.pk, throttling_failure_count__gt=0).update(
            throttling_failure_timestamp=long_ago
        )
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    response = client.post(VERIFY, {"code": current_code(device)})  # even the right code waits
    assert response.status_code == 429
    assert re.search(r"Too many wrong codes\. Wait \d+ seconds and try again", response.content.decode()), (
        response.context["form"].errors
    )
    assert AuditEvent.objects.filter(actor=clinician, detail="app code: throttled").exists()

    waited = timezone.now() - datetime.timedelta(minutes=1)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=waited)
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# Backup codes


def test_a_backup_code_works_once(client, staff_with_app):
    clinician, _ = staff_with_app
    static = StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True)
    static.token_set.create(token="abcd2efg")
    static.token_set.create(token="hijk3lmn")
    password_sign_in(client, clinician)
    response = client.post(VERIFY, {"code": "ABCD-2EFG"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "You used a backup code; 1 left." in response.content.decode()
    assert actions_of(clinician)[-1] == "auth.2fa.backup_code_used"

    client.post(reverse("accounts:logout"))
    password_sign_in(client, clinician)
    again = client.post(VERIFY, {"code": "abcd2efg"})
    assert again.status_code == 400
    assert "That backup code is wrong or has already been used." in again.content.decode()


# Setting up an authenticator


def test_staff_set_up_an_authenticator_and_see_ten_backup_codes_once(client):
    clinician = ClinicianFactory()
    password_sign_in(client, clinician, next_url="/care/alerts/")
    client.get(f"{SET_UP}?next=/care/alerts/")
    pending = TOTPDevice.objects.get(user=clinician, confirmed=False)

    refused = client.post(SET_UP, {"code": wrong_code(pending), "next": "/care/alerts/"})
    assert refused.status_code == 400
    assert "That code is wrong" in refused.content.decode()
    TOTPDevice.objects.filter(pk=pending.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )

    response = client.post(SET_UP, {"code": current_code(pending), "next": "/care/alerts/"})
    assert response.status_code == 302
    assert response["Location"] == f"{BACKUP_CODES}?next=/care/alerts/"
    pending.refresh_from_db()
    assert pending.confirmed
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == BACKUP_CODE_COUNT == 10
    assert all(code in shown.content.decode() for code in codes)
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True)
    )
    assert 'href="/care/alerts/"' in shown.content.decode()
    assert client.get(BACKUP_CODES)["Location"] == MANAGE  # shown once only
    assert client.get("/care/alerts/").status_code == 200  # the session passed the second factor
    assert "auth.2fa.device_added" in actions_of(clinician)


def test_the_set_up_page_shows_the_same_key_until_it_is_confirmed(client):
    clinician = ClinicianFactory()
    password_sign_in(client, clinician)
    first = client.get(SET_UP).context["secret"]
    assert client.get(SET_UP).context["secret"] == first
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_staff_with_an_authenticator_cannot_add_another_before_the_second_factor(client, staff_with_app):
    clinician, _ = staff_with_app
    password_sign_in(client, clinician)
    response = client.get(SET_UP, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_set_up_takes_only_an_app_code(client):
    clinician = ClinicianFactory()
    password_sign_in(client, clinician)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "abcd2efg"})
    assert response.status_code == 400
    assert "Enter the 6 digits your authenticator app shows" in response.content.decode()


# Patients: optional


def test_a_patient_without_two_factor_signs_in_as_before(client):
    patient = PatientFactory()
    response = password_sign_in(client, patient)
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    assert not any(VERIFY in url for url, _ in home.redirect_chain)


def test_a_patient_turns_two_factor_on_and_is_asked_for_a_code_next_time(client):
    patient = PatientFactory()
    password_sign_in(client, patient)
    assert "is <strong>off</strong>" in client.get(MANAGE).content.decode()
    client.get(SET_UP)
    pending = TOTPDevice.objects.get(user=patient)
    assert client.post(SET_UP, {"code": current_code(pending)}).status_code == 302
    assert len(client.get(BACKUP_CODES).context["codes"]) == 10
    assert "is <strong>on</strong>" in client.get(MANAGE).content.decode()

    client.post(reverse("accounts:logout"))
    password_sign_in(client, patient)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=/"
    assert client.get(reverse("accounts:details")).status_code == 302


def test_a_patient_turns_two_factor_off_with_a_code(client):
    patient = PatientFactory()
    device = authenticator(patient)
    password_sign_in(client, patient)
    client.post(VERIFY, {"code": current_code(device)})
    refused = client.post(reverse("accounts:two_factor_turn_off"), {"code": "zzzz2zzz"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=patient).exists()

    StaticDevice.objects.filter(user=patient).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the next step's code, without waiting for it
    response = client.post(reverse("accounts:two_factor_turn_off"), {"code": current_code(device)})
    assert response.status_code == 302 and response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user=patient).exists()
    assert "auth.2fa.device_removed" in actions_of(patient)
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_staff_moving_to_a_new_phone_must_set_it_up_straight_away(client, staff_with_app):
    clinician, device = staff_with_app
    password_sign_in(client, clinician)
    client.post(VERIFY, {"code": current_code(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    response = client.post(reverse("accounts:two_factor_turn_off"), {"code": current_code(device)})
    assert response["Location"] == SET_UP
    assert client.get("/care/alerts/")["Location"].startswith(VERIFY)


def test_new_backup_codes_replace_the_old_ones(client, staff_with_app):
    clinician, device = staff_with_app
    StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True).token_set.create(
        token="abcd2efg"
    )
    password_sign_in(client, clinician)
    client.post(VERIFY, {"code": current_code(device)})
    response = client.post(reverse("accounts:two_factor_backup_codes_new"))
    assert response["Location"] == BACKUP_CODES
    codes = client.get(BACKUP_CODES).context["codes"]
    assert len(codes) == 10 and "abcd2efg" not in codes
    assert not StaticToken.objects.filter(token="abcd2efg").exists()


def test_the_two_factor_pages_ask_for_a_signed_in_person(client):
    for url in (VERIFY, SET_UP, MANAGE, BACKUP_CODES):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN), url


def test_force_login_in_tests_passes_the_second_factor_with_a_real_device(client, clinician):
    client.force_login(clinician)
    device = TOTPDevice.objects.get(user=clinician, confirmed=True)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/care/alerts/").status_code == 200


# The demo


def test_demo_staff_get_the_published_authenticator(settings):
    seed_demo_accounts()
    physio = TOTPDevice.objects.get(user__email="physio@demo.test")
    assert physio.confirmed and physio.key == demo_authenticator_key()
    assert len(DEMO_TOTP_SECRET) == 32
    assert TOTPDevice.objects.filter(user__email="admin@demo.test").exists()
    assert not TOTPDevice.objects.filter(user__email="patient@demo.test").exists()
    seed_demo_accounts()
    assert TOTPDevice.objects.filter(user__email="physio@demo.test").count() == 1


def test_demo_code_prints_a_code_that_lets_the_demo_physio_in(client, settings):
    settings.DEBUG = True
    seed_demo_accounts()
    out = StringIO()
    call_command("demo_code", "Physio@demo.test", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post(SIGN_IN, {"username": "physio@demo.test", "password": "demo-portal-2026"})
    assert client.post(VERIFY, {"code": code})["Location"] == "/"


def test_demo_code_refuses_outside_demo_mode(settings):
    settings.DEBUG = True
    seed_demo_accounts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("demo_code", "physio@demo.test", stdout=StringIO())


def test_demo_code_refuses_accounts_that_are_not_demo_accounts(settings, staff_with_app):
    settings.DEBUG = True
    clinician, _ = staff_with_app
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", clinician.email, stdout=StringIO())


def test_a_signed_in_patient_is_asked_for_a_code_once_an_authenticator_is_added_elsewhere(client):
    patient = PatientFactory()
    password_sign_in(client, patient)
    assert client.get(reverse("accounts:details")).status_code == 200
    authenticator(patient)  # confirmed in another session, or by the admin
    response = client.get(reverse("accounts:details"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_an_authenticator_deleted_in_the_admin_no_longer_asks_a_patient_for_a_code(client):
    patient = PatientFactory()
    authenticator(patient)
    patient.refresh_from_db()
    assert patient.has_authenticator
    TOTPDevice.objects.filter(user=patient).delete()
    patient.refresh_from_db()
    assert not patient.has_authenticator
    password_sign_in(client, patient)
    assert client.get(reverse("accounts:details")).status_code == 200


def test_an_authenticator_set_up_but_not_confirmed_asks_for_nothing_yet(client):
    patient = PatientFactory()
    TOTPDevice.objects.create(user=patient, name="Authenticator app", confirmed=False)
    patient.refresh_from_db()
    assert not patient.has_authenticator
    password_sign_in(client, patient)
    assert client.get(reverse("accounts:details")).status_code == 200


def test_an_authenticator_given_to_someone_else_moves_the_second_factor_with_it(client):
    first, second = PatientFactory(), PatientFactory()
    device = authenticator(first)
    device.user = second  # what the admin's change form does
    device.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.has_authenticator, second.has_authenticator) == (False, True)
    password_sign_in(client, first)
    assert client.get(reverse("accounts:details")).status_code == 200


# The session's device, read on every request with the person (accounts.middleware.AuthenticationMiddleware)


def signed_in_with_code(client, clinician, device) -> None:
    password_sign_in(client, clinician)
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302
    assert client.get(reverse("rehab:patient_list")).status_code == 200


def test_a_lost_phones_authenticator_deleted_elsewhere_ends_the_second_factor_on_the_next_request(
    client, staff_with_app
):
    clinician, device = staff_with_app
    signed_in_with_code(client, clinician, device)
    TOTPDevice.objects.filter(pk=device.pk).delete()
    response = client.get(reverse("rehab:patient_list"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "change", [{"confirmed": False}, {"user_id": "someone else"}], ids=["unconfirmed", "given away"]
)
def test_an_authenticator_unconfirmed_or_given_away_no_longer_passes_the_second_factor(
    client, staff_with_app, change
):
    clinician, device = staff_with_app
    signed_in_with_code(client, clinician, device)
    if change.get("user_id"):
        change = {"user_id": ClinicianFactory().pk}
    TOTPDevice.objects.filter(pk=device.pk).update(**change)
    response = client.get(reverse("rehab:patient_list"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_session_passed_with_a_backup_code_stays_signed_in(client, staff_with_app):
    clinician, _ = staff_with_app
    static = StaticDevice.objects.create(user=clinician, name="Backup codes", confirmed=True)
    static.token_set.create(token="abcd2efg")
    password_sign_in(client, clinician)
    client.post(VERIFY, {"code": "abcd2efg"})
    assert client.session[DEVICE_ID_SESSION_KEY] == static.persistent_id
    assert client.get(reverse("rehab:patient_list")).status_code == 200


def test_a_device_id_that_names_no_device_model_asks_for_the_code_again(client, staff_with_app):
    clinician, device = staff_with_app
    signed_in_with_code(client, clinician, device)
    too_big = "otp_totp.totpdevice/" + "9" * 30
    for forged in ("accounts.user/1", "nothing.here/1", "otp_totp.totpdevice/x", "no-slash", too_big):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = forged
        session.save()
        response = client.get(reverse("rehab:patient_list"))
        assert response.status_code == 302, forged
