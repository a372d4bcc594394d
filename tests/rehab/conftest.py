import datetime

import pytest

from rehab.models import PlanTemplate
from rehab.services import plans
from tests.factories import ConditionFactory


@pytest.fixture
def library(db):
    plans.library_load()


@pytest.fixture
def condition(db):
    return ConditionFactory(slug="hamstring-tendinopathy", name="Proximal hamstring tendinopathy")


@pytest.fixture
def stage_one_plan(library, condition, patient, clinician):
    return plans.plan_assign(
        patient=patient,
        template=PlanTemplate.objects.get(stage=1),
        by=clinician,
        condition=condition,
        start_date=datetime.date(2026, 11, 2),
        goals="Sit through a meeting without pain",
    )


@pytest.fixture
def team(patient, clinician):
    from tests.factories import CareTeamMembershipFactory

    return CareTeamMembershipFactory(patient=patient, clinician=clinician, role="lead")


@pytest.fixture
def daily_plan(condition, patient, clinician):
    """A plan of one exercise done once every day, started on Monday 23 March 2026 (the week the clocks go
    forward in London); its first revision is dated before the start."""
    from tests.factories import ExerciseFactory, PlanTemplateFactory, PlanTemplateItemFactory

    template = PlanTemplateFactory(stage=1)
    PlanTemplateItemFactory(
        template=template, exercise=ExerciseFactory(name="Bridge hold", is_isometric=True), sets=3,
        reps=None, hold_seconds=30, times_per_day=1,
    )  # fmt: skip
    return plans.plan_assign(
        patient=patient, template=template, by=clinician, condition=condition,
        start_date=datetime.date(2026, 3, 23), now=datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC),
    )  # fmt: skip


@pytest.fixture
def plan_without_a_flare_up_set(stage_one_plan):
    """The stage 1 plan without its isometric exercises and with nothing ticked, as in stages 3 and 4."""
    stage_one_plan.prescriptions.filter(exercise__is_isometric=True).delete()
    stage_one_plan.prescriptions.update(in_flare_up_set=False)
    assert stage_one_plan.prescriptions.exists()
    return stage_one_plan
