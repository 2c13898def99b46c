from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest

from safelight.errors import SafelightError, UserError
from safelight.records import AD_SCHEMA, EXTRACTION_SCHEMA, Ad
from safelight.store import FileProgress, Store
from safelight.store.migrations import available_migrations


def ads_table(*ads: Ad) -> pa.Table:
    return pa.Table.from_pylist([a.to_row() for a in ads], schema=AD_SCHEMA)


def ad(post_id: str, body: str = "sweet and discreet", **kw: object) -> Ad:
    kw.setdefault("posted_at", datetime(2024, 5, int(post_id) % 28 + 1, tzinfo=UTC))
    return Ad(source="classifieds", post_id=post_id, body=body, **kw)  # type: ignore[arg-type]


def phone_row(ad_id: str, value: str, text: str) -> dict[str, object]:
    return {
        "ad_id": ad_id,
        "field": "phone",
        "value": value,
        "text": text,
        "start": 0,
        "end": len(text),
        "detail": None,
    }


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        yield s


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        rows = s.query("SELECT version, name FROM schema_migrations ORDER BY version").to_pylist()
        assert s.schema_version == available_migrations()[-1].version
    assert rows == [{"version": m.version, "name": m.name} for m in available_migrations()]
    assert rows[0] == {"version": 1, "name": "ads_and_extractions"}
    with Store(path) as s:  # reopening applies nothing and keeps the data
        s.add_ads(ads_table(ad("1")))
    with Store(path) as s:
        assert s.query("SELECT count(*) AS n FROM schema_migrations")["n"][0].as_py() == len(rows)
        assert s.ad_count() == 1


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
    con.close()
    with pytest.raises(SafelightError, match="newer Safelight"):
        Store(path)


def test_a_migration_missing_below_the_highest_is_applied(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    gap = available_migrations()[-2]
    con = duckdb.connect(str(path))
    tables = re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", gap.sql)
    for table in tables:
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM schema_migrations WHERE version = ?", [gap.version])
    con.close()
    with Store(path) as s:
        versions = s.query("SELECT version FROM schema_migrations ORDER BY 1")["version"]
        assert versions.to_pylist() == [m.version for m in available_migrations()]
        for table in tables:
            assert s.query(f"SELECT count(*) AS n FROM {table}")["n"][0].as_py() == 0


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database\n" * 100)
    with pytest.raises(UserError, match="cannot open"):
        Store(path)


def test_add_ads_skips_duplicates_within_a_batch_and_across_calls(store):
    first = ad("1", body="first version")
    assert store.add_ads(ads_table(first, ad("2"), ad("1", body="a repeat"), ad("3"))) == 3
    assert store.add_ads(ads_table(ad("2"), ad("3"), ad("4"))) == 1
    assert store.add_ads(ads_table()) == 0
    assert store.ad_count() == 4
    kept = store.query("SELECT body FROM ads WHERE ad_id = ?", [first.ad_id])
    assert kept["body"].to_pylist() == ["first version"]  # the first occurrence wins


def test_add_ads_saves_progress_with_the_batch(store):
    p = FileProgress("fp1", "ads.jsonl", records_done=3, ads_read=3, ads_stored=5)
    assert store.add_ads(ads_table(ad("1"), ad("2"), ad("1")), progress=p) == 2
    saved = store.file_progress("fp1")
    assert saved == FileProgress("fp1", "ads.jsonl", 3, 3, 7, 0, False)
    assert store.file_progress("other") is None


def test_add_ads_rolls_back_progress_when_the_insert_fails(store):
    bad = ads_table(ad("1")).set_column(1, "source", pa.array([None], pa.string()))
    with pytest.raises(duckdb.Error):
        store.add_ads(bad, progress=FileProgress("fp", "x.jsonl", records_done=1))
    assert store.file_progress("fp") is None
    assert store.ad_count() == 0


def _stored_phone_ads(store: Store) -> tuple[Ad, Ad]:
    a, b = ad("1", title="Sweet Mia", body="call (903) 312-1887"), ad("2", body="text me")
    store.add_ads(ads_table(a, b, ad("3", body="Mia in Tyler")))
    rows = pa.RecordBatch.from_pylist(
        [
            phone_row(a.ad_id, "+19033121887", "(903) 312-1887"),
            phone_row(b.ad_id, "+12145550100", "214.555.0100"),
            {
                "ad_id": b.ad_id,
                "field": "email",
                "value": "mia@gmail.com",
                "text": "x",
                "start": 0,
                "end": 1,
                "detail": None,
            },
            {
                "ad_id": b.ad_id,
                "field": "handle",
                "value": json.dumps({"handle": "mia_tx", "platform": "snapchat"}, sort_keys=True),
                "text": "sc: mia_tx",
                "start": 0,
                "end": 9,
                "detail": None,
            },
        ],
        schema=EXTRACTION_SCHEMA,
    )
    store.write_extractions([a.ad_id, b.ad_id], rows, version="v1")
    return a, b


@pytest.mark.parametrize(
    "spelling",
    ["(903) 312-1887", "9033121887", "+1 903 312 1887", "903.312.1887", "1-903-312-1887"],
)
def test_search_by_phone_in_any_spelling(store, spelling):
    a, _ = _stored_phone_ads(store)
    found = store.search(phone=spelling)
    assert found["ad_id"].to_pylist() == [a.ad_id]
    assert found["matched"].to_pylist() == ["phone +19033121887"]
    assert {"ad_id", "source", "post_id", "posted_at", "location", "title"} <= set(
        found.column_names
    )


def test_search_by_email_handle_and_text(store):
    a, b = _stored_phone_ads(store)
    assert store.search(email="MIA@gmail.com")["ad_id"].to_pylist() == [b.ad_id]
    assert store.search(handle="@Mia_TX")["ad_id"].to_pylist() == [b.ad_id]
    assert store.search(handle="snapchat:mia_tx")["ad_id"].to_pylist() == [b.ad_id]
    assert store.search(handle="instagram:mia_tx").num_rows == 0
    texts = store.search(text="mia")
    assert len(texts) == 2 and a.ad_id in texts["ad_id"].to_pylist()  # title and body, any case
    assert store.search(text="100%").num_rows == 0  # wildcards are literal
    # Several criteria: an ad must match all of them.
    assert store.search(text="mia", phone="903-312-1887")["ad_id"].to_pylist() == [a.ad_id]
    assert store.search(text="mia", limit=1).num_rows == 1


def test_search_needs_a_criterion(store):
    with pytest.raises(UserError):
        store.search()
    with pytest.raises(UserError, match="phone"):
        store.search(phone="call me")


def test_write_extractions_replaces_an_ads_values(store):
    a, _ = _stored_phone_ads(store)
    new = pa.RecordBatch.from_pylist(
        [phone_row(a.ad_id, "+12145550199", "214-555-0199")], schema=EXTRACTION_SCHEMA
    )
    store.write_extractions([a.ad_id], new, version="v2")
    rows = store.query("SELECT value FROM extractions WHERE ad_id = ?", [a.ad_id])
    assert rows["value"].to_pylist() == ["+12145550199"]
    assert store.search(phone="903 312 1887").num_rows == 0
    marks = store.query("SELECT ad_id, version FROM extracted_ads ORDER BY version").to_pylist()
    assert [m["version"] for m in marks] == ["v1", "v2"]
    # An ad with nothing found is still marked, so it is not extracted again.
    empty = pa.RecordBatch.from_pylist([], schema=EXTRACTION_SCHEMA)
    store.write_extractions([a.ad_id], empty, version="v3")
    assert store.query("SELECT * FROM extractions WHERE ad_id = ?", [a.ad_id]).num_rows == 0


def test_ads_to_extract_streams_what_the_version_has_not_seen(store):
    store.add_ads(ads_table(*(ad(str(i)) for i in range(1, 8))))
    batches = list(store.ads_to_extract(batch_size=3, version="v1"))
    assert sum(b.num_rows for b in batches) == 7 and max(b.num_rows for b in batches) <= 3
    assert batches[0].schema.names == ["ad_id", "title", "body", "stated_age", "images"]
    done = batches[0].column("ad_id").to_pylist()
    store.write_extractions(
        done, pa.RecordBatch.from_pylist([], schema=EXTRACTION_SCHEMA), version="v1"
    )
    assert store.count_to_extract(version="v1") == 7 - len(done)
    assert store.count_to_extract(version="v2") == 7
    left = [i for b in store.ads_to_extract(version="v1") for i in b.column("ad_id").to_pylist()]
    assert sorted(left + done) == sorted(a.ad_id for a in (ad(str(i)) for i in range(1, 8)))
    # --all: everything again, and it marks old work stale so a crash mid-way resumes.
    assert sum(b.num_rows for b in store.ads_to_extract(all=True, version="v1")) == 7
    assert store.count_to_extract(version="v1") == 7


def test_writes_between_streamed_batches(store):
    store.add_ads(ads_table(*(ad(str(i)) for i in range(1, 11))))
    empty = pa.RecordBatch.from_pylist([], schema=EXTRACTION_SCHEMA)
    seen = 0
    for batch in store.ads_to_extract(batch_size=4, version="v1"):
        store.write_extractions(batch.column("ad_id"), empty, version="v1")
        seen += batch.num_rows
    assert seen == 10 and store.count_to_extract(version="v1") == 0


def test_stats(store):
    _stored_phone_ads(store)
    stats = store.stats()
    assert stats["ads"] == 3
    assert stats["sources"] == {"classifieds": 3}
    assert stats["extractions"] == {"email": 1, "handle": 1, "phone": 2}
    assert stats["distinct_phones"] == 2 and stats["distinct_emails"] == 1
    assert stats["ads_without_extraction"] == 1 and stats["extracted_ads"] == 2
    assert stats["first_posted"] == "2024-05-02T00:00:00Z"
    assert stats["last_posted"] == "2024-05-04T00:00:00Z"
    json.dumps(stats)  # JSON-ready
