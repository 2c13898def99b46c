"""Where a name may be in a text: the cue starts, after-cue starts and bare names of
``names.py``, found in one Aho-Corasick pass (``scan``) or by separate scans (``scan_slow``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import ahocorasick

from safelight.extract.name_lexicon import Lexicon, load_lexicon

__all__ = ["scan", "scan_slow"]

_AFTER_NEEDLES = ("here", "xo", "is ")


def _ascii(text: str) -> str:
    """The text with non-ASCII characters as "?": str.translate is ~7x faster on ASCII."""
    return text if text.isascii() else text.encode("ascii", "replace").decode("ascii")


def _word_starts(low: str, needles: Iterable[str]) -> list[int]:
    """Sorted positions where a needle is a whole word (or a word before an apostrophe)."""
    starts: set[int] = set()
    n = len(low)
    for needle in needles:
        size = len(needle)
        i = low.find(needle)
        while i >= 0:
            if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                i + size == n or not low[i + size - 1].isalnum() or not low[i + size].isalnum()
            ):
                starts.add(i)
            i = low.find(needle, i + size)
    return sorted(starts)


# Candidate positions come from one Aho-Corasick pass over a copy of the lower-cased text in
# which every character but a-z and 0-9 is "|": cue needles and phrases, the after-cue needles
# and the bare names, each as "|word|" (a superset of where they stand as whole words); each
# hit is then checked on the real text exactly as a str.find scan would.
_NEEDLE, _NEEDLE_ODD, _PHRASE, _CHAIN, _AFTER_HIT, _BARE = range(6)
_SEP_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 124 for c in range(256))
# What a "|" of the mapped text stands for: "'" an apostrophe, "^" another ASCII character
# that stays inside a token (a control character), "?" a non-ASCII character (ASCII "?" is
# replaced first), "|" a space or a punctuation mark ("a": a letter or a digit).
_KIND_BYTES = bytes(
    97
    if 48 <= c <= 57 or 97 <= c <= 122
    else 39
    if c == 39
    else 63
    if c >= 128 or c == 63
    else 124
    if chr(c).isspace() or chr(c) in '!"#$%&()*+,-./:;<=>@[\\]^_`{|}~'
    else 94
    for c in range(256)
)
# A needle's edges (kinds before and after) -> (a whole word: 1 yes, 0 no, 2 look at the
# character; a token of ``_ascii(text).translate(_PUNCT).split()``).
_EDGES = {
    p + n: (
        0 if p == "'" else 2 if "?" in (p, n) else 1,
        p in "|?" and n in "|?",
    )
    for p in "|'^?"
    for n in "|'^?"
}
_PUNCT_CHARS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~’‘“”•·…'
_PUNCT = str.maketrans({c: " " for c in _PUNCT_CHARS})
# ASCII characters that stay inside a token of ``_ascii(text).translate(_PUNCT).split()``.
_TOKEN_CHARS = frozenset(
    c for c in map(chr, range(128)) if not c.isspace() and c not in _PUNCT_CHARS
)


# What ``scan`` finds: where a cue may start (sorted), where an after-cue may start (by
# needle, then position), and the spans of bare names written as whole words.
_Hits = tuple[list[int], list[int], list[tuple[int, int]]]


def _mapped(word: str) -> str:
    return word.encode("ascii", "replace").translate(_SEP_BYTES).decode()


def _overlaps_itself(word: str, boundary: str) -> bool:
    """Could ``word`` occur again inside itself after a character that is a word boundary?
    (then only the original ``str.find`` chain, which skips such repeats, is exact)"""
    return any(
        word.endswith(word[:k])
        and word[len(word) - k - 1] not in boundary
        and not word[len(word) - k - 1].isalnum()
        for k in range(1, len(word))
    )


@cache
def _automaton() -> tuple[ahocorasick.Automaton, tuple[str, ...]]:
    """The automaton (value: key length, then ``(role, word, length, plain?)`` per word) and
    the bare-name forms it leaves to ``str.find`` (names that are not plain letters)."""
    lex = load_lexicon()
    roles: dict[str, list[tuple[int, str, int, bool]]] = {}

    def add(key: str, role: int, word: str) -> None:
        plain = word.isascii() and word.isalnum()  # the key alone proves the letters
        roles.setdefault(key, []).append((role, word, len(word), plain))

    for word, role in [(n, _NEEDLE) for n in lex.needles] + [(p, _PHRASE) for p in lex.phrases]:
        end = "|" if word[-1].isalnum() else ""  # then the next character is not alphanumeric
        if _overlaps_itself(word, "'’"):
            role = _CHAIN
        elif role == _NEEDLE and not end:
            role = _NEEDLE_ODD  # ends with a mark: checked character by character
        add(f"|{_mapped(word)}{end}", role, word)
    for word in _AFTER_NEEDLES:
        add(f"|{_mapped(word)}", _AFTER_HIT, word)
    odd = []
    for form in lex.bare_forms:  # "Kandi" and "KANDI": one key "|kandi|"
        if not (form.isascii() and form.isalpha()):
            odd.append(form)  # (a repeat inside a word of letters is never a word start)
        elif form[1:].islower():
            add(f"|{form.lower()}|", _BARE, form.lower())
    automaton = ahocorasick.Automaton()
    for key, found in roles.items():
        automaton.add_word(key, (len(key), tuple(found)))
    automaton.make_automaton()
    return automaton, tuple(odd)


def scan(text: str, low: str, lex: Lexicon) -> _Hits:
    if len(low) != len(text) or "\u212a" in text:  # case changes that move or fake letters
        return scan_slow(text, low, lex)
    automaton, odd = _automaton()
    size = len(text)
    needles: list[tuple[int, str]] = []
    present: set[str] = set()
    chains: set[str] = set()
    after: dict[str, list[int]] = {word: [] for word in _AFTER_NEEDLES}
    bare: list[tuple[int, int, str]] = []
    forms: set[str] = set()
    tokens = _TOKEN_CHARS
    data = (low.replace("?", "|") if "?" in low else low).encode("ascii", "replace")
    mapped = f"|{data.translate(_SEP_BYTES).decode()}|"
    kinds = f"|{data.translate(_KIND_BYTES).decode()}|"  # what each "|" of ``mapped`` was
    for stop, (length, roles) in automaton.iter(mapped):
        i = stop - length + 1  # the word starts here in ``low`` (the key's "|" is one before)
        for role, word, end, plain in roles:
            end += i
            if not (plain or low.startswith(word, i)):
                continue
            if role == _NEEDLE:
                # A cue needle counts where it stands as a whole word (or before an apostrophe)
                # and only when it is also a token of the text somewhere.
                valid, token = _EDGES[kinds[i] + kinds[end + 1]]
                if valid == 2:  # next to a non-ASCII character
                    valid = not (i and (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                        end == size or not low[end].isalnum()
                    )
                if valid:
                    needles.append((i, word))
                if token:
                    present.add(word)
            elif role == _AFTER_HIT:
                if kinds[i] != "?" or not low[i - 1].isalnum():
                    after[word].append(i)
            elif role == _NEEDLE_ODD:
                if i and (low[i - 1].isalnum() or low[i - 1] in "'’"):
                    pass
                elif end == size or not low[end - 1].isalnum() or not low[end].isalnum():
                    needles.append((i, word))
                if (
                    word not in present
                    and (i == 0 or text[i - 1] not in tokens)
                    and (end == size or text[end] not in tokens)
                    and text[i:end].isascii()
                ):
                    present.add(word)
            elif role == _BARE:
                form = text[i:end]
                if form not in lex.bare_forms:
                    continue
                if (i == 0 or text[i - 1] not in tokens) and (
                    end == size or text[end] not in tokens
                ):
                    forms.add(form)
                if (i == 0 or not text[i - 1].isalnum()) and (
                    end == size or not (text[end].isalnum() or text[end] in "@_")
                ):
                    bare.append((i, end, form))
            elif (i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "'’")) and (
                end == size or not low[end - 1].isalnum() or not low[end].isalnum()
            ):
                if role == _PHRASE:
                    needles.append((i, word))
                else:
                    chains.add(word)
    starts = {i for i, word in needles if word in present or word in lex.phrases}
    chains = {word for word in chains if word in lex.phrases or word in _tokens(text, lex)}
    if chains:
        starts.update(_word_starts(low, chains))
    spots = [(i, end) for i, end, form in bare if form in forms]
    if odd:
        spots = sorted(spots + _bare_spots(text, lex, odd))
    return sorted(starts), [i for word in _AFTER_NEEDLES for i in after[word]], spots


def _tokens(text: str, lex: Lexicon) -> frozenset[str]:
    """The cue needles that are words of ``text``."""
    return lex.needles.intersection(_ascii(text).translate(_PUNCT).lower().split())


def _bare_spots(text: str, lex: Lexicon, forms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the bare-name ``forms`` that are words of ``text`` stand as whole words."""
    spots = []
    for word in lex.bare_forms.intersection(_ascii(text).translate(_PUNCT).split()):
        if word not in forms:
            continue
        i = text.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not text[i - 1].isalnum()) and (
                end == len(text) or not (text[end].isalnum() or text[end] in "@_")
            ):
                spots.append((i, end))
            i = text.find(word, end)
    return spots


def scan_slow(text: str, low: str, lex: Lexicon) -> _Hits:
    """The same positions by separate scans (texts whose lower case differs in length)."""
    present = [*_tokens(text, lex), *(p for p in lex.phrases if p in low)]
    after = []
    for needle in _AFTER_NEEDLES:
        i = low.find(needle)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                after.append(i)
            i = low.find(needle, i + 1)
    return _word_starts(low, present), after, sorted(_bare_spots(text, lex, lex.bare_forms))
