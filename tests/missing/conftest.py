"""A small synthetic corpus with posters, ingested and extracted once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safelight.pipeline import ingest_paths, run_extract
from safelight.store import Store
from safelight.synth import SynthOptions, generate
from safelight.synth.posters import write_posters


@pytest.fixture(scope="session")
def poster_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("missing") / "corpus"
    generate(SynthOptions(out=out, ads=400, seed=11, minor_rate=0.2, html_pages=0))
    write_posters(out, 12, seed=11)
    return out


@pytest.fixture(scope="session")
def _extracted_db(poster_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("missing-db") / "base.duckdb"
    with Store(db) as store:
        ingest_paths(store, [poster_corpus])
        run_extract(store)
    return db


@pytest.fixture
def ads_db(_extracted_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the extracted store (ads only, no poster yet)."""
    db = tmp_path / "cases.duckdb"
    shutil.copy(_extracted_db, db)
    return db
