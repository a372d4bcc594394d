from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib import admin
        from django.db.models.signals import post_migrate, pre_migrate

        from accounts.admin import audit_history_views
        from portal.change_tracking import drop_change_triggers, install_change_triggers

        protect_append_only_tables()
        audit_history_views(admin.site)
        # Once per `migrate`, before and after every app's migrations (any app with models is a sender once).
        common = apps.get_app_config("common")
        pre_migrate.connect(drop_change_triggers, sender=common, dispatch_uid="drop-change-triggers")
        post_migrate.connect(install_change_triggers, sender=common, dispatch_uid="change-triggers")


def protect_append_only_tables() -> None:
    """On PostgreSQL, a trigger refuses UPDATE and DELETE on the append-only records, so not even raw SQL or a
    database client can rewrite them; the ORM already refuses (`common.models.AppendOnlyModel`).

    They are registered here, at the top layer, for the models of every app, and installed after each
    `migrate` (settings PGTRIGGER_INSTALL_ON_MIGRATE); on SQLite pgtrigger skips them. TRUNCATE, which empties
    the test database between transactional tests, fires no row triggers. Registering twice is harmless.
    """
    import pgtrigger

    from accounts.models import AuditEvent
    from careteam.models import Note, NoteAddendum
    from rehab.models import PlanRevision

    for model in (AuditEvent, Note, NoteAddendum, PlanRevision):
        pgtrigger.register(
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        )(model)
