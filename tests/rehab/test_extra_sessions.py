"""Extra sessions: a slot's session done again (from the exercise player) is logged and rated like any other,
but never stands in for a planned session: adherence, Today and the reminders count only `extra=0`, while
its pain counts for the pain rules, the charts and the timeline."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from careteam.models import Alert
from rehab import selectors
from rehab.models import EXTRA_SESSIONS_RANGE, SessionLog
from rehab.services import daily
from rehab.timeline import rehab_record_source

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# The `stage_one_plan` fixture has two sessions a day: Morning (slot 0, from 06:00) and Evening (slot 1, from
# 17:00).
MONDAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def played(plan, patient, *, slot=0, extra=True, hour=9, pain=(2, 2, 5), day=MONDAY):
    during, after, effort = pain
    session, _ = daily.session_log_rated(
        plan=plan, patient=patient, day=day, slot=slot, done=None, extra=extra,
        pain_during=during, pain_after=after, effort=effort, now=at(day, hour),
    )  # fmt: skip
    return session


def test_a_logged_session_done_again_is_numbered_as_an_extra_one_up_to_the_limit(stage_one_plan, patient):
    first = played(stage_one_plan, patient, extra=False)
    extras = [played(stage_one_plan, patient, hour=10 + n) for n in range(EXTRA_SESSIONS_RANGE[1])]
    assert first.extra == 0 and [session.extra for session in extras] == [1, 2, 3]
    assert extras[0].is_rated and extras[0].title == "Extra morning session"
    assert extras[0].exercises_done.count() == first.exercises_done.count()

    with pytest.raises(ValidationError, match="plenty of load"):
        played(stage_one_plan, patient, hour=15)
    assert SessionLog.objects.count() == 4


def test_a_session_not_logged_yet_is_saved_as_itself_not_as_an_extra_one(stage_one_plan, patient):
    with pytest.raises(ValidationError, match="not logged yet"):
        played(stage_one_plan, patient, extra=True)
    assert not SessionLog.objects.exists()


def test_a_session_not_due_yet_can_be_done_early_as_an_extra_and_stays_open(stage_one_plan, patient):
    early = played(stage_one_plan, patient, slot=1, hour=9)
    assert (early.slot, early.extra, early.slot_name) == (1, 1, "Evening")
    assert selectors.sessions_logged_on(stage_one_plan, MONDAY) == {}
    assert selectors.slots_logged_on([stage_one_plan.pk], [MONDAY]) == {}

    evening = played(stage_one_plan, patient, slot=1, extra=False, hour=18)
    assert (evening.slot, evening.extra) == (1, 0)
    assert selectors.sessions_logged_on(stage_one_plan, MONDAY) == {1: evening}


def test_the_planned_session_is_still_refused_twice_and_not_before_it_is_due(stage_one_plan, patient):
    played(stage_one_plan, patient, extra=False)
    with pytest.raises(ValidationError, match="already logged"):
        played(stage_one_plan, patient, extra=False, hour=10)
    with pytest.raises(ValidationError, match="not due now"):
        played(stage_one_plan, patient, slot=1, extra=False, hour=10)


def test_a_refused_rating_saves_no_log_either(stage_one_plan, patient):
    with pytest.raises(ValidationError, match="choose a number from 0 to 10"):
        played(stage_one_plan, patient, extra=False, pain=(11, 2, 5))
    assert not SessionLog.objects.exists()


def test_extra_sessions_do_not_make_up_for_a_missed_one_in_adherence(stage_one_plan, patient):
    played(stage_one_plan, patient, extra=False)
    played(stage_one_plan, patient, hour=12)
    assert selectors.sessions_done_by_day(stage_one_plan, MONDAY, MONDAY) == {MONDAY: 1}


def test_an_extra_sessions_pain_counts_for_the_rules_the_chart_and_the_timeline(stage_one_plan, patient):
    played(stage_one_plan, patient, extra=False, pain=(2, 2, 5))
    extra = played(stage_one_plan, patient, hour=12, pain=(6, 5, 8))

    assert list(selectors.sessions_above_safe(stage_one_plan)) == [extra]
    alert = Alert.objects.get(patient=patient, kind="pain_over_threshold")
    assert alert.trigger.startswith("Extra morning session of 23 Nov 2026")
    pain_of_the_day = selectors.progress_of(stage_one_plan, MONDAY).pain.table.rows[-1]
    assert pain_of_the_day[1:3] == ["6", "5"]  # the highest of the day, the extra session's
    titles = [entry.title for entry in rehab_record_source(patient, 10)]
    assert any(title.startswith("Extra morning session of 23 Nov logged: pain 6/10") for title in titles)
    assert any(title.startswith("Morning session of 23 Nov logged: pain 2/10") for title in titles)
