"""Reads that the condition pages share, with everything they show fetched in a fixed number of queries."""

import datetime
from collections.abc import Iterable
from typing import NoReturn

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from conditions.models import FAQ, Condition, RedFlagScreen, RelatedCondition, Section, SymptomCheck


def _readable_by(user: User | AnonymousUser) -> QuerySet[Condition]:
    conditions = Condition.objects.all()
    if not (isinstance(user, User) and user.is_admin):
        conditions = conditions.filter(published=True)
    return conditions


def condition_search(*, user: User | AnonymousUser, query: str = "") -> QuerySet[Condition]:
    """Articles whose name, aliases, summary, section text or FAQs contain the query, ignoring case.
    Plain icontains, so it behaves the same on PostgreSQL and SQLite."""
    conditions = _readable_by(user)
    if query:
        conditions = conditions.filter(
            Q(name__icontains=query)
            | Q(aliases__icontains=query)
            | Q(summary__icontains=query)
            | Q(
                pk__in=Section.objects.filter(Q(title__icontains=query) | Q(body__icontains=query)).values(
                    "condition"
                )
            )
            | Q(
                pk__in=FAQ.objects.filter(Q(question__icontains=query) | Q(answer__icontains=query)).values(
                    "condition"
                )
            )
        )
    return conditions.order_by("name")


def condition_article(*, user: User | AnonymousUser, slug: str) -> Condition:
    """The whole article for reading. Unpublished articles are missing for everyone but admins."""
    return _article_queryset(_readable_by(user)).filter(slug=slug).first() or _not_found()


def condition_article_by_pk(*, pk: int) -> Condition:
    """The whole article, published or not, for the admin's preview."""
    return _article_queryset(Condition.objects.all()).filter(pk=pk).first() or _not_found()


def _article_queryset(conditions: QuerySet[Condition]) -> QuerySet[Condition]:
    return conditions.select_related("reviewed_by").prefetch_related(
        "sections",
        "red_flags",
        Prefetch("related", queryset=RelatedCondition.objects.select_related("to_condition")),
        "faqs",
        "references",
    )


def symptom_checks_of(*, patient: User, limit: int = 5) -> list[SymptomCheck]:
    return list(SymptomCheck.objects.filter(patient=patient).order_by("-created_at")[:limit])


def _not_found() -> NoReturn:
    raise Http404


def red_flag_screens_holding(*, patient: User) -> list[RedFlagScreen]:
    """The patient's screens with a "yes" that no clinician has released yet, oldest first."""
    return list(RedFlagScreen.objects.holding().filter(patient=patient).order_by("created_at"))


def patients_with_screens_holding(*, patient_ids: Iterable[int]) -> set[int]:
    """The bulk form of `red_flag_screens_holding`: which of these patients have a screen holding them."""
    return set(
        RedFlagScreen.objects.holding()
        .filter(patient_id__in=list(patient_ids))
        .values_list("patient_id", flat=True)
    )


def last_red_flag_screen(*, patient: User) -> RedFlagScreen | None:
    return RedFlagScreen.objects.filter(patient=patient).order_by("-created_at").first()


def last_released_red_flag_screen(*, patient: User, since: datetime.datetime) -> RedFlagScreen | None:
    return (
        RedFlagScreen.objects.filter(patient=patient, released_at__gte=since)
        .select_related("released_by")
        .order_by("-released_at")
        .first()
    )


def red_flag_screens_for_today(*, patient: User, since: datetime.datetime) -> list[RedFlagScreen]:
    """In one query, every screen of the patient that Today asks about: those holding the plan, and those
    answered or released since `since` (`rehab.holds.today_screens_of` sorts them out)."""
    return list(
        RedFlagScreen.objects.filter(patient=patient)
        .filter(
            (Q(released_at__isnull=True) & ~Q(urgency=""))  # as `RedFlagScreen.objects.holding()`
            | Q(created_at__gte=since)
            | Q(released_at__gte=since)
        )
        .select_related("released_by")
    )


def red_flag_screens_overlapping(*, patient: User, since: datetime.datetime) -> bool:
    """Whether a screen with a "yes" held the patient's plan at any time from `since` on."""
    return (
        RedFlagScreen.objects.flagged()
        .filter(patient=patient)
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=since))
        .exists()
    )
