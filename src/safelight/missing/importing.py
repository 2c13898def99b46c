"""Importing missing-person posters into the store (``safelight missing import``).

``import_posters(store, paths)``: ``iter_missing`` rows into ``store.missing`` in batches, with
each local photo's pHash and the poster's blocking keys; rejects appended to a JSONL file
exactly as ingest does for ads (``--strict`` stops at the first). A case imported again replaces
the stored one. Nothing here logs a personal field: counts only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa

from safelight.errors import StrictRejectError, UserError
from safelight.extract.images import phash_file
from safelight.missing.evidence import Poster
from safelight.missing.face_match import FACES_MISSING, store_poster_faces
from safelight.missing.faces import available as face_model_available
from safelight.missing.model import poster_keys
from safelight.missing.records import MISSING_SCHEMA, MissingPerson, is_local_photo, iter_missing
from safelight.records import Reject

if TYPE_CHECKING:
    from safelight.store import Store

__all__ = ["IMPORT_BATCH", "ImportSummary", "import_posters"]

log = logging.getLogger(__name__)
IMPORT_BATCH = 1_000


@dataclass(slots=True)
class ImportSummary:
    read: int = 0
    stored: int = 0
    rejected: int = 0
    photos: int = 0
    unreadable_photos: int = 0
    faces: int = 0  # faces found in poster photos (0 when faces are off or not installed)
    rejects_path: Path | None = None


class _RejectsFile:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def write(self, reject: Reject) -> None:
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _photo_hashes(person: MissingPerson, summary: ImportSummary) -> list[tuple[str, str | None]]:
    out = []
    for ref in person.photos:
        local = is_local_photo(ref)
        value = phash_file(ref) if local else None
        summary.photos += 1
        summary.unreadable_photos += value is None
        out.append((ref, value))
    return out


def _store_batch(
    store: Store, persons: list[MissingPerson], summary: ImportSummary, faces: bool = False
) -> None:
    if not persons:
        return
    unique = {p.case_id: p for p in persons}  # a case repeated in one batch: the last wins
    photos: dict[str, list[Any]] = {"case_id": [], "ref": [], "phash": []}
    keys: dict[str, list[str]] = {"case_id": [], "key": []}
    for person in unique.values():
        hashed = _photo_hashes(person, summary)
        for ref, value in hashed:
            photos["case_id"].append(person.case_id)
            photos["ref"].append(ref)
            photos["phash"].append(value)
        poster = Poster.from_person(person, [h for _, h in hashed if h])
        for key in sorted(poster_keys(poster)):
            keys["case_id"].append(person.case_id)
            keys["key"].append(key)
    table = pa.Table.from_pylist([p.to_row() for p in unique.values()], schema=MISSING_SCHEMA)
    summary.stored += store.missing.add_posters(
        table,
        pa.table(photos, schema=pa.schema([(n, pa.string()) for n in photos])),
        pa.table(keys, schema=pa.schema([(n, pa.string()) for n in keys])),
    )
    summary.faces += store_poster_faces(store, list(unique.values()), enabled=faces)


def import_posters(
    store: Store,
    paths: Sequence[Path],
    *,
    rejects_path: Path | None = None,
    strict: bool = False,
    faces: bool | None = None,
) -> ImportSummary:
    """Read poster files into the store; a case imported again replaces the stored one.
    ``faces``: embed the faces in poster photos (None: when the optional models are installed)."""
    if faces and not face_model_available():
        raise UserError(FACES_MISSING)
    faces = face_model_available() if faces is None else faces
    summary = ImportSummary(rejects_path=rejects_path)
    rejects = _RejectsFile(rejects_path)
    batch: list[MissingPerson] = []
    try:
        for item in iter_missing(paths):
            summary.read += 1
            if isinstance(item, Reject):
                summary.rejected += 1
                rejects.write(item)
                if strict:
                    _store_batch(store, batch, summary, faces)
                    raise StrictRejectError(
                        f"{item.message()} (--strict: stopped there; the {summary.stored:,} "
                        "posters before it are stored)"
                    )
                continue
            batch.append(item)
            if len(batch) >= IMPORT_BATCH:
                _store_batch(store, batch, summary, faces)
                batch = []
        _store_batch(store, batch, summary, faces)
    finally:
        rejects.close()
    log.info("posters: %d read, %d stored, %d rejected", summary.read, summary.stored,
             summary.rejected)  # fmt: skip
    return summary
