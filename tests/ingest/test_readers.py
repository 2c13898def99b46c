"""Entry points: folder walking, dispatch, one item per record, resume, fingerprints."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safelight.errors import UserError
from safelight.ingest import IngestOptions, file_fingerprint, find_inputs, iter_file, iter_records
from safelight.records import Ad, Reject


def _tree(root: Path, data: Path) -> None:
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.jsonl").write_text('{"source": "s", "body": "from a"}\n')
    (root / "b" / "c.csv").write_text("source,body\ns,from c\n")
    (root / "b" / "deep" / "d.ndjson").write_text('{"source": "s", "body": "from d"}\n')
    (root / "b" / "notes.txt").write_text("not an ad file")
    (root / "b" / "photo.JPG").write_bytes(b"x")
    (root / ".hidden" / "e.jsonl").write_text('{"source": "s", "body": "hidden"}\n')
    (root / ".DS_Store").write_bytes(b"\x00")
    shutil.copy(data / "pages" / "tyler_ad.html", root / "b" / "page.HTML")
    pq.write_table(pa.table({"source": ["s"], "body": ["from parquet"]}), root / "z.parquet")


def test_folders_walked_recursively_in_sorted_order(io, tmp_path: Path) -> None:
    _tree(tmp_path, io.DATA)
    found = find_inputs([tmp_path])
    rel = [str(p.relative_to(tmp_path)) for p in found.files]
    assert rel == ["a.jsonl", "b/c.csv", "b/deep/d.ndjson", "b/page.HTML", "z.parquet"]
    assert sorted(p.name for p in found.skipped) == ["notes.txt", "photo.JPG"]
    items = list(iter_records([tmp_path], options=IngestOptions(ingested_at=io.STAMP)))
    assert [i.body[:12] for i in items if isinstance(i, Ad)] == [
        "from a", "from c", "from d", "Hey gentleme", "from parquet"
    ]  # fmt: skip
    # one ingested_at stamp for the whole run
    assert len({i.ingested_at for i in items if isinstance(i, Ad)}) == 1


def test_explicit_files_and_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hello")
    assert find_inputs([path]).skipped == [path]
    with pytest.raises(UserError, match="no such file or folder"):
        find_inputs([tmp_path / "missing.jsonl"])
    with pytest.raises(UserError, match="no reader"):
        list(iter_file(path))


def test_resume_jsonl_skips_records_including_rejects(io, write_jsonl) -> None:
    rows = []
    for i in range(10):
        rows.append({"source": "s", "body": f"ad {i}"} if i % 3 else "not json")
        rows.append("")
    path = write_jsonl(rows)
    full = io.read(path)
    assert len(full) == 10 and len(io.rejects(full)) == 4
    for start in range(12):
        assert io.read(path, start) == full[start:]


def test_resume_html_page(io) -> None:
    page = io.DATA / "pages" / "tyler_ad.html"
    assert len(io.read(page)) == 1
    assert io.read(page, 1) == []


def test_unreadable_file_is_a_reject(io, tmp_path: Path) -> None:
    path = tmp_path / "folder.jsonl"  # opening a folder fails like an unreadable file
    path.mkdir()
    [reject] = io.read(path)
    assert isinstance(reject, Reject) and reject.line is None
    assert reject.reason.startswith("unreadable file")


def test_fingerprint_tracks_content_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text(json.dumps({"source": "s", "body": "b"}) + "\n")
    first = file_fingerprint(path)
    assert first == file_fingerprint(path) and len(first) == 64
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert file_fingerprint(path) != first
    copy = tmp_path / "copy.jsonl"
    shutil.copy2(path, copy)
    assert file_fingerprint(copy) != file_fingerprint(path)  # the path is part of it
