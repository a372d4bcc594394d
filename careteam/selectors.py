"""Reads that several pages share, with the joins they need so a page's query count stays flat."""

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)

from accounts.models import ClinicianProfile, PatientProfile, Role, User
from careteam.models import (
    SEVERITY_RANK,
    Alert,
    CareTeamMembership,
    Note,
    NoteAddendum,
    Referral,
    ReferralStatus,
    TeamRole,
    Visibility,
)


def team_of(patient: User) -> QuerySet[CareTeamMembership]:
    """Today's team, the lead first."""
    return (
        CareTeamMembership.objects.active()
        .filter(patient=patient)
        .select_related("clinician", "clinician__clinician_profile")
        .order_by("role", "clinician__last_name", "clinician__first_name")
    )


def team_of_public_id(public_id) -> QuerySet[CareTeamMembership]:
    """`team_of` the patient with this public id, each membership with the patient and their profile (and the
    clinician, without their profile: the record names them, with the membership's discipline)."""
    return (
        CareTeamMembership.objects.active()
        .filter(patient__role=Role.PATIENT, patient__patient_profile__public_id=public_id)
        .select_related("patient__patient_profile", "clinician")
        .order_by("role", "clinician__last_name", "clinician__first_name")
    )


def counted_page(rows: QuerySet, number, per_page: int) -> Page:
    """`Paginator(rows, per_page).get_page(number)` with the count read along with the page's rows (a window
    over the filtered rows), in one query; a page past the end costs a count and the last page's read."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    bottom = (wanted - 1) * per_page
    if 0 <= bottom < 2**31:  # a larger offset could overflow the database: the Paginator clamps it
        found = list(rows.annotate(total_rows=Window(Count("pk")))[bottom : bottom + per_page])
        if found or wanted == 1:
            count = found[0].total_rows if found else 0
            return Page(found, wanted, _CountedPaginator(rows, per_page, count=count))
    return Paginator(rows, per_page).get_page(number)


def notes_page(notes: QuerySet[Note], number, per_page: int) -> Page:
    """A page of notes as `counted_page` reads it."""
    return counted_page(notes, number, per_page)


class _CountedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property: known, so not asked again


def memberships_of(patient: User) -> QuerySet[CareTeamMembership]:
    """Every membership, past, present and future, newest first."""
    return (
        CareTeamMembership.objects.filter(patient=patient)
        .select_related("clinician", "added_by", "ended_by")
        .order_by("-active_from", "-id")
    )


def notes_for_team(patient: User, *, discipline: str = "", author: User | None = None) -> QuerySet[Note]:
    notes = Note.objects.filter(patient=patient)
    if discipline:
        notes = notes.filter(author_discipline=discipline)
    if author is not None:
        notes = notes.filter(author=author)
    return notes.select_related("author").prefetch_related(
        Prefetch("addenda", queryset=NoteAddendum.objects.select_related("author"))
    )


def notes_shared_with(patient: User) -> QuerySet[Note]:
    return notes_for_team(patient).filter(visibility=Visibility.SHARED)


def note_authors(patient: User) -> QuerySet[User]:
    """Who wrote the patient's notes, for the record's filter: only the names (and the email, which names
    someone without one) are read."""
    return (
        User.objects.filter(notes_written__patient=patient)
        .only("first_name", "last_name", "email")
        .distinct()
        .order_by("last_name", "first_name")
    )


def referrals_of(patient: User) -> QuerySet[Referral]:
    """The patient's referrals, with the two people the record's list names (who referred, and to whom)."""
    return Referral.objects.filter(patient=patient).select_related("referred_by", "to_clinician")


def _active_team_patients(clinician: User) -> QuerySet[CareTeamMembership]:
    return CareTeamMembership.objects.active().filter(clinician=clinician)


def severity_rank() -> Case:
    return Case(
        *[When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def open_alerts(*, patient: User | None = None) -> QuerySet[Alert]:
    """Open alerts, most severe first, then oldest first."""
    alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    if patient is not None:
        # One patient's alerts (the record): their card does not name the patient.
        alerts = alerts.filter(patient=patient).only(*_ALERT_CARD_FIELDS)
    else:
        alerts = alerts.select_related("patient", "patient__patient_profile").only(
            *_ALERT_CARD_FIELDS, *_ALERT_PATIENT_FIELDS
        )
    return alerts.annotate(rank=severity_rank()).order_by("-rank", "raised_at", "id")


# What an alert's card shows (careteam/_alert.html), and of its patient when it names them: only these are
# compiled and fetched; reading another field costs a query of its own.
_ALERT_CARD_FIELDS = ("public_id", "patient", "kind", "severity", "trigger", "raised_at")
_ALERT_PATIENT_FIELDS = ("patient__first_name", "patient__last_name", "patient__patient_profile__public_id")


def alert_inbox(user: User) -> QuerySet[Alert]:
    """A clinician's "Needs attention": open alerts of their active teams' patients; admins see every one."""
    alerts = open_alerts()
    if user.is_admin:
        return alerts
    on_team = _active_team_patients(user).filter(patient=OuterRef("patient"))
    return alerts.filter(Exists(on_team))


def open_alert_count(user: User) -> int:
    return alert_inbox(user).count()


def referrals_named_for(clinician: User) -> QuerySet[Referral]:
    """Open referrals naming this clinician, oldest first."""
    if not clinician.is_clinician:
        return Referral.objects.none()
    return (
        Referral.objects.filter(status=ReferralStatus.OPEN, to_clinician=clinician)
        .select_related("patient", "referred_by")
        .only(*_shown_in_inbox("urgency", "created_at", people=("patient", "referred_by")))
        .order_by("created_at", "id")
    )


def referrals_to_discipline_of(clinician: User) -> QuerySet[Referral]:
    """Open referrals to the clinician's discipline with nobody named, oldest first; the inbox shows them
    without the patient (careteam.access.ReferralView.BRIEF)."""
    if not clinician.is_clinician:
        return Referral.objects.none()
    # The discipline is read in the same query; a clinician without a profile has none, and gets no row.
    discipline = ClinicianProfile.objects.filter(user=clinician).values("discipline")[:1]
    return (
        Referral.objects.filter(
            status=ReferralStatus.OPEN, to_clinician__isnull=True, discipline=Subquery(discipline)
        )
        .exclude(patient__in=_active_team_patients(clinician).values("patient"))
        .select_related("referred_by")
        .only(*_shown_in_inbox("discipline", "urgency", "created_at", people=("referred_by",)))
        .order_by("created_at", "id")
    )


def acceptances_waiting_for(user: User) -> QuerySet[Referral]:
    """Referrals accepted by a clinician and waiting for this user's confirmation as the patient's lead today
    (every one of them for an admin), oldest first."""
    waiting = Referral.objects.filter(status=ReferralStatus.AWAITING_LEAD)
    if not user.is_admin:
        leading = _active_team_patients(user).filter(role=TeamRole.LEAD).values("patient")
        waiting = waiting.filter(patient__in=leading)
    return (
        waiting.select_related("patient", "responded_by")
        .only(*_shown_in_inbox("discipline", "responded_at", people=("patient", "responded_by")))
        .order_by("responded_at", "id")
    )


def _shown_in_inbox(*fields: str, people: tuple[str, ...]) -> list[str]:
    """What a referral list of the inbox (careteam/alert_list.html) shows: the referral's public id and
    `fields`, and the name of each person in `people`. Only these are compiled and fetched; reading another
    field costs a query of its own."""
    names = [f"{person}__{name}" for person in people for name in ("first_name", "last_name")]
    return ["public_id", *fields, *people, *names]


def record_owner(public_id: uuid.UUID) -> QuerySet:
    """The id of the patient whose record has this public id, as a subquery (no query of its own)."""
    return PatientProfile.objects.filter(public_id=public_id).values("user_id")


def patients_of(user: User) -> QuerySet[User]:
    """The patients a clinician may see today (all patients for an admin), with their profile."""
    patients = User.objects.filter(role=Role.PATIENT).select_related("patient_profile")
    if not user.is_admin:
        # EXISTS rather than a join: no DISTINCT over whole rows, and the count needs none of the columns.
        on_team = _active_team_patients(user).filter(patient=OuterRef("pk"))
        patients = patients.filter(Exists(on_team))
    open_count = Alert.objects.filter(patient=OuterRef("pk"), acknowledged_at__isnull=True)
    return patients.annotate(has_open_alerts=Exists(open_count)).order_by("last_name", "first_name", "id")
