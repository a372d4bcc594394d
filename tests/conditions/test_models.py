from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conditions.models import Condition, SymptomCheck
from tests.factories import ConditionFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_an_illustration_must_exist_and_be_described():
    condition = ConditionFactory.build(illustration_path="conditions/img/missing.svg", illustration_alt="")
    with pytest.raises(ValidationError) as error:
        condition.full_clean()
    assert set(error.value.message_dict) == {"illustration_path", "illustration_alt"}


def test_an_article_has_at_most_one_section_of_each_kind():
    condition = ConditionFactory()
    SectionFactory(condition=condition, kind="symptoms")
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(condition=condition, kind="symptoms")


def test_a_stored_check_cannot_mix_red_flags_with_a_severity(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomCheck.objects.create(
            patient=patient, answers={}, result_kind="red_flags", has_red_flags=True, severity="mild"
        )


def test_seed_demo_loads_the_library_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Condition.objects.filter(published=True).count() == 6
