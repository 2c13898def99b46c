"""Synthetic corpus: a population of persons and networks posting classified ads.

``generate(SynthOptions(out=..., ads=..., seed=...))`` writes ``ads.jsonl`` (canonical
ingest columns), ``truth.jsonl`` (who is behind each ad), ``persons.jsonl``,
``networks.jsonl``, ``images/`` and ``pages/`` to a folder; see ``writer`` for the formats and
``pages`` for the saved-page markup. Only synthetic data: names come from common-name lists,
phones are random numbers in real area codes, photos are drawn shapes.
"""

from __future__ import annotations

from safelight.synth.corpus import SynthOptions, SynthSummary, generate

__all__ = ["SynthOptions", "SynthSummary", "generate"]
