import os
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CASES = {
    "visa_get": ("visa-h", None),
    "visa_bad": ("visa-h", {"q1": "4", "q2": "11", "q3": "x", "q7": "nope", "q8": "on-2"}),
    "psfs_get": ("psfs", None),
    "psfs_bad": ("psfs", {"activity_1": "Sitting", "rating_1": "3", "activity_2": "", "rating_2": "4",
                          "activity_3": "Running", "rating_3": "12"}),
    "psfs_short": ("psfs", {"activity_1": "Sitting", "rating_1": "3", "activity_2": "Run", "rating_2": "1"}),
    "pain_get": ("pain-rating", None),
    "pain_bad": ("pain-rating", {"rating": "-1"}),
    "pain_ok": ("pain-rating", {"rating": "3"}),
    "pain_twice": ("pain-rating", {"rating": "3"}),
}


def test_snapshot(client, stage_one_plan, patient):
    client.force_login(patient)
    tag = os.environ.get("SNAP", "before")
    for name, (slug, data) in CASES.items():
        url = reverse("rehab:outcome_form", args=[slug])
        response = client.get(url) if data is None else client.post(url, data)
        body = response.content.decode()
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
        with open(f"/tmp/outsnap/{tag}_{name}.html", "w") as out:
            out.write(f"{response.status_code}\n{body}")
