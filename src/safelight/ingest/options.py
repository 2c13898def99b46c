"""What a caller can tune about ingest: field size limits, time zone, HTML defaults, profiles.

``IngestOptions()`` is the default every reader uses when given ``None``. The limits are in
characters of the *cleaned* value (after HTML stripping and Unicode hygiene); a raw value more
than ``RAW_FACTOR`` times its limit is refused before it is cleaned, so a runaway field never
costs more than a bounded amount of work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safelight.errors import UserError

__all__ = ["DEFAULT_MAX_CHARS", "RAW_FACTOR", "IngestOptions"]

# Largest cleaned value accepted per canonical field, in characters. Fields not listed (the
# keys kept in ``Ad.extra``) share the ``"extra"`` limit.
DEFAULT_MAX_CHARS: Mapping[str, int] = MappingProxyType(
    {
        "body": 100_000,
        "title": 2_000,
        "source": 200,
        "post_id": 200,
        "url": 4_096,
        "location": 500,
        "image": 4_096,
        "extra": 100_000,
    }
)

# A raw value longer than RAW_FACTOR x its limit is rejected without being cleaned.
RAW_FACTOR = 10


@dataclass(frozen=True)
class IngestOptions:
    """Settings for ``iter_records`` / ``iter_file``.

    - ``max_chars``: per-field limits, merged over ``DEFAULT_MAX_CHARS``.
    - ``max_images``: most image references kept per ad (more -> reject, field ``images``).
    - ``max_record_bytes``: longest JSONL line / CSV record; longer -> reject.
    - ``max_page_bytes``: largest HTML page read; larger -> reject.
    - ``html_source``: ``source`` for HTML pages whose profile finds none (else the profile name).
    - ``timezone``: IANA zone (e.g. ``"America/Chicago"``) for times written without an offset;
      ``None`` means such times are UTC.
    - ``dayfirst``: read ``03/04/2014`` as 3 April (default: US order, 4 March).
    - ``profile_dirs``: extra folders of site-profile YAML files (override built-ins by name).
    - ``hash_images``: compute SHA-256 of local image files that exist.
    - ``keep_raw_html``: store the page HTML in ``Ad.raw_html`` for HTML inputs.
    - ``ingested_at``: stamp for ``Ad.ingested_at`` (default: the time reading starts).
    """

    max_chars: Mapping[str, int] = field(default_factory=dict)
    max_images: int = 100
    max_record_bytes: int = 8 * 1024 * 1024
    max_page_bytes: int = 20 * 1024 * 1024
    html_source: str | None = None
    timezone: str | None = None
    dayfirst: bool = False
    profile_dirs: tuple[Path, ...] = ()
    hash_images: bool = True
    keep_raw_html: bool = True
    ingested_at: datetime | None = None

    def __post_init__(self) -> None:
        unknown = set(self.max_chars) - set(DEFAULT_MAX_CHARS)
        if unknown:
            raise UserError(f"unknown field(s) in max_chars: {', '.join(sorted(unknown))}")
        object.__setattr__(self, "profile_dirs", tuple(Path(p) for p in self.profile_dirs))
        if self.timezone is not None:
            _ = self.tz

    def limit(self, field_name: str) -> int:
        """The character limit of a canonical field (or of an extra key)."""
        key = field_name if field_name in DEFAULT_MAX_CHARS else "extra"
        return self.max_chars.get(key, DEFAULT_MAX_CHARS[key])

    @cached_property
    def tz(self) -> tzinfo | None:
        """The zone naive times are read in; ``None`` for UTC."""
        if self.timezone is None:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UserError(f"unknown time zone: {self.timezone!r}") from exc
