"""Shipped condition articles, loaded by `manage.py load_conditions`."""

import datetime

from conditions.content.hamstring_tendinopathy import CONDITION
from conditions.content.related import CONDITIONS

# The date the shipped text was last checked against the clinical digest; it is stored as the article's text
# date. It is not a clinical review: only a clinician marking the article reviewed in the admin sets that.
SHIPPED_ON = datetime.date(2026, 11, 21)

SHIPPED_ARTICLES: list[dict] = [CONDITION, *CONDITIONS]
