"""Email addresses, plain or obfuscated, as lower-case ``local@domain`` values.

Handles the ways ads hide an address from scrapers::

    kandi22@gmail.com        kandi22 @ gmail . com      kandi22(at)gmail(dot)com
    kandi22 at gmail dot com kandi22 [at] yahoo [.] com kandi22{at}yahoo{dot}com

A bare " at " is the risky form ("see me at 9pm", "book at hotels.com"): it is taken only
when the dot is also spelled out ("dot") or the domain is a known mail provider. A text with
neither "@" nor a spelled "at" is skipped without running the main pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from safelight.extract.base import Match, lowered

__all__ = ["EXTRACTOR", "EmailExtractor"]

_OPEN = r"[\(\[\{<]"
_CLOSE = r"[\)\]\}>]"
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*|\s*-at-\s*|\s+at\s+)"
_DOT = rf"(?:\s*\.\s*|\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*|\s*-dot-\s*|\s+dot\s+)"
_LOCAL = r"[a-z0-9](?:[a-z0-9._%+\-]{0,62}[a-z0-9_])?"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"

_EMAIL = re.compile(
    rf"(?<![\w.+\-@'’])(?P<local>{_LOCAL})(?P<at>{_AT})"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,4}})(?![\w@])",
    re.IGNORECASE,
)
_SPLIT_DOT = re.compile(_DOT, re.IGNORECASE)
# Where an "at" can be, in the lower-cased text: "@", " at " (at its "a"), "(at", "( at",
# "[at", "[ at", "{at", "<at", "-at-". Each alternative takes one character and starts with a
# literal one, so the engine skips to the few characters that can start one, and the matches
# are every anchor in order, even where two needles overlap ("-at-at-").
_AT_RE = re.compile(r"@|\((?= ?at)|\[(?= ?at)|\{(?=at)|<(?=at)|-(?=at-)|a(?<=[ \t\n]a)(?=t )")


def _anchors(text: str) -> list[int]:
    """Sorted positions of every candidate "at"."""
    if "@" not in text and "at" not in text and "AT" not in text and "At" not in text:
        return []
    return [m.start() for m in _AT_RE.finditer(lowered(text))]


_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def _local_start(text: str, anchor: int) -> int | None:
    """Where the local part before the "at" at ``anchor`` starts (None when there is none)."""
    j = anchor
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    end = j
    while j > 0 and end - j < 64 and text[j - 1] in _LOCAL_CHARS:
        j -= 1
    while j < end and not text[j].isalnum():
        j += 1  # the pattern's local part starts with a letter or digit
    return j if j < end else None


def _words(key: str) -> frozenset[str]:
    return frozenset(_DATA[key]["words"].split())


_DATA: dict[str, Any] = yaml.safe_load(
    resources.files("safelight.extract.data").joinpath("emails.yaml").read_text("utf-8")
)
_PROVIDERS = _words("providers")
_COM_PROVIDERS = _words("com_providers")
_NOT_LOCAL = _words("not_local")
_TLDS = _words("tlds")


class EmailExtractor:
    field = "email"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        anchors = _anchors(text)
        if not anchors:
            return []
        out: list[Match] = []
        for a in anchors:
            if out and (out[-1].end or 0) > a:
                continue  # inside the address just taken
            start = _local_start(text, a)
            m = _EMAIL.match(text, start) if start is not None else None
            if m is None or not m.start("at") <= a < m.end("at"):
                continue
            match = self._match(text, m)
            if match is not None:
                out.append(match)
        return out

    @staticmethod
    def _match(text: str, m: re.Match[str]) -> Match | None:
        at = m.group("at")
        at_word = "@" not in at and "(" not in at and "[" not in at and "{" not in at
        at_word = at_word and "<" not in at
        domain_raw = m.group("domain")
        if at.strip() == "@" and (at[0].isspace() != at[-1].isspace()):
            return None  # "snapchat @lexi.luvz": a handle after a word, not an address
        labels = [p.lower() for p in _SPLIT_DOT.split(domain_raw)]
        if not any(c.isspace() for c in at):
            # A tight "a@b.com" ends at a spaced dot: "a@b.com. No texts" is not "com.no".
            for i, sep in enumerate(_SPLIT_DOT.finditer(domain_raw)):
                if any(c.isspace() for c in sep.group()):
                    labels = labels[: i + 1]
                    break
        local = m.group("local").lower()
        if at_word and local in _NOT_LOCAL:
            return None
        if len(labels) == 1:
            # "kandi22@gmail" / "kandi22 at gmail": the big providers are .com.
            if labels[0] not in _COM_PROVIDERS:
                return None
            value = f"{local}@{labels[0]}.com"
            return Match("email", value, m.group(), m.start(), m.end(), {"obfuscated": True})
        # Cut the domain after its last recognised top-level domain ("com.Thanks" -> "com").
        cut = max((i for i in range(1, len(labels)) if labels[i] in _TLDS), default=None)
        if cut is None:
            # An unknown top-level domain only in a plainly written address ("a@b.shop").
            plain = at.strip() == "@" and not any(c.isspace() for c in domain_raw)
            if not (plain and labels[-1].isalpha() and 2 <= len(labels[-1]) <= 6):
                return None
            cut = len(labels) - 1
        labels = labels[: cut + 1]
        if at_word:
            spelled_dot = bool(re.search(r"dot", domain_raw, re.IGNORECASE))
            if not (spelled_dot or labels[0] in _PROVIDERS):
                return None
        end = m.start("domain") + _domain_length(domain_raw, cut)
        value = f"{local}@{'.'.join(labels)}"
        return Match(
            "email",
            value,
            text[m.start() : end],
            m.start(),
            end,
            {"obfuscated": at.strip() != "@" or "." not in domain_raw},
        )


def _domain_length(domain_raw: str, last_label: int) -> int:
    """Characters of ``domain_raw`` up to the end of label number ``last_label``."""
    seps = list(_SPLIT_DOT.finditer(domain_raw))
    if last_label >= len(seps):
        return len(domain_raw)
    return seps[last_label].start()


EXTRACTOR = EmailExtractor()
