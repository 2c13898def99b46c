"""``write_report`` on a small known store: the file, its numbers, its safety."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as Doc

from safelight.report import ReportOptions, write_report
from safelight.store import Store

# The values of the known store in conftest.py.
P1 = "+19035550187"
P2 = "+12145550199"
XSS = "<script>alert('x')</script>"


@pytest.fixture()
def html(store: Store, tmp_path: Path) -> str:
    path = write_report(store, tmp_path / "out")
    assert path == tmp_path / "out" / "report.html"
    return path.read_text(encoding="utf-8")


def metric(html: str, name: str) -> str:
    node = Doc(html).css_first(f'[data-metric="{name}"]')
    assert node is not None, name
    return node.text(strip=True)


def test_report_is_written_and_names_its_store(store: Store, html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert str(store.path) in html
    assert "lead for human review" in html
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", html)


def test_report_is_self_contained(html: str) -> None:
    class Refs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.external: list[str] = []
            self.links: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "link":
                self.links.append(str(attrs))
            for key, value in attrs:
                if (
                    key in {"src", "href", "xlink:href", "action", "srcset"}
                    and value
                    and (re.match(r"\s*(https?:)?//", value))
                ):
                    self.external.append(f"{tag} {key}={value}")

    refs = Refs()
    refs.feed(html)
    assert refs.external == []
    assert refs.links == []
    assert "@import" not in html and "url(http" not in html
    assert "default-src 'none'" in html  # the CSP forbids any fetch even if something slipped


def test_summary_counts(html: str) -> None:
    assert metric(html, "ads") == "5"
    assert metric(html, "sources") == "2"
    assert metric(html, "ads_with_phone") == "4"
    assert metric(html, "phones") == "2"
    assert metric(html, "emails") == "1"
    assert metric(html, "handles") == "1"
    assert metric(html, "possible_minor_ads") == "2"  # a1 (16 in text) + a4 (stated 17)
    assert "2024-03-01 – 2024-03-03" in html
    assert "1 ads undated" in html
    assert "possible minors, review first" in html
    assert 'data-metric="rejects"' not in html  # no rejects file given


def test_top_phone_listed_first_with_its_counts(html: str) -> None:
    section = Doc(html).css_first("#contacts")
    rows = section.css("table")[0].css("tbody tr")
    cells = [c.text(strip=True) for c in rows[0].css("td")]
    # phone, ads, possible-minor ads, places, sources, first seen, last seen
    assert cells == [P1, "3", "1", "2", "1", "2024-03-01", "2024-03-02"]
    assert [c.text(strip=True) for c in rows[1].css("td")][:2] == [P2, "1"]


def test_ad_text_is_escaped(html: str) -> None:
    assert XSS not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # the report's own script only


def test_spans_are_highlighted_in_the_ad_text(html: str) -> None:
    marks = {(m.attributes["class"], m.text()) for m in Doc(html).css(".adtext mark")}
    assert ("f-phone", "903 555 0187") in marks
    assert ("f-age", "16") in marks
    assert ("f-price", "$150hr") in marks
    assert ("f-handle", "kandi_x") in marks
    # an area-code place is not a span the analyst should see as a place in the text
    assert ("f-place", "214.555.0199") not in marks


def test_charts_are_inline_svg(html: str) -> None:
    doc = Doc(html)
    assert len(doc.css("svg")) >= 3
    places = doc.css_first("#places svg").html
    assert "Tyler, TX: 2 ads" in places
    assert "Houston: 1 ads" in places  # area-code place ignored, listed location used
    assert "Dallas, TX" not in places
    ages = doc.css_first("#fields svg").html
    assert ages.count('fill="url(#hatch)"') == 2  # bars for 16 and 17 highlighted


def test_ads_table_lists_possible_minors_first(html: str) -> None:
    rows = Doc(html).css("#ads tbody tr")
    assert len(rows) == 5
    assert [("minor" in (r.attributes.get("class") or "")) for r in rows] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert "Showing all 5 ads" in html


def test_ads_table_cap_keeps_every_possible_minor(store: Store, tmp_path: Path) -> None:
    path = write_report(store, tmp_path, options=ReportOptions(recent_ads=1))
    html = path.read_text(encoding="utf-8")
    rows = Doc(html).css("#ads tbody tr")
    assert len(rows) == 3  # two possible minors + the most recent ad (a3)
    assert "Showing 3 of 5 ads" in html
    assert "text 214.555.0199" in rows[2].text()


def test_rejects_are_counted(store: Store, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text('{"reason": "no body"}\n{"reason": "bad date"}\n\n', encoding="utf-8")
    html = write_report(store, tmp_path, rejects=rejects).read_text(encoding="utf-8")
    assert metric(html, "rejects") == "2"


def test_empty_store_still_renders(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb") as empty:
        html = write_report(empty, tmp_path).read_text(encoding="utf-8")
    assert metric(html, "ads") == "0"
    assert "No ad has a posting date." in html
    assert "No extractions yet" in html
