"""Fixtures for the ingest tests: write small input files, read them back.

Test modules are imported with ``--import-mode=importlib`` (no sibling imports), so helpers
reach them as fixtures: ``io`` (read/ads/rejects/STAMP/DATA) and ``write_jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from safelight.ingest import IngestOptions, iter_file
from safelight.records import Ad, Reject

DATA = Path(__file__).parent / "data"
STAMP = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def read(path: Path, start_record: int = 0, **options: Any) -> list[Ad | Reject]:
    opts = IngestOptions(ingested_at=STAMP, **options)
    return list(iter_file(path, start_record, options=opts))


def ads(items: list[Ad | Reject]) -> list[Ad]:
    return [i for i in items if isinstance(i, Ad)]


def rejects(items: list[Ad | Reject]) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


class IngestIO:
    """What the tests need, as one fixture."""

    STAMP = STAMP
    DATA = DATA
    read = staticmethod(read)
    ads = staticmethod(ads)
    rejects = staticmethod(rejects)


@pytest.fixture
def io() -> IngestIO:
    return IngestIO()


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[Any], name: str = "ads.jsonl") -> Path:
        path = tmp_path / name
        with path.open("wb") as handle:
            for row in rows:
                if isinstance(row, bytes):
                    handle.write(row.rstrip(b"\n") + b"\n")
                elif isinstance(row, str):
                    handle.write(row.encode("utf-8") + b"\n")
                else:
                    handle.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        return path

    return write
