"""The phone extractor's fast paths give exactly what the general code gives."""

from __future__ import annotations

import random
import re

from safelight.extract.deobfuscate import _PLAIN_CHAIN_RE, _units, chain_units
from safelight.extract.phone_patterns import LEAD_RE, alt_by_initial
from safelight.extract.phone_tables import tables

# Digits in several scripts, separators (some non-ASCII letters among them) and characters
# that must send a chain to the general path (letters, keycaps, circled digits).
_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９𝟎𝟏𝟗०१९"
_SEPS = [" ", "-", ".", " - ", "(", ") ", "/", "é", "ſ", "\u212a", "ı", "💋", "\u3000", "，"]
_OTHER = ["l", "O", "oh", "nine", "\ufe0f\u20e3", "⑨", "²", "x"]


def _random_chain(rng: random.Random) -> str:
    parts = ["".join(rng.choice(_DIGITS) for _ in range(rng.randint(1, 5)))]
    for _ in range(rng.randint(0, 4)):
        parts.append(rng.choice(_SEPS) if rng.random() < 0.9 else rng.choice(_OTHER))
        parts.append("".join(rng.choice(_DIGITS) for _ in range(rng.randint(1, 5))))
    return "".join(parts)


def test_digit_chain_fast_path_gives_the_general_units() -> None:
    rng = random.Random(3)
    fast = 0
    for _ in range(5000):
        chain = _random_chain(rng)
        text = f"call {chain} now"
        start, end = 5, 5 + len(chain)
        fast += _PLAIN_CHAIN_RE.fullmatch(text, start, end) is not None
        assert chain_units(text, start, end) == _units(text, start, end), chain
    assert fast > 2500  # most of them took the fast path


def test_unicode_digit_groups_become_unicode_units() -> None:
    (unit,) = chain_units("x ９１９７９１３７８７", 2, 12)
    assert (unit.digits, unit.kind) == ("9197913787", "unicode")
    mixed = chain_units("x ９1-23", 2, 7)
    assert [(u.digits, u.kind) for u in mixed] == [("91", "unicode"), ("23", "ascii")]


def _original_lead_re() -> re.Pattern[str]:
    """LEAD_RE as it was first written: the lookbehind first, then the alternation."""
    t = tables()
    strong = [w for w, (k, _) in t.words.items() if k in ("digit", "teen", "tens")]
    any_look = "".join(sorted(c for c in t.lookalikes if c not in t.inner_lookalikes))
    sep = LEAD_RE.pattern.rsplit(")(?:", 1)[1][: -len("?$")]
    letter = r"[A-Za-z\u00c0-\u024f]"
    return re.compile(rf"(?<!{letter})(?:{alt_by_initial(strong)}|[{any_look}])(?:{sep}?$")


def test_lead_pattern_starts_with_every_character_a_word_may_start_with() -> None:
    t = tables()
    strong = [w for w, (k, _) in t.words.items() if k in ("digit", "teen", "tens")]
    first = re.compile(alt_by_initial(sorted({w[0] for w in strong})) + "|[IOlo]")
    starts = re.compile(LEAD_RE.pattern.split("]", 1)[0] + "]")
    every = "".join(map(chr, range(0x110000)))
    assert "".join(starts.findall(every)) == "".join(first.findall(every))


def test_lead_pattern_finds_what_the_original_finds() -> None:
    original = _original_lead_re()
    rng = random.Random(5)
    words = ["nine", "NINE", "ſix", "thr33", "twenty", "ıne", "\u212a", "o", "O", "l", "I"]
    pieces = [*words, "oh", "call", "me", "x", "é", "3", "+", " ", "  ", "-", ". ", "\n", "💋"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) + "903"
        end = len(text) - 3
        for lo in (0, max(0, end - 16), rng.randint(0, end)):
            want = original.search(text, lo, end)
            got = LEAD_RE.search(text, lo, end)
            assert (got and got.start()) == (want and want.start()), (text, lo)
            found += want is not None
    assert found > 5000
