"""Numbered schema migrations for the DuckDB store.

Each ``store/migrations/NNN_name.sql`` file is one migration. ``apply_migrations`` runs the
ones a database has not seen, in number order, each inside its own transaction together with
its row in ``schema_migrations(version, name, applied_at)``, so a crash never leaves a
half-applied migration behind. A database written by a newer Safelight (a version this code does
not know) is refused with a clear error rather than silently misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from safelight.errors import SafelightError

if TYPE_CHECKING:
    import duckdb

__all__ = ["Migration", "apply_migrations", "available_migrations", "schema_version"]

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """The migrations shipped with this version of Safelight, in order."""
    folder = resources.files("safelight.store").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to ``con``'s database, 0 for a fresh one."""
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Bring the database up to date; returns the migrations applied now (empty if none)."""
    con.execute(_BOOKKEEPING)
    known = available_migrations()
    current = schema_version(con)
    newest = known[-1].version if known else 0
    if current > newest:
        raise SafelightError(
            f"this database has schema version {current}, written by a newer Safelight "
            f"(this one knows up to {newest}); upgrade Safelight to open it"
        )
    done = {int(v) for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied: list[Migration] = []
    for migration in known:
        # any version not applied yet, even below the highest: migrations written on parallel
        # branches may land out of number order
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration)
    return applied
