"""Missing-person posters matched against ads (issue #5): records, descriptors, features, model.

- ``iter_missing(paths)`` reads posters (CSV/JSON/JSONL) into ``MissingPerson`` or ``Reject``.
- ``extract_descriptors(text)`` finds height, weight, hair, eyes and marks in ad text.
- ``Poster``/``AdEvidence`` prepare both sides; ``features.compare_*`` give (level, words).
- ``MatchModel`` (Fellegi-Sunter, documented priors) scores pairs; ``match`` blocks and ranks
  them into ``Lead`` objects whose contributions explain each feature in words.
- ``faces`` (optional, needs dlib-bin + face_recognition_models) embeds poster/ad faces.
"""

from __future__ import annotations

from safelight.missing.descriptors import DESCRIPTOR_FIELDS, extract_descriptors
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.features import Comparison
from safelight.missing.model import (
    LEAD_SCHEMA,
    Contribution,
    Lead,
    MatchModel,
    candidate_pairs,
    compare,
    match,
)
from safelight.missing.records import MISSING_SCHEMA, MissingPerson, iter_missing

__all__ = [
    "DESCRIPTOR_FIELDS",
    "LEAD_SCHEMA",
    "MISSING_SCHEMA",
    "AdEvidence",
    "Comparison",
    "Contribution",
    "Lead",
    "MatchModel",
    "MissingPerson",
    "Poster",
    "candidate_pairs",
    "compare",
    "extract_descriptors",
    "iter_missing",
    "match",
]
