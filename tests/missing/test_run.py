"""The missing-person stage over a store: import with rejects, incremental match, leads,
export, append-only reviews."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from safelight.errors import StrictRejectError, UserError
from safelight.missing.run import case_leads, import_posters, review, run_match
from safelight.pipeline import ingest_paths, run_extract
from safelight.store import Store

HEADER = "case_id,name,aliases,sex,dob,date_missing,missing_city,missing_state,hair,photos\n"


def _truth(corpus: Path) -> tuple[dict[str, str | None], dict[tuple[str, str], str]]:
    posters = {}
    for line in (corpus / "posters_truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        posters[t["case_id"]] = t["person_id"]
    ads = {}
    for line in (corpus / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        ads[(t["source"], t["post_id"])] = t["person_id"]
    return posters, ads


def test_import_stores_posters_and_writes_rejects(tmp_path: Path, ads_db: Path) -> None:
    photo = tmp_path / "p.jpg"
    from PIL import Image

    Image.new("RGB", (64, 64), (200, 30, 30)).save(photo)
    posters = tmp_path / "posters.csv"
    posters.write_text(
        HEADER
        + "C1,Ashley Doe,Ash;Lee,F,2008-03-01,2024-01-10,Tyler,TX,blonde,p.jpg\n"
        + "C2,Nobody Here,,F,2030-01-01,2024-01-10,Tyler,TX,red,\n"  # dob after missing
        + "C3,Mia Roe,,Q,2007-01-01,2024-01-10,Tyler,TX,red,\n",  # unknown sex
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.jsonl"
    with Store(ads_db) as store:
        summary = import_posters(store, [posters], rejects_path=rejects)
        stored = store.missing.posters().to_pylist()
    assert (summary.read, summary.stored, summary.rejected) == (3, 1, 2)
    assert summary.photos == 1 and summary.unreadable_photos == 0
    assert [p["case_id"] for p in stored] == ["C1"]
    assert len(stored[0]["photo_hashes"]) == 1
    lines = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in lines] == [(3, "dob"), (4, "sex")]
    assert all("Nobody" not in r["reason"] for r in lines)  # no personal field in the reason


def test_strict_import_stops_at_first_bad_poster(tmp_path: Path, ads_db: Path) -> None:
    posters = tmp_path / "posters.csv"
    posters.write_text(
        HEADER
        + "C1,Ann Doe,,F,,2024-01-10,,,,\nC2,,,F,,2024-01-10,,,,\nC3,Bo Roe,,F,,2024-01-10,,,,\n",
        encoding="utf-8",
    )
    with Store(ads_db) as store, pytest.raises(StrictRejectError):
        import_posters(store, [posters], strict=True)
    with Store(ads_db) as store:
        assert store.missing.poster_count() == 1


def test_match_finds_true_persons_and_is_incremental(poster_corpus: Path, ads_db: Path) -> None:
    posters, person_of_ad = _truth(poster_corpus)
    with Store(ads_db) as store:
        import_posters(store, [poster_corpus / "posters.csv"])
        first = run_match(store)
        assert first.posters == 12 and first.posters_compared == 12 and first.pairs > 0
        leads = store.missing.leads(None, 10).to_pylist()
        again = run_match(store)  # nothing new: nothing compared
        assert (again.posters_compared, again.pairs, again.new_ads) == (0, 0, 0)
        assert store.missing.leads(None, 10).to_pylist() == leads
    found = {
        case
        for case, person in posters.items()
        if person
        and any(
            person_of_ad.get((r["source"], r["post_id"])) == person
            for r in leads
            if r["case_id"] == case
        )
    }
    with_person = [c for c, p in posters.items() if p]
    assert len(found) >= 0.8 * len(with_person)
    ranks = [(r["case_id"], r["rank"]) for r in leads]
    assert len(ranks) == len(set(ranks))


def test_new_ads_are_compared_with_old_posters_only(
    poster_corpus: Path, ads_db: Path, tmp_path: Path
) -> None:
    with Store(ads_db) as store:
        import_posters(store, [poster_corpus / "posters.csv"])
        run_match(store)
        pairs_before = store.query("SELECT count(*) AS n FROM missing_leads").column("n")[0]
        lines = (poster_corpus / "ads.jsonl").read_text(encoding="utf-8").splitlines()[:20]
        new = tmp_path / "new.jsonl"
        new.write_text(
            "\n".join(line.replace('"post_id":"', '"post_id":"new-') for line in lines) + "\n",
            encoding="utf-8",
        )
        ingest_paths(store, [new])
        run_extract(store)
        second = run_match(store)
        assert second.new_ads == 20
        assert second.posters_compared == 12
        assert 0 < second.pairs <= 20 * 12
        assert pairs_before.as_py() > 0


def test_leads_explain_every_feature_in_words(poster_corpus: Path, ads_db: Path) -> None:
    posters, _ = _truth(poster_corpus)
    case = next(c for c, p in sorted(posters.items()) if p)
    with Store(ads_db) as store:
        import_posters(store, [poster_corpus / "posters.csv"])
        run_match(store)
        rows = case_leads(store, case, 5)
        with pytest.raises(UserError):
            case_leads(store, "no-such-case")
    assert rows and rows[0]["rank"] == 1
    assert rows == sorted(rows, key=lambda r: -r["probability"])
    features = {c["feature"] for c in rows[0]["contributions"]}
    assert {"name", "age", "hair", "place_time", "photo"} <= features
    assert all(c["explanation"] for c in rows[0]["contributions"])
    assert "network_id" in rows[0]  # null without a networks table, never an error


def test_export_keeps_top_50_per_case(poster_corpus: Path, ads_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "leads.csv"
    with Store(ads_db) as store:
        import_posters(store, [poster_corpus / "posters.csv"])
        run_match(store)
        n = store.missing.export_leads(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == n > 0
    assert list(rows[0]) == ["case_id", "rank", "ad_id", "source", "post_id", "probability"]
    per_case: dict[str, list[int]] = {}
    for row in rows:
        per_case.setdefault(row["case_id"], []).append(int(row["rank"]))
    assert max(len(v) for v in per_case.values()) <= 50
    assert any(len(v) == 50 for v in per_case.values())  # more leads exist than exported
    assert all(v == list(range(1, len(v) + 1)) for v in per_case.values())


def test_reviews_are_appended_never_replaced(poster_corpus: Path, ads_db: Path) -> None:
    with Store(ads_db) as store:
        import_posters(store, [poster_corpus / "posters.csv"])
        run_match(store)
        lead = store.missing.leads(None, 1).to_pylist()[0]
        review(store, lead["case_id"], lead["ad_id"], "confirm", "same photo", "ana")
        review(store, lead["case_id"], lead["ad_id"], "dismiss", "twin sister", "ben")
        with pytest.raises(UserError):
            review(store, lead["case_id"], lead["ad_id"], "delete", "x", "ana")
        with pytest.raises(UserError):
            review(store, lead["case_id"], "no-such-ad", "confirm", "x", "ana")
        with pytest.raises(UserError):
            review(store, lead["case_id"], lead["ad_id"], "confirm", "  ", "ana")
        run_match(store, all=True)  # a full re-match keeps every review
        rows = store.missing.reviews(lead["case_id"]).to_pylist()
        latest = store.missing.leads(lead["case_id"], 50).to_pylist()
    assert [(r["decision"], r["reviewer"], r["note"]) for r in rows] == [
        ("confirm", "ana", "same photo"),
        ("dismiss", "ben", "twin sister"),
    ]
    assert all(r["reviewed_at"] for r in rows)
    assert next(r for r in latest if r["ad_id"] == lead["ad_id"])["review"] == "dismiss"


def _photo_and_sibling(store: Store) -> tuple[str, str, str]:
    """(image ref, ad with it, another ad sharing that ad's phone but not the photo)."""
    row = store.query(
        """
        SELECT i.ad_id, i.text AS ref, s.ad_id AS sibling
        FROM extractions i
        JOIN extractions p ON p.ad_id = i.ad_id AND p.field = 'phone'
        JOIN extractions s ON s.field = 'phone' AND s.value = p.value AND s.ad_id <> i.ad_id
        WHERE i.field = 'image' AND NOT EXISTS (
            SELECT 1 FROM extractions x
            WHERE x.ad_id = s.ad_id AND x.field = 'image' AND x.value = i.value)
        ORDER BY i.ad_id, s.ad_id LIMIT 1
        """
    ).to_pylist()[0]
    return row["ref"], row["ad_id"], row["sibling"]


def _renamed_poster(tmp_path: Path, corpus: Path, ref: str) -> Path:
    """A poster with a name no ad uses, missing from a far state, with the ad's photo."""
    from shutil import copy

    copy(corpus / ref, tmp_path / "photo.jpg")
    posters = tmp_path / "posters.csv"
    posters.write_text(
        HEADER + "R1,Zebulona Quixby,,F,,2000-01-01,Juneau,AK,,photo.jpg\n", encoding="utf-8"
    )
    return posters


def test_blocking_keeps_a_renamed_poster_with_a_reused_photo(
    poster_corpus: Path, ads_db: Path, tmp_path: Path
) -> None:
    with Store(ads_db) as store:
        ref, ad_id, _ = _photo_and_sibling(store)
        import_posters(store, [_renamed_poster(tmp_path, poster_corpus, ref)])
        summary = run_match(store, leads_per_case=1000)
        rows = case_leads(store, "R1", 1000)
    assert summary.pairs - summary.lifted < summary.ads  # no name, no region: photo keys only
    top = next(r for r in rows if r["ad_id"] == ad_id)
    assert {c["feature"]: c["level"] for c in top["contributions"]}["photo"] == "same"


def test_network_lifts_ads_tied_to_a_photo_match(
    poster_corpus: Path, ads_db: Path, tmp_path: Path
) -> None:
    with Store(ads_db) as store:
        ref, ad_id, sibling = _photo_and_sibling(store)
        import_posters(store, [_renamed_poster(tmp_path, poster_corpus, ref)])
        summary = run_match(store, leads_per_case=1000)
        rows = {r["ad_id"]: r for r in case_leads(store, "R1", 1000)}
    assert summary.lifted > 0
    lifted = {c["feature"]: c for c in rows[sibling]["contributions"]}
    network = lifted["network"]
    assert network["level"] == "photo" and network["weight"] > 0
    assert network["explanation"].startswith("network: ad shares phone +")
    assert "whose photo matches the poster" in network["explanation"]
    assert rows[sibling]["probability"] > 0
    anchor = {c["feature"]: c["level"] for c in rows[ad_id]["contributions"]}
    assert anchor.get("network", "unknown") == "unknown"  # own photo: no double counting
