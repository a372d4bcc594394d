"""Writes with rules: loading the shipped articles, and recording a patient's symptom check."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accounts.audit import WITHOUT_REQUEST, AuditContext, audit_record
from accounts.models import User
from careteam.models import AlertKind, AlertSeverity
from careteam.services import alert_raise
from conditions import selfcheck
from conditions.models import (
    FAQ,
    Condition,
    RedFlag,
    Reference,
    RelatedCondition,
    ResultKind,
    Section,
    SymptomCheck,
)


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
    condition.reviewed_by = None
    condition.last_reviewed = shipped_on
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


@transaction.atomic
def symptom_check_record(
    *, patient: User, answers: Mapping[str, Any], audit: AuditContext = WITHOUT_REQUEST
) -> SymptomCheck:
    """Assess a patient's answers and keep them with the result on their record, audited as the patient's
    own write. This is the one place a red-flag result is saved, so whatever must follow a red flag starts
    here."""
    if not patient.is_patient:
        raise ValueError("Only patients have symptom checks on their record.")
    result = selfcheck.assess(answers)
    check = SymptomCheck(
        patient=patient,
        answers=dict(answers),
        result_kind=ResultKind.RED_FLAGS if result.has_red_flags else ResultKind.SEVERITY,
        red_flags=[rule.code for rule in result.red_flags],
        has_red_flags=result.has_red_flags,
        severity=result.severity,
        score=result.score,
    )
    _save(check)
    audit_record(actor=patient, action="symptom_check.create", patient=patient, audit=audit, obj=check)
    if check.has_red_flags:
        flags = "; ".join(rule.label for rule in result.red_flags)
        alert_raise(
            patient=patient,
            kind=AlertKind.RED_FLAG,
            severity=AlertSeverity.HIGH,
            trigger=f"Symptom self-check answered with red flags: {flags}. "
            "The patient was told to get assessed promptly and was shown no exercise advice.",
            dedupe_key=f"symptom-check:{check.public_id}",
        )
    return check
