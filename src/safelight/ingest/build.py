"""One input record (a mapping of whatever keys the file had) -> an ``Ad`` or a ``Reject``.

The checks, in order, each refusing the record with the field named:

1. key mapping (``columns.py``): canonical names and aliases, case-insensitive; the rest -> extra;
2. types: text fields must be strings (numbers are accepted for ``post_id``/``source``);
3. binary junk (a NUL, or mostly control characters) in any text field;
4. size: a raw value over ``RAW_FACTOR`` x its limit, or a cleaned value over its limit;
5. ``source`` and ``body`` present and non-empty after cleaning;
6. ``posted_at`` readable (``dates.py``), ``age`` a whole number of years 1-120 (``"30"``,
   ``"30 yrs"``, ``30.0``), ``images`` a list or ``;``-separated string.

Values that are empty (``None``, ``""``, whitespace) count as absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from safelight.ingest.columns import DERIVED_KEY, EXTRA_KEY, canonical_key, normalise_key
from safelight.ingest.dates import parse_posted_at
from safelight.ingest.imagerefs import ImageResolver, split_refs
from safelight.ingest.normalise import clean_line, clean_text, is_binary
from safelight.ingest.options import RAW_FACTOR, IngestOptions
from safelight.records import Ad, Reject

__all__ = ["AdBuilder", "RecordError", "parse_age"]

_AGE = re.compile(r"(\d{1,3})\s*(?:y(?:ea)?rs?(?:\s*old)?|y/?o|years?)?\.?", re.I)
_TEXT_FIELDS = ("source", "post_id", "url", "title", "body", "location")
_NUMBER_OK = frozenset({"source", "post_id"})


class RecordError(ValueError):
    """Why a record is refused, and which field is at fault (None: the record as a whole)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def parse_age(value: Any) -> int | None:
    """A stated age as an int; ``ValueError`` for anything that is not an age."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number of years, got a boolean")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("expected a whole number of years")
        value = int(value)
    if isinstance(value, int):
        age = value
    elif isinstance(value, str):
        match = _AGE.fullmatch(value.strip())
        if match is None:
            raise ValueError("expected a number of years")
        age = int(match.group(1))
    else:
        raise ValueError(f"expected a number of years, got {type(value).__name__}")
    if not 1 <= age <= 120:
        raise ValueError(f"age out of range (1-120): {age}")
    return age


def _extra_object(value: Any) -> dict[str, Any]:
    """An input ``extra`` column: a JSON object or its text (anything else is kept whole)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {"extra": value}
    return value if isinstance(value, dict) else {"extra": value}


class AdBuilder:
    """Builds ads from the records of one input file."""

    def __init__(
        self, file: str, base_dir: str, options: IngestOptions, ingested_at: datetime
    ) -> None:
        self.file = file
        self.options = options
        self.ingested_at = ingested_at
        self.images = ImageResolver(base_dir, hash_files=options.hash_images)
        self._keys: dict[Any, tuple[str | None, bool]] = {}
        self._limits = {name: options.limit(name) for name in (*_TEXT_FIELDS, "image")}
        self._extra_limit = options.limit("extra")

    def build(
        self,
        record: Mapping[str, Any],
        line: int | None,
        raw: str | Callable[[], str],
        *,
        raw_html: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Ad | Reject:
        """The ad, or a reject naming ``self.file``, ``line`` and the field at fault.

        ``raw`` is the record as read (for the reject), or a function that makes it.
        """
        try:
            return self._build(record, line, raw_html, extra)
        except RecordError as exc:
            return Reject(
                self.file, line, exc.reason, exc.field, raw if isinstance(raw, str) else raw()
            )

    def reject(
        self, line: int | None, reason: str, field: str | None = None, raw: str = ""
    ) -> Reject:
        return Reject(self.file, line, reason, field, raw)

    def _canonical(self, key: Any) -> tuple[str | None, bool]:
        """``(canonical name or None, whether the key is the canonical name itself)``."""
        try:
            return self._keys[key]
        except KeyError:
            name = canonical_key(key) if isinstance(key, str) else None
            found = (name, name is not None and normalise_key(key) == name)
            self._keys[key] = found
            return found

    def _build(
        self,
        record: Mapping[str, Any],
        line: int | None,
        raw_html: str | None,
        more_extra: Mapping[str, Any] | None,
    ) -> Ad:
        fields: dict[str, Any] = {}
        chosen: dict[str, tuple[str, bool]] = {}
        extra: dict[str, Any] = dict(more_extra or {})
        for key, value in record.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            name, exact = self._canonical(key)
            if name == DERIVED_KEY:
                continue
            if name == EXTRA_KEY:
                for k, v in _extra_object(value).items():
                    extra.setdefault(str(k), self._extra_value(str(k), v))
            elif name is None:
                extra[str(key)] = self._extra_value(str(key), value)
            elif name not in chosen:
                chosen[name] = (key, exact)
                fields[name] = value
            elif exact and not chosen[name][1]:
                loser = chosen[name][0]
                extra[str(loser)] = self._extra_value(str(loser), fields[name])
                chosen[name] = (key, exact)
                fields[name] = value
            else:
                extra[str(key)] = self._extra_value(str(key), value)

        text: dict[str, str | None] = {}
        raws: dict[str, str] = {}
        for name in _TEXT_FIELDS:
            value = fields.get(name)
            if value is None:
                text[name] = None
                continue
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and name in _NUMBER_OK
            ):
                value = str(int(value)) if float(value).is_integer() else str(value)
            if not isinstance(value, str):
                raise RecordError(f"expected text, got {type(value).__name__}", name)
            self._check_raw(name, value)
            clean = clean_text(value) if name == "body" else clean_line(value)
            if len(clean) > self._limits[name]:
                raise RecordError(self._too_long(name, len(clean)), name)
            text[name] = clean or None
            raws[name] = value

        if not text["source"]:
            raise RecordError(
                "missing source" if "source" not in fields else "empty source", "source"
            )
        if not text["body"]:
            raise RecordError("missing body" if "body" not in fields else "empty body", "body")
        try:
            posted_at = parse_posted_at(
                fields.get("posted_at"), self.options.tz, dayfirst=self.options.dayfirst
            )
        except ValueError as exc:
            raise RecordError(f"unreadable date: {exc}", "posted_at") from None
        try:
            age = parse_age(fields.get("age"))
        except ValueError as exc:
            raise RecordError(str(exc), "age") from None
        images = self._images(fields.get("images"))

        title = text["title"] or ""
        body = text["body"]
        raw_title = raws.get("title")
        raw_body = raws["body"]
        return Ad(
            source=text["source"],
            body=body,
            post_id=text["post_id"],
            url=text["url"],
            posted_at=posted_at,
            title=title,
            raw_title=raw_title if raw_title is not None and raw_title != title else None,
            raw_body=raw_body if raw_body != body else None,
            location=text["location"],
            stated_age=age,
            images=images,
            raw_html=raw_html,
            extra=extra,
            origin=self.file if line is None else f"{self.file}:{line}",
            ingested_at=self.ingested_at,
        )

    def _check_raw(self, name: str, value: str) -> None:
        if len(value) > RAW_FACTOR * self._limits.get(name, self._extra_limit):
            raise RecordError(self._too_long(name, len(value), raw=True), name)
        if is_binary(value):
            raise RecordError("binary data, not text", name)

    def _too_long(self, name: str, size: int, *, raw: bool = False) -> str:
        what = "raw value" if raw else "value"
        limit = self.options.limit(name) * (RAW_FACTOR if raw else 1)
        return f"{what} too long: {size:,} characters (limit {limit:,})"

    def _extra_value(self, key: str, value: Any) -> Any:
        """A value kept as is in ``Ad.extra`` (strings are not cleaned, only checked)."""
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str):
            size = len(value)
            if is_binary(value):
                raise RecordError("binary data, not text", key)
        elif isinstance(value, (list, dict)):
            size = len(json.dumps(value, default=str))
        else:
            return value
        if size > self._extra_limit:
            raise RecordError(self._too_long(key, size), key)
        return value

    def _images(self, value: Any) -> tuple[Any, ...]:
        try:
            refs = split_refs(value)
        except TypeError as exc:
            raise RecordError(str(exc), "images") from None
        if len(refs) > self.options.max_images:
            raise RecordError(
                f"too many images: {len(refs)} (limit {self.options.max_images})", "images"
            )
        limit = self._limits["image"]
        for ref, _ in refs:
            if len(ref) > limit:
                raise RecordError(self._too_long("image", len(ref)), "images")
        return self.images.resolve(refs) if refs else ()
