"""Writes with rules: loading the shipped articles, a clinician's review of one, and recording a patient's
symptom check."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from accounts.services import patient_lock
from careteam.models import AlertKind, AlertSeverity
from careteam.services import alert_raise
from conditions import red_flags, selfcheck
from conditions.models import (
    FAQ,
    Condition,
    RedFlag,
    RedFlagScreen,
    Reference,
    RelatedCondition,
    ResultKind,
    ScreenSource,
    Section,
    SymptomCheck,
)

RESULT_KINDS = {
    "red_flags": ResultKind.RED_FLAGS,
    "assess": ResultKind.ASSESS,
    "severity": ResultKind.SEVERITY,
}


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def conditions_load(
    *, articles: Iterable[Mapping[str, Any]], shipped_on: datetime.date, update: bool = False
) -> LoadReport:
    """Create the shipped articles that are missing. With update, also put the shipped text back into those
    that exist (their published flag is kept). Articles are matched by slug, so running it again never
    duplicates anything."""
    report = LoadReport()
    written: list[tuple[Condition, Mapping[str, Any]]] = []
    for article in articles:
        condition = Condition.objects.filter(slug=article["slug"]).first()
        if condition is None:
            condition = Condition(slug=article["slug"], published=True)
            report.created.append(article["slug"])
        elif update:
            report.updated.append(article["slug"])
        else:
            report.unchanged.append(article["slug"])
            continue
        _write_article(condition, article, shipped_on)
        written.append((condition, article))
    # Related links point at other articles, so they are written once every article exists.
    for condition, article in written:
        condition.related.all().delete()
        for order, item in enumerate(article["related"]):
            target = Condition.objects.filter(slug=item["slug"]).first()
            if target is None:
                raise ValueError(f"{article['slug']} links to {item['slug']!r}, which is not an article.")
            _save(
                RelatedCondition(
                    from_condition=condition, to_condition=target, order=order, difference=item["difference"]
                )
            )
    return report


def _write_article(condition: Condition, article: Mapping[str, Any], shipped_on: datetime.date) -> None:
    illustration = article.get("illustration") or {}
    condition.name = article["name"]
    condition.aliases = "\n".join(article["aliases"])
    condition.summary = article["summary"]
    condition.illustration_path = illustration.get("path", "")
    condition.illustration_alt = illustration.get("alt", "")
    # The shipped text replaces whatever a clinician reviewed, so any review is cleared: the article says
    # "not yet reviewed" until a clinician marks this text reviewed (`condition_mark_reviewed`).
    condition.content_date = shipped_on
    condition.reviewed_by = None
    condition.last_reviewed = None
    _save(condition)
    for related_name in ("sections", "red_flags", "faqs", "references"):
        getattr(condition, related_name).all().delete()
    for order, section in enumerate(article["sections"]):
        _save(Section(condition=condition, order=order, **section))
    for order, flag in enumerate(article["red_flags"]):
        _save(RedFlag(condition=condition, order=order, **flag))
    for order, faq in enumerate(article["faqs"]):
        _save(FAQ(condition=condition, order=order, **faq))
    for order, reference in enumerate(article["references"]):
        _save(Reference(condition=condition, order=order, **reference))


def _save(instance: Any) -> None:
    instance.full_clean()
    instance.save()


def may_review_conditions(user: User) -> bool:
    """Only a clinician may vouch for a health article: a user whose role is clinician, or an admin who also
    has a clinician profile (the admin site, where the review is recorded, is open to admins only)."""
    return (
        user.is_authenticated and (user.is_clinician or user.is_admin) and hasattr(user, "clinician_profile")
    )


@transaction.atomic
def condition_mark_reviewed(
    *, condition: Condition, by: User, audit: AuditContext = WITHOUT_REQUEST
) -> Condition:
    """Record that `by`, a clinician, reviewed the article's current text today, and audit it.

    The audit row has no patient: the article belongs to no one's record."""
    if not may_review_conditions(by):
        raise PermissionDenied("Only a clinician can mark an article as reviewed.")
    condition.reviewed_by = by
    condition.last_reviewed = timezone.localdate()
    _save(condition)
    audit_record(actor=by, action="condition.review", patient=None, audit=audit, obj=condition)
    return condition


# An alert's severity says how soon the care team must act, so it follows the screen's urgency.
URGENCY_SEVERITY: dict[str, str] = {
    red_flags.Urgency.EMERGENCY: AlertSeverity.EMERGENCY,
    red_flags.Urgency.SAME_DAY: AlertSeverity.HIGH,
    red_flags.Urgency.SOON: AlertSeverity.MEDIUM,
}


@transaction.atomic
def red_flag_screen_record(
    *,
    patient: User,
    answers: Mapping[str, Any],
    source: str,
    audit: AuditContext = WITHOUT_REQUEST,
    now: datetime.datetime | None = None,
) -> RedFlagScreen:
    """Keep one pass through the red-flag screen on the patient's record, audited as their own write.

    Any "yes" raises one alert for the care team, with the most urgent flag's tier as its severity, and the
    saved screen holds the patient's exercise plan (see `rehab.selectors.plan_hold_of`) until a clinician
    releases it. Every caller of the screen (self-check, flare-up start, the weekly check) comes here."""
    if not patient.is_patient:
        raise ValueError("Only patients answer the red-flag screen.")
    if source not in ScreenSource.values:
        raise ValueError(f"Unknown red-flag screen source {source!r}.")
    flagged = red_flags.flags_answered_yes(answers)
    urgency = red_flags.most_urgent(flagged)
    now = now or timezone.now()
    patient_lock(patient=patient)  # a session or check-in being saved now waits, or is saved first
    screen = RedFlagScreen(
        patient=patient,
        source=source,
        answers={code: bool(answers[code]) for code in red_flags.RED_FLAG_CODES},
        flags=[flag.code for flag in flagged],
        urgency=urgency or "",
        created_at=now,
    )
    _save(screen)
    audit_record(actor=patient, action="red_flag_screen.create", patient=patient, audit=audit, obj=screen)
    if urgency is not None:
        advice = red_flags.URGENCY_ADVICE[urgency]
        alert_raise(
            patient=patient,
            kind=AlertKind.RED_FLAG,
            severity=URGENCY_SEVERITY[urgency],
            trigger=f"Red flags answered yes ({ScreenSource(source).label}): "
            + "; ".join(flag.label for flag in flagged)
            + f". Urgency: {urgency.label.lower()}; the patient was told: “{advice.heading}” and was shown "
            "no exercise advice. Their exercise plan is on hold until a clinician reviews and releases it.",
            dedupe_key=f"red-flag-screen:{screen.public_id}",
            now=now,
        )
    return screen


def red_flag_holds_release(
    *, patient: User, by: User, note: str, now: datetime.datetime
) -> list[RedFlagScreen]:
    """Mark every open red-flag screen of the patient reviewed and released, with the clinician's note.

    Called by rehab's plan release, inside its transaction and behind its door and audit row: conditions
    cannot see plans, and the release belongs to the plan's history."""
    screens = list(RedFlagScreen.objects.holding().select_for_update().filter(patient=patient))
    for screen in screens:
        screen.released_at, screen.released_by, screen.release_note = now, by, note
        screen.save(update_fields=["released_at", "released_by", "release_note"])
    return screens


@transaction.atomic
def symptom_check_record(
    *, patient: User, answers: Mapping[str, Any], audit: AuditContext = WITHOUT_REQUEST
) -> SymptomCheck:
    """Assess a patient's answers and keep them with the result on their record, audited as the patient's
    own write. Its red-flag answers go through the one screen (`red_flag_screen_record`), so a "yes" here
    alerts the care team and holds the plan as it does anywhere else."""
    if not patient.is_patient:
        raise ValueError("Only patients have symptom checks on their record.")
    result = selfcheck.assess(answers)
    check = SymptomCheck(
        patient=patient,
        answers=dict(answers),
        result_kind=RESULT_KINDS[result.kind],
        red_flags=[rule.code for rule in result.red_flags],
        has_red_flags=result.has_red_flags,
        severity=result.severity,
        score=result.score,
    )
    _save(check)
    audit_record(actor=patient, action="symptom_check.create", patient=patient, audit=audit, obj=check)
    red_flag_screen_record(
        patient=patient, answers=answers, source=ScreenSource.SELF_CHECK, audit=audit, now=check.created_at
    )
    return check
