"""The red-flag screen in the daily loop: every flag, from every place it is asked, holds the plan with one
alert as urgent as the flag; a clinician's release is a revision the patient reads."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from careteam.models import Alert
from conditions import red_flags
from conditions.models import RedFlagScreen, ScreenSource
from conditions.services import URGENCY_SEVERITY, red_flag_screen_record
from rehab import holds
from rehab.models import FlareUp
from rehab.services import screening
from rehab.services.plans import Signed

pytestmark = pytest.mark.django_db

NONE = dict.fromkeys(red_flags.RED_FLAG_CODES, False)
NOW = datetime.datetime(2026, 11, 10, 9, 30, tzinfo=datetime.UTC)


def screen_from(source: str, plan, answers: dict, now=NOW):
    """The screen as each place asks it: the self-check's service, Today's weekly check, a flare-up start."""
    patient = plan.patient
    if source == ScreenSource.WEEKLY:
        return screening.weekly_check_record(plan=plan, patient=patient, answers=answers, now=now)
    if source == ScreenSource.FLARE_UP:
        return screening.flare_up_start_screened(plan=plan, by=patient, answers=answers, now=now)[0]
    return red_flag_screen_record(patient=patient, answers=answers, source=source, now=now)


def release(
    plan, clinician, note="Examined today: no tear, no nerve signs. Carry on with the plan.", seen=None
):
    """Release with the screens the clinician saw: by default, every screen holding the plan now."""
    plan.refresh_from_db()
    hold = holds.plan_hold_of(plan.patient)
    if seen is None:
        seen = {screen.public_id for screen in hold.screens} if hold else set()
    return screening.plan_hold_release(
        plan=plan, signed=Signed(by=clinician, reason=note, expected_version=plan.version), seen=seen
    )


@pytest.mark.parametrize("source", ScreenSource.values)
@pytest.mark.parametrize("flag", red_flags.RED_FLAGS, ids=lambda flag: flag.code)
def test_any_red_flag_from_any_place_holds_the_plan_with_one_alert_as_urgent_as_the_flag(
    stage_one_plan, team, source, flag
):
    screen = screen_from(source, stage_one_plan, {**NONE, flag.code: True})

    hold = holds.plan_hold_of(stage_one_plan.patient)
    alert = Alert.objects.get(patient=stage_one_plan.patient)
    assert hold is not None and hold.flags == (flag,) and hold.urgency == flag.urgency
    assert (screen.source, screen.flags, screen.urgency) == (source, [flag.code], flag.urgency)
    assert (alert.kind, alert.severity) == ("red_flag", URGENCY_SEVERITY[flag.urgency])
    assert flag.label in alert.trigger and "on hold" in alert.trigger
    assert not FlareUp.objects.exists()


@pytest.mark.parametrize("source", ScreenSource.values)
def test_a_screen_answered_all_no_records_the_answers_and_holds_nothing(stage_one_plan, team, source):
    screen = screen_from(source, stage_one_plan, NONE)

    assert screen.flags == [] and screen.urgency == ""
    assert holds.plan_hold_of(stage_one_plan.patient) is None
    assert not Alert.objects.filter(kind="red_flag").exists()
    assert not holds.weekly_check_due(stage_one_plan.patient, NOW + datetime.timedelta(days=6))
    assert holds.weekly_check_due(stage_one_plan.patient, NOW + datetime.timedelta(days=7))


def test_the_most_urgent_flag_sets_the_alerts_severity(stage_one_plan, team):
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "night_pain": True, "bladder_bowel": True})

    assert Alert.objects.get().severity == "emergency"
    assert holds.plan_hold_of(stage_one_plan.patient).advice.heading == "Call the emergency number now"


def test_a_flare_up_starts_only_after_a_screen_answered_all_no(stage_one_plan, team):
    screen, flare_up = screening.flare_up_start_screened(
        plan=stage_one_plan, by=stage_one_plan.patient, answers=NONE, now=NOW
    )
    assert screen.flags == [] and flare_up is not None and flare_up.is_open


def test_nothing_can_start_a_flare_up_while_the_plan_is_on_hold(stage_one_plan, team):
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "calf_clot": True})

    with pytest.raises(ValidationError, match="on hold"):
        screening.flare_up_start_screened(plan=stage_one_plan, by=stage_one_plan.patient, answers=NONE)
    assert RedFlagScreen.objects.count() == 1 and not FlareUp.objects.exists()


def test_a_clinicians_release_is_a_revision_with_the_note_and_ends_the_hold(stage_one_plan, team, clinician):
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "fall_or_blow": True}, now=NOW)
    screen_from(ScreenSource.SELF_CHECK, stage_one_plan, {**NONE, "weight_loss": True}, now=NOW)

    revision = release(stage_one_plan, clinician)

    assert holds.plan_hold_of(stage_one_plan.patient) is None
    assert revision.number == 2 and revision.author == clinician
    assert revision.summary.startswith("Released from the red-flag hold (")
    assert "a fall or blow before the pain began" in revision.summary
    assert revision.reason.startswith("Examined today")
    released = RedFlagScreen.objects.exclude(urgency="")
    assert {(s.released_by, s.release_note) for s in released} == {(clinician, revision.reason)}
    event = AuditEvent.objects.get(action="rehab.plan.hold_release")
    assert (event.actor, event.patient) == (clinician, stage_one_plan.patient)
    later = revision.created_at + datetime.timedelta(days=1)
    assert holds.recent_release_of(stage_one_plan.patient, later).release_note == revision.reason
    assert holds.recent_release_of(stage_one_plan.patient, later + datetime.timedelta(days=7)) is None


def test_a_release_needs_a_note_for_the_patient_and_a_hold_to_release(stage_one_plan, team, clinician):
    with pytest.raises(ValidationError, match="not on hold"):
        release(stage_one_plan, clinician)
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "hot_swollen": True})

    with pytest.raises(ValidationError, match="note for the patient"):
        release(stage_one_plan, clinician, note="  ")

    assert holds.plan_hold_of(stage_one_plan.patient) is not None
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.version == 1


def test_a_new_red_flag_after_a_release_holds_the_plan_again(stage_one_plan, team, clinician):
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "sudden_pop": True})
    release(stage_one_plan, clinician)

    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "leg_weakness": True})

    hold = holds.plan_hold_of(stage_one_plan.patient)
    assert hold is not None and [flag.code for flag in hold.flags] == ["leg_weakness"]


def test_the_screen_refuses_unanswered_questions_and_saves_nothing(stage_one_plan, team):
    partial = dict(NONE)
    del partial["cancer_history"]
    with pytest.raises(ValueError):
        screening.weekly_check_record(plan=stage_one_plan, patient=stage_one_plan.patient, answers=partial)
    assert not RedFlagScreen.objects.exists()


def test_a_release_clears_no_sign_the_clinician_was_not_shown(stage_one_plan, team, clinician):
    screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, "night_pain": True})
    shown = {screen.public_id for screen in holds.plan_hold_of(stage_one_plan.patient).screens}
    screen_from(ScreenSource.SELF_CHECK, stage_one_plan, {**NONE, "bladder_bowel": True})

    with pytest.raises(ValidationError, match="New signs were reported"):
        release(stage_one_plan, clinician, seen=shown)

    assert len(holds.plan_hold_of(stage_one_plan.patient).screens) == 2
    stage_one_plan.refresh_from_db()
    assert stage_one_plan.version == 1


def test_every_pair_of_red_flags_gives_one_alert_at_the_more_urgent_tier_and_a_hold(
    stage_one_plan, team, clinician
):
    """The decision table's pure walk covers every combination; this walks every pair through the database."""
    for first, second in itertools.combinations(red_flags.RED_FLAGS, 2):
        before = Alert.objects.count()
        screen_from(ScreenSource.WEEKLY, stage_one_plan, {**NONE, first.code: True, second.code: True})

        hold = holds.plan_hold_of(stage_one_plan.patient)
        urgency = red_flags.most_urgent((first, second))
        assert Alert.objects.count() == before + 1
        assert Alert.objects.latest("pk").severity == URGENCY_SEVERITY[urgency]
        assert hold is not None and set(hold.flags) == {first, second} and hold.urgency == urgency
        release(stage_one_plan, clinician, note=f"Reviewed {first.code} and {second.code}.")
