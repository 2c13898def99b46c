"""The shared record types and their Arrow schemas.

Every stage agrees on these columns and nothing else. This module imports nothing from
safelight, so it sits at the bottom of the dependency graph.

- ``Ad``: one online advertisement after ingest (text cleaned, raw text kept).
- ``ImageRef``: a picture an ad refers to (local path or URL) and, when readable, its SHA-256.
- ``Reject``: a record ingest could not accept, with where it came from and why.
- ``AD_SCHEMA`` / ``EXTRACTION_SCHEMA``: the Arrow schemas of the ``ads`` and ``extractions``
  tables; record stages take and return batches in these shapes.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import pyarrow as pa

__all__ = [
    "AD_SCHEMA",
    "EXTRACTION_SCHEMA",
    "Ad",
    "ImageRef",
    "Reject",
    "ad_text",
    "content_hash",
    "make_ad_id",
    "value_key",
]

IMAGE_TYPE = pa.struct([("ref", pa.string()), ("sha256", pa.string())])

AD_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("source", pa.string()),
        ("post_id", pa.string()),
        ("url", pa.string()),
        ("posted_at", pa.timestamp("us", tz="UTC")),
        ("title", pa.string()),
        ("body", pa.string()),
        ("raw_title", pa.string()),  # null when identical to title
        ("raw_body", pa.string()),  # null when identical to body
        ("location", pa.string()),
        ("stated_age", pa.int16()),
        ("images", pa.list_(IMAGE_TYPE)),
        ("raw_html", pa.string()),
        ("extra", pa.string()),  # JSON object of input keys Safelight does not model
        ("origin", pa.string()),  # "file:line" the record was read from
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("content_hash", pa.string()),
    ]
)

# One row per value found. ``value`` is the normalised value as a string (see ``value_key``);
# ``start``/``end`` are character offsets into ``ad_text(title, body)``, null for values that
# come from a structured field rather than the text (e.g. the stated-age field).
EXTRACTION_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("detail", pa.string()),  # JSON object or null: platform, obfuscation, region...
    ]
)


@dataclass(frozen=True, slots=True)
class ImageRef:
    ref: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Ad:
    source: str
    body: str
    post_id: str | None = None
    url: str | None = None
    posted_at: datetime | None = None
    title: str = ""
    raw_title: str | None = None
    raw_body: str | None = None
    location: str | None = None
    stated_age: int | None = None
    images: tuple[ImageRef, ...] = ()
    raw_html: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    ingested_at: datetime | None = None

    @property
    def ad_id(self) -> str:
        return make_ad_id(
            self.source, self.post_id, self.url, self.title, self.body, self.posted_at
        )

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.body)

    @property
    def text(self) -> str:
        return ad_text(self.title, self.body)

    def to_row(self) -> dict[str, Any]:
        """The ad as a dict in ``AD_SCHEMA`` column order."""
        return {
            "ad_id": self.ad_id,
            "source": self.source,
            "post_id": self.post_id,
            "url": self.url,
            "posted_at": self.posted_at,
            "title": self.title,
            "body": self.body,
            "raw_title": self.raw_title,
            "raw_body": self.raw_body,
            "location": self.location,
            "stated_age": self.stated_age,
            "images": [{"ref": i.ref, "sha256": i.sha256} for i in self.images],
            "raw_html": self.raw_html,
            "extra": json.dumps(self.extra, ensure_ascii=False, default=str)
            if self.extra
            else None,
            "origin": self.origin,
            "ingested_at": self.ingested_at,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that ingest refused. ``line`` is the 1-based file line where the record starts
    (JSONL, CSV: the header is line 1), the 1-based row (Parquet), or None for a whole-file
    problem (an unreadable file, an HTML page)."""

    file: str
    line: int | None
    reason: str
    field: str | None = None
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "raw": self.raw[:2000],
        }

    def message(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.reason}"


def ad_text(title: str | None, body: str | None) -> str:
    """The document text extraction spans refer to: title, blank line, body."""
    title = title or ""
    body = body or ""
    return f"{title}\n\n{body}" if title else body


# Reposts are grouped by their words: case, accents, punctuation and spacing removed. The key
# is the words (runs of letters and digits, ``[^\W_]+``) joined by one space. It is built on
# bytes, because a ``[\W_]+`` regex and a ``str.translate`` deleting combining marks cost about
# 25 µs an ad between them (a quarter of ingest): ASCII separators become spaces with one
# ``bytes.translate``, and the few non-ASCII characters of an ad (emojis, accents) are folded
# one run at a time, remembered. Same hashes as the regex form (checked in the tests).
_ASCII_SEPARATORS = bytes(b for b in range(128) if not chr(b).isalnum())
_SEPARATORS_TO_SPACE = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def content_hash(title: str | None, body: str | None) -> str:
    """Hash of the text with case, accents, punctuation and spacing removed: groups reposts."""
    text = f"{title or ''} {body or ''}"
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).casefold()
        text = _NON_ASCII_RUN.sub(_fold_run, text)
    words = text.encode().translate(_SEPARATORS_TO_SPACE).split()
    return hashlib.sha256(b" ".join(words)).hexdigest()[:16]


def _fold_run(match: re.Match[str]) -> str:
    return _fold_non_ascii(match[0])


@lru_cache(maxsize=65_536)
def _fold_non_ascii(run: str) -> str:
    """Combining marks deleted (so "e\u0301" reads "e"), letters and digits kept, the rest
    spaces; what is left of the text is ASCII or letters and digits, both safe as bytes."""
    return "".join(_fold_char(ch) for ch in run)


def _fold_char(ch: str) -> str:
    if unicodedata.combining(ch):
        return ""
    return ch if ch.isalnum() else " "


def make_ad_id(
    source: str,
    post_id: str | None,
    url: str | None,
    title: str | None,
    body: str | None,
    posted_at: datetime | None,
) -> str:
    """Stable id: the site's own post id when there is one, else the ad's content and time."""
    if post_id:
        key = f"p\x1f{source}\x1f{post_id}"
    else:
        stamp = posted_at.isoformat() if posted_at else ""
        key = f"c\x1f{source}\x1f{url or ''}\x1f{title or ''}\x1f{body or ''}\x1f{stamp}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def value_key(value: Any) -> str:
    """How a normalised value is stored in ``extractions.value``: scalars as text, structures
    as canonical JSON (sorted keys), so equal values compare equal in SQL."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
