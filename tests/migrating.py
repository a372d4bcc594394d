"""For tests of a data migration: move the test database to some migrations, and back to the latest."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.change_tracking import drop_change_triggers, install_change_triggers


def migrate_to(targets: list[tuple[str, str]]) -> MigrationExecutor:
    """Migrate to `targets` (app, migration) and return the executor, whose `loader.project_state(targets)`
    gives the models as they were there."""
    drop_change_triggers()  # as `migrate` does (portal/apps.py)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def migrate_to_latest() -> None:
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    install_change_triggers()
