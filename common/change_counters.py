"""Change counters: database triggers count every write to the rows about a person, so a page kept for a
signed-in person (common/private_page_cache.py) is known to be current by reading a few counts.

Each tracked table names, for a row, the people it is about (`Tracked.people`, paths to a user such as
"patient" or "plan__patient") and whether everyone's pages show it (`Tracked.everyone`: the exercise library,
condition content, people's names). After INSERT, UPDATE or DELETE, a trigger adds one to the counter of
each such person (`ChangeCounter.scope` = the user's id) and of everyone (scope 0), for the row before and
after the change.

Triggers, not signals, because every way of writing passes through them: the ORM, `QuerySet.update()` and
`bulk_create()`, the admin, tasks and a database client. The count is written in the same
transaction as the change, so a reader that reads the counts before the rows never keeps rows newer than
its counts under counts that will be read again. Counts only grow, and rows of `ChangeCounter` are never
deleted, so a set of counts once replaced never comes back.

A person may follow others (`Following`: a clinician the patients of their care teams). A write about a
followed person also adds one to each follower's `followed_by` scope, so a page about everyone a person
follows (a caseload of 300) reads one counter rather than 300. On PostgreSQL the row triggers note the
people written about in PENDING_TABLE (unlogged: rows that live only inside their transaction), and one
deferred constraint trigger adds one for all their followers when the transaction commits, in one statement
in scope order, and forgets them. So the followers are read after any wait for a person's counter (a care
team joined meanwhile is counted), a transaction holds no follower's counter while it waits for anything
else, and two transactions take their followers' counters in the same order (they cannot wait on each
other). On SQLite, whose writers take turns, each row trigger counts for the followers with the rest.

The triggers are dropped before every `migrate` and installed again after it, from the models as migrated
(portal/apps.py): they name columns and other tables, which migrations change. Installing them adds one to
everyone's counter, for whatever the migrations wrote meanwhile.
"""

import dataclasses
import hashlib
from collections.abc import Iterable

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignKey, Model, QuerySet
from django.db.models.expressions import RawSQL

from common.models import ChangeCounter

EVERYONE = 0
# A person's columns that no page shows: signing in (last_login) must not forget their pages.
USER_COLUMNS_NOT_SHOWN = frozenset({"password", "last_login"})
COUNTER_TABLE = ChangeCounter._meta.db_table
TRIGGER_PREFIX = "counts_changes_"
POSTGRESQL_NAME_LENGTH = 63
# PostgreSQL: the people a transaction wrote about, until it commits (see above).
PENDING_TABLE = f"{TRIGGER_PREFIX}pending"
FOLLOWERS_TRIGGER = f"{TRIGGER_PREFIX}followers"  # on PENDING_TABLE, deferred to the commit
# Adds one to the counter of each scope an INSERT gives, creating it at 1.
ADD_ONE = f"ON CONFLICT (scope) DO UPDATE SET n = {COUNTER_TABLE}.n + 1"


def shown_user_fields(user: Model | type[Model]) -> list[Field]:
    """The columns of a person (the User model, or one as migrated) that pages show."""
    fields = user._meta.concrete_fields
    return [field for field in fields if field.name not in USER_COLUMNS_NOT_SHOWN]


@dataclasses.dataclass(frozen=True)
class Following:
    """A table whose rows say that `follower` follows `followed` (fields that are foreign keys to people).
    Every row counts, current or not: a follower counted too often costs a page drawn again, never one kept
    too long. The table must be tracked for both people, so that a change of whom a person follows changes
    their own counter, which a page of the people they follow reads as well."""

    model: type[Model]
    follower: str
    followed: str


def followed_by(person: int) -> int:
    """The scope that counts every write about the people `person` follows."""
    return -person


@dataclasses.dataclass(frozen=True)
class Tracked:
    """A table whose writes are counted. `only_columns`: an UPDATE counts only when one of these fields
    changes (for columns no page shows, such as a user's last sign-in)."""

    model: type[Model]
    people: tuple[str, ...] = ()
    everyone: bool = False
    only_columns: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def person_sql(model: type[Model], path: str, row: str) -> str:
    """SQL for the id of the user `path` leads to from `row` (NEW or OLD), through each foreign key:
    "plan__patient" from a prescription is the patient_id of the plan whose id is the row's plan_id."""
    qn = default_connection.ops.quote_name
    names = path.split("__")
    field = _foreign_key(model, names[0])
    sql = f"{row}.{qn(field.column)}"
    for name in names[1:]:
        related = field.related_model._meta  # type: ignore[union-attr]  # a foreign key's model
        key_column = related.pk.column  # type: ignore[union-attr]  # every model has a primary key
        field = _foreign_key(related.model, name)
        # Table and column names from the models; no input reaches this SQL.
        sql = f"(SELECT {qn(field.column)} FROM {qn(related.db_table)} WHERE {qn(key_column)} = {sql})"  # noqa: S608
    return sql


def _foreign_key(model: type[Model], name: str) -> ForeignKey:
    field = model._meta.get_field(name)
    if not isinstance(field, ForeignKey):
        raise TypeError(f"{model._meta.label}.{name} is not a foreign key to a person")
    return field


def _people_sql(tracked: Tracked, rows: tuple[str, ...]) -> list[str]:
    return [person_sql(tracked.model, path, row) for row in rows for path in tracked.people]


def _followers_sql(following: Following, people: list[str]) -> list[str]:
    """A SELECT of the `followed_by` scopes of the followers of each of `people` (SQL for a user's id)."""
    qn = default_connection.ops.quote_name
    table = qn(following.model._meta.db_table)
    follower = qn(_foreign_key(following.model, following.follower).column)
    followed = qn(_foreign_key(following.model, following.followed).column)
    # Names from the models; no input reaches this SQL.
    return [f"SELECT -{follower} AS scope FROM {table} WHERE {followed} = {person}" for person in people]  # noqa: S608


def _add_one_sql(scopes: list[str]) -> str:
    """One statement that adds one to each distinct counter `scopes` (SELECTs of a `scope` column) give.
    UNION and DISTINCT remove repeats (a counter may be written once per statement), the counters are locked
    in scope order (so that two writers cannot wait on each other), and the text runs on both databases."""
    chosen = " UNION ".join(scopes)
    # Names and ids from the models; no input reaches this SQL.
    return (
        f"INSERT INTO {COUNTER_TABLE} (scope, n) SELECT DISTINCT scope, 1 FROM ({chosen}) AS scopes "  # noqa: S608
        f"WHERE scope IS NOT NULL ORDER BY scope {ADD_ONE}"
    )


def _bump_sql(tracked: Tracked, rows: tuple[str, ...], following: Following | None = None) -> str:
    """The statement counting a write of `rows` for the people they are about and everyone, and for their
    followers when `following` is given."""
    people = _people_sql(tracked, rows)
    scopes = [f"SELECT {person} AS scope" for person in people]
    if tracked.everyone:
        scopes.append(f"SELECT {EVERYONE} AS scope")
    if following is not None:
        scopes += _followers_sql(following, people)
    return _add_one_sql(scopes)


def _changed_sql(tracked: Tracked, *, distinct: str) -> str:
    """The WHEN condition of the UPDATE trigger: one of `only_columns` changed (`distinct` is the vendor's
    null-safe "differs" operator)."""
    qn = default_connection.ops.quote_name
    fields = [tracked.model._meta.get_field(name) for name in tracked.only_columns]
    columns = [qn(field.column) for field in fields if isinstance(field, Field)]
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)


def postgresql_statements(tracked: Tracked, following: Following | None = None) -> list[str]:
    """The counting trigger; for a table about people whose followers are given, it also notes the people
    for `postgresql_followers_statements`' trigger at commit."""

    def bump(rows: tuple[str, ...]) -> str:
        statement = _bump_sql(tracked, rows)
        if following is None or not tracked.people:
            return statement
        people = " UNION ".join(f"SELECT {person} AS person" for person in _people_sql(tracked, rows))
        # Names from the models; no input reaches this SQL.
        noted = (
            f"INSERT INTO {PENDING_TABLE} (person) SELECT person FROM ({people}) AS people "  # noqa: S608
            f"WHERE person IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {PENDING_TABLE} AS noted WHERE noted.person = people.person)"
        )
        return f"{statement}; {noted}"

    name, table = TRIGGER_PREFIX + tracked.table, tracked.table
    if len(f"{name}_update") > POSTGRESQL_NAME_LENGTH:
        raise ValueError(f"{name}_update is too long a name for PostgreSQL")
    when = f"WHEN ({_changed_sql(tracked, distinct='IS DISTINCT FROM')})" if tracked.only_columns else ""
    function = f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN {bump(("NEW",))};
            ELSIF TG_OP = 'DELETE' THEN {bump(("OLD",))};
            ELSE {bump(("OLD", "NEW"))};
            END IF;
            RETURN NULL;
        END $$"""
    run = f"EXECUTE FUNCTION {name}()"
    return [
        function,
        f'DROP TRIGGER IF EXISTS {name}_write ON "{table}"',
        f'DROP TRIGGER IF EXISTS {name}_update ON "{table}"',
        f'CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON "{table}" FOR EACH ROW {run}',
        f'CREATE TRIGGER {name}_update AFTER UPDATE ON "{table}" FOR EACH ROW {when} {run}',
    ]


def postgresql_followers_statements(following: Following) -> list[str]:
    """The table of people written about and its deferred trigger, which at commit adds one for all their
    followers in one statement and forgets them (its later firings in the transaction find nobody)."""
    name = FOLLOWERS_TRIGGER
    noted = f"ANY (SELECT person FROM {PENDING_TABLE})"  # noqa: S608 (names of ours)
    followers = _add_one_sql(_followers_sql(following, [noted]))
    delete = f"DELETE FROM {PENDING_TABLE}"  # noqa: S608 (names of ours)
    return [
        f"CREATE UNLOGGED TABLE IF NOT EXISTS {PENDING_TABLE} (person bigint NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {PENDING_TABLE}_person ON {PENDING_TABLE} (person)",
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {followers};
            {delete};
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {name} ON {PENDING_TABLE}",
        f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT ON {PENDING_TABLE} DEFERRABLE INITIALLY DEFERRED "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def sqlite_statements(tracked: Tracked, following: Following | None = None) -> list[str]:
    table, name = tracked.table, TRIGGER_PREFIX + tracked.table
    when = f"WHEN {_changed_sql(tracked, distinct='IS NOT')}" if tracked.only_columns else ""
    statements = []
    for operation, rows, condition in (
        ("INSERT", ("NEW",), ""),
        ("DELETE", ("OLD",), ""),
        ("UPDATE", ("OLD", "NEW"), when),
    ):
        trigger = f"{name}_{operation.lower()}"
        statements += [
            f'DROP TRIGGER IF EXISTS "{trigger}"',
            f'CREATE TRIGGER "{trigger}" AFTER {operation} ON "{table}" FOR EACH ROW {condition} '
            f"BEGIN {_bump_sql(tracked, rows, following)}; END",
        ]
    return statements


STATEMENTS = {"postgresql": postgresql_statements, "sqlite": sqlite_statements}


def install(
    tracked: Iterable[Tracked],
    connection: BaseDatabaseWrapper = default_connection,
    following: Following | None = None,
) -> None:
    """Create (or replace) the triggers of every tracked table that exists, counting for the followers
    `following` names when its table exists too; other databases get none."""
    statements_for = STATEMENTS.get(connection.vendor)
    if statements_for is None:
        return
    tables = set(connection.introspection.table_names())
    if COUNTER_TABLE not in tables:
        return
    if following is not None and following.model._meta.db_table not in tables:
        following = None
    with connection.cursor() as cursor:
        if following is not None and connection.vendor == "postgresql":
            for statement in postgresql_followers_statements(following):
                cursor.execute(statement)
        for each in tracked:
            if each.table in tables:
                for statement in statements_for(each, following):
                    cursor.execute(statement)
        # Whatever migrations wrote while the triggers were gone: every page kept before is forgotten.
        cursor.execute(f"INSERT INTO {COUNTER_TABLE} (scope, n) VALUES (%s, 1) {ADD_ONE}", [EVERYONE])  # noqa: S608


def uninstall(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Drop every change-counter trigger, before migrations run: a trigger names columns and other tables,
    which would stop SQLite rebuilding a table and PostgreSQL dropping a column."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def counts_of(
    *people: int, among: QuerySet | None = None, alongside: dict[str, RawSQL] | None = None
) -> tuple[list[tuple[int, int]], dict[str, object]]:
    """The counters of everyone (scope 0), of `people` and of the users `among` selects (a queryset of user
    ids, such as a clinician's caseload), as (scope, count) in scope order; and the values of `alongside`
    (one value each, such as a count), read in the same query. Read them before the rows a page shows. A
    person with no counter has not been written since the triggers were installed; their first write adds
    one, which changes the list as well.

    Written as SQL because every kept page runs it: the ORM took longer to build it than the database took
    to answer. `among` is compiled by the ORM, as a subquery."""
    own = [EVERYONE, *people]
    params: list = []
    columns = ["scope", "n"]
    for expression in (alongside or {}).values():
        columns.append(f"({expression.sql})")
        params += expression.params
    params += own
    if among is None:
        where = f"scope IN ({', '.join(['%s'] * len(own))})"
    else:
        # One IN over a UNION, not `scope IN (...) OR scope IN (subquery)`: PostgreSQL answers the OR by
        # reading the whole table, and this from the primary key (0.15 against 1.8 ms for a record).
        among_sql, among_params = among.order_by().query.sql_with_params()
        where = f"scope IN ({' UNION ALL '.join(['SELECT %s'] * len(own) + [among_sql])})"
        params += among_params
    sql = f"SELECT {', '.join(columns)} FROM {COUNTER_TABLE} WHERE {where} ORDER BY scope"  # noqa: S608
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = dict(zip(alongside or {}, rows[0][2:], strict=True)) if rows else {}
    return [(row[0], row[1]) for row in rows], values


def digest_of(counts: list[tuple[int, int]]) -> str:
    return hashlib.sha256(repr(counts).encode()).hexdigest()
