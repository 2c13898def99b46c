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

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from safelight.missing import faces
from safelight.missing.features import Comparison, compare_faces

if TYPE_CHECKING:
    from safelight.missing.records import MissingPerson
    from safelight.store import Store

__all__ = [
    "FACE_MODEL",
    "FACE_ROW_SCHEMA",
    "AdFaces",
    "face_comparisons",
    "face_table",
    "poster_face_rows",
]

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


def _is_local(ref: str) -> bool:
    return "://" not in ref and not ref.startswith("data:")


def poster_face_rows(case_id: str, photos: Sequence[str]) -> list[dict[str, object]]:
    """One row per face found in the poster's local photos (``FACE_ROW_SCHEMA`` shape)."""
    rows: list[dict[str, object]] = []
    for ref in photos:
        if not _is_local(ref):
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


def store_poster_faces(store: Store, persons: Sequence[MissingPerson]) -> int:
    """Embed the posters' photos and store them, replacing earlier faces of those cases;
    returns the number of faces stored."""
    rows = [row for p in persons for row in poster_face_rows(p.case_id, p.photos)]
    return store.poster_faces.replace([p.case_id for p in persons], face_table(rows))


def face_extras(
    store: Store, pairs: Sequence[tuple[str, str]], ad_faces: AdFaces
) -> dict[tuple[str, str], Comparison]:
    """Face comparisons for ``pairs`` (a run's best candidates), read from and computed beside
    ``store``: the pairs of a poster with no stored face cost nothing."""
    poster_faces = store.poster_faces.embeddings(FACE_MODEL)
    wanted = [(c, a) for c, a in pairs if c in poster_faces]
    if not wanted:
        return {}
    pictures = store.poster_faces.ad_images([a for _, a in wanted])
    return face_comparisons(wanted, poster_faces, pictures, ad_faces)


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
            if _is_local(ref):
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
