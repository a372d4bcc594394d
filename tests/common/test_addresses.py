import uuid

import pytest
from django.urls import reverse

from common.addresses import reverse_each


def test_each_row_gets_the_address_reverse_would_give():
    placeholder = uuid.UUID(int=0)
    address_of = reverse_each("careteam:patient_detail", placeholder, args=[placeholder])
    rows = [uuid.uuid4() for _ in range(3)]

    expected = [reverse("careteam:patient_detail", args=[row]) for row in rows]
    assert [address_of(row) for row in rows] == expected


def test_a_stand_in_missing_from_the_address_is_refused():
    with pytest.raises(ValueError):
        reverse_each("careteam:patient_detail", "not-there", args=[uuid.UUID(int=1)])
