"""Ad writing: a poster's style baked once, then filled per ad.

A poster (an independent person, or a network writing for all its persons) has a ``Template``:
title and body text assembled from the phrase lists of ``data/vocabulary.yaml``, with the
poster's habits baked in (case, separators, misspellings, emoji palette, price format, how the
phone is written). Per ad only slots are filled — name, age, city, price, contact, emojis,
youth wording — with ``str.format_map``, so reposts are near-identical like real reposts, and
writing an ad costs a few microseconds. A template is rewritten now and then (``rewrite``).

Slots in baked templates: {name} {age} {agep} {city} {CITY} {price} {contact} {youth}
{e0} {e1} {e2}; person slots {hair} {eyes} {height} {weight} are filled by ``personalize``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from safelight.synth.vocabulary import Vocabulary

__all__ = ["Template", "age_words", "bake_template", "noisy", "personalize"]

_SLOT = re.compile(r"\{(\w+)\}")
_PROTECT = re.compile(r"(\{\w+\})")
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty")
_BOLD = {c: chr(0x1D400 + i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {
    c: chr(0x1D41A + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")
}
_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F) if chr(c) not in "{}"}


def age_words(age: int) -> str:
    if age < 20:
        return _ONES[age]
    tens, ones = divmod(age, 10)
    return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")


@dataclass(slots=True)
class Template:
    titles: list[str]
    body: str
    age_phrase: str
    price_format: str
    hh: int
    phone_style: str | None
    contact_prefix: str
    emojis: tuple[str, ...]
    youth_cues: tuple[str, ...]
    third_person: bool
    sep: str


def _outside_slots(text: str, fn: object) -> str:
    parts = _PROTECT.split(text)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))  # type: ignore[operator]


class _Baker:
    def __init__(self, vocab: Vocabulary, rng: random.Random, noise: float) -> None:
        self.v, self.rng, self.noise = vocab, rng, noise
        self.case = rng.choices(("normal", "lower", "upper", "shout"), weights=(60, 16, 8, 16))[0]
        self.typo_rate = rng.choice((0.0, 0.0, 0.2, 0.5, 0.9)) * min(1.0, 0.4 + noise)
        keys = sorted(vocab.typos, key=len, reverse=True)
        self.typo_re = re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")\b")
        adj = rng.sample(vocab["adjectives"], 2)
        noun = rng.choice(vocab["nouns"])
        self.static = {
            "adj": adj[0], "adj2": adj[1], "Adj": adj[0].capitalize(),
            "Adj2": adj[1].capitalize(), "ADJ": adj[0].upper(), "noun": noun,
            "Noun": noun.capitalize(), "NOUN": noun.upper(),
        }  # fmt: skip

    def pick(self, key: str) -> str:
        return self.rng.choice(self.v[key])

    def fill_static(self, text: str) -> str:
        n = [0]

        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            if key == "emoji":
                n[0] += 1
                return f"{{e{min(n[0] - 1, 2)}}}"
            return self.static.get(key, m.group(0))

        return _SLOT.sub(sub, text)

    def habits(self, text: str) -> str:
        rng = self.rng

        def typo(m: re.Match[str]) -> str:
            w = m.group(1)
            return self.v.typos[w] if rng.random() < self.typo_rate else w

        def style(t: str) -> str:
            if self.typo_rate:
                t = self.typo_re.sub(typo, t)
            if self.case == "lower":
                return t.lower()
            if self.case == "upper":
                return t.upper()
            if self.case == "shout":
                return " ".join(w.upper() if rng.random() < 0.3 else w for w in t.split(" "))
            return t

        return _outside_slots(self.fill_static(text), style)

    def title(self) -> str:
        t = self.fill_static(self.pick("titles"))
        if self.rng.random() < 0.35:
            t = _outside_slots(t, str.upper)
        return t


def bake_template(
    vocab: Vocabulary,
    rng: random.Random,
    noise: float,
    *,
    third_person: bool = False,
    brand: str | None = None,
    phone_style: str | None = None,
) -> Template:
    """A poster's title and body templates, in the poster's own habits."""
    b = _Baker(vocab, rng, noise)
    parts: list[str] = []
    if rng.random() < 0.6:
        parts.append(b.pick("openers"))
    if third_person:
        parts.append(rng.choice(("her name is {name}", "ask for {name}", "{name} is here")))
        parts.append(rng.choice(("she is {agep}", "{agep}", "she's {agep}")))
        parts.extend(rng.sample(vocab["third_person"], rng.randint(1, 2)))
    else:
        parts.append(b.pick("intros"))
        if rng.random() < 0.85:
            parts.append("{agep}")
    parts.append("{youth}")
    if rng.random() < 0.6:
        parts.append(b.pick("describe"))
    parts.extend(rng.sample(vocab["appeal"], rng.randint(1, 2)))
    parts.extend(rng.sample(vocab["availability"], rng.randint(1, 2)))
    if rng.random() < 0.6:
        parts.append(b.pick("location"))
    parts.append(rng.choice(("{price}", "specials {price}", "{price}!!", "rates: {price}")))
    parts.extend(rng.sample(vocab["rules"], rng.randint(0, 3)))
    if brand:
        parts.append(brand)
    parts.append("{contact}")
    if rng.random() < 0.6:
        parts.append(b.pick("closings"))
    baked = [b.habits(p).replace("{day}", rng.choice(vocab["days"])) for p in parts]
    sep = rng.choice((". ", " ", "\n", "! ", " ~ ", " * ", "\n\n", ", ", " {e1} "))
    emoji_rate = rng.choice((0.0, 0.1, 0.3, 0.6))
    body_parts: list[str] = []
    youth_next = False
    for part in baked:
        if part == "{youth}":
            youth_next = True  # the next part starts with "{youth}": "cue<sep>" or "" per ad
            continue
        if youth_next:
            part, youth_next = "{youth}" + part, False
        if rng.random() < emoji_rate:
            part += f" {{e{rng.randrange(3)}}}"
        body_parts.append(part)
    body = sep.join(body_parts)
    palette = tuple(rng.sample(vocab["emojis"], rng.randint(3, 6)))
    hh = rng.choice(range(60, 210, 10))
    cues = tuple(b.fill_static(c) for c in rng.sample(vocab["youth_cues"], 2))
    return Template(
        titles=[b.title() for _ in range(rng.randint(1, 3))],
        body=body,
        age_phrase=rng.choice(vocab["age_phrases"]),
        price_format=rng.choice(vocab["price_formats"]),
        hh=hh,
        phone_style=phone_style,
        contact_prefix=rng.choice(vocab["contact_prefix"]),
        emojis=palette,
        youth_cues=cues,
        third_person=third_person,
        sep=sep,
    )


def personalize(t: Template, hair: str, eyes: str, height_in: int, weight_lb: int) -> Template:
    """The template with one person's looks filled in (``5'4 120lbs blonde``)."""
    looks = {
        "hair": hair,
        "eyes": eyes,
        "height": f"{height_in // 12}'{height_in % 12}",
        "weight": str(weight_lb),
    }

    def fill(text: str) -> str:
        return _SLOT.sub(lambda m: looks.get(m.group(1), m.group(0)), text)

    return replace(t, titles=[fill(x) for x in t.titles], body=fill(t.body))


def prices(hh: int) -> dict[str, int]:
    """A price list from the half-hour rate: quick visit, half hour, hour, two hours, night."""
    hr = int(round(hh * 1.7, -1))
    return {"hh": hh, "hr": hr, "qv": int(round(hh * 0.6, -1)), "two": int(round(hr * 1.8, -1)),
            "ovn": int(round(hr * 5, -2))}  # fmt: skip


def noisy(text: str, rng: random.Random, title: bool = False) -> str:
    """One per-ad slip outside the slots: a typo, or a Unicode oddity (bold or full-width
    letters in a title, non-breaking spaces, curly apostrophes, a zero-width space)."""
    k = rng.randrange(6)
    if title and k == 0:
        return _outside_slots(text, lambda s: "".join(_BOLD.get(c, c) for c in s))
    if title and k == 1:
        return _outside_slots(text, lambda s: "".join(_WIDE.get(c, c) for c in s))
    if k == 2:
        return _outside_slots(text, lambda s: s.replace(" ", "\u00a0", 3))
    if k == 3:
        return _outside_slots(text, lambda s: s.replace("'", "\u2019"))
    for _ in range(6):  # a typo: swap, drop or double a letter (never inside a slot)
        i = rng.randrange(max(1, len(text) - 2))
        c = text[i]
        if not ("a" <= c <= "z") or text.rfind("{", 0, i) > text.rfind("}", 0, i):
            continue
        if k == 4 and title:
            return text[:i] + "\u200b" + text[i:]
        op = rng.randrange(3)
        if op == 0 and "a" <= text[i + 1] <= "z":
            return text[:i] + text[i + 1] + c + text[i + 2 :]
        if op == 1:
            return text[:i] + text[i + 1 :]
        return text[:i] + c + text[i:]
    return text
