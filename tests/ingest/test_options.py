"""IngestOptions: limits merge over the defaults; bad settings are user errors."""

from __future__ import annotations

import pytest

from safelight.errors import UserError
from safelight.ingest import DEFAULT_MAX_CHARS, IngestOptions


def test_limits() -> None:
    options = IngestOptions(max_chars={"title": 50})
    assert options.limit("title") == 50
    assert options.limit("body") == DEFAULT_MAX_CHARS["body"] == 100_000
    assert DEFAULT_MAX_CHARS["title"] == 2_000
    assert options.limit("some_extra_key") == DEFAULT_MAX_CHARS["extra"]


def test_bad_settings() -> None:
    with pytest.raises(UserError, match="time zone"):
        IngestOptions(timezone="Mars/Olympus")
    with pytest.raises(UserError, match="max_chars"):
        IngestOptions(max_chars={"bdy": 5})


def test_timezone() -> None:
    assert IngestOptions().tz is None
    assert str(IngestOptions(timezone="America/Chicago").tz) == "America/Chicago"
