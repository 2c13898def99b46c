"""``safelight inspect``: show an ad with every extracted span highlighted.

The quickest way for an analyst to see what Safelight sees, and for scripts (``--json``,
``--jsonl``) a stable JSON contract: ``{"fields": {field: [{"value", "text", "start", "end",
...}]}}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from safelight.cli import app
from safelight.cli.common import console
from safelight.errors import UserError
from safelight.extract import FIELDS, Match, extract_text, to_json
from safelight.indicators import Assessment, assess
from safelight.records import ad_text

__all__ = ["inspect", "inspect_record"]

# One colour per field family; the legend under the text names them.
FIELD_STYLES: dict[str, str] = {
    "phone": "bold black on yellow",
    "email": "bold black on cyan",
    "handle": "bold black on magenta",
    "age": "bold white on red",
    "price": "bold black on green",
    "place": "bold white on blue",
    "name": "bold black on bright_white",
    "emoji": "underline",
}
INDICATOR_STYLE = "bold underline red"


def inspect_record(record: dict[str, Any]) -> dict[str, Any]:
    """The JSON result for one input object: ``{"text": ...}`` or a full ad record."""
    if "text" in record and "body" not in record:
        text, stated_age = str(record["text"]), None
    elif "body" in record:
        text = ad_text(_str(record.get("title")), _str(record.get("body")))
        stated_age = _age(record.get("age"))
    else:
        raise ValueError("expected a 'text' or 'body' key")
    return result_json(text, stated_age)


def result_json(text: str, stated_age: int | None) -> dict[str, Any]:
    """``{"fields": ..., "risk": ...}`` for one ad text."""
    found = extract_text(text, stated_age)
    return {**to_json(found), "risk": assess(text, found).to_json()}


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _age(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip().split()[0])
    except ValueError:
        return None


def _text_from_file(path: Path) -> tuple[str, int | None]:
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if path.suffix.lower() in {".html", ".htm"}:
        from safelight.ingest import iter_records

        for item in iter_records([path]):
            if hasattr(item, "body"):
                return item.text, item.stated_age
            raise UserError(f"{path}: {item.reason}")
        raise UserError(f"{path}: no ad found in the page")
    return path.read_text(encoding="utf-8", errors="replace"), None


def _run_jsonl(path: Path) -> int:
    """One result line per input line, in order; a bad line gives an ``error`` object."""
    if not path.exists():
        raise UserError(f"no such file: {path}")
    failures = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("expected a JSON object")
                result = inspect_record(record)
            except ValueError as exc:
                failures += 1
                result = {"error": f"{path}:{number}: {exc}"}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def highlighted(text: str, found: dict[str, list[Match]], risk: Assessment | None = None) -> Text:
    """The text with each span styled by its field (earlier fields win on overlap) and
    indicator evidence underlined in red."""
    rich_text = Text(text)
    for e in risk.evidence if risk else ():
        if e.start is not None and e.end is not None:
            rich_text.stylize(INDICATOR_STYLE, e.start, e.end)
    for name in reversed(FIELDS):
        for m in found.get(name, []):
            if m.start is not None and m.end is not None and m.detail.get("source") != "area code":
                rich_text.stylize(FIELD_STYLES[name], m.start, m.end)
    return rich_text


def _fields_table(found: dict[str, list[Match]]) -> Table:
    table = Table(title="Extracted fields", show_lines=False)
    table.add_column("field")
    table.add_column("as written")
    table.add_column("normalised")
    table.add_column("where")
    table.add_column("notes")
    for name in FIELDS:
        for m in found.get(name, []):
            where = f"{m.start}–{m.end}" if m.start is not None else "—"
            notes = ", ".join(f"{k}: {_plain(v)}" for k, v in m.detail.items())
            table.add_row(
                Text(name, style=FIELD_STYLES[name]), m.text, _plain(m.value), where, notes
            )
    return table


def _risk_table(risk: Assessment) -> Table:
    minor = {"stated": "STATED MINOR", "likely": "LIKELY MINOR", "none": "none"}[risk.minor]
    table = Table(
        title=f"Risk {risk.score:g}/100 · minor flag: {minor} (a lead for review, not a finding)"
    )
    for column in ("indicator", "category", "evidence", "where", "points"):
        table.add_column(column, justify="right" if column == "points" else "left")
    for e in risk.evidence:
        where = f"{e.start}–{e.end}" if e.start is not None else "field"
        table.add_row(e.indicator, e.category, e.text, where, f"{e.points:g}")
    return table


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "plain"
    return str(value)


@app.command()
def inspect(
    text: Annotated[str | None, typer.Argument(help="Ad text to inspect.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the ad from a file (.html or text).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help='Read one object per line ({"text": ...} or an ad record); print one result '
            "per line, in order.",
        ),
    ] = None,
) -> None:
    """Show an ad with every extracted field highlighted.

    Examples:

        safelight inspect "new in town! call nine0three 312 1887, 80hh 160 hr"

        safelight inspect --file saved_ad.html

        safelight inspect --jsonl ads.jsonl > fields.jsonl
    """
    if jsonl is not None:
        raise typer.Exit(_run_jsonl(jsonl))
    if (text is None) == (file is None):
        raise UserError("give the ad TEXT or --file (one of them), or --jsonl FILE")
    stated_age = None
    if file is not None:
        text, stated_age = _text_from_file(file)
    assert text is not None
    if as_json:
        sys.stdout.write(json.dumps(result_json(text, stated_age), ensure_ascii=False) + "\n")
        return
    found = extract_text(text, stated_age)
    risk = assess(text, found)
    console.print(highlighted(text, found, risk))
    console.print()
    legend = Text("  ").join(Text(f" {name} ", style=style) for name, style in FIELD_STYLES.items())
    console.print(legend + Text("  ") + Text(" indicator ", style=INDICATOR_STYLE))
    console.print(_fields_table(found))
    console.print(_risk_table(risk))
