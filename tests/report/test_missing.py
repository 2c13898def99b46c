"""The report's missing-person section and pages: minors first, escaped, offline pictures."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from safelight.missing.run import import_posters, run_match
from safelight.pipeline import ingest_paths, run_extract
from safelight.report import write_report
from safelight.store import Store


def test_leads_pages_escape_text_and_embed_photos(tmp_path: Path) -> None:
    photo = tmp_path / "face.jpg"
    Image.new("RGB", (64, 64), (10, 200, 40)).save(photo)
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        '{"source": "s", "post_id": "1", "posted_at": "2024-03-01T10:00:00Z", '
        '"body": "Ashlee 19 <script>alert(1)</script> blonde in Tyler TX", '
        '"images": ["face.jpg"]}\n',
        encoding="utf-8",
    )
    posters = tmp_path / "posters.csv"
    posters.write_text(
        "case_id,name,dob,date_missing,missing_city,missing_state,hair,photos\n"
        'C<b>1,"Ashley <i>Doe</i>",2008-03-01,2024-01-10,Tyler,TX,blonde,face.jpg\n'
        "C2,Grown Adult,1990-01-01,2024-01-10,Tyler,TX,red,\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        ingest_paths(store, [ads])
        run_extract(store)
        import_posters(store, [posters])
        run_match(store)
        report = write_report(store, tmp_path / "out")
    html = report.read_text(encoding="utf-8")
    section = html[html.index('id="missing"') :]
    assert "Ashley &lt;i&gt;Doe&lt;/i&gt;" in section and "<i>Doe" not in section
    assert section.index("C&lt;b&gt;1") < section.index("C2")  # the minor first
    pages = sorted((tmp_path / "out" / "missing").glob("*.html"))
    assert len(pages) == 2
    page = next(p.read_text(encoding="utf-8") for p in pages if "Ashley" in p.read_text())
    assert "<script" not in page and "Ashley &lt;i&gt;Doe&lt;/i&gt;" in page
    assert page.count("data:image/jpeg;base64,") == 2  # poster photo and ad photo
    assert "probability" in page and "hair: blonde vs blonde" in page
