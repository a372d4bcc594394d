"""Which writes change which people's pages: the change counters' triggers (common/change_counters.py) for
the models of every app, kept at the top layer as the append-only triggers are (portal/apps.py).

Every model is listed exactly once, tracked or untracked with the reason; a test fails on a model missing
from both, so a new table cannot be forgotten.
"""

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.db import connections

from common.change_counters import Following, Tracked, install, shown_user_fields, uninstall


def tracked_models(apps: Apps = installed_apps) -> list[Tracked]:
    """The tracked tables, from `apps`: the installed models, or after a migration the models as migrated
    (a model the migrated state does not have yet is left out)."""
    everyone = [
        "accounts.ClinicianProfile",  # disciplines on care teams and referral lists
        "conditions.Condition",
        "conditions.Section",
        "conditions.RedFlag",
        "conditions.RelatedCondition",
        "conditions.FAQ",
        "conditions.Reference",
        "rehab.Exercise",
        "rehab.PlanTemplate",
        "rehab.PlanTemplateItem",
    ]
    about_people = {
        "accounts.PatientProfile": ("user",),
        "accounts.AccountClosureRequest": ("patient",),
        "careteam.CareTeamMembership": ("patient", "clinician"),
        "careteam.Note": ("patient",),
        "careteam.NoteAddendum": ("note__patient",),
        "careteam.Alert": ("patient",),
        "conditions.SymptomCheck": ("patient",),
        "conditions.RedFlagScreen": ("patient",),
        "rehab.RehabPlan": ("patient",),
        "rehab.Prescription": ("plan__patient",),
        "rehab.PlanRevision": ("plan__patient",),
        "rehab.SessionLog": ("patient",),
        "rehab.ExerciseDone": ("session__patient",),
        "rehab.MorningCheckIn": ("patient",),
        "rehab.FlareUp": ("plan__patient",),
        "rehab.OutcomeMeasure": ("patient",),
        "reminders.ReminderSettings": ("user",),
        "reminders.ReminderTime": ("user",),
        "reminders.Delivery": ("recipient",),
        "reminders.Notification": ("user",),
        "reminders.TimeSuggestion": ("patient", "suggested_by"),
        "otp_totp.TOTPDevice": ("user",),
        "otp_static.StaticDevice": ("user",),
        "otp_static.StaticToken": ("device__user",),
    }
    present = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    tracked = []
    if "accounts.User" in present:
        # People's names, roles, zones and whether they are active show on other people's pages (note
        # authors, care teams, My patients).
        user = apps.get_model("accounts.User")
        shown = tuple(field.name for field in shown_user_fields(user))
        tracked.append(Tracked(user, everyone=True, only_columns=shown))
    # A referral to a discipline shows in the inbox of every clinician of it, patient or not yet.
    wanted: list[tuple[str, tuple[str, ...], bool]] = [
        ("careteam.Referral", ("patient", "to_clinician"), True)
    ]
    wanted += [(label, (), True) for label in everyone]
    wanted += [(label, people, False) for label, people in about_people.items()]
    tracked += [
        Tracked(apps.get_model(label), people=people, everyone=for_everyone)
        for label, people, for_everyone in wanted
        if label in present
    ]
    return tracked


def care_teams(apps: Apps = installed_apps) -> Following | None:
    """A clinician follows the patients of their care teams: My patients and the alert inbox read one
    counter for the whole caseload."""
    if "careteam.CareTeamMembership" not in {model._meta.label for model in apps.get_models()}:
        return None
    return Following(apps.get_model("careteam.CareTeamMembership"), follower="clinician", followed="patient")


UNTRACKED = {
    "accounts.AuditEvent": "written by page views themselves; no page kept for a person shows it",
    "common.ChangeCounter": "the counters themselves",
    "admin.LogEntry": "the admin's history, never kept",
    "auth.Permission": "the admin's permissions, never shown on a kept page",
    "auth.Group": "the admin's permissions",
    "auth.Group_permissions": "the admin's permissions",
    "accounts.User_groups": "the admin's permissions",
    "accounts.User_user_permissions": "the admin's permissions",
    "contenttypes.ContentType": "Django's catalogue of models",
    "sessions.Session": "sign-in state; a kept page is keyed by the person, not the session",
    "django_celery_beat.SolarSchedule": "the scheduler's own tables",
    "django_celery_beat.IntervalSchedule": "the scheduler's own tables",
    "django_celery_beat.ClockedSchedule": "the scheduler's own tables",
    "django_celery_beat.CrontabSchedule": "the scheduler's own tables",
    "django_celery_beat.PeriodicTasks": "the scheduler's own tables",
    "django_celery_beat.PeriodicTask": "the scheduler's own tables",
    "axes.AccessAttempt": "sign-in lockout, read before any page",
    "axes.AccessAttemptExpiration": "sign-in lockout, read before any page",
    "axes.AccessFailureLog": "sign-in lockout, read before any page",
    "axes.AccessLog": "sign-in lockout, read before any page",
}


def drop_change_triggers(**kwargs) -> None:
    """pre_migrate receiver: the triggers go while the tables change (common.change_counters.uninstall)."""
    uninstall(connections[kwargs.get("using", "default")])


def install_change_triggers(**kwargs) -> None:
    """post_migrate receiver: (re)install the triggers on the database just migrated, for its models as
    migrated (`apps`, which post_migrate passes)."""
    apps = kwargs.get("apps", installed_apps)
    install(tracked_models(apps), connections[kwargs.get("using", "default")], following=care_teams(apps))
