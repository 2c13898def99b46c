"""Ingest: read ad files (JSONL, CSV/TSV, Parquet, saved HTML pages) into ``Ad``/``Reject``.

Pure readers — no database. The entry points (``readers.py``)::

    for item in iter_records([Path("ads/")], options=IngestOptions(timezone="America/Chicago")):
        ...  # an Ad, or a Reject(file, line, reason, field, raw)

- ``iter_file(path, start_record=N)`` resumes a file after its first N records (one item per
  record, rejects included); ``file_fingerprint(path)`` identifies a file's content;
  ``find_inputs(paths)`` lists readable files and the ones skipped for their extension.
- Canonical columns and their aliases: ``columns.yaml``; checks and rejects: ``build.py``;
  text hygiene: ``normalise.py``; dates: ``dates.py``; image references: ``imagerefs.py``.
- Formats: ``jsonl.py``, ``delimited.py`` (CSV/TSV), ``parquet.py``, ``pages.py`` (HTML via the
  YAML site profiles in ``profiles/``, read by ``siteprofiles.py``).
"""

from __future__ import annotations

from safelight.ingest.dates import parse_posted_at
from safelight.ingest.normalise import clean_line, clean_text, html_to_text
from safelight.ingest.options import DEFAULT_MAX_CHARS, IngestOptions
from safelight.ingest.readers import (
    READERS,
    InputFiles,
    file_fingerprint,
    find_inputs,
    iter_file,
    iter_records,
)
from safelight.ingest.siteprofiles import SiteProfile, load_profiles

__all__ = [
    "DEFAULT_MAX_CHARS",
    "READERS",
    "IngestOptions",
    "InputFiles",
    "SiteProfile",
    "clean_line",
    "clean_text",
    "file_fingerprint",
    "find_inputs",
    "html_to_text",
    "iter_file",
    "iter_records",
    "load_profiles",
    "parse_posted_at",
]
