"""Faces in the match: poster photos embedded at import, ad pictures only when asked, in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from safelight.missing import face_match, faces

pytestmark = pytest.mark.skipif(
    not faces.available(), reason="optional dlib-bin/face_recognition_models not installed"
)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from PIL import Image
    from skimage import data

    folder = tmp_path_factory.mktemp("pictures")
    face = data.astronaut()
    out = {
        "poster": folder / "poster.png",
        "mirrored": folder / "mirrored.jpg",  # same person, a picture no pHash would match
        "no_face": folder / "coffee.jpg",
    }
    Image.fromarray(face).save(out["poster"])
    Image.fromarray(np.ascontiguousarray(face[:, ::-1])).save(out["mirrored"], quality=80)
    Image.fromarray(data.coffee()).save(out["no_face"])
    return out


def test_poster_rows_hold_one_embedding_per_face(pictures: dict[str, Path]) -> None:
    rows = face_match.poster_face_rows(
        "C1", [str(pictures["poster"]), "https://example.org/x.jpg", str(pictures["no_face"])]
    )
    assert [(r["case_id"], r["ref"], r["face"]) for r in rows] == [
        ("C1", str(pictures["poster"]), 0)
    ]
    assert rows[0]["model"] == face_match.FACE_MODEL
    assert len(rows[0]["embedding"]) == 128  # type: ignore[arg-type]
    table = face_match.face_table(rows)
    assert table.schema == face_match.FACE_ROW_SCHEMA and table.num_rows == 1


def test_comparisons_only_for_pairs_with_a_face_on_both_sides(pictures: dict[str, Path]) -> None:
    [row] = face_match.poster_face_rows("C1", [str(pictures["poster"])])
    poster_faces = {"C1": [tuple(row["embedding"])]}  # type: ignore[arg-type]
    ad_pictures = {
        "same": [str(pictures["mirrored"])],
        "repost": [str(pictures["mirrored"])],
        "faceless": [str(pictures["no_face"])],
        "remote": ["https://example.org/a.jpg"],
    }
    ad_faces = face_match.AdFaces()
    pairs = [("C1", a) for a in [*ad_pictures, "no_pictures"]] + [("C2", "same")]
    found = face_match.face_comparisons(pairs, poster_faces, ad_pictures, ad_faces)
    assert found["C1", "same"].level == "same"
    assert "very similar faces" in found["C1", "same"].explanation
    assert found["C1", "repost"].level == "same"
    assert found["C1", "faceless"].level == "unknown"
    assert found["C1", "remote"].level == "unknown"  # nothing is downloaded
    assert ("C1", "no_pictures") not in found and ("C2", "same") not in found  # C2: no face
    assert ad_faces.embedded == 2  # the reposted picture was embedded once


def test_ad_face_cache_is_bounded(pictures: dict[str, Path]) -> None:
    ad_faces = face_match.AdFaces(max_pictures=1)
    ad_faces.of([str(pictures["mirrored"])])
    ad_faces.of([str(pictures["no_face"])])
    ad_faces.of([str(pictures["mirrored"])])
    assert ad_faces.embedded == 3


def test_stored_poster_faces_are_compared_with_ad_pictures(
    pictures: dict[str, Path], tmp_path: Path
) -> None:
    import pyarrow as pa

    from safelight.missing.records import person_from_dict
    from safelight.records import AD_SCHEMA
    from safelight.store import Store

    person = person_from_dict(
        {"case_id": "C1", "name": "Test Person", "date_missing": "2024-01-02", "age_at_missing": 15,
         "photos": f"{pictures['poster']};{pictures['no_face']}"}
    )  # fmt: skip
    base = dict.fromkeys(AD_SCHEMA.names)
    ads = [
        base | {"ad_id": ad_id, "source": "t", "body": "b", "content_hash": ad_id,
                "text_hash": ad_id, "images": [{"ref": str(pictures[key]), "sha256": None}]}
        for ad_id, key in [("a1", "mirrored"), ("a2", "no_face")]
    ]  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        store.add_ads(pa.Table.from_pylist(ads, schema=AD_SCHEMA))
        assert face_match.store_poster_faces(store, [person]) == 1
        assert face_match.store_poster_faces(store, [person]) == 1  # replaced, not added
        assert store.poster_faces.count() == 1
        found = face_match.FaceHook(store)([("C1", "a1"), ("C1", "a2"), ("C2", "a1")])
        assert {k: v.level for k, v in found.items()} == {
            ("C1", "a1"): "same",
            ("C1", "a2"): "unknown",
        }
        capped = face_match.FaceHook(store, per_case=1)
        assert list(capped([("C1", "a2"), ("C1", "a1")])) == [("C1", "a2")]
        assert capped([("C1", "a1")]) == {}  # the case's quota of ad pictures is spent
        assert capped.ad_faces.embedded == 1
        face_match.store_poster_faces(store, [person], enabled=False)
        assert store.poster_faces.count() == 0 and not face_match.FaceHook(store)


def _face_case(pictures: dict[str, Path], tmp_path: Path) -> Path:
    import json

    from safelight.pipeline import ingest_paths, run_extract
    from safelight.store import Store

    body = "Hi im Jaylin, 19 yrs, new in Tulsa. Text 918 555 0143. Upscale, discreet."
    ads = [
        {"source": "t", "post_id": post, "posted_at": "2024-05-02T10:00:00Z", "body": body,
         "location": "Tulsa", "images": [str(pictures[key])]}
        for post, key in [("1", "no_face"), ("2", "mirrored")]
    ]  # fmt: skip
    (tmp_path / "ads.jsonl").write_text("\n".join(json.dumps(a) for a in ads) + "\n")
    (tmp_path / "posters.csv").write_text(
        "case_id,name,sex,age_at_missing,date_missing,missing_city,missing_state,photos\n"
        f"F1,Jaylin Test,F,16,2024-03-01,Tulsa,OK,{pictures['poster']}\n"
    )
    db = tmp_path / "f.duckdb"
    with Store(db) as store:
        ingest_paths(store, [tmp_path / "ads.jsonl"])
        run_extract(store)
    return db


@pytest.mark.parametrize("faces_on", [True, False])
def test_match_compares_faces_of_the_best_pairs(
    pictures: dict[str, Path], tmp_path: Path, faces_on: bool
) -> None:
    from safelight.missing.run import case_leads, import_posters, run_match
    from safelight.store import Store

    db = _face_case(pictures, tmp_path)
    with Store(db) as store:
        imported = import_posters(store, [tmp_path / "posters.csv"], faces=faces_on)
        assert imported.faces == (1 if faces_on else 0)
        summary = run_match(store, faces=faces_on)
        leads = case_leads(store, "F1")
    assert summary.faces_compared == (2 if faces_on else 0)
    face = {lead["post_id"]: _level(lead, "face") for lead in leads}
    if faces_on:  # the two ads read the same; only the face tells them apart
        assert face == {"2": "same", "1": "unknown"}
        assert leads[0]["post_id"] == "2"
        assert leads[0]["probability"] > leads[1]["probability"]
    else:
        assert face == {"1": "unknown", "2": "unknown"}
        assert leads[0]["probability"] == leads[1]["probability"]


def _level(lead: dict[str, object], feature: str) -> str:
    [found] = [c for c in lead["contributions"] if c["feature"] == feature]  # type: ignore[attr-defined]
    return str(found["level"])
