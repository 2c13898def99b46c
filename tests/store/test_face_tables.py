"""The poster face table: replaced per case, read back by model; ad pictures by ad id."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from safelight.missing.face_match import FACE_MODEL, face_table
from safelight.store import Store


def _row(case_id: str, ref: str, value: float, model: str = FACE_MODEL) -> dict[str, object]:
    return {"case_id": case_id, "ref": ref, "face": 0, "model": model, "embedding": [value] * 128}


def test_faces_are_replaced_per_case_and_read_by_model(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.poster_faces.replace(
            ["A", "B"],
            face_table([_row("A", "a1.jpg", 0.1), _row("A", "a2.jpg", 0.2), _row("B", "b.jpg", 0.3),
                        _row("B", "b.jpg", 0.9, model="other")]),
        )  # fmt: skip
        store.poster_faces.replace(["A"], face_table([_row("A", "new.jpg", 0.5)]))
        found = store.poster_faces.embeddings(FACE_MODEL)
        assert set(found) == {"A", "B"}
        assert [round(e[0], 3) for e in found["A"]] == [0.5]  # the old photos' faces are gone
        assert [round(e[0], 3) for e in found["B"]] == [0.3]
        assert len(found["B"][0]) == 128
        assert store.poster_faces.count() == 3


def test_ad_images_lists_local_pictures_only(tmp_path: Path) -> None:
    from safelight.records import AD_SCHEMA

    with Store(tmp_path / "s.duckdb") as store:
        base = {name: None for name in AD_SCHEMA.names}
        rows = []
        for ad_id, images in [
            ("a1", [{"ref": "/p/x.jpg", "sha256": "s"}, {"ref": "http://h/y", "sha256": None}]),
            ("a2", []),
            ("a3", [{"ref": "/p/z.jpg", "sha256": None}]),
        ]:
            rows.append(base | {"ad_id": ad_id, "source": "t", "body": "b", "images": images,
                                "content_hash": ad_id, "text_hash": ad_id})  # fmt: skip
        store.add_ads(pa.Table.from_pylist(rows, schema=AD_SCHEMA))
        assert store.poster_faces.ad_images(["a1", "a2", "a3", "missing"]) == {
            "a1": ["/p/x.jpg"],
            "a3": ["/p/z.jpg"],
        }
