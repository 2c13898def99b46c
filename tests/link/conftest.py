from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest

from safelight.records import EXTRACTION_SCHEMA


def rows(triples: list[tuple[str, str, str]]) -> pa.Table:
    """Extraction rows (ad_id, field, value) with no spans."""
    return pa.Table.from_pylist(
        [
            {"ad_id": a, "field": f, "value": v, "text": v, "start": None, "end": None}
            for a, f, v in triples
        ],
        schema=EXTRACTION_SCHEMA,
    )


@pytest.fixture
def ext_rows() -> Callable[[list[tuple[str, str, str]]], pa.Table]:
    return rows
