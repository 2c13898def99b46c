"""Bytes to text for the line-based readers, repairing what can be repaired.

Inputs are UTF-8. A UTF-16 file (with a byte-order mark) is read as UTF-16; a UTF-8 BOM is
dropped. Bytes that are not valid UTF-8 are read as Windows-1252, one byte at a time, through
the ``"safelight.cp1252"`` codec error handler: a file saved by an old Windows tool
(``don\\x92t``) comes out as ``don’t``, and a line mixing the two encodings keeps its UTF-8
parts. Whether the result is text or junk is decided later by ``normalise.is_binary``.

``iter_lines`` streams ``(line_number, text)`` for JSONL-style files in bounded memory: a line
longer than the record limit is skipped over in chunks and reported as ``OversizeLine``.
"""

from __future__ import annotations

import codecs
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = [
    "REPAIR_ERRORS",
    "OversizeLine",
    "decode_line",
    "iter_lines",
    "open_binary",
    "open_text",
]

REPAIR_ERRORS = "safelight.cp1252"
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252_repair(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    text = "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in chunk)
    return text, exc.end


codecs.register_error(REPAIR_ERRORS, _cp1252_repair)


@dataclass(frozen=True, slots=True)
class OversizeLine:
    """A line longer than the record limit (its text is not kept)."""

    size: int


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when its name ends in ``.gz``."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _sniff_encoding(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def open_text(path: Path) -> IO[str]:
    """A text stream for the csv module (universal newlines off, repairs on)."""
    raw = open_binary(path)
    encoding = _sniff_encoding(raw.peek(4)[:4])  # type: ignore[attr-defined]
    return io.TextIOWrapper(raw, encoding=encoding, errors=REPAIR_ERRORS, newline="")


def iter_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | OversizeLine]]:
    """``(line_number, raw_line)`` for every line (1-based), BOM removed, newline kept.

    Lines are bytes so a caller can skip them without decoding; decode with ``decode_line``.
    """
    with open_binary(path) as stream:
        if _sniff_encoding(stream.peek(4)[:4]) == "utf-16":  # type: ignore[attr-defined]
            yield from _utf16_lines(path)
            return
        number = 0
        readline = stream.readline
        while True:
            line = readline(max_bytes + 1)
            if not line:
                return
            number += 1
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if len(line) > max_bytes and not line.endswith(b"\n"):
                size = len(line)
                while line and not line.endswith(b"\n"):
                    line = readline(1 << 20)
                    size += len(line)
                yield number, OversizeLine(size)
                continue
            yield number, line


def _utf16_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with open_binary(path) as raw, io.TextIOWrapper(raw, encoding="utf-16", newline="\n") as text:
        for number, line in enumerate(text, start=1):
            yield number, line.encode("utf-8", errors="surrogatepass")


def decode_line(line: bytes) -> str:
    """UTF-8, with undecodable bytes read as Windows-1252."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("utf-8", errors=REPAIR_ERRORS)
