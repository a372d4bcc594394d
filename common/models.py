"""Append-only records: clinical notes, plan revisions and the audit log are only ever added to.

Saving an existing row or deleting one raises `AppendOnlyError`, and so do `update()` and `delete()` on their
querysets. A correction is a new row (an addendum, a new revision), never an edit. On PostgreSQL a trigger
refuses UPDATE and DELETE on these tables as well, whoever sends them (registered in portal/apps.py).
"""

from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a row of an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"A {self._meta.verbose_name} cannot be changed; add a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"A {self._meta.verbose_name} cannot be deleted.")


class ChangeCounter(models.Model):
    """How many times the rows about one person (`scope` is their user id), or the content everyone sees
    (`scope` 0), have been written. Only database triggers write it (common/change_counters.py); pages kept
    for a signed-in person are keyed by these counts (common/private_page_cache.py)."""

    scope = models.BigIntegerField(primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.n}"
