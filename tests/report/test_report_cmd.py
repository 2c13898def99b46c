"""``safelight report`` on the command line (lives with the report tests it depends on)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safelight.cli import app

runner = CliRunner()


def test_report_command_writes_the_report(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'data-metric="ads">5<' in html
    assert "report.html" in result.output


def test_report_command_counts_the_rejects_beside_the_db(db_path: Path, tmp_path: Path) -> None:
    db_path.with_name(f"{db_path.stem}.rejects.jsonl").write_text('{"reason": "x"}\n')
    result = runner.invoke(app, ["report", "--db", str(db_path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert 'data-metric="rejects">1<' in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_missing_db_is_a_one_line_user_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    result = runner.invoke(app, ["report", "--db", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no such database" in lines[0], result.output
    assert "Traceback" not in result.output
    assert not missing.exists()  # the report never creates a store
    assert not (tmp_path / "report.html").exists()


def test_missing_rejects_file_is_a_user_error(db_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "report",
            "--db",
            str(db_path),
            "--out",
            str(tmp_path),
            "--rejects",
            str(tmp_path / "none.jsonl"),
        ],
    )
    assert result.exit_code == 2
    assert "no such rejects file" in result.output
