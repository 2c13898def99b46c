"""The ads table: values formatted for reading, ad text escaped with spans marked."""

from __future__ import annotations

import json

from safelight.report.adtable import build_rows, format_value, highlight


def test_highlight_escapes_text_and_marks_spans() -> None:
    text = "<script>x</script> call 555 0187 & ask for <Mia>"
    start = text.index("555 0187")
    html = str(
        highlight(
            text,
            [
                (start, start + 8, "phone", "+15550187"),
                (text.index("<Mia>"), len(text), "name", "<Mia>"),
            ],
        )
    )
    assert "<script>" not in html
    assert html.startswith("&lt;script&gt;x&lt;/script&gt; call ")
    assert '<mark class="f-phone" title="phone: +15550187">555 0187</mark>' in html
    assert '<mark class="f-name" title="name: &lt;Mia&gt;">&lt;Mia&gt;</mark>' in html
    assert " &amp; ask for " in html


def test_highlight_skips_bad_and_overlapping_spans() -> None:
    text = "call 903 555 0187 now"
    html = str(
        highlight(
            text,
            [
                (5, 17, "phone", "p"),
                (5, 8, "age", "903"),  # inside the phone: the phone wins
                (14, 99, "price", "x"),  # out of range
                (-1, 2, "name", "x"),
                (8, 5, "name", "x"),  # reversed
            ],
        )
    )
    assert html == 'call <mark class="f-phone" title="phone: p">903 555 0187</mark> now'


def test_highlight_unknown_field_gets_a_neutral_class() -> None:
    html = str(highlight("ab", [(0, 1, 'x" onmouseover="alert(1)', "v")]))
    assert 'class="f-other"' in html and 'onmouseover="' not in html


def test_format_value() -> None:
    price = json.dumps({"amount": 150, "currency": "USD", "minutes": 60})
    assert format_value("price", price) == "$150/60min"
    assert (
        format_value("price", json.dumps({"amount": 90, "currency": "GBP", "minutes": None}))
        == "£90"
    )
    assert (
        format_value("handle", json.dumps({"platform": "snapchat", "handle": "kandi"}))
        == "snapchat: kandi"
    )
    assert format_value("price", "not json") == "not json"
    assert format_value("phone", "+19035550187") == "+19035550187"


def test_build_rows_collects_fields_and_skips_area_code_places() -> None:
    ad = {
        "ad_id": "a1",
        "posted": "2024-03-01 10:00",
        "source": "s",
        "location": None,
        "title": "Hi",
        "body": "Dallas 903 555 0187",
        "stated_age": 17,
        "url": None,
        "possible_minor": True,
    }
    text = "Hi\n\nDallas 903 555 0187"
    phone_at = text.index("903")
    extractions = [
        {
            "ad_id": "a1",
            "field": "phone",
            "value": "+19035550187",
            "start": phone_at,
            "end": phone_at + 12,
            "detail": None,
        },
        {
            "ad_id": "a1",
            "field": "place",
            "value": "Tyler, TX",
            "start": phone_at,
            "end": phone_at + 12,
            "detail": json.dumps({"source": "area code"}),
        },
        {
            "ad_id": "a1",
            "field": "place",
            "value": "Dallas, TX",
            "start": 4,
            "end": 10,
            "detail": None,
        },
        {
            "ad_id": "a1",
            "field": "age",
            "value": "17",
            "start": None,
            "end": None,
            "detail": json.dumps({"source": "age field"}),
        },
    ]
    (row,) = build_rows([ad], extractions)
    assert row.fields["place"] == ["Dallas, TX"]
    assert row.values("age") == "17"  # stated age and the age-field extraction, once
    assert row.possible_minor
    assert str(row.text) == (
        'Hi\n\n<mark class="f-place" title="place: Dallas, TX">Dallas</mark> '
        '<mark class="f-phone" title="phone: +19035550187">903 555 0187</mark>'
    )
