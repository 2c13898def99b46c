"""Social-media, messaging and payment handles, as ``{"platform", "handle"}`` values.

Three shapes, all driven by ``data/handles.yaml`` (platform words, short forms, logo emoji,
profile links):

- a platform cue, then the handle: ``snapchat: kandi_xo``, ``IG @kandi``, ``kik me kandi22``,
  ``👻 kandixo``, ``SC/IG: kandi`` (one match per platform listed);
- ``@handle`` followed by a platform: ``@kandixo on snap``;
- a profile link: ``onlyfans.com/kandi``, ``t.me/kandi``; and a ``$cashtag`` (Cash App).

Short forms that are also words ("snap", "OF", "sc") need evidence that a handle follows
(a separator, a leading "@", or a handle-like token). A token that is a phone number, or is
followed by one ("WhatsApp Kandi 903 312 1887"), is left to the phone extractor; spans never
overlap a phone or an email found earlier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick
import yaml

from safelight.extract.base import Match, lowered

__all__ = ["EXTRACTOR", "HandleExtractor", "load_platforms"]

_HANDLE = r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,29}"
_SEP_CHARS = ":=\\-–—>»|~*→➡➜👉⬇⤵️\ufe0f"
_FILLERS = r"(?:is|me|at|on|id|username|user|name|handle|add|follow|my|@)"
_LIST_SEP = r"\s*(?:/|&|,|\+|\||\band\b|\bor\b|\bn\b)\s*"
_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~’‘“”•·…"})
_PHONE_AFTER = re.compile(r"[\s:\-–(]*\+?\(?\d[\d\s\-.()]{5,}\d")


@dataclass(frozen=True, slots=True)
class Platforms:
    """The compiled knowledge of ``handles.yaml``."""

    by_cue: dict[str, str]  # lower-case cue -> platform
    ambiguous: frozenset[str]  # lower-case cues that need evidence
    at_only: frozenset[str]
    cue_pattern: str  # regex matching one cue (boundaries included)
    single_words: frozenset[str]  # one-word case-insensitive cues, for the pre-check
    phrases: tuple[str, ...]  # several-word cues as " w1 w2 ", for the pre-check
    phrase_firsts: frozenset[str]  # the first words of ``phrases``
    phrase_words: tuple[frozenset[str], ...]  # the words of each of ``phrases``
    exact: tuple[str, ...]  # exact-case cues ("OF")
    symbols: tuple[str, ...]  # emoji cues ("👻")
    url_by_prefix: dict[str, str]
    url_pattern: str
    not_handles: frozenset[str]
    not_cashtags: frozenset[str]


def _word_re(word: str) -> str:
    return r"\s*".join(re.escape(part) for part in word.split())


@cache
def load_platforms() -> Platforms:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("safelight.extract.data").joinpath("handles.yaml").read_text("utf-8")
    )
    by_cue: dict[str, str] = {}
    ambiguous: set[str] = set()
    at_only: set[str] = set()
    words: list[str] = []
    exact: list[str] = []
    symbols: list[str] = []
    url_by_prefix: dict[str, str] = {}
    for entry in raw["platforms"]:
        name = entry["platform"]
        for key in ("words", "ambiguous", "exact_case", "at_only", "symbols"):
            for word in entry.get(key, []):
                low = " ".join(word.lower().split())
                by_cue[low] = name
                if key in ("ambiguous", "exact_case"):
                    ambiguous.add(low)
                if key == "at_only":
                    at_only.add(low)
                if not word[0].isalnum():
                    symbols.append(word)  # an emoji: no word boundaries
                else:
                    {"exact_case": exact}.get(key, words).append(word)
        for prefix in entry.get("urls", []):
            url_by_prefix[prefix.lower()] = name
    words.sort(key=len, reverse=True)
    firsts = "".join(sorted({w[0].lower() for w in words} | {w[0].upper() for w in words}))
    word_alts = "|".join(_word_re(w) for w in words)
    exact_alts = "|".join(_word_re(w) for w in sorted(exact, key=len, reverse=True))
    cue_pattern = (
        rf"(?:(?=[{re.escape(firsts)}])(?<![\w$@.])(?:{word_alts}|(?-i:{exact_alts}))(?![\w])"
        rf"|{'|'.join(re.escape(sym) for sym in symbols)})"
    )
    tokenised = [w.lower().translate(_PUNCT).split() for w in words]
    if any(len(t) > 1 and len(set(t)) < 2 for t in tokenised):
        raise ValueError("a phrase cue repeats one word")  # _cue_needles relies on it
    return Platforms(
        by_cue=by_cue,
        ambiguous=frozenset(ambiguous),
        at_only=frozenset(at_only),
        cue_pattern=cue_pattern,
        single_words=frozenset(t[0] for t in tokenised if len(t) == 1),
        phrases=tuple(f" {' '.join(t)} " for t in tokenised if len(t) > 1),
        phrase_firsts=frozenset(t[0] for t in tokenised if len(t) > 1),
        phrase_words=tuple(frozenset(t) for t in tokenised if len(t) > 1),
        exact=tuple(exact),
        symbols=tuple(symbols),
        url_by_prefix=url_by_prefix,
        url_pattern="|".join(re.escape(u) for u in sorted(url_by_prefix, key=len, reverse=True)),
        not_handles=frozenset(w.lower() for w in raw["not_handles"]["words"].split()),
        not_cashtags=frozenset(w.lower() for w in raw["not_cashtags"]["words"].split()),
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    p = load_platforms()
    cues = p.cue_pattern
    sep = rf"[\s{_SEP_CHARS}]*"
    # Run with .match() where a cue word was found: a whole-text scan is ~30x slower.
    after_cue = re.compile(
        rf"(?P<cues>{cues}(?:{_LIST_SEP}{cues})*)"
        rf"(?P<sep>{sep}(?:{_FILLERS}(?![\w]){sep})*)"
        rf"(?P<sigil>[@$])?(?P<handle>{_HANDLE})",
        re.IGNORECASE,
    )
    before_cue = re.compile(
        rf"@(?P<handle>{_HANDLE})\s*(?:on|at|via|[(\-–:|])?\s*"
        rf"(?P<cues>{cues}(?:{_LIST_SEP}{cues})*)",
        re.IGNORECASE,
    )
    cashtag = re.compile(r"\$(?P<handle>[A-Za-z][A-Za-z0-9_\-]{1,19})(?![\w])")
    return after_cue, before_cue, cashtag


_HANDLE_RE = re.compile(_HANDLE)
_CUE_SPLIT = re.compile(_LIST_SEP, re.IGNORECASE)
# "add my sc kandixo", "hmu on snap kandi": words that announce a platform handle.
_INTRO_BEFORE = re.compile(r"\b(?:my|add|on|via|follow)\s+$", re.IGNORECASE)
_HANDLE_LIKE = re.compile(r"[\d_]|[A-Za-z]\.[A-Za-z]")


def _cue_needles(text: str, low: str, p: Platforms) -> list[str]:
    """Cheap pre-check (a few µs): the cue words present, as substrings to look for. Searching
    them with str.find is far cheaper than scanning the text with the cue pattern."""
    needles = [e for e in p.exact if e in text]
    needles += [sym for sym in p.symbols if sym in text]
    spaced = _spaced(low)
    # The tokens that are one-word cues or words of phrase cues: one automaton pass over the
    # text instead of splitting it into tokens and hashing each.
    present = {word for _, word in _cue_automaton().iter(spaced)}
    needles += p.single_words & present
    # A phrase " w1 w2 " can be in the joined tokens only when all its words (two different
    # ones at least, see load_platforms) are tokens.
    if len(present) > 1 and not p.phrase_firsts.isdisjoint(present):
        pairs = zip(p.phrases, p.phrase_words, strict=True)
        maybe = [phrase for phrase, words in pairs if words <= present]
        if maybe:
            joined = f" {' '.join(spaced.split())} "
            needles += [phrase.split()[0] for phrase in maybe if phrase in joined]
    return needles


# ``_PUNCT`` as a bytes table, for the text encoded with non-ASCII characters as "?" (then a
# space), with the whitespace ``str.split`` splits on made a space too: the same tokens (the
# runs of non-spaces, so " word " is in the spaced text exactly when ``word`` is a token), and
# bytes.translate is far cheaper than str.translate with a dict.
_SPACED = bytes(32 if c in _PUNCT or chr(c).isspace() else c for c in range(128)) + bytes(
    range(128, 256)
)


def _spaced(low: str) -> str:
    """``low`` with every character but ASCII letters and digits (and control characters) a
    space, and a space at both ends."""
    return f" {low.encode('ascii', 'replace').translate(_SPACED).decode('ascii')} "


def _tokens(low: str) -> list[str]:
    return _spaced(low).split()


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    """Each one-word cue and each word of a phrase cue, as " word "."""
    p = load_platforms()
    automaton = ahocorasick.Automaton()
    for word in p.single_words.union(*p.phrase_words):
        automaton.add_word(f" {word} ", word)
    automaton.make_automaton()
    return automaton


def _cue_starts(text: str, low: str, needles: list[str], p: Platforms) -> list[int]:
    starts: set[int] = set()
    for needle in needles:
        hay = text if needle in p.exact else low
        i = hay.find(needle)
        while i >= 0:
            before = hay[i - 1] if i else " "
            if not (before.isalnum() or before in "_$@."):
                starts.add(i)
            i = hay.find(needle, i + 1)
    return sorted(starts)


_URL_HINTS = (".com/", ".me/", ".app/", ".am/")


class HandleExtractor:
    field = "handle"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        p = load_platforms()
        low = lowered(text)
        needles = _cue_needles(text, low, p)
        has_url = "/" in text and any(h in low for h in _URL_HINTS)
        if not (needles or has_url or "@" in text or "$" in text):
            return []
        after_cue, before_cue, cashtag = _patterns()
        taken = [
            (m.start, m.end)
            for key in ("phone", "email")
            for m in found.get(key, [])
            if m.start is not None and m.end is not None
        ]
        out: list[Match] = []

        def add(platforms: list[str], handle: str, start: int, end: int) -> None:
            if any(s < end and start < e for s, e in taken):
                return
            for platform in dict.fromkeys(platforms):
                value = {"platform": platform, "handle": handle}
                out.append(
                    Match("handle", value, text[start:end], start, end, {"platform": platform})
                )

        if has_url:
            self._urls(text, low, p, add)
        done = [(o.start or 0, o.end or 0) for o in out]
        for start in _cue_starts(text, low, needles, p) if needles else ():
            if any(s <= start < e for s, e in done):
                continue
            m = after_cue.match(text, start)
            if m is not None:
                self._after_cue(text, m, p, add)
                done.append((m.start(), m.end()))
        i = text.find("@")
        while i >= 0:
            m = before_cue.match(text, i)
            if m is not None and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "@.")):
                handle = _clean(m.group("handle"))
                names = _cue_names(m.group("cues"), p)
                if handle and handle not in p.not_handles and not handle.isdigit() and names:
                    add(names, handle, m.start(), m.end())
            i = text.find("@", i + 1)
        if "$" in text:
            for m in cashtag.finditer(text):
                handle = _clean(m.group("handle"))
                prev = text[m.start() - 1] if m.start() else " "
                if prev.isalnum() or prev in "_$":
                    continue  # "ca$happ", "$$"
                if handle and handle not in p.not_cashtags and not _in(out, m.start()):
                    add(["cashapp"], handle, m.start(), m.start("handle") + len(handle))
        return _dedupe(out)

    @staticmethod
    def _urls(text: str, low: str, p: Platforms, add: Any) -> None:
        for prefix, platform in p.url_by_prefix.items():
            i = low.find(prefix)
            while i >= 0:
                before = low[i - 1] if i else " "
                h = _HANDLE_RE.match(text, i + len(prefix))
                if (not before.isalnum() and before not in "-_") and h is not None:
                    handle = _clean(h.group())
                    if handle and handle not in p.not_handles and not handle.isdigit():
                        add([platform], handle, i, i + len(prefix) + len(handle))
                i = low.find(prefix, i + 1)

    @staticmethod
    def _after_cue(text: str, m: re.Match[str], p: Platforms, add: Any) -> None:
        raw = m.group("handle")
        handle = _clean(raw)
        if not handle or handle in p.not_handles or handle.isdigit():
            return
        cue_words = [c for c in _CUE_SPLIT.split(m.group("cues")) if c]
        names = _cue_names(m.group("cues"), p)
        if not names:
            return
        sigil = m.group("sigil") or ""
        sep = m.group("sep")
        lows = [" ".join(c.lower().split()) for c in cue_words]
        if sigil == "$" and "cashapp" not in names:
            return
        if any(low in p.at_only for low in lows) and sigil != "@":
            return
        if all(low in p.ambiguous for low in lows):
            has_sep = bool(sep.strip(" \t\n"))
            # "OF kandixo" (upper-case cue, lower-case token) reads as a handle; "BEST OF TYLER"
            # and "Best OF Tyler" do not.
            of_lower = lows[0] in ("of", "o.f") and raw.islower()
            intro = bool(_INTRO_BEFORE.search(text, max(0, m.start() - 12), m.start()))
            if not (sigil or has_sep or of_lower or intro or _HANDLE_LIKE.search(raw)):
                return
        end = m.start("handle") + len(handle)
        if _PHONE_AFTER.match(text, end) and not _HANDLE_LIKE.search(raw):
            return  # "WhatsApp Kandi 903 312 1887": a name and a phone
        add(names, handle, m.start(), end)


def _cue_names(cues: str, p: Platforms) -> list[str]:
    names = []
    for cue in _CUE_SPLIT.split(cues):
        low = " ".join(cue.lower().split())
        if low in p.by_cue:
            names.append(p.by_cue[low])
    return names


def _clean(raw: str) -> str:
    """Lower-case handle without trailing punctuation ("kandi." -> "kandi")."""
    return raw.rstrip(".-").lower()


def _in(matches: list[Match], pos: int) -> bool:
    return any((m.start or 0) <= pos < (m.end or 0) for m in matches)


def _dedupe(matches: list[Match]) -> list[Match]:
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for m in matches:
        key = (m.value["platform"], m.value["handle"], m.start)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


EXTRACTOR = HandleExtractor()
