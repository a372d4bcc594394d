"""Reads that several pages share, with the joins they need so a page's query count stays flat."""

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)

from accounts.models import Role, User
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
from common.clinic_time import clinic_today


def team_of(patient: User) -> QuerySet[CareTeamMembership]:
    """Today's team, the lead first."""
    return (
        CareTeamMembership.objects.active()
        .filter(patient=patient)
        .select_related("clinician", "clinician__clinician_profile")
        .order_by("role", "clinician__last_name", "clinician__first_name")
    )


def team_of_public_id(public_id) -> QuerySet[CareTeamMembership]:
    """`team_of` the patient with this public id, each membership with the patient and their profile."""
    return (
        CareTeamMembership.objects.active()
        .filter(patient__role=Role.PATIENT, patient__patient_profile__public_id=public_id)
        .select_related("patient__patient_profile", "clinician", "clinician__clinician_profile")
        .order_by("role", "clinician__last_name", "clinician__first_name")
    )


def notes_page(notes: QuerySet[Note], number, per_page: int) -> Page:
    """`Paginator(notes, per_page).get_page(number)` with the count read along with the page's notes (a
    window over the filtered notes); a page past the end costs a count and the last page's read."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        bottom = (wanted - 1) * per_page
        rows = list(notes.annotate(total=Window(Count("id")))[bottom : bottom + per_page])
        if rows or wanted == 1:
            return Page(rows, wanted, _CountedPaginator(notes, per_page, count=rows[0].total if rows else 0))
    return Paginator(notes, per_page).get_page(number)


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
    return User.objects.filter(notes_written__patient=patient).distinct().order_by("last_name", "first_name")


def referrals_of(patient: User) -> QuerySet[Referral]:
    return Referral.objects.filter(patient=patient).select_related(
        "referred_by", "to_clinician", "responded_by", "reviewed_by", "completed_by"
    )


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
        alerts = alerts.filter(patient=patient)
    return (
        alerts.select_related("patient", "patient__patient_profile")
        .annotate(rank=severity_rank())
        .order_by("-rank", "raised_at", "id")
    )


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
        .order_by("created_at", "id")
    )


def referrals_to_discipline_of(clinician: User) -> QuerySet[Referral]:
    """Open referrals to the clinician's discipline with nobody named, oldest first; the inbox shows them
    without the patient (careteam.access.ReferralView.BRIEF)."""
    profile = getattr(clinician, "clinician_profile", None)
    if not clinician.is_clinician or profile is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(
            status=ReferralStatus.OPEN, to_clinician__isnull=True, discipline=profile.discipline
        )
        .exclude(patient__in=_active_team_patients(clinician).values("patient"))
        .select_related("referred_by")
        .order_by("created_at", "id")
    )


def acceptances_waiting_for(user: User) -> QuerySet[Referral]:
    """Referrals accepted by a clinician and waiting for this user's confirmation as the patient's lead today
    (every one of them for an admin), oldest first."""
    waiting = Referral.objects.filter(status=ReferralStatus.AWAITING_LEAD)
    if not user.is_admin:
        leading = _active_team_patients(user).filter(role=TeamRole.LEAD).values("patient")
        waiting = waiting.filter(patient__in=leading)
    return waiting.select_related("patient", "patient__patient_profile", "responded_by").order_by(
        "responded_at", "id"
    )


def patients_of(user: User) -> QuerySet[User]:
    """The patients a clinician may see today (all patients for an admin), with their profile."""
    patients = User.objects.filter(role=Role.PATIENT).select_related("patient_profile")
    if not user.is_admin:
        today = clinic_today()
        patients = patients.filter(
            Q(care_memberships__active_to__isnull=True) | Q(care_memberships__active_to__gte=today),
            care_memberships__clinician=user,
            care_memberships__active_from__lte=today,
        ).distinct()
    open_count = Alert.objects.filter(patient=OuterRef("pk"), acknowledged_at__isnull=True)
    return patients.annotate(has_open_alerts=Exists(open_count)).order_by("last_name", "first_name", "id")
