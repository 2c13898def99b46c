"""The triage queue, the indicator chart and the risk columns, on the scored known store."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from selectolax.lexbor import LexborHTMLParser as Doc

from safelight.records import AD_SCHEMA, Ad
from safelight.report import ReportOptions, write_report
from safelight.report.triage import build_triage, format_points, highlight_evidence
from safelight.store import Store

from .conftest import SCORES, TRIAGE_ORDER, XSS, ad_by_post

ID = {post: ad_by_post(post).ad_id for post in SCORES}
POST = {ad_id: post for post, ad_id in ID.items()}


@pytest.fixture()
def html(scored_store: Store, tmp_path: Path) -> str:
    return write_report(scored_store, tmp_path / "out").read_text(encoding="utf-8")


def metric(html: str, name: str) -> str:
    node = Doc(html).css_first(f'[data-metric="{name}"]')
    assert node is not None, name
    return node.text(strip=True)


def entries(html: str) -> list:
    return Doc(html).css("#triage-list details.tq")


# -- the queue ------------------------------------------------------------------------------


def test_queue_puts_stated_then_likely_minors_first_then_score(html: str) -> None:
    queue = entries(html)
    assert [POST[e.attributes["data-ad"]] for e in queue] == TRIAGE_ORDER
    # a3 has the highest score (90) but no minor flag: it comes after every flagged ad
    assert [e.css_first(".rank").text(strip=True) for e in queue] == ["1", "2", "3", "4", "5"]
    badges = [e.css_first("summary .badge") for e in queue]
    assert [b.text() if b else None for b in badges] == [
        "stated minor",
        "stated minor",
        "likely minor",
        None,
        None,
    ]
    assert "flag-stated" in badges[0].attributes["class"]
    assert "flag-likely" in badges[2].attributes["class"]
    assert [e.css_first(".score b").text() for e in queue] == ["80", "70", "25", "90", "10"]


def test_queue_is_capped_by_the_option(scored_store: Store, tmp_path: Path) -> None:
    options = ReportOptions(triage_ads=3, triage_preview=2)
    html = write_report(scored_store, tmp_path, options=options).read_text(encoding="utf-8")
    queue = entries(html)
    assert [POST[e.attributes["data-ad"]] for e in queue] == TRIAGE_ORDER[:3]
    assert ["rest" in e.attributes["class"] for e in queue] == [False, False, True]
    assert "Show all 3 ads in the queue" in html


def test_queue_row_shows_place_phones_and_date(html: str) -> None:
    a2 = entries(html)[2]
    cells = [c.text(strip=True) for c in a2.css("summary > span")]
    # rank, score, flag, posted, place, phones, title
    assert cells[3] == "2024-03-01 15:30"
    assert cells[4] == "Tyler, TX"  # no listed location: the place found in the text
    assert cells[5] == "+19035550187"
    assert cells[6] == "Tyler, TX"  # its title


def test_evidence_is_highlighted_and_escaped(html: str) -> None:
    a1 = entries(html)[1]
    marks = [(m.attributes["class"], m.attributes["title"], m.text()) for m in a1.css("mark")]
    assert ("ev ev-minor", "minor.stated_under_18 +60", "16") in marks
    assert ("ev ev-evasion", "evasion.no_cops +10", "<script>") in marks
    # the raw markup of the span is escaped inside the mark, never live
    assert (
        '<mark class="ev ev-evasion" title="evasion.no_cops +10">&lt;script&gt;</mark>'
        "alert(&#39;x&#39;)&lt;/script&gt;" in html
    )
    assert XSS not in html
    assert html.count("<script") == 1  # the report's own script only


def test_evidence_table_points_add_up_to_the_score(html: str) -> None:
    for entry in entries(html):
        table = entry.css_first("table.evidence")
        points = [float(r.css("td")[-1].text()) for r in table.css("tbody tr")]
        total = float(table.css_first("tfoot td.num").text())
        assert sum(points) == pytest.approx(total)
        assert total == SCORES[POST[entry.attributes["data-ad"]]][1]
    a4 = entries(html)[0]
    rows = [[c.text(strip=True) for c in r.css("td")] for r in a4.css("table.evidence tbody tr")]
    assert rows[0] == ["minor.stated_under_18", "minor", "ad field:17", "60"]
    assert rows[1] == ["minor.new_to_this", "minor", "new", "20"]


def test_queue_rows_carry_their_evidence_for_the_filter(html: str) -> None:
    tokens = entries(html)[2].attributes["data-ev"].split()
    assert set(tokens) == {
        "cat:control",
        "cat:economics",
        "control.third_person",
        "economics.specials",
    }


# -- the indicator chart ---------------------------------------------------------------------


def test_category_counts_count_ads_not_items(html: str) -> None:
    section = Doc(html).css_first("#indicators")
    counts = {
        n.attributes["data-metric"].removeprefix("category-"): n.text(strip=True)
        for n in section.css('[data-metric^="category-"]')
    }
    assert counts == {
        "evasion": "3",
        "minor": "2",
        "control": "1",
        "economics": "1",
        "movement": "0",
        "restriction": "0",
        "emoji": "0",
        "presentation": "0",
    }
    svg = section.css_first("svg").html
    assert "evasion: 3 ads" in svg and "minor: 2 ads" in svg
    assert 'data-ev-filter="cat:minor"' in svg
    assert svg.count('fill="url(#hatch)"') == 1  # the minor bar


def test_top_indicators_link_to_the_filter_with_their_description(html: str) -> None:
    rows = Doc(html).css("#indicators table")[-1].css("tbody tr")
    first = [(r.css_first("button").text(), r.css("td")[2].text()) for r in rows[:2]]
    assert sorted(first) == [("evasion.obscured_phone", "2"), ("minor.stated_under_18", "2")]
    assert rows[0].css_first("button").attributes["data-ev-filter"] == "evasion.obscured_phone"
    assert "A stated or written age under 18" in html  # its catalogue description
    minor = next(r for r in rows if r.css_first("button").text() == "minor.stated_under_18")
    assert minor.css("td")[1].text() == "60"  # its catalogue weight


def test_orphaned_evidence_is_not_counted(scored_store: Store, tmp_path: Path) -> None:
    """Re-extracting an ad drops its risk row; the report ignores its leftover evidence."""
    from safelight.records import EXTRACTION_SCHEMA

    a5 = ID["a5"]
    scored_store.write_extractions(
        [a5], pa.Table.from_pylist([], schema=EXTRACTION_SCHEMA), version="again"
    )
    html = write_report(scored_store, tmp_path).read_text(encoding="utf-8")
    assert metric(html, "category-evasion") == "2"
    assert metric(html, "scored_ads") == "4"
    assert "are not scored yet" in html


# -- summary and the ads table ---------------------------------------------------------------


def test_summary_uses_the_minor_flags(html: str) -> None:
    assert metric(html, "stated_minors") == "2"
    assert metric(html, "likely_minors") == "1"
    assert metric(html, "scored_ads") == "5"
    assert metric(html, "possible_minor_ads") == "3"  # a1, a4 stated + a2 likely
    assert "leads for review" in html


def test_ads_table_has_sortable_risk_and_flag_columns(html: str) -> None:
    doc = Doc(html)
    heads = [th.text(strip=True) for th in doc.css("#ads thead th")]
    assert heads[1:3] == ["risk", "minor flag"]
    assert [th.attributes["data-type"] for th in doc.css("#ads thead th")[1:3]] == ["num", "num"]
    rows = doc.css("#ads tbody tr")
    # minor flag first (stated, likely), then score
    assert [r.css("td")[1].attributes["data-sort"] for r in rows] == [
        "80.0",
        "70.0",
        "25.0",
        "90.0",
        "10.0",
    ]
    assert [r.css("td")[2].attributes["data-sort"] for r in rows] == ["0", "0", "1", "2", "2"]
    # the "possible minors only" switch keys on the flag: the likely minor a2 is a minor row
    assert ["minor" in (r.attributes.get("class") or "").split() for r in rows] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_top_phone_counts_flagged_ads(html: str) -> None:
    row = Doc(html).css_first("#contacts table tbody tr")
    cells = [c.text(strip=True) for c in row.css("td")]
    assert cells[:3] == ["+19035550187", "3", "2"]  # a1 stated + a2 likely; a5 not flagged


# -- not scored yet --------------------------------------------------------------------------


def test_unscored_store_says_so(store: Store, tmp_path: Path) -> None:
    html = write_report(store, tmp_path).read_text(encoding="utf-8")
    doc = Doc(html)
    for section in ("triage", "indicators"):
        note = doc.css_first(f'[data-unscored="{section}"]')
        assert note is not None and "Not scored yet — run safelight score" in note.text()
    assert metric(html, "stated_minors") == "—"
    assert metric(html, "likely_minors") == "—"
    assert metric(html, "possible_minor_ads") == "2"  # age-based fallback: a1, a4
    assert not doc.css("#triage-list")
    assert [r.css("td")[1].text(strip=True) for r in doc.css("#ads tbody tr")] == ["—"] * 5


def test_empty_store_renders_with_risk_sections(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb") as empty:
        html = write_report(empty, tmp_path).read_text(encoding="utf-8")
    assert "Not scored yet" in html


# -- highlighting, unit level ----------------------------------------------------------------


def test_overlapping_evidence_is_split_not_dropped() -> None:
    text = "she is 18 ok"
    html = str(
        highlight_evidence(
            text,
            [
                {
                    "indicator": "minor.age_18_19_with_youth_cue",
                    "category": "minor",
                    "start": 0,
                    "end": 9,
                    "points": 15.0,
                },
                {
                    "indicator": "control.third_person",
                    "category": "control",
                    "start": 0,
                    "end": 6,
                    "points": 10.0,
                },
            ],
        )
    )
    assert html == (
        '<mark class="ev ev-minor" title="minor.age_18_19_with_youth_cue +15 · '
        'control.third_person +10">she is</mark>'
        '<mark class="ev ev-minor" title="minor.age_18_19_with_youth_cue +15"> 18</mark> ok'
    )


def test_evidence_labels_and_bad_spans_are_safe() -> None:
    html = str(
        highlight_evidence(
            "<b>hi</b>",
            [
                {
                    "indicator": 'x" onmouseover="alert(1)',
                    "category": "<i>",
                    "start": 3,
                    "end": 5,
                    "points": 1.0,
                },
                {"indicator": "y", "category": "minor", "start": 5, "end": 99, "points": 1.0},
                {"indicator": "z", "category": "minor", "start": None, "end": None, "points": 1.0},
            ],
        )
    )
    assert html.startswith('&lt;b&gt;<mark class="ev ev-other" title="x&#34; onmouseover=')
    assert 'onmouseover="' not in html
    assert html.endswith(">hi</mark>&lt;/b&gt;")


def test_build_triage_groups_repeats_under_their_indicator() -> None:
    ad = {
        "ad_id": "x",
        "score": 33.3333,
        "minor": "likely",
        "posted": None,
        "source": "s",
        "location": "",
        "places": "Tyler, TX",
        "title": "",
        "body": "young young fresh",
        "stated_age": None,
        "url": None,
        "phones": None,
    }
    evidence = [
        {
            "ad_id": "x",
            "indicator": "minor.young",
            "category": "minor",
            "text": "young",
            "start": 0,
            "end": 5,
            "points": 20.0,
        },
        {
            "ad_id": "x",
            "indicator": "minor.young",
            "category": "minor",
            "text": "young",
            "start": 6,
            "end": 11,
            "points": 0.0,
        },
        {
            "ad_id": "x",
            "indicator": "minor.fresh",
            "category": "minor",
            "text": "fresh",
            "start": 12,
            "end": 17,
            "points": 13.3333,
        },
    ]
    (row,) = build_triage([ad], evidence)
    assert row.place == "Tyler, TX" and row.title == "young young fresh"
    assert [(e.indicator, e.occurrences, e.texts) for e in row.evidence] == [
        ("minor.young", 2, ["young"]),
        ("minor.fresh", 1, ["fresh"]),
    ]
    assert row.points_total == pytest.approx(33.3333)
    assert format_points(row.evidence[1].points) == "13.3" and format_points(20.0) == "20"


def test_stated_age_fallback_needs_no_scores(tmp_path: Path) -> None:
    """An ad nobody scored still counts as a possible minor by its stated age."""
    with Store(tmp_path / "s.duckdb") as store:
        ad = Ad(source="s", body="hello", post_id="p", stated_age=16, origin="t:1")
        store.add_ads(pa.Table.from_pylist([ad.to_row()], schema=AD_SCHEMA))
        html = write_report(store, tmp_path).read_text(encoding="utf-8")
    assert metric(html, "possible_minor_ads") == "1"
    row = Doc(html).css_first("#ads tbody tr")
    assert "stated minor" in row.css("td")[2].text()
