"""A small corpus generated once per test session, shared by the synth tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safelight.synth import SynthOptions, SynthSummary, generate


class Corpus:
    def __init__(self, out: Path, summary: SynthSummary) -> None:
        self.out = out
        self.summary = summary
        self.ads = _read(out / "ads.jsonl")
        self.truth = _read(out / "truth.jsonl")
        self.persons = {p["person_id"]: p for p in _read(out / "persons.jsonl")}
        self.networks = {n["network_id"]: n for n in _read(out / "networks.jsonl")}


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    options = SynthOptions(out=out, ads=4000, seed=11, minor_rate=0.15, html_pages=4)
    return Corpus(out, generate(options))
