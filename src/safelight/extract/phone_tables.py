"""The phone extractor's tables: number words, look-alike letters, id labels (from
``data/phone_obfuscation.yaml``), and the digit-like characters Unicode does not call digits.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "HUNDRED",
    "IGNORECASE_FOLD",
    "REPEAT",
    "SPECIAL",
    "TEEN",
    "TENS",
    "WIDE_PUNCT",
    "Tables",
    "tables",
]

# Kinds of number word in the table, besides plain digits ("digit") and "weak" words ("oh").
TEEN, TENS, HUNDRED, REPEAT = "teen", "tens", "hundred", "repeat"

# Full-width and typographic punctuation used between digit groups: （４０４）７７２－１９０３
WIDE_PUNCT = "\u2010-\u2015\u2212\u3000\u30fb\uff08\uff09\uff0a\uff0b\uff0c\uff0d\uff0e\uff0f"

# Letters ``re.IGNORECASE`` matches to an ASCII letter that ``str.lower`` keeps apart ("ı" ~ "i",
# "ſ" ~ "s"; "İ" lowers to "i" and a dot): a number word written with one ("nıne") would
# otherwise not be found in the table.
IGNORECASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


@dataclass(frozen=True, slots=True)
class Tables:
    words: dict[str, tuple[str, str]]  # lower-case word -> (kind, digits)
    lookalikes: dict[str, str]  # char -> digit
    inner_lookalikes: frozenset[str]  # only between two digits
    id_labels: tuple[tuple[str, bool], ...]  # (label, needs "id"/"#"/"no" after it)
    intl_context: tuple[str, ...]
    not_gap_words: frozenset[str]


def _load() -> dict[str, Any]:
    path = resources.files("safelight.extract").joinpath("data/phone_obfuscation.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def tables() -> Tables:
    raw = _load()
    words = {str(e["word"]).lower(): (e["kind"], str(e["digits"])) for e in raw["words"]}
    looks = {e["char"]: str(e["digits"]) for e in raw["lookalikes"]}
    inner = frozenset(e["char"] for e in raw["lookalikes"] if e["position"] == "inner")
    return Tables(
        words=words,
        lookalikes=looks,
        inner_lookalikes=inner,
        id_labels=tuple((e["label"], bool(e["needs_suffix"])) for e in raw["id_labels"]),
        intl_context=tuple(e["word"] for e in raw["intl_context"]),
        not_gap_words=frozenset(e["word"] for e in raw["not_gap_words"]),
    )


def _special_digits() -> dict[str, str]:
    """Digit-like characters that are not Unicode decimal digits (``\\d`` misses them):
    circled/parenthesised/dingbat digits, super- and subscripts, keycap ten."""
    out: dict[str, str] = {"\U0001f51f": "10"}  # 🔟
    ranges = [
        (0x00B2, 0x00BA),
        (0x2070, 0x208A),
        (0x2460, 0x2500),
        (0x2776, 0x2794),
        (0x1F100, 0x1F10D),
    ]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) != "No":
                continue
            value = unicodedata.numeric(ch, -1.0)
            if value >= 0 and value == int(value) and value <= 20:
                out[ch] = str(int(value))
    return out


SPECIAL: dict[str, str] = _special_digits()
