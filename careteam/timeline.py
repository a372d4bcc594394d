"""The patient timeline: one chronological list merged from "timeline sources".

A source is a function `source(patient, limit) -> Iterable[TimelineEntry]` that returns at most `limit`
entries of its own, newest first, in a fixed number of queries (never one per entry). Apps register their
sources when Django starts, in their AppConfig.ready():

    from careteam import timeline
    timeline.register("rehab.sessions", sessions_for_timeline)

To show page N of the timeline, each source is asked for its newest N * page_size + 1 entries and the
results are merged, so the query count is the number of sources whatever the length of the history. Older
pages read more rows (never more queries); a page far back could be served by a cursor instead.
"""

import dataclasses
import datetime
import heapq
import itertools
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.models import User
from careteam.models import Alert, CareTeamMembership, Note, NoteAddendum, Referral, ReferralStatus

PAGE_SIZE = 25


@dataclasses.dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    category: str  # a short word shown as a badge: "Note", "Referral", "Alert", "Session"...
    title: str
    detail: str = ""  # plain text, shown escaped and shortened
    actor: str = ""  # who did it, when someone did
    url: str = ""  # where the full item lives, when it has a page


TimelineSource = Callable[[User, int], Iterable[TimelineEntry]]

_sources: dict[str, TimelineSource] = {}


def register(name: str, source: TimelineSource) -> None:
    """Add (or replace) a source under a unique name such as "rehab.sessions"."""
    _sources[name] = source


def registered_sources() -> dict[str, TimelineSource]:
    return dict(_sources)


@dataclasses.dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def timeline_page(patient: User, page: int = 1, page_size: int = PAGE_SIZE) -> TimelinePage:
    page = max(page, 1)
    wanted = page * page_size + 1
    streams = [
        sorted(source(patient, wanted), key=lambda entry: entry.at, reverse=True)
        for source in _sources.values()
    ]
    merged = heapq.merge(*streams, key=lambda entry: entry.at, reverse=True)
    window = list(itertools.islice(merged, (page - 1) * page_size, wanted))
    return TimelinePage(
        entries=window[:page_size], number=page, has_previous=page > 1, has_next=len(window) > page_size
    )


def _name(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _shorten(text: str, length: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _note_summary(note: Note) -> str:
    return _shorten(" · ".join(text for _, text in note.soap_sections) or note.body)


def _record_url(patient: User, note_public_id) -> str:
    page = reverse("careteam:patient_detail", args=[patient.patient_profile.public_id])
    return f"{page}#note-{note_public_id}"


def notes_source(patient: User, limit: int) -> list[TimelineEntry]:
    notes = (
        Note.objects.filter(patient=patient).select_related("author").order_by("-created_at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=note.created_at,
            category="Note",
            title=f"{note.get_author_discipline_display()} note ({note.get_visibility_display().lower()})",
            detail=_note_summary(note),
            actor=_name(note.author),
            url=_record_url(patient, note.public_id),
        )
        for note in notes
    ]


def addenda_source(patient: User, limit: int) -> list[TimelineEntry]:
    addenda = (
        NoteAddendum.objects.filter(note__patient=patient)
        .select_related("author", "note")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=addendum.created_at,
            category="Addendum",
            title=f"Addendum: {addendum.reason}",
            detail=_shorten(addendum.body),
            actor=_name(addendum.author),
            url=_record_url(patient, addendum.note.public_id),
        )
        for addendum in addenda
    ]


def _referral_step(referral: Referral, moment: str) -> tuple[str, str, User | None]:
    """The title, detail and actor of one step of a referral, named by the field that dates it."""
    discipline = referral.get_discipline_display().lower()
    if moment == "created_at":
        detail = f"{referral.get_urgency_display()}: {referral.reason}"
        return f"Referred to {discipline}", detail, referral.referred_by
    if moment == "responded_at":
        if referral.status == ReferralStatus.DECLINED and referral.reviewed_by_id is None:
            return f"Referral to {discipline} declined", referral.decline_reason, referral.responded_by
        return f"Referral to {discipline} accepted", "", referral.responded_by
    if moment == "reviewed_at":
        if referral.status == ReferralStatus.DECLINED:
            return (
                f"Acceptance of the referral to {discipline} declined by the lead",
                referral.decline_reason,
                referral.reviewed_by,
            )
        return f"Acceptance of the referral to {discipline} confirmed by the lead", "", referral.reviewed_by
    return f"Referral to {discipline} completed", "", referral.completed_by


def referrals_source(patient: User, limit: int) -> list[TimelineEntry]:
    """An entry for each step a referral has taken (sent, accepted or declined, confirmed or declined by the
    lead, completed), newest first, in one query. A step can come long after the referral was sent, so every
    referral of the patient is read: a patient has a handful, not hundreds."""
    referrals = Referral.objects.filter(patient=patient).select_related(
        "referred_by", "responded_by", "reviewed_by", "completed_by"
    )
    entries: list[TimelineEntry] = []
    for referral in referrals:
        url = reverse("careteam:referral_detail", args=[referral.public_id])
        for moment in ("created_at", "responded_at", "reviewed_at", "completed_at"):
            at = getattr(referral, moment)
            if at is None:
                continue
            title, detail, actor = _referral_step(referral, moment)
            entries.append(
                TimelineEntry(
                    at=at,
                    category="Referral",
                    title=title,
                    detail=_shorten(detail),
                    actor=_name(actor),
                    url=url,
                )
            )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def _newest(rows: QuerySet, limit: int, *moments: str) -> QuerySet:
    """The rows that are among the `limit` newest by any of the `moments` (date fields), in one query."""
    newest = Q()
    for moment in moments:
        ids = rows.filter(**{f"{moment}__isnull": False}).order_by(f"-{moment}", "-id").values("id")[:limit]
        newest |= Q(id__in=ids)
    return rows.filter(newest)


def alerts_source(patient: User, limit: int) -> list[TimelineEntry]:
    """An entry for each alert raised and each acknowledged, newest first, in one query."""
    alerts = _newest(
        Alert.objects.filter(patient=patient), limit, "raised_at", "acknowledged_at"
    ).select_related("acknowledged_by")
    raised: list[TimelineEntry] = []
    acknowledged: list[TimelineEntry] = []
    for alert in alerts:
        kind = alert.get_kind_display().lower()
        raised.append(
            TimelineEntry(
                at=alert.raised_at,
                category="Alert",
                title=f"{alert.get_severity_display()} alert raised: {kind}",
                detail=_shorten(alert.trigger),
            )
        )
        if alert.acknowledged_at is not None:
            acknowledged.append(
                TimelineEntry(
                    at=alert.acknowledged_at,
                    category="Alert",
                    title=f"Alert acknowledged: {kind}",
                    detail=_shorten(alert.acknowledge_comment),
                    actor=_name(alert.acknowledged_by),
                )
            )
    return _newest_entries(raised, limit) + _newest_entries(acknowledged, limit)


def memberships_source(patient: User, limit: int) -> list[TimelineEntry]:
    """An entry for each clinician who joined the team and each who left it, newest first, in one query."""
    memberships = _newest(
        CareTeamMembership.objects.filter(patient=patient), limit, "added_at", "ended_at"
    ).select_related("clinician", "added_by", "ended_by")
    joined: list[TimelineEntry] = []
    left: list[TimelineEntry] = []
    for membership in memberships:
        clinician, role = _name(membership.clinician), membership.get_role_display().lower()
        joined.append(
            TimelineEntry(
                at=membership.added_at,
                category="Team",
                title=f"{clinician} joined the team as {role} from {membership.active_from:%d %b %Y}",
                detail=membership.get_discipline_display(),
                actor=_name(membership.added_by),
            )
        )
        if membership.ended_at is not None:
            left.append(
                TimelineEntry(
                    at=membership.ended_at,
                    category="Team",
                    title=f"{clinician} leaves the team after {membership.active_to:%d %b %Y}",
                    detail=membership.get_discipline_display(),
                    actor=_name(membership.ended_by),
                )
            )
    return _newest_entries(joined, limit) + _newest_entries(left, limit)


def _newest_entries(entries: list[TimelineEntry], limit: int) -> list[TimelineEntry]:
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def register_careteam_sources() -> None:
    register("careteam.notes", notes_source)
    register("careteam.addenda", addenda_source)
    register("careteam.referrals", referrals_source)
    register("careteam.alerts", alerts_source)
    register("careteam.memberships", memberships_source)
