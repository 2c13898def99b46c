"""Where city and state names and state codes may be in a text: one Aho-Corasick pass
(``_automaton``) over an a-z-only copy of the lower-cased text finds the first words of city and
state names and the state codes; the trie regex of ``gazetteer`` runs only where the letters
after such a word can continue a longer name (``_continues``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from safelight.extract.base import by_initial, lowered
from safelight.extract.gazetteer import Gazetteer, gazetteer

__all__ = ["scan", "state_patterns"]

# bytes.translate table: a-z kept, every other byte a space (word separator).
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_CODE = re.compile(r"\b[A-Z]{2}\b")  # the slow path only


@lru_cache(maxsize=1)
def state_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    gz = gazetteer()
    names = sorted(gz.state_names, key=len, reverse=True)
    # grouped by first letter: one test per letter instead of one per name, same matches
    alt = by_initial([_spaced(name) for name in names])
    suffix = re.compile(
        rf"[ \t]*,?[ \t]*(?:(?P<name>{alt})|(?P<code>[A-Za-z]{{2}}|[A-Z]\.[A-Z]\.))(?![\w'’])",
        re.IGNORECASE,
    )
    state = re.compile(rf"(?:{alt})(?![\w'’])", re.IGNORECASE)
    firsts = frozenset(n.split()[0] for n in names)
    return suffix, state, firsts


def _spaced(name: str) -> str:
    return re.escape(name).replace(r"\ ", r"\s+")


# How a first word found by the automaton may continue into a longer name: None when the name
# can only be the word itself; else (separator test, next-two-letter prefixes, next letters
# that end a name, alone?). The regex runs only where the letters after the word fit.
_Follow = tuple[str, frozenset[str], frozenset[str], bool] | None


def _follow(word: str, names: list[str], separators: str) -> tuple[bool, _Follow]:
    """``(try the regex always?, follow-up test)`` for the names whose first word is ``word``
    (``separators``: what the regex allows between words)."""
    alone = word in names
    rests = [n[len(word) :] for n in names if n != word]
    if not rests:
        return False, None
    if any(not r.startswith(" ") for r in rests):
        return True, None  # "st. louis": not a plain space after the first word
    nexts = [r[1:].encode().translate(_LETTERS_ONLY).decode() for r in rests]
    pairs = frozenset(n[:2] for n in nexts if len(n) >= 2)
    ends = frozenset(n for n in nexts if len(n) < 2)
    return False, (separators, pairs, ends, alone)


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """First words of city and state names and the state codes, as " word " (the scan sees
    the text as runs of a-z): value ``(length, city rule, state rule, code?)``, a rule being
    None for no such name, else ``(always regex?, follow-up test)`` (see ``_follow``)."""
    gz = gazetteer()
    state_firsts = state_patterns()[2]
    by_first: dict[str, list[str]] = {}
    for key in gz.cities:
        by_first.setdefault(key.split(" ")[0].rstrip("."), []).append(key)
    states: dict[str, list[str]] = {}
    for name in gz.state_names:
        states.setdefault(name.split()[0], []).append(name)
    codes = {code.lower() for code in gz.codes}
    automaton = ahocorasick.Automaton()
    for word in gz.first_words | state_firsts | codes:
        if word.isascii() and word.isalpha():
            city = _follow(word, by_first[word], "-") if word in gz.first_words else None
            state = _follow(word, states[word], "") if word in state_firsts else None
            automaton.add_word(f" {word} ", (len(word), city, state, word in codes))
    automaton.make_automaton()
    return automaton


def _is_word(ch: str) -> bool:
    """``re``'s ``\\w``."""
    return ch.isalnum() or ch == "_"


def _city_edges(text: str, i: int, j: int) -> bool:
    """The look-arounds of ``gazetteer().city_re`` for a name at ``text[i:j]``."""
    if i and (text[i - 1].isalnum() or text[i - 1] in "_.'’"):
        return False
    return j == len(text) or not (text[j].isalnum() or text[j] in "_'’")


def _continues(text: str, spaced: str, j: int, follow: _Follow) -> bool:
    """Can a longer name go on after the word ending at ``text[j]``? (``spaced[j + 2]`` is the
    character after the separator; a non-letter there means: let the regex decide.)"""
    if follow is None or j == len(text):
        return False
    separators, pairs, ends, _ = follow
    sep = text[j]
    if not (sep.isspace() or sep in separators):
        return False
    nxt = spaced[j + 2 : j + 4]
    return nxt[:1] == " " or nxt in pairs or nxt[:1] in ends


def scan(
    text: str, gz: Gazetteer, state_re: re.Pattern[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    """Spans of city names (the longest at each start) and of state names, and the starts
    of state codes in capitals ("TX")."""
    low = lowered(text)
    if len(low) != len(text):  # rare Unicode case changes: scan the slow way
        starts = [m.start() for m in re.finditer(r"\b\w", text)]
        return (
            [m.span() for m in gz.city_re.finditer(text)],
            [m.span() for i in starts if (m := state_re.match(text, i))],
            [m.start() for m in _CODE.finditer(text) if m.group() in gz.codes],
        )
    # One Aho-Corasick pass over an ASCII copy in which every character but a-z is a space:
    # the automaton's words are " word " so only whole words hit; the boundaries are then
    # checked on the real text (a non-ASCII letter next to a word is not a boundary).
    spaced = " " + low.encode("ascii", "replace").translate(_LETTERS_ONLY).decode() + " "
    size = len(low)
    cities: list[tuple[int, int]] = []
    states: list[tuple[int, int]] = []
    codes: list[int] = []
    for stop, (length, city, state, code) in _automaton().iter(spaced):
        j = stop - 1
        i = j - length
        if code and text[i:j] in gz.codes and not (j < size and _is_word(text[j])):
            codes.append(i)
        if city is None and state is None:
            continue  # a state code only ("me", "ok", "in": the commonest hits)
        if (i and low[i - 1].isalnum()) or (j < size and low[j].isalpha()):
            continue
        if city is not None:
            always, follow = city
            if always or _continues(text, spaced, j, follow):
                m = gz.city_re.match(text, i)
                if m:
                    cities.append((i, m.end()))
            elif (follow is None or follow[3]) and _city_edges(text, i, j):
                cities.append((i, j))
        if state is not None:
            always, follow = state
            if always or _continues(text, spaced, j, follow):
                m = state_re.match(text, i)
                if m:
                    states.append((i, m.end()))
            elif (follow is None or follow[3]) and (
                j == size or not (text[j].isalnum() or text[j] in "_'’")
            ):
                states.append((i, j))
    return cities, states, codes
