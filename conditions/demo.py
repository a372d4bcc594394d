"""The condition library for `manage.py seed_demo`: the shipped articles, created when missing."""

from conditions.content import SHIPPED_ARTICLES, SHIPPED_ON
from conditions.services import conditions_load


def seed_demo_conditions() -> list[str]:
    return conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON).created
