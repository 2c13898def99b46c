"""How ads write their contacts: phones, emails and social handles, plain or disguised.

Every writer takes the contact and a ``random.Random`` and returns the text as it appears in
the ad plus the obfuscation tags used (the vocabulary of the extraction contract: ``words``,
``lookalike``, ``spaced``, ``separators``, ``emoji``, ``unicode_digits``, ``split``; an empty
list for a plainly written contact). ``noise`` (0..1) raises the share of disguised forms.
"""

from __future__ import annotations

import bisect
import itertools
import random

__all__ = ["PhoneWriter", "write_email", "write_handle"]

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
KEYCAP = tuple(f"{d}\ufe0f\u20e3" for d in "0123456789")
FULLWIDTH = tuple(chr(0xFF10 + i) for i in range(10))
MATH_BOLD = tuple(chr(0x1D7CE + i) for i in range(10))
SPLIT_EMOJI = ("💋", "🔥", "❤️", "🍒", "💦", "⭐", "📞", "😘")
ODD_SEPARATORS = ("*", "~", "_", "/", "..", " - ", "|", "•")
SPLIT_WORDS = (" then ", " .. ", " & ", " ... ")


def _plain(a: str, b: str, c: str, rng: random.Random) -> str:
    k = int(rng.random() * 10)
    if k == 0:
        return f"({a}) {b}-{c}"
    if k == 1:
        return f"{a}.{b}.{c}"
    if k == 2:
        return f"{a}{b}{c}"
    if k == 3:
        return f"{a} {b} {c}"
    if k == 4:
        return f"+1 {a}-{b}-{c}"
    if k == 5:
        return f"1-{a}-{b}-{c}"
    if k == 6:
        return f"{a}-{b}{c}"
    return f"{a}-{b}-{c}"


def _groups(digits: str) -> tuple[str, str, str]:
    return digits[:3], digits[3:6], digits[6:]


def _words(digits: str, rng: random.Random) -> str:
    """Some or all digits as words: ``nine0three 312 one8eight7``."""
    share = rng.choice((0.3, 0.5, 1.0))
    out = []
    for d in digits:
        out.append(DIGIT_WORDS[int(d)] if rng.random() < share else d)
    if share == 1.0 and rng.random() < 0.6:
        a, b, c = out[:3], out[3:6], out[6:]
        return " ".join((" ".join(a), " ".join(b), " ".join(c)))
    a, b, c = "".join(out[:3]), "".join(out[3:6]), "".join(out[6:])
    return f"{a} {b} {c}"


def _lookalike(digits: str, rng: random.Random) -> str:
    one = rng.choice(("l", "I", "i"))
    mapped = digits.replace("0", "O").replace("1", one)
    if mapped == digits:  # no 0 or 1 to disguise
        return ""
    a, b, c = _groups(mapped)
    return rng.choice((f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}", f"({a}) {b} {c}"))


class PhoneWriter:
    """Writes a 10-digit NANP number the way a given poster tends to (``prefer``) with
    ``noise`` adding disguise. ``prefer`` is a style name from ``STYLES`` or ``None``."""

    STYLES = (
        "plain",
        "spaced",
        "separators",
        "words",
        "lookalike",
        "emoji",
        "unicode_digits",
        "split",
    )

    def __init__(self, noise: float) -> None:
        self.noise = noise
        # Disguised styles become more likely with noise; plain dominates at low noise.
        self.weights = (
            max(0.05, 1.0 - 0.8 * noise),
            0.08 * noise + 0.01,
            0.10 * noise + 0.02,
            0.12 * noise + 0.02,
            0.08 * noise + 0.01,
            0.10 * noise + 0.02,
            0.06 * noise + 0.01,
            0.04 * noise + 0.005,
        )
        self._cum = list(itertools.accumulate(self.weights))

    def pick_style(self, rng: random.Random) -> str:
        return self.STYLES[bisect.bisect(self._cum, rng.random() * self._cum[-1])]

    def write(
        self, digits: str, rng: random.Random, prefer: str | None = None
    ) -> tuple[str, list[str]]:
        style = prefer if prefer and rng.random() < 0.75 else self.pick_style(rng)
        a, b, c = _groups(digits)
        if style == "spaced":
            if rng.random() < 0.5:
                return " ".join(digits), ["spaced"]
            return f"{' '.join(a)}  {' '.join(b)}  {' '.join(c)}", ["spaced"]
        if style == "separators":
            if rng.random() < 0.3:
                return "*".join(digits), ["separators"]
            sep = rng.choice(ODD_SEPARATORS)
            return f"{a}{sep}{b}{sep}{c}", ["separators"]
        if style == "words":
            text = _words(digits, rng)
            if text.replace(" ", "") == digits:
                return f"{a} {b} {c}", []
            return text, ["words"]
        if style == "lookalike":
            text = _lookalike(digits, rng)
            return (text, ["lookalike"]) if text else (f"{a}-{b}-{c}", [])
        if style == "emoji":
            if rng.random() < 0.5:
                return "".join(KEYCAP[int(d)] for d in digits), ["emoji"]
            e = rng.choice(SPLIT_EMOJI)
            return f"{a}{e}{b}{e}{c}", ["emoji"]
        if style == "unicode_digits":
            table = FULLWIDTH if rng.random() < 0.7 else MATH_BOLD
            u = "".join(table[int(d)] for d in digits)
            return rng.choice((f"{u[:3]}-{u[3:6]}-{u[6:]}", u, f"{u[:3]} {u[3:6]} {u[6:]}")), [
                "unicode_digits"
            ]
        if style == "split":
            return f"{a}{rng.choice(SPLIT_WORDS)}{b}-{c}", ["split"]
        return _plain(a, b, c, rng), []


def write_email(user: str, domain: str, rng: random.Random, noise: float) -> tuple[str, list[str]]:
    """``name@gmail.com`` or a spelled-out form (``name at gmail dot com``)."""
    if rng.random() < 0.35 + 0.5 * noise:
        host, _, tld = domain.rpartition(".")
        k = rng.randrange(5)
        if k == 0:
            return f"{user} at {host} dot {tld}", ["words"]
        if k == 1:
            return f"{user}(at){host}(dot){tld}", ["words"]
        if k == 2:
            return f"{user} @ {host} . {tld}", ["spaced"]
        if k == 3:
            return f"{user} AT {host} DOT {tld}", ["words"]
        return f"{user} [at] {host} [dot] {tld}", ["words"]
    return f"{user}@{domain}", []


def write_handle(platform: str, handle: str, prefixes: tuple[str, ...], rng: random.Random) -> str:
    """``snap: kandi_xo``, ``IG @kandi.x``, ``👻 kandixo``, ``onlyfans.com/kandixo``."""
    prefix = rng.choice(prefixes)
    if prefix.endswith("/") or prefix.endswith("@"):
        return f"{prefix}{handle}"
    if rng.random() < 0.2 and platform in ("instagram", "telegram"):
        return f"{prefix} @{handle}"
    return f"{prefix} {handle}"
