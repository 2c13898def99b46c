"""Pairing price tokens: each amount gets at most one neighbouring duration.

- a duration glued to the amount ("80hh", "$150/hr") wins;
- otherwise the neighbour joined by the tighter gap (a space or ":" beats a comma or newline);
- on a tie, the order the list was written in: "hh 100 h 150" is duration-first, "100 hh
  150 h" amount-first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from safelight.extract.price_tokens import AMT, DUR, SKIP, Tok

__all__ = ["pair"]

# Gaps between an amount and a duration: tight (space, ":", "=", "@", "/", "for", "per"...)
# or loose (with a comma, "|", ";", newline...). Anything else breaks the link.
_TIGHT = re.compile(
    r"[ \t:=@/\-–—~*>]*(?:(?:for|per|a|an|at|is|just|only|donations?|roses?|🌹)"
    r"[ \t:=@/\-–—~*]*)*\Z",
    re.IGNORECASE,
)
_LOOSE = re.compile(
    r"[\s:=@/\-–—~*>.,|;!()\[\]&+]*(?:(?:for|per|a|an|at|is|donations?|roses?)\b"
    r"[\s:=@/\-–,]*)*\Z",
    re.IGNORECASE,
)
_SLASH = re.compile(r"\s*/\s*\Z")


@lru_cache(maxsize=4096)
def _link(gap: str) -> int:
    """How strongly a gap binds its two neighbours: 3 glued, 2 tight, 1 loose, 0 none."""
    if not gap:
        return 3
    if len(gap) <= 10 and _TIGHT.match(gap):
        return 2
    if len(gap) <= 14 and _LOOSE.match(gap):
        return 1
    return 0


def pair(text: str, toks: list[Tok]) -> list[tuple[Tok, Tok | None]]:
    """Give each amount its duration (or None)."""
    n = len(toks)
    links = [
        _link(text[a[2] : b[1]]) if a[0] is not SKIP and b[0] is not SKIP else 0
        for a, b in zip(toks, toks[1:], strict=False)
    ]
    # Orientation of each chain of linked tokens: the kind of its first token.
    first_kind: list[str] = []
    for i, tok in enumerate(toks):
        first_kind.append(first_kind[i - 1] if i and links[i - 1] else tok[0])

    def prefers(j: int) -> int | None:
        """Which amount a duration leans to: the tighter side; on a tie, the list's order."""
        left = links[j - 1] if j and toks[j - 1][0] is AMT else 0
        right = links[j] if j + 1 < n and toks[j + 1][0] is AMT else 0
        if not left and not right:
            return None
        if left > right or (left == right and first_kind[j] is AMT):
            return j - 1
        return j + 1

    pairs: list[tuple[Tok, Tok | None]] = []
    for i, tok in enumerate(toks):
        if tok[0] is not AMT:
            continue
        left = links[i - 1] if i and toks[i - 1][0] is DUR and prefers(i - 1) == i else 0
        right = links[i] if i + 1 < n and toks[i + 1][0] is DUR and prefers(i + 1) == i else 0
        if left > right or (left and left == right and first_kind[i] is DUR):
            dur: Tok | None = toks[i - 1]
        elif right:
            dur = toks[i + 1]
        else:
            dur = None
        if (
            dur is None
            and i
            and pairs
            and toks[i - 1] is pairs[-1][0]
            and pairs[-1][1]
            and _SLASH.match(text[toks[i - 1][2] : tok[1]])
        ):
            dur = pairs[-1][1]  # "hh 100/150" (incall/outcall): shares the first's duration
        pairs.append((tok, dur))
    return pairs
