"""Prices with their durations: "80hh 160 hr", "$150/hr", "qv 60", "overnight 1k", "£120".

The stretches of text around numbers are cut into tokens -- amounts (with or without a
currency mark), durations ("hh", "2hr", "30 min", "overnight") and things that look like
amounts but are not (percentages, "24/7", heights, ages, times...): ``price_tokens`` with the
pattern of ``price_lexicon``. A pairing pass (``price_pairs``) then gives each amount at most
one neighbouring duration: a glued one ("80hh"), else the one across the tighter gap, else the
list's order ("hh 100 h 150" is duration-first).

A bare number is a price only next to a duration or after "incall", "donation", "rates"...;
with a currency mark ("$", "roses", "£", "CAD") it is a price on its own (minutes null).
Digits inside a phone span (``found["phone"]``) are never read. Duration words and currency
words live in ``data/price_units.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping

from safelight.extract.base import Match
from safelight.extract.price_pairs import pair
from safelight.extract.price_tokens import (
    after_context,
    tokens,
)

__all__ = ["EXTRACTOR", "PriceExtractor"]


class PriceExtractor:
    field = "price"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        blocked = [
            (m.start, m.end)
            for m in found.get("phone", ())
            if m.start is not None and m.end is not None
        ]
        toks = tokens(text, blocked)
        out: list[Match] = []
        if not toks:
            return out
        for amt, dur in pair(text, toks):
            _, a_start, a_end, amount, currency, bare = amt
            if (
                dur is None
                and currency is None
                and not (bare and after_context(text, a_start, a_end))
            ):
                continue
            if currency is None and 1900 <= amount <= 2099 and (dur is None or dur[3] < 120):
                continue  # a year ("since 2014"), not an hourly rate
            if dur is None:
                start, end = a_start, a_end
                value = {"amount": amount, "currency": currency or "USD", "minutes": None}
            else:
                start = a_start if a_start < dur[1] else dur[1]
                end = a_end if a_end > dur[2] else dur[2]
                value = {"amount": amount, "currency": currency or "USD", "minutes": dur[3]}
            out.append(Match("price", value, text[start:end], start, end))
        return out


EXTRACTOR = PriceExtractor()
