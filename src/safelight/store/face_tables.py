"""The poster face table of the store (migration 008): face embeddings of missing-person posters.

Reached as ``store.poster_faces`` (a ``PosterFaceTables``). Only poster faces are stored; ad
faces are computed in memory by ``safelight.missing.face_match`` and never written anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    import duckdb

__all__ = ["PosterFaceTables"]


class PosterFaceTables:
    """Methods over ``poster_faces`` of one open store."""

    def __init__(self, con: duckdb.DuckDBPyConnection, transaction: Any) -> None:
        self._con = con
        self._transaction = transaction

    def replace(self, case_ids: Sequence[str], rows: pa.Table) -> int:
        """Drop the stored faces of ``case_ids`` and store ``rows`` (the shape of
        ``safelight.missing.face_match.FACE_ROW_SCHEMA``) in one transaction: a re-imported
        poster never keeps the faces of its old photos."""
        cases = pa.table({"case_id": pa.array(list(case_ids), pa.string())})
        with self._transaction():
            self._con.register("_cases", cases)
            self._con.register("_faces", rows)
            try:
                self._con.execute(
                    "DELETE FROM poster_faces WHERE case_id IN (SELECT case_id FROM _cases)"
                )
                self._con.execute(
                    "INSERT INTO poster_faces SELECT case_id, ref, face, model, "
                    "embedding::FLOAT[128] FROM _faces"
                )
            finally:
                self._con.unregister("_cases")
                self._con.unregister("_faces")
        return rows.num_rows

    def embeddings(self, model: str) -> dict[str, list[tuple[float, ...]]]:
        """Each case's face embeddings made by ``model``, in photo and face order."""
        rows = self._con.execute(
            "SELECT case_id, embedding::FLOAT[] FROM poster_faces WHERE model = ? "
            "ORDER BY case_id, ref, face",
            [model],
        ).fetchall()
        out: dict[str, list[tuple[float, ...]]] = {}
        for case_id, embedding in rows:
            out.setdefault(case_id, []).append(tuple(embedding))
        return out

    def ad_images(self, ad_ids: Sequence[str]) -> dict[str, list[str]]:
        """The local image paths of ``ad_ids`` (URLs left out: nothing is downloaded)."""
        ids = pa.table({"ad_id": pa.array(list(dict.fromkeys(ad_ids)), pa.string())})
        self._con.register("_ids", ids)
        try:
            rows = self._con.execute(
                "SELECT a.ad_id, list_transform(a.images, lambda i: i.ref) FROM ads a "
                "JOIN _ids USING (ad_id) WHERE len(a.images) > 0"
            ).fetchall()
        finally:
            self._con.unregister("_ids")
        return {ad_id: [r for r in refs if "://" not in r] for ad_id, refs in rows}

    def count(self) -> int:
        row = self._con.execute("SELECT count(*) FROM poster_faces").fetchone()
        return int(row[0]) if row else 0
