"""`safelight inspect`: the public JSON contract and the human view."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safelight.cli import app
from safelight.extract import FIELDS

runner = CliRunner()
SEED_LINE = "INN CALLS ONLY! call 903 312 1887 80hh 160 hr"


def test_json_contract_shape_and_spans() -> None:
    result = runner.invoke(app, ["inspect", "--json", SEED_LINE])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out) == ["fields", "risk"]
    assert list(out["fields"]) == list(FIELDS)
    phone = out["fields"]["phone"][0]
    assert phone["value"] == "+19033121887"
    assert SEED_LINE[phone["start"] : phone["end"]] == phone["text"] == "903 312 1887"
    prices = {(p["value"]["amount"], p["value"]["minutes"]) for p in out["fields"]["price"]}
    assert prices == {(80, 30), (160, 60)}
    assert all(p["value"]["currency"] == "USD" for p in out["fields"]["price"])


def test_jsonl_one_result_per_line_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"text": "call 214 555 0199 or 469-231-8877"},
        "not json",
        {"source": "x", "title": "Hi", "body": "Im 19, text 713.555.0123", "age": "19"},
        {"text": "nothing here"},
    ]
    src.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["inspect", "--jsonl", str(src)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 4
    assert "+14692318877" in [p["value"] for p in rows[0]["fields"]["phone"]]
    assert (
        rows[1]["error"].endswith("Expecting value: line 1 column 1 (char 0)")
        or "line 2" in rows[1]["error"]
    )
    ages = rows[2]["fields"]["age"]
    assert ages[0] == {"value": 19, "text": "19", "start": None, "end": None, "source": "age field"}
    assert rows[3]["fields"]["phone"] == []
    assert result.exit_code == 1  # one bad line


def test_human_view_shows_text_and_table() -> None:
    result = runner.invoke(app, ["inspect", SEED_LINE])
    assert result.exit_code == 0
    assert "903 312 1887" in result.output
    assert "+19033121887" in result.output


def test_no_input_is_a_user_error() -> None:
    result = runner.invoke(app, ["inspect"])
    assert result.exit_code == 2


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", "--file", str(tmp_path / "nope.html")])
    assert result.exit_code == 2


def test_risk_member_lists_evidence_that_sums_to_the_score() -> None:
    text = "sweet yuung latina 19, new to this 💗 call nine0three 3l2 l887 NO cops"
    out = json.loads(runner.invoke(app, ["inspect", "--json", text]).output)
    risk = out["risk"]
    assert risk["minor"] == "likely"
    ids = {e["indicator"] for e in risk["evidence"]}
    assert {"minor.young", "evasion.obscured_phone", "evasion.no_cops"} <= ids
    assert round(sum(e["points"] for e in risk["evidence"]), 1) == risk["score"]
    for e in risk["evidence"]:
        if e["start"] is not None:
            assert text[e["start"] : e["end"]] == e["text"]


def test_stated_minor_from_age_field_in_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "ads.jsonl"
    src.write_text(json.dumps({"source": "s", "body": "hi im new", "age": 16}) + "\n")
    out = json.loads(runner.invoke(app, ["inspect", "--jsonl", str(src)]).output)
    assert out["risk"]["minor"] == "stated"


def test_file_reads_a_saved_page_with_its_age_field() -> None:
    page = Path(__file__).resolve().parents[1] / "ingest" / "data" / "pages" / "tyler_ad.html"
    result = runner.invoke(app, ["inspect", "--json", "--file", str(page)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ages = out["fields"]["age"]
    assert ages and ages[0]["source"] == "age field"  # "Poster's age:" of the page
    assert out["fields"]["phone"], "the page's phone is found"
