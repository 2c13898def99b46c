"""CSV/TSV: header aliases, delimiter sniffing, file-line numbers, row rejects."""

from __future__ import annotations

from pathlib import Path

from safelight.records import Ad, Reject


def test_csv_with_aliases_and_multiline_body(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text(
        "Site,ID,Text,Posted,Images,scraper\n"
        's1,10,"first line\nsecond line",03/13/2014 09:15,a.jpg;http://x/b.jpg,bot\n'
        "\n"
        "s1,11,plain body,,,\n",
        encoding="utf-8",
    )
    items = io.read(path)
    first, second = io.ads(items)
    assert first.body == "first line\nsecond line" and first.post_id == "10"
    assert first.posted_at is not None and first.posted_at.hour == 9
    assert [i.ref for i in first.images] == [str(tmp_path / "a.jpg"), "http://x/b.jpg"]
    assert first.extra == {"scraper": "bot"}
    # Reject.line / origin line = the file line where the record starts (header = line 1).
    assert first.origin == f"{path}:2" and second.origin == f"{path}:5"
    assert second.images == () and second.posted_at is None and second.extra == {}


def test_row_rejects_report_file_lines(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text(
        "source,body,age\n"
        "s,ok,30\n"
        's,"spans\ntwo lines",abc\n'  # starts on line 3: bad age
        ",no source,\n"  # line 5
        "s,too,many,cells\n"  # line 6
        "s,,\n",  # line 7: empty body
        encoding="utf-8",
    )
    items = io.read(path)
    assert len(items) == 5
    got = [(r.line, r.field) for r in io.rejects(items)]
    assert got == [(3, "age"), (5, "source"), (6, None), (7, "body")]
    assert "4 cells" in io.rejects(items)[2].reason


def test_semicolon_and_tab_delimiters(io, tmp_path: Path) -> None:
    semi = tmp_path / "ads.csv"
    semi.write_text("source;body;location\ns;hello, world;Dallas, TX\n", encoding="utf-8")
    [ad] = io.read(semi)
    assert isinstance(ad, Ad) and (ad.body, ad.location) == ("hello, world", "Dallas, TX")
    tsv = tmp_path / "ads.tsv"
    tsv.write_text("source\tbody\ns\ta, b; c\n", encoding="utf-8")
    [ad] = io.read(tsv)
    assert isinstance(ad, Ad) and ad.body == "a, b; c"


def test_cp1252_csv_is_repaired(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_bytes("source,body\r\ns,don’t café\r\n".encode("cp1252"))
    [ad] = io.read(path)
    assert isinstance(ad, Ad) and ad.body == "don’t café"


def test_whole_file_problems(io, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("s,some ad text,30\ns,more,22\n")
    for path, reason in ((empty, "empty file"), (headerless, "no header row")):
        [reject] = io.read(path)
        assert isinstance(reject, Reject) and reject.line is None and reject.file == str(path)
        assert reject.reason.startswith(reason)


def test_header_only_has_no_records(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text("source,body\n")
    assert io.read(path) == []


def test_resume_skips_data_rows(io, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    rows = "".join(f's,"ad\n{i}"\n\n' for i in range(6))
    path.write_text("source,body\n" + rows)
    full = io.read(path)
    assert len(full) == 6
    assert io.read(path, 4) == full[4:]
    assert io.read(path, 6) == []
