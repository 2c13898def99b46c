"""Parquet: rows by batches, timestamp and list columns, whole-file rejects, resume."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from safelight.records import AD_SCHEMA, Ad, Reject


def test_rows_with_typed_columns(io, tmp_path: Path) -> None:
    table = pa.table(
        {
            "source": ["s", "s", None],
            "Body": ["first", "second", "third"],
            "posted_at": pa.array(
                [datetime(2014, 3, 13, 9, 15), None, datetime(2014, 3, 14)], pa.timestamp("us")
            ),
            "age": pa.array([30, None, 22], pa.int64()),
            "images": [["x/a.jpg"], [], None],
            "score": [1.5, 2.0, 3.0],
        }
    )
    path = tmp_path / "ads.parquet"
    pq.write_table(table, path)
    items = io.read(path, timezone="America/Chicago")
    first, second, third = items
    assert isinstance(first, Ad) and isinstance(second, Ad) and isinstance(third, Reject)
    assert first.posted_at == datetime(2014, 3, 13, 14, 15, tzinfo=UTC)
    assert first.stated_age == 30 and first.extra == {"score": 1.5}
    assert [i.ref for i in first.images] == [str(tmp_path / "x" / "a.jpg")]
    assert first.origin == f"{path}:1"
    assert (third.line, third.field) == (3, "source")
    assert '"Body": "third"' in third.raw


def test_exported_ads_reingest(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text(
        '{"source": "s", "post_id": "9", "body": "b  x", "images": ["http://i/1.jpg"], "k": 1}\n'
    )
    [ad] = io.read(path)
    assert isinstance(ad, Ad)
    export = tmp_path / "export.parquet"
    pq.write_table(pa.Table.from_pylist([ad.to_row()], schema=AD_SCHEMA), export)
    [again] = io.read(export)
    assert isinstance(again, Ad)
    assert (again.ad_id, again.body, again.images) == (ad.ad_id, ad.body, ad.images)
    assert again.extra == {"k": 1}


def test_unreadable_and_empty_files(io, tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet at all")
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"source": pa.array([], pa.string())}), empty)
    [bad] = io.read(broken)
    [nothing] = io.read(empty)
    assert isinstance(bad, Reject) and bad.line is None and "unreadable Parquet" in bad.reason
    assert isinstance(nothing, Reject) and nothing.line is None and nothing.reason == "empty file"


def test_resume_skips_row_groups(io, tmp_path: Path) -> None:
    table = pa.table({"source": ["s"] * 25, "body": [f"ad {i}" for i in range(25)]})
    path = tmp_path / "ads.parquet"
    pq.write_table(table, path, row_group_size=10)
    full = io.read(path)
    assert [a.body for a in full] == [f"ad {i}" for i in range(25)]  # type: ignore[union-attr]
    for start in (0, 9, 10, 11, 24, 25, 30):
        assert io.read(path, start) == full[start:]
