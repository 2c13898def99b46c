"""Saved HTML pages read through site profiles: the classic classified layout, field by field."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

from safelight.records import Ad, Reject


def test_tyler_page_every_field(io) -> None:
    folder = io.DATA / "pages"
    [ad] = io.read(folder / "tyler_ad.html")
    assert isinstance(ad, Ad)
    assert ad.title == "SWEET SOUTHERN TREAT ** NEW IN TOWN ** 24/7 - 24"
    assert ad.posted_at == datetime(2014, 3, 13, 9, 15, tzinfo=UTC)
    assert ad.body == (
        "Hey gentlemen, I'm Kandi & I just got into town\n"
        "sweet, discreet and ready to make your day/nite.\n\n"
        "Incalls only. No rush specials: 80hh 150hr\n\n"
        "Serious callers only, call or text 903 555 0142"
    )
    assert ad.stated_age == 24
    assert ad.location == "Tyler"
    assert ad.post_id == "41872305"
    assert ad.url == "http://tyler.cityposts.example/FemaleEscorts/sweet-southern-treat-24/41872305"
    assert ad.source == "cityposts.example"  # og:site_name
    files = folder / "tyler_ad_files"
    assert [i.ref for i in ad.images] == [str(files / f"photo_{n}.jpg") for n in (1, 2, 3)]
    digest = hashlib.sha256((files / "photo_1.jpg").read_bytes()).hexdigest()
    assert ad.images[0].sha256 == digest
    assert ad.extra == {
        "profile": "classic_classified",
        "site_city": "tyler",
        "first_posted": "December 2013",
    }
    assert ad.raw_html is not None and "postingBody" in ad.raw_html
    assert ad.origin == str(folder / "tyler_ad.html")
    assert "var adId" not in ad.body and "Post an Ad" not in ad.body


def test_dallas_page_entities_images_and_default_source(io) -> None:
    [ad] = io.read(io.DATA / "pages" / "dallas_ad.html")
    assert isinstance(ad, Ad)
    assert ad.title == "SeXy* Petite* Treat 🍒🍒"
    assert ad.body == "Hello fellas I’m Mia, friendly and ready to please.\n\n100% real • 100% fun"
    assert ad.location == "75 near Downtown, Dallas"
    assert (ad.post_id, ad.stated_age, ad.url) == ("61940027", 22, None)
    assert ad.posted_at == datetime(2014, 3, 14, 23, 40, tzinfo=UTC)
    assert ad.source == "classic_classified"  # no site name, no URL: the profile name
    assert [(i.ref, i.sha256) for i in ad.images] == [
        ("http://images.cityposts.example/dallas/61940027/a.jpg", None),
        (str(io.DATA / "pages" / "dallas_ad_files" / "missing.jpg"), None),
    ]
    [named] = io.read(io.DATA / "pages" / "dallas_ad.html", html_source="cityposts")
    assert isinstance(named, Ad) and named.source == "cityposts"


def test_label_rules_alone_read_plain_markup(io, tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_text(
        "<html><body><p>Curvy and sweet</p><p>Posted: 03/13/2014 09:15</p>"
        "<p>Reply: click here</p><p>Body line one.<br>Body line two.</p>"
        "<p>Poster’s age: 30</p><ul><li>Location: Tyler</li>"
        "<li>Post ID: 25265661 tyler</li></ul></body></html>",
        encoding="utf-8",
    )
    [ad] = io.read(page)
    assert isinstance(ad, Ad) and ad.extra["profile"] == "classic_classified"
    assert (ad.title, ad.body) == ("Curvy and sweet", "Body line one.\nBody line two.")
    assert (ad.stated_age, ad.location, ad.post_id) == (30, "Tyler", "25265661")


def test_unknown_layout_falls_back_to_generic_profile(io, tmp_path: Path) -> None:
    page = tmp_path / "other.html"
    page.write_text(
        '<html><head><meta property="og:title" content="A title">'
        '<link rel="canonical" href="https://www.board.example/t/9">'
        '<meta property="article:published_time" content="2020-05-01T10:00:00Z"></head>'
        '<body><nav>menu</nav><article><p>Hello</p><img src="/p/1.jpg"></article></body></html>'
    )
    [ad] = io.read(page)
    assert isinstance(ad, Ad)
    assert (ad.title, ad.body, ad.source) == ("A title", "Hello", "board")  # site name of the host
    assert ad.posted_at == datetime(2020, 5, 1, 10, tzinfo=UTC)
    assert [i.ref for i in ad.images] == ["https://www.board.example/p/1.jpg"]
    assert ad.extra == {"profile": "generic_page"}


def test_data_only_profile_from_a_folder(io, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "night_board.yaml").write_text(
        "source: synthetic test layout written for this test\n"
        "priority: 60\n"
        "match:\n"
        "  selector: ['div.nb-post']\n"
        "fields:\n"
        "  title: {selector: '.nb-head'}\n"
        "  body: {selector: '.nb-text'}\n"
        "  age: {selector: '.nb-facts', label: 'age\\s*(\\d+)'}\n"
        "  post_id: {selector: 'div.nb-post', attr: data-id}\n"
        "  source: {value: nightboard}\n"
        "  posted_at: {selector: 'time', attr: datetime}\n",
        encoding="utf-8",
    )
    page = tmp_path / "pages" / "p.htm"
    page.parent.mkdir()
    page.write_text(
        '<div class="nb-post" data-id="77"><h2 class="nb-head">Hi</h2>'
        '<div class="nb-facts">age 19 | tall</div><time datetime="2015-01-02">Jan 2</time>'
        '<div class="nb-text">Text <i>here</i></div></div>'
    )
    [before] = io.read(page)
    assert isinstance(before, Ad) and before.extra["profile"] == "generic_page"
    [ad] = io.read(page, profile_dirs=(profiles,))
    assert isinstance(ad, Ad)
    assert (ad.title, ad.body, ad.stated_age, ad.post_id, ad.source) == (
        "Hi", "Text here", 19, "77", "nightboard"
    )  # fmt: skip
    assert ad.posted_at == datetime(2015, 1, 2, tzinfo=UTC)
    assert ad.extra == {"profile": "night_board"}


def test_page_rejects(io, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("")
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 4)
    bad_date = tmp_path / "bad_date.html"
    shutil.copy(io.DATA / "pages" / "tyler_ad.html", bad_date)
    bad_date.write_text(
        bad_date.read_text().replace("Thursday, March 13, 2014 9:15 AM", "sometime soon")
    )
    for path, field, reason in (
        (empty, None, "empty file"),
        (binary, None, "binary data"),
        (bad_date, "posted_at", "unreadable date"),
    ):
        [reject] = io.read(path)
        assert isinstance(reject, Reject)
        assert (reject.file, reject.line, reject.field) == (str(path), None, field)
        assert reject.reason.startswith(reason)
    [big] = io.read(io.DATA / "pages" / "tyler_ad.html", max_page_bytes=100)
    assert isinstance(big, Reject) and big.reason.startswith("page too large")


def test_page_in_windows_1252(io, tmp_path: Path) -> None:
    page = tmp_path / "old.html"
    html = (
        '<html><head><meta charset="windows-1252"></head><body><div id="postingTitle">'
        "<h1>Caf\xe9 girl</h1></div><div class='postingBody'>don\x92t wait</div>"
        "<p>Post ID: 5 x</p></body></html>"
    )
    page.write_bytes(html.encode("latin-1"))
    [ad] = io.read(page)
    assert isinstance(ad, Ad) and (ad.title, ad.body) == ("Café girl", "don’t wait")
