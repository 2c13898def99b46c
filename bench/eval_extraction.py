"""Score the field extractors against the hand-labelled evaluation sets.

    python bench/eval_extraction.py [--set dev|holdout|all] [--errors FIELD|all]

Per snippet and field the predicted values are compared with the expected ones as sets
(canonical JSON for structured values), then TP/FP/FN are summed over snippets (micro
average). Places derived from a phone's area code (``detail.source == "area code"``) and ages
from the structured age field (``detail.source == "age field"``) are not scored.

Exit status: 0 when every field meets its F1 target, 1 when a target is missed (a field whose
extractor module does not exist yet counts as missed), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

FIELDS: tuple[str, ...] = ("phone", "email", "handle", "age", "price", "place", "name", "emoji")
TARGETS: dict[str, float] = {
    "phone": 0.99,
    "age": 0.95,
    "price": 0.95,
    "email": 0.9,
    "handle": 0.9,
    "place": 0.9,
    "name": 0.9,
    "emoji": 0.9,
}
DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data"
SET_FILES: dict[str, tuple[str, ...]] = {
    "dev": ("extraction_eval.jsonl",),
    "holdout": ("extraction_holdout.jsonl",),
    "all": ("extraction_eval.jsonl", "extraction_holdout.jsonl"),
}
# Matches that exist but are not judged against the hand labels: (field, detail source).
UNSCORED_SOURCES: frozenset[tuple[str, str]] = frozenset(
    {("place", "area code"), ("age", "age field")}
)

Predict = Callable[[str], Mapping[str, Iterable[Any]]]


# --- data -------------------------------------------------------------------------------------


def load_records(which: str = "dev", data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The records of one evaluation set (``dev``, ``holdout`` or ``all``)."""
    records: list[dict[str, Any]] = []
    for name in SET_FILES[which]:
        path = data_dir / name
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc
    return records


# --- scoring ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Integral floats as ints, so 150.0 and 150 compare equal; recurse into containers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def canonical(value: Any) -> str:
    """One string per distinct normalised value (canonical JSON, sorted keys)."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


def field_metrics(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts. With nothing predicted and nothing expected all
    three are 1.0; with nothing predicted but something expected precision is 0.0."""
    precision = _ratio(tp, tp + fp, 1.0 if fn == 0 else 0.0)
    recall = _ratio(tp, tp + fn, 1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def score(
    records: Sequence[Mapping[str, Any]],
    predict: Predict,
    fields: Sequence[str] = FIELDS,
) -> dict[str, Any]:
    """Compare ``predict(text)`` with each record's ``expected`` values.

    ``predict`` returns ``{field: iterable of normalised values}`` (missing field = none).
    Returns ``{"fields": {field: {tp, fp, fn, precision, recall, f1, snippets}},
    "errors": {field: [{"id", "text", "missed", "extra"}, ...]}}`` where ``snippets`` counts
    records expecting at least one value and ``missed``/``extra`` are sorted canonical values.
    """
    counts = {f: {"tp": 0, "fp": 0, "fn": 0, "snippets": 0} for f in fields}
    errors: dict[str, list[dict[str, Any]]] = {f: [] for f in fields}
    for rec in records:
        predicted = predict(rec["text"])
        expected = rec.get("expected", {})
        for f in fields:
            want = {canonical(v) for v in expected.get(f, [])}
            got = {canonical(v) for v in predicted.get(f, [])}
            c = counts[f]
            c["tp"] += len(want & got)
            c["fp"] += len(got - want)
            c["fn"] += len(want - got)
            c["snippets"] += bool(want)
            if want != got:
                errors[f].append(
                    {
                        "id": rec.get("id", "?"),
                        "text": rec["text"],
                        "missed": sorted(want - got),
                        "extra": sorted(got - want),
                    }
                )
    result = {
        f: {**field_metrics(c["tp"], c["fp"], c["fn"]), "snippets": c["snippets"]}
        for f, c in counts.items()
    }
    return {"fields": result, "errors": errors}


def missed_targets(result: Mapping[str, Any], targets: Mapping[str, float] = TARGETS) -> list[str]:
    """Fields whose F1 is below target."""
    return [f for f, m in result["fields"].items() if m["f1"] < targets.get(f, 0.9)]


# --- the extractors ---------------------------------------------------------------------------


def _scored_values(found: Mapping[str, Iterable[Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for field, matches in found.items():
        vals = []
        for m in matches:
            source = (getattr(m, "detail", None) or {}).get("source")
            if (field, source) not in UNSCORED_SOURCES:
                vals.append(m.value)
        out[field] = vals
    return out


def load_predictor() -> tuple[Predict, list[str]]:
    """A predictor over ``safelight.extract`` plus the fields whose extractor module is missing.

    Imported lazily so the script reports clearly while extractors are still being written:
    modules that do not exist yet are skipped (their field predicts nothing)."""
    extract = importlib.import_module("safelight.extract")
    try:
        extract.extractors()
    except ModuleNotFoundError:
        pass
    else:

        def predict_all(text: str) -> dict[str, list[Any]]:
            return _scored_values(extract.extract_text(text))

        return predict_all, []

    available: list[Any] = []
    missing: list[str] = []
    for name in extract.REGISTRY:
        module = f"safelight.extract.{name}"
        try:
            available.append(importlib.import_module(module).EXTRACTOR)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            missing.append(name[:-1] if name.endswith("s") else name)

    def predict_partial(text: str) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {f: [] for f in extract.FIELDS}
        for ex in available:
            found[ex.field] = list(ex.extract(text, found))
        return _scored_values(found)

    return predict_partial, missing


# --- output -----------------------------------------------------------------------------------


def print_table(result: Mapping[str, Any], title: str, missing: Sequence[str] = ()) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("field", "snippets", "TP", "FP", "FN", "precision", "recall", "F1", "target", ""):
        table.add_column(col, justify="left" if col in ("field", "") else "right")
    for f, m in result["fields"].items():
        target = TARGETS.get(f, 0.9)
        ok = m["f1"] >= target
        status = "[green]ok[/]" if ok else "[red]MISSED[/]"
        if f in missing:
            status = "[red]no extractor[/]"
        table.add_row(
            f,
            str(m["snippets"]),
            str(m["tp"]),
            str(m["fp"]),
            str(m["fn"]),
            f"{m['precision']:.3f}",
            f"{m['recall']:.3f}",
            f"[{'green' if ok else 'red'}]{m['f1']:.3f}[/]",
            f"{target:.2f}",
            status,
        )
    console = Console()
    Console(width=max(console.width, 100)).print(table)


def print_errors(result: Mapping[str, Any], fields: Sequence[str]) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    for f in fields:
        errs = result["errors"].get(f, [])
        console.print(f"\n[bold]{f}[/]: {len(errs)} snippet(s) with differences")
        for e in errs:
            text = e["text"] if len(e["text"]) <= 160 else e["text"][:157] + "..."
            console.print(f"[cyan]{escape(e['id'])}[/] {escape(repr(text))}")
            if e["missed"]:
                console.print(f"   [yellow]missed[/] {escape(', '.join(e['missed']))}")
            if e["extra"]:
                console.print(f"   [magenta]false +[/] {escape(', '.join(e['extra']))}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="which", choices=sorted(SET_FILES), default="dev")
    parser.add_argument(
        "--errors",
        metavar="FIELD",
        action="append",
        default=[],
        help="list misses and false positives for FIELD (repeatable; 'all' for every field)",
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    bad = [f for f in args.errors if f != "all" and f not in FIELDS]
    if bad:
        print(f"error: unknown field {bad[0]!r} (choose from {', '.join(FIELDS)}, all)")
        return 2

    records = load_records(args.which, args.data_dir)
    try:
        predict, missing = load_predictor()
    except ImportError as exc:
        print(f"error: cannot import the extractors: {exc}")
        return 1
    for field in missing:
        print(f"note: extractor for field {field!r} not found; it is scored as predicting nothing")

    result = score(records, predict)
    print_table(result, f"Extraction eval: {args.which} set, {len(records)} snippets", missing)
    if args.errors:
        print_errors(result, FIELDS if "all" in args.errors else args.errors)
    failed = missed_targets(result)
    if failed:
        print(f"targets missed: {', '.join(failed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
