"""JSONL reading: line numbers, per-line rejects, repairs, whole-file problems."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

from safelight.records import Ad, Reject

GOOD = {"source": "synth", "post_id": "1", "title": "New in town", "body": "Sweet and discreet"}


def test_reads_canonical_columns(io, write_jsonl: Callable[..., Path]) -> None:
    row = {
        **GOOD,
        "url": "http://x.example/1",
        "posted_at": "2014-03-13T09:15:00Z",
        "location": "Tyler, TX",
        "age": "30",
        "images": ["http://img.example/a.jpg"],
    }
    path = write_jsonl([row])
    [ad] = io.read(path)
    assert isinstance(ad, Ad)
    assert (ad.source, ad.post_id, ad.url, ad.title, ad.body) == (
        "synth", "1", "http://x.example/1", "New in town", "Sweet and discreet"
    )  # fmt: skip
    assert ad.posted_at is not None and ad.posted_at.isoformat() == "2014-03-13T09:15:00+00:00"
    assert ad.location == "Tyler, TX" and ad.stated_age == 30
    assert [i.ref for i in ad.images] == ["http://img.example/a.jpg"]
    assert ad.images[0].sha256 is None
    assert ad.origin == f"{path}:1" and ad.ingested_at == io.STAMP
    assert ad.raw_title is None and ad.raw_body is None and ad.extra == {}


def test_blank_lines_are_skipped_and_lines_counted(io, write_jsonl: Callable[..., Path]) -> None:
    path = write_jsonl([GOOD, "", "   ", {**GOOD, "post_id": "2"}])
    items = io.read(path)
    assert [a.origin.rsplit(":", 1)[1] for a in io.ads(items)] == ["1", "4"]


def test_reject_kinds(io, write_jsonl: Callable[..., Path]) -> None:
    rows = [
        GOOD,  # 1 ok
        '{"source": "synth", "body": "x",',  # 2 bad JSON
        "[1, 2]",  # 3 not an object
        {"source": "synth"},  # 4 missing body
        {"source": "synth", "body": "   \u200b "},  # 5 empty body after cleaning
        {"body": "no source here"},  # 6 missing source
        {**GOOD, "posted_at": "last Tuesday-ish"},  # 7 unparseable date
        {**GOOD, "title": "x" * 2001},  # 8 oversize title
        {**GOOD, "body": "y" * 100_001},  # 9 oversize body
        {**GOOD, "body": "bin\u0000ary"},  # 10 NUL in a field
        bytes(b for b in range(40) if b != 10) * 3,  # 11 binary junk line
        {**GOOD, "age": "abc"},  # 12 wrong type / nonsense
        {**GOOD, "age": {"years": 3}},  # 13 wrong type
        {**GOOD, "title": ["not", "text"]},  # 14 wrong type
        {**GOOD, "images": 42},  # 15 wrong type
    ]
    path = write_jsonl(rows)
    items = io.read(path)
    assert len(items) == len(rows)  # one item per record
    got = {(r.line, r.field) for r in io.rejects(items)}
    assert got == {
        (2, None), (3, None), (4, "body"), (5, "body"), (6, "source"), (7, "posted_at"),
        (8, "title"), (9, "body"), (10, "body"), (11, None), (12, "age"), (13, "age"),
        (14, "title"), (15, "images"),
    }  # fmt: skip
    by_line = {r.line: r for r in io.rejects(items)}
    assert by_line[2].reason.startswith("invalid JSON")
    assert by_line[2].raw == '{"source": "synth", "body": "x",'
    assert "array" in by_line[3].reason
    assert by_line[4].reason == "missing body"
    assert by_line[5].reason == "empty body"
    assert by_line[8].reason == "value too long: 2,001 characters (limit 2,000)"
    assert "binary" in by_line[10].reason and "binary" in by_line[11].reason
    assert all(r.file == str(path) for r in io.rejects(items))


def test_bad_utf8_line_is_repaired_as_cp1252(io, write_jsonl: Callable[..., Path]) -> None:
    line = b'{"source": "s", "body": "don\x92t stop, caf\xe9 \xe2\x80\x9cok\xe2\x80\x9d"}'
    [ad] = io.read(write_jsonl([line]))
    assert isinstance(ad, Ad)
    assert ad.body == "don’t stop, café “ok”"


def test_hopeless_bytes_are_rejected(io, write_jsonl: Callable[..., Path]) -> None:
    controls = bytes(b for b in range(1, 32) if b not in (10, 13)) * 4
    junk = b'{"source": "s", "body": "' + controls + b'"}'
    [reject] = io.read(write_jsonl([junk]))
    assert isinstance(reject, Reject) and reject.line == 1 and reject.field in (None, "body")
    assert "binary" in reject.reason


def test_mojibake_repaired_raw_kept(io, write_jsonl: Callable[..., Path]) -> None:
    [ad] = io.read(write_jsonl([{**GOOD, "title": "Donâ€™t  miss", "body": "I donâ€™t wait"}]))
    assert isinstance(ad, Ad)
    assert (ad.title, ad.body) == ("Don’t miss", "I don’t wait")
    assert (ad.raw_title, ad.raw_body) == ("Donâ€™t  miss", "I donâ€™t wait")


def test_full_width_digits_survive(io, write_jsonl: Callable[..., Path]) -> None:
    body = "text ９０３-５５５-０１４２ or 𝟗𝟎𝟑 or 9️⃣0️⃣3️⃣"
    [ad] = io.read(write_jsonl([{**GOOD, "body": body}]))
    assert isinstance(ad, Ad) and ad.body == body and ad.raw_body is None


def test_empty_file_is_one_whole_file_reject(io, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n  \n")
    [reject] = io.read(path)
    assert isinstance(reject, Reject) and reject.line is None and reject.reason == "empty file"


def test_json_array_file_is_refused_as_a_whole(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.json"
    path.write_text('[\n  {"source": "s", "body": "x"},\n  {"source": "s", "body": "y"}\n]\n')
    [reject] = io.read(path)
    assert isinstance(reject, Reject) and reject.line is None and "JSON array" in reject.reason


def test_oversize_line_is_rejected_without_keeping_it(io, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({**GOOD, "body": "z" * 5000})
    path.write_text(json.dumps(GOOD) + "\n" + big + "\n" + json.dumps(GOOD) + "\n")
    items = io.read(path, max_record_bytes=1000)
    assert [type(i).__name__ for i in items] == ["Ad", "Reject", "Ad"]
    assert items[1].line == 2 and "too long" in items[1].reason  # type: ignore[union-attr]
    assert items[2].origin.endswith(":3")  # type: ignore[union-attr]


def test_gzip_and_bom(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    [ad] = io.read(path)
    assert isinstance(ad, Ad) and ad.body == "Sweet and discreet"


def test_utf16_file(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text(json.dumps({**GOOD, "body": "café ９"}) + "\n", encoding="utf-16")
    [ad] = io.read(path)
    assert isinstance(ad, Ad) and ad.body == "café ９"


def test_truncated_gzip_ends_with_a_whole_file_reject(io, tmp_path: Path) -> None:
    data = b"".join(json.dumps({**GOOD, "post_id": str(i)}).encode() + b"\n" for i in range(500))
    path = tmp_path / "cut.jsonl.gz"
    packed = gzip.compress(data)
    path.write_bytes(packed[: len(packed) // 2])
    items = io.read(path)
    assert all(isinstance(i, Ad) for i in items[:-1])
    last = items[-1]
    assert isinstance(last, Reject) and last.line is None and "unreadable" in last.reason
