"""Faces in the missing-person match, kept within the limits the issue sets.

- Poster photos are embedded once, at import (``poster_face_rows``), and stored with the poster.
- Ad photos are embedded only for ads already among a poster's best candidates, in memory, for
  the length of one match run (``AdFaces``), and compared with that poster alone
  (``face_comparisons``). Nothing indexes, clusters or stores the faces of people in ads.
- A face comparison is one feature of a lead like any other: shown in words, with the two
  pictures side by side in the report, for a person to review.

Faces are used only when the optional packages are installed (``faces.available()``) and the
caller has not turned them off.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from safelight.missing import faces
from safelight.missing.features import Comparison, compare_faces
from safelight.missing.records import is_local_photo

if TYPE_CHECKING:
    from safelight.missing.records import MissingPerson
    from safelight.store import Store

__all__ = [
    "FACES_MISSING",
    "FACES_PER_CASE",
    "FACE_MODEL",
    "FACE_ROW_SCHEMA",
    "AdFaces",
    "FaceHook",
    "face_comparisons",
    "face_table",
    "poster_face_rows",
    "store_poster_faces",
]

FACES_PER_CASE = 30  # ad pictures are embedded for each case's best pairs only (cost bound)
FACE_MODEL = "dlib_resnet_v1"  # the embedding model's name, stored beside each embedding
FACE_ROW_SCHEMA = pa.schema(
    [
        ("case_id", pa.string()),
        ("ref", pa.string()),
        ("face", pa.int16()),
        ("model", pa.string()),
        ("embedding", pa.list_(pa.float32())),
    ]
)
Embedding = tuple[float, ...]
FACES_MISSING = (
    "faces need the optional packages dlib-bin and face_recognition_models "
    "(pip install -e '.[faces]')"
)


def poster_face_rows(case_id: str, photos: Sequence[str]) -> list[dict[str, object]]:
    """One row per face found in the poster's local photos (``FACE_ROW_SCHEMA`` shape)."""
    rows: list[dict[str, object]] = []
    for ref in photos:
        if not is_local_photo(ref):
            continue
        for index, embedding in enumerate(faces.embed_file(ref)):
            rows.append(
                {
                    "case_id": case_id,
                    "ref": ref,
                    "face": index,
                    "model": FACE_MODEL,
                    "embedding": list(embedding),
                }
            )
    return rows


def face_table(rows: Iterable[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=FACE_ROW_SCHEMA)


def store_poster_faces(
    store: Store, persons: Sequence[MissingPerson], *, enabled: bool = True
) -> int:
    """Embed the posters' photos and store them, replacing earlier faces of those cases (with
    none when not ``enabled``: a re-imported poster keeps no face of its old photos); returns
    the number of faces stored."""
    rows = [r for p in persons for r in poster_face_rows(p.case_id, p.photos)] if enabled else []
    return store.poster_faces.replace([p.case_id for p in persons], face_table(rows))


class FaceHook:
    """The match's ``extra`` hook: face comparisons for the pairs about to be scored fully.

    The match scores each case's pairs in order of their first-pass score, so the first
    ``per_case`` pairs with an ad picture are that case's best candidates: only they have their
    pictures embedded (about 0.3 s of CPU per real-size picture). A face can lift or lower
    those pairs; it never brings in a pair the other evidence did not."""

    def __init__(self, store: Store, per_case: int = FACES_PER_CASE) -> None:
        self.store = store
        self.per_case = per_case
        self.poster_faces = store.poster_faces.embeddings(FACE_MODEL)
        self.ad_faces = AdFaces()
        self.compared = 0
        self._used: Counter[str] = Counter()

    def __bool__(self) -> bool:
        return bool(self.poster_faces)

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Comparison]:
        wanted = [(c, a) for c, a in pairs if c in self.poster_faces]
        if not wanted:
            return {}
        pictures = self.store.poster_faces.ad_images([a for _, a in wanted])
        allowed = []
        for case_id, ad_id in wanted:
            if pictures.get(ad_id) and self._used[case_id] < self.per_case:
                self._used[case_id] += 1
                allowed.append((case_id, ad_id))
        found = face_comparisons(allowed, self.poster_faces, pictures, self.ad_faces)
        self.compared += len(found)
        return found


class AdFaces:
    """Embeddings of ad pictures for one match run: computed when first asked, held in a
    bounded in-memory cache (a picture reposted in many ads is embedded once), never written."""

    def __init__(self, max_pictures: int = 4_096) -> None:
        self._cache: OrderedDict[str, tuple[Embedding, ...]] = OrderedDict()
        self._max = max_pictures
        self.embedded = 0  # pictures actually run through the model (for the run summary)

    def of(self, pictures: Sequence[str]) -> tuple[Embedding, ...]:
        out: list[Embedding] = []
        for ref in pictures:
            if is_local_photo(ref):
                out.extend(self._picture(ref))
        return tuple(out)

    def _picture(self, ref: str) -> tuple[Embedding, ...]:
        found = self._cache.get(ref)
        if found is not None:
            self._cache.move_to_end(ref)
            return found
        found = tuple(faces.embed_file(ref))
        self.embedded += 1
        self._cache[ref] = found
        if len(self._cache) > self._max:
            self._cache.popitem(last=False)
        return found


def face_comparisons(
    pairs: Iterable[tuple[str, str]],
    poster_faces: Mapping[str, Sequence[Embedding]],
    ad_pictures: Mapping[str, Sequence[str]],
    ad_faces: AdFaces,
) -> dict[tuple[str, str], Comparison]:
    """The face comparison of each ``(case_id, ad_id)`` pair whose poster has a face and whose
    ad has a local picture; other pairs are left out (their face level stays unknown)."""
    out: dict[tuple[str, str], Comparison] = {}
    for case_id, ad_id in pairs:
        poster = poster_faces.get(case_id)
        pictures = ad_pictures.get(ad_id)
        if not poster or not pictures:
            continue
        out[case_id, ad_id] = compare_faces(poster, ad_faces.of(pictures))
    return out
