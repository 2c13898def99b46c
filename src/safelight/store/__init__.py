"""The store: where ads and extracted values live (an embedded DuckDB file).

``Store(path)`` opens or creates the database and applies its migrations; every other part of
Safelight reads and writes through its methods and gets Arrow tables back.
"""

from __future__ import annotations

from safelight.store.duckdb_store import FileProgress, Store

__all__ = ["FileProgress", "Store"]
