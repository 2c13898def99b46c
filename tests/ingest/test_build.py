"""Record -> Ad: aliases, extra keys, image references, ages, raw text kept only when changed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from safelight.ingest.build import AdBuilder, parse_age
from safelight.ingest.options import IngestOptions
from safelight.records import Ad, Reject

STAMP = datetime(2024, 1, 2, tzinfo=UTC)


def builder(folder: Path, **options: object) -> AdBuilder:
    return AdBuilder(str(folder / "in.jsonl"), str(folder), IngestOptions(**options), STAMP)  # type: ignore[arg-type]


def build(folder: Path, record: dict[str, object], **options: object) -> Ad | Reject:
    return builder(folder, **options).build(record, 7, "raw")


def test_aliases_are_case_insensitive(tmp_path: Path) -> None:
    ad = build(
        tmp_path,
        {
            "Site": "synth",
            "ID": 123,
            "Text": "Body text",
            "Headline": "Title",
            "Date": "2014-03-13",
            "CITY": "Tyler",
            "Poster's Age": "30 yrs",
            "Link": "http://x.example/1",
            "Pictures": "http://img.example/1.jpg",
        },
    )
    assert isinstance(ad, Ad)
    assert (ad.source, ad.post_id, ad.body, ad.title, ad.location, ad.stated_age, ad.url) == (
        "synth", "123", "Body text", "Title", "Tyler", 30, "http://x.example/1"
    )  # fmt: skip
    assert ad.posted_at == datetime(2014, 3, 13, tzinfo=UTC)
    assert ad.extra == {}


def test_canonical_name_beats_alias_and_unknown_keys_go_to_extra(tmp_path: Path) -> None:
    ad = build(
        tmp_path,
        {
            "text": "the alias",
            "source": "s",
            "body": "the canonical",
            "person_hint": {"x": 1},
            "Scraped By": "bot-7",
            "empty": "",
        },
    )
    assert isinstance(ad, Ad)
    assert ad.body == "the canonical"
    assert ad.extra == {"text": "the alias", "person_hint": {"x": 1}, "Scraped By": "bot-7"}


def test_raw_kept_only_when_clean_text_differs(tmp_path: Path) -> None:
    same = build(tmp_path, {"source": "s", "title": "Hi", "body": "Plain"})
    changed = build(tmp_path, {"source": "s", "title": "Hi  there", "body": "<p>Plain</p>"})
    assert isinstance(same, Ad) and isinstance(changed, Ad)
    assert same.raw_title is None and same.raw_body is None
    assert changed.title == "Hi there" and changed.raw_title == "Hi  there"
    assert changed.body == "Plain" and changed.raw_body == "<p>Plain</p>"


def test_relative_image_paths_resolve_and_hash(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    picture = tmp_path / "images" / "a.jpg"
    picture.write_bytes(b"fake jpeg bytes")
    ad = build(
        tmp_path,
        {
            "source": "s",
            "body": "b",
            "images": [
                "images/a.jpg",
                "./images/../images/a.jpg",  # same file: kept once
                "images/missing.jpg",
                "https://img.example/x.jpg",
                {"ref": "images/a2.jpg", "sha256": "given"},
                "data:image/png;base64,AAAA",
            ],
        },
    )
    assert isinstance(ad, Ad)
    digest = hashlib.sha256(b"fake jpeg bytes").hexdigest()
    assert [(i.ref, i.sha256) for i in ad.images] == [
        (str(picture), digest),
        (str(tmp_path / "images" / "missing.jpg"), None),
        ("https://img.example/x.jpg", None),
        (str(tmp_path / "images" / "a2.jpg"), "given"),
    ]


def test_images_as_semicolon_string(tmp_path: Path) -> None:
    ad = build(tmp_path, {"source": "s", "body": "b", "images": " a.jpg ; http://x/y.jpg;"})
    assert isinstance(ad, Ad)
    assert [i.ref for i in ad.images] == [str(tmp_path / "a.jpg"), "http://x/y.jpg"]


def test_image_hashing_can_be_off(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"x")
    ad = build(tmp_path, {"source": "s", "body": "b", "images": ["a.jpg"]}, hash_images=False)
    assert isinstance(ad, Ad) and ad.images[0].sha256 is None


def test_too_many_images(tmp_path: Path) -> None:
    record = {"source": "s", "body": "b", "images": [f"{i}.jpg" for i in range(5)]}
    reject = build(tmp_path, record, max_images=4)
    assert isinstance(reject, Reject) and reject.field == "images" and reject.line == 7


def test_limits_are_configurable(tmp_path: Path) -> None:
    reject = build(tmp_path, {"source": "s", "body": "b" * 11}, max_chars={"body": 10})
    assert isinstance(reject, Reject) and reject.field == "body"
    assert reject.reason == "value too long: 11 characters (limit 10)"
    huge = build(tmp_path, {"source": "s", "body": " " * 101 + "b"}, max_chars={"body": 10})
    assert isinstance(huge, Reject) and "raw value too long" in huge.reason


def test_oversize_extra_value(tmp_path: Path) -> None:
    reject = build(tmp_path, {"source": "s", "body": "b", "notes": "n" * 100_001})
    assert isinstance(reject, Reject) and reject.field == "notes"


def test_numbers_accepted_for_ids_but_not_for_text(tmp_path: Path) -> None:
    ad = build(tmp_path, {"source": "s", "body": "b", "post_id": 25265660.0})
    assert isinstance(ad, Ad) and ad.post_id == "25265660"
    reject = build(tmp_path, {"source": "s", "body": 42})
    assert isinstance(reject, Reject) and reject.field == "body"
    assert "expected text" in reject.reason


def test_reject_carries_file_line_and_raw(tmp_path: Path) -> None:
    reject = builder(tmp_path).build({"body": "b"}, 3, lambda: "made lazily")
    file = str(tmp_path / "in.jsonl")
    assert reject == Reject(file, 3, "missing source", "source", "made lazily")


@pytest.mark.parametrize(
    ("value", "age"),
    [("30", 30), (" 30 yrs ", 30), ("19yo", 19), ("21 years old", 21), (16, 16), (30.0, 30),
     ("", None), (None, None), ("15 y/o", 15)],
)  # fmt: skip
def test_parse_age(value: object, age: int | None) -> None:
    assert parse_age(value) == age


@pytest.mark.parametrize("value", ["abc", "30-35", "thirty", 0, 150, 30.5, True, [30]])
def test_parse_age_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        parse_age(value)
