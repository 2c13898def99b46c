"""The corpus as a whole: files, determinism, one truth line per ad, canonical columns."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from safelight.synth import SynthOptions, generate

CANONICAL = ["source", "post_id", "url", "posted_at", "title", "body", "location", "age", "images"]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = generate(SynthOptions(out=tmp_path / "a", ads=600, seed=5, html_pages=2, bad_records=3))
    b = generate(SynthOptions(out=tmp_path / "b", ads=600, seed=5, html_pages=2, bad_records=3))
    assert a.ads == b.ads == 600
    da, db = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert da == db
    assert any(k.startswith("images/") for k in da) and any(k.startswith("pages/") for k in da)


def test_rerun_into_same_folder_replaces_old_output(tmp_path: Path) -> None:
    generate(SynthOptions(out=tmp_path / "x", ads=300, seed=1))
    generate(SynthOptions(out=tmp_path / "x", ads=300, seed=2))
    generate(SynthOptions(out=tmp_path / "y", ads=300, seed=2))
    assert _digest(tmp_path / "x") == _digest(tmp_path / "y")


def test_different_seed_gives_different_corpus(tmp_path: Path) -> None:
    generate(SynthOptions(out=tmp_path / "a", ads=300, seed=1, images=False))
    generate(SynthOptions(out=tmp_path / "b", ads=300, seed=2, images=False))
    a = (tmp_path / "a" / "ads.jsonl").read_bytes()
    b = (tmp_path / "b" / "ads.jsonl").read_bytes()
    assert a != b
    assert len(set(a.splitlines()) & set(b.splitlines())) == 0


def test_counts_and_canonical_columns(corpus) -> None:
    assert len(corpus.ads) == len(corpus.truth) == corpus.summary.ads == 4000
    for ad in corpus.ads:
        assert list(ad) == CANONICAL
        assert ad["body"] and ad["source"] and ad["post_id"].isdigit()
        assert ad["age"] is None or 18 <= ad["age"] <= 60
        assert ad["url"].startswith("https://") and ad["post_id"] in ad["url"]
    assert len({(a["source"], a["post_id"]) for a in corpus.ads}) == len(corpus.ads)
    assert {a["source"] for a in corpus.ads} >= {"classyads", "nightlist"}


def test_truth_matches_ads_one_to_one(corpus) -> None:
    for ad, truth in zip(corpus.ads, corpus.truth, strict=True):
        assert (ad["source"], ad["post_id"]) == (truth["source"], truth["post_id"])
        person = corpus.persons[truth["person_id"]]
        assert truth["network_id"] == person["network_id"]
        assert truth["true_age"] == person["true_age"] and truth["minor"] == person["minor"]
        assert truth["minor"] == (truth["true_age"] < 18)
        assert truth["stated_age"] == ad["age"]
        assert truth["city"] in person["cities"]
        assert len(truth["phones"]) == len(truth["phone_obfuscation"]) >= 1
    assert sum(p["ads"] for p in corpus.persons.values()) == len(corpus.ads)


def test_posted_at_is_iso_utc_within_the_period(corpus) -> None:
    times = [datetime.fromisoformat(a["posted_at"]) for a in corpus.ads]
    assert all(t.utcoffset() is not None and t.utcoffset().total_seconds() == 0 for t in times)
    assert min(times).date().isoformat() >= "2024-01-01"
    span = (max(times) - min(times)).days
    assert 60 <= span <= 130  # the 90-day period, give or take the last posters


def test_bad_records_file_only_on_request(tmp_path: Path, corpus) -> None:
    assert not (corpus.out / "bad.jsonl").exists()
    generate(SynthOptions(out=tmp_path / "b", ads=50, seed=1, images=False, bad_records=9))
    lines = (tmp_path / "b" / "bad.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9
    ads = (tmp_path / "b" / "ads.jsonl").read_text(encoding="utf-8")
    assert len(ads.splitlines()) == 50 and '"post_id":"bad' not in ads
