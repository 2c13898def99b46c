"""Every emoji in an ad, one match each, with its CLDR short name.

The value is the emoji with skin-tone modifiers and variation selectors removed, so
"👍🏿" and "👍" are the same value and "❤️" equals "❤"; ZWJ sequences ("👩‍❤️‍👨") stay one
emoji. Keycap sequences ("9️⃣", "#️⃣", "🔟") are phone digits, never emojis. The ©, ® and ™
signs are not counted.

Speed: an ASCII text is skipped at once; otherwise one regex finds the runs of characters that
can make up emojis, and each run is scanned once (cached) for candidate starts and a
longest-match lookup in the ``emoji`` package's table (``emoji.emoji_list`` is about 200 µs on
a 500-character ad; this is a few µs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache

from safelight.extract.base import Match

__all__ = ["EXTRACTOR", "EmojiExtractor", "normalise_emoji"]

_SKIN_TONES = "\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
_VARIATION = "\ufe0e\ufe0f"
_STRIP = str.maketrans("", "", _SKIN_TONES + _VARIATION)
_KEYCAP = "\u20e3"
# Signs the emoji table lists that ads use as plain typography, and the "keycap: 10" digit.
_NOT_EMOJI = frozenset("\u00a9\u00ae\u2122\U0001f51f")
# Characters that can start an emoji (the table's first code points all fall in these ranges).
_CANDIDATE = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff]")


def normalise_emoji(emoji_text: str) -> str:
    """The emoji without skin-tone modifiers or variation selectors."""
    return emoji_text.translate(_STRIP) or emoji_text


@cache
def _table() -> tuple[frozenset[str], dict[str, str], dict[str, tuple[int, ...]]]:
    """(every emoji sequence, name by normalised value, the lengths of the sequences starting
    with each character, longest first)."""
    import emoji

    sequences = frozenset(emoji.EMOJI_DATA)
    names: dict[str, str] = {}
    # Fully-qualified forms first (status 2), so their names win.
    for seq, data in sorted(emoji.EMOJI_DATA.items(), key=lambda kv: -kv[1].get("status", 0)):
        if any(t in seq for t in _SKIN_TONES):
            continue
        name = data.get("en", "").strip(":").replace("_", " ")
        names.setdefault(normalise_emoji(seq), name)
    sizes: dict[str, set[int]] = {}
    for seq in sequences:
        sizes.setdefault(seq[0], set()).add(len(seq))
    lengths = {first: tuple(sorted(s, reverse=True)) for first, s in sizes.items()}
    return sequences, names, lengths


_MODIFIERS = frozenset(_SKIN_TONES + _VARIATION)


@cache
def _runs() -> re.Pattern[str]:
    """A candidate start followed by every character that can go on an emoji sequence (any
    character after the first of a table sequence, and the modifiers): a sequence found from a
    start in the run, and its trailing modifiers, never reach past the run's end."""
    sequences = _table()[0]
    more = {ch for seq in sequences for ch in seq[1:]} | _MODIFIERS
    cls = _CANDIDATE.pattern[1:-1] + "".join(re.escape(ch) for ch in sorted(more))
    # The engine skips to a start with the first character's set: one range (every ASCII
    # character fails one test), then the candidate class checked behind it.
    return re.compile(f"[\u00a9-\U0001faff](?<={_CANDIDATE.pattern})[{cls}]*")


class EmojiExtractor:
    field = "emoji"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        if text.isascii():
            return []
        out: list[Match] = []
        # Runs of emoji characters, each scanned on its own (cached: ads repeat the same
        # emojis); no sequence spans two runs, so this is the scan of the whole text.
        for run in _runs().finditer(text):
            base = run.start()
            for start, end, seq, value, name in _scan(run.group()):
                out.append(Match("emoji", value, seq, base + start, base + end, {"name": name}))
        return out


@lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[tuple[int, int, str, str, str], ...]:
    """``(start, end, text, value, name)`` of each emoji in ``text``."""
    sequences, names, lengths = _table()
    out: list[tuple[int, int, str, str, str]] = []
    pos = 0
    n = len(text)
    for c in _CANDIDATE.finditer(text):
        start = c.start()
        if start < pos:
            continue  # inside the emoji just taken
        end = _longest(text, start, n, sequences, lengths)
        if end is None:
            continue
        # Absorb trailing modifiers the table does not list for this base.
        while end < n and text[end] in _MODIFIERS:
            end += 1
        pos = end
        seq = text[start:end]
        value = seq.translate(_STRIP) or seq
        if _KEYCAP in seq or value in _NOT_EMOJI:
            continue
        out.append((start, end, seq, value, names.get(value) or _name_of(seq)))
    return tuple(out)


def _longest(
    text: str,
    start: int,
    n: int,
    sequences: frozenset[str],
    lengths: dict[str, tuple[int, ...]],
) -> int | None:
    """End of the longest emoji sequence starting at ``start`` (None when there is none)."""
    for size in lengths.get(text[start], ()):
        end = start + size
        if end <= n and text[start:end] in sequences:
            return end
    return None


def _name_of(seq: str) -> str:
    import emoji

    data = emoji.EMOJI_DATA.get(seq, {})
    name = data.get("en", "").strip(":").replace("_", " ")
    for tone in ("light", "medium-light", "medium", "medium-dark", "dark"):
        name = name.replace(f" {tone} skin tone", "")
    return name.rstrip(",")


EXTRACTOR = EmojiExtractor()
