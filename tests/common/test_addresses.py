import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix, set_urlconf

from common.addresses import address, reverse_each


def test_each_row_gets_the_address_reverse_would_give():
    placeholder = uuid.UUID(int=0)
    address_of = reverse_each("careteam:patient_detail", placeholder, args=[placeholder])
    rows = [uuid.uuid4() for _ in range(3)]

    expected = [reverse("careteam:patient_detail", args=[row]) for row in rows]
    assert [address_of(row) for row in rows] == expected


def test_a_stand_in_missing_from_the_address_is_refused():
    with pytest.raises(ValueError):
        reverse_each("careteam:patient_detail", "not-there", args=[uuid.UUID(int=1)])


def test_an_address_is_what_reverse_gives_with_or_without_arguments():
    public_id = uuid.uuid4()
    assert address("rehab:today") == reverse("rehab:today")
    record = reverse("careteam:patient_detail", args=[public_id])
    assert address("careteam:patient_detail", public_id) == record
    assert address("careteam:patient_detail", str(public_id)) == record
    rendered = Template("{% load addresses %}{% address 'careteam:patient_detail' id %}").render(
        Context({"id": public_id})
    )
    assert rendered == reverse("careteam:patient_detail", args=[public_id])


def test_an_address_follows_the_script_prefix_and_the_url_configuration():
    try:
        set_script_prefix("/clinic/")
        assert address("rehab:today") == "/clinic/rehab/today/"
    finally:
        set_script_prefix("/")
    assert address("rehab:today") == "/rehab/today/"
    with pytest.raises(NoReverseMatch):
        address("bench_bare")
    try:
        set_urlconf("bench.urls")
        assert address("bench_bare") == "/bench/bare/"
    finally:
        set_urlconf(None)


def test_an_address_follows_a_new_root_url_configuration(settings):
    assert address("home") == "/"
    settings.ROOT_URLCONF = "tests.common.urls_elsewhere"
    assert address("home") == "/elsewhere/"
