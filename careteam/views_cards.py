"""What the care-team pages show for each note and alert, worked out once in Python rather than in template
loops (a page lists up to 25 of them).

A note's card, and an alert's summary (its card without the acknowledge form), are the same HTML on every
page view until one of their inputs changes, so they are kept, rendered, in a small per-process LRU keyed by
a digest of every input they are drawn from (the note and its addenda or the alert, the names shown, the
viewer's time zone, what the viewer may do there): a change to any of them is a new key, never a stale
fragment. The acknowledge form is drawn afresh each time: it carries the request's CSRF token and path.
"""

import dataclasses
import datetime
import hashlib
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from careteam.models import Alert, Note
from common.addresses import url_with_public_id
from common.recent import RecentMarkup

# --- notes ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AddendumCard:
    author: str
    discipline: str
    created_at: datetime.datetime
    reason: str
    body: str


@dataclasses.dataclass(frozen=True)
class NoteCard:
    """Every input of careteam/_note.html: the card is drawn from these alone."""

    public_id: str
    discipline: str
    author: str
    created_at: datetime.datetime
    is_shared: bool
    soap_sections: tuple[tuple[str, str], ...]
    body: str
    addenda: tuple[AddendumCard, ...]
    show_visibility: bool
    addendum_url: str  # empty when the viewer may not add one
    time_zone: str


CACHED_FRAGMENTS = 512  # a note is at most a few times MARKDOWN_MAX characters; most are a few hundred


recent_fragments = RecentMarkup(CACHED_FRAGMENTS)


def _fragment(template: str, name: str, inputs: "NoteCard | AlertSummary") -> SafeString:
    """`template` drawn from `inputs` alone (named `name` there) in their time zone, or kept from before."""
    # repr() of a frozen dataclass names its class and every field and quotes every string, so two different
    # inputs never share a digest's text; the template's name is part of it too.
    key = hashlib.blake2b(f"{template}\n{inputs!r}".encode(), digest_size=20).digest()

    def render() -> SafeString:
        with timezone.override(inputs.time_zone):
            return render_to_string(template, {name: inputs})

    return recent_fragments.get_or_render(key, render)


def note_cards(
    notes: Iterable[Note], *, time_zone: str, may_write: bool, show_visibility: bool
) -> list[SafeString]:
    """The HTML of each note's card (careteam/_note.html), in the viewer's time zone; the notes come with
    their author and their addenda's authors (`selectors.notes_for_team`)."""
    addendum_url = url_with_public_id("careteam:note_addendum") if may_write else None
    cards = []
    for note in notes:
        card = NoteCard(
            public_id=str(note.public_id),
            discipline=note.get_author_discipline_display(),
            author=note.author.get_full_name(),
            created_at=note.created_at,
            is_shared=note.is_shared,
            soap_sections=tuple(note.soap_sections),
            body=note.body,
            addenda=tuple(
                AddendumCard(
                    author=addendum.author.get_full_name(),
                    discipline=addendum.get_author_discipline_display(),
                    created_at=addendum.created_at,
                    reason=addendum.reason,
                    body=addendum.body,
                )
                for addendum in note.addenda.all()
            ),
            show_visibility=show_visibility,
            addendum_url=addendum_url(note.public_id) if addendum_url else "",
            time_zone=time_zone,
        )
        cards.append(_fragment("careteam/_note.html", "note", card))
    return cards


# --- alerts -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AlertSummary:
    """Every input of careteam/_alert_summary.html: the alert's card without its acknowledge form."""

    public_id: str
    severity: str
    severity_label: str
    kind: str
    trigger: str
    raised_at: datetime.datetime
    show_patient: bool
    patient_name: str  # empty when the card does not name the patient
    patient_url: str
    tick_box: bool  # to acknowledge it with others, in the inbox's bulk form
    time_zone: str


def alert_rows(
    alerts: Iterable[Alert], *, time_zone: str, with_forms: bool, show_patient: bool, tick_boxes: bool
) -> list[dict]:
    """What careteam/_alert.html shows of each alert: its summary's HTML, and `ack_url` for its acknowledge
    form, empty when the viewer may not acknowledge it there (then it has no tick box either). Dicts, because
    a template reads a dict's keys faster than an object's attributes."""
    patient_url = url_with_public_id("careteam:patient_detail")
    ack_url = url_with_public_id("careteam:alert_acknowledge")
    rows = []
    for alert in alerts:
        summary = AlertSummary(
            public_id=str(alert.public_id),
            severity=alert.severity,
            severity_label=alert.get_severity_display(),
            kind=alert.get_kind_display(),
            trigger=alert.trigger,
            raised_at=alert.raised_at,
            show_patient=show_patient,
            patient_name=alert.patient.get_full_name() if show_patient else "",
            patient_url=patient_url(alert.patient.patient_profile.public_id) if show_patient else "",
            tick_box=tick_boxes and with_forms,
            time_zone=time_zone,
        )
        rows.append(
            {
                "public_id": summary.public_id,
                "severity": summary.severity,
                "summary": _fragment("careteam/_alert_summary.html", "alert", summary),
                "ack_url": ack_url(alert.public_id) if with_forms else "",
            }
        )
    return rows
