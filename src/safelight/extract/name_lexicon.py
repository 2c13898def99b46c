"""The first-name lexicon and the name cues (``data/first_names.csv``, ``data/names.yaml``)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import us
import yaml

from safelight.extract.name_cues import cue_regex, cues_by_initial

__all__ = ["AFTER", "NAME", "STRONG", "WEAK", "WORD", "Lexicon", "load_lexicon"]

STRONG, WEAK, AFTER = 2, 1, 0
WORD = r"[^\W\d_]{2,20}"
NAME = rf"(?P<name>{WORD})(?![\w@]|['’]\w\w)"


@dataclass(frozen=True, slots=True)
class Lexicon:
    names: dict[str, bool]  # lower-case name -> also an everyday English word
    not_names: frozenset[str]
    bare_forms: frozenset[str]  # "Kandi"/"KANDI" forms of the names taken without a cue
    cue_re: re.Pattern[str]  # tried with .match() where a needle starts a word
    cue_by_initial: dict[str, re.Pattern[str]]  # the same, by the ASCII letter there
    needles: frozenset[str]
    phrases: tuple[str, ...]
    after_re: re.Pattern[str]


def _data(name: str) -> str:
    return resources.files("safelight.extract.data").joinpath(name).read_text("utf-8")


@cache
def load_lexicon() -> Lexicon:
    rows = csv.DictReader(
        io.StringIO(
            "".join(line for line in io.StringIO(_data("first_names.csv")) if line[:1] != "#")
        )
    )
    names = {row["name"]: row["common_word"] == "1" for row in rows}
    raw: dict[str, Any] = yaml.safe_load(_data("names.yaml"))
    cues = raw["cues"]
    needles = frozenset(cues["needles"].split())
    phrases = tuple(cues["phrases"])
    cue_re = cue_regex(cues["strong"], cues["weak"], NAME)
    by_initial = cues_by_initial(cues["strong"], cues["weak"], NAME)
    after_re = re.compile(rf"(?:{'|'.join(cues['after'])})", re.IGNORECASE)
    not_names = frozenset(raw["not_names"]["words"].split())
    states = {s.name.lower() for s in us.states.STATES_AND_TERRITORIES}
    not_bare = not_names | frozenset(raw["not_bare"]["words"].split()) | states
    bare = [n for n, common in names.items() if not common and n not in not_bare and len(n) > 2]
    bare_forms = frozenset(n.capitalize() for n in bare) | frozenset(n.upper() for n in bare)
    return Lexicon(names, not_names, bare_forms, cue_re, by_initial, needles, phrases, after_re)
