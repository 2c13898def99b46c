"""Saved HTML pages in the classic classified layout carry the ad's fields."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser as Selectolax

VOID = {"meta", "link", "img", "br"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_pages_are_well_formed_and_match_their_ads(corpus) -> None:
    pages = sorted((corpus.out / "pages").glob("classyads_*.html"))
    assert len(pages) == corpus.summary.pages == 4
    by_id = {ad["post_id"]: ad for ad in corpus.ads}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        checker = _Balance()
        checker.feed(text)
        assert not checker.errors and not checker.stack, page.name
        tree = Selectolax(text)
        info = [li.text() for li in tree.css("ul.postingInfo li")]
        post_id = next(i for i in info if i.startswith("Post ID: ")).split()[2]
        ad = by_id[post_id]
        assert page.name == f"classyads_{post_id}.html" and ad["source"] == "classyads"
        assert tree.css_first("div.postingTitle h1").text() == ad["title"]
        body = tree.css_first("div.postingBody").html
        inner = re.sub(r"^<div[^>]*>|</div>$", "", body).replace("<br>\n", "\n")
        assert html.unescape(inner) == ad["body"]
        assert f"Location: {ad['location']}" in info
        posted = tree.css_first("div.postingDate").text()
        assert re.fullmatch(r"Posted: \w+day, \w+ \d{1,2}, \d{4} \d{1,2}:\d\d [AP]M", posted)
        age = tree.css_first("p.posterAge")
        if ad["age"] is None:
            assert age is None
        else:
            assert age.text() == f"Poster's age: {ad['age']}"
        srcs = [img.attributes["src"] for img in tree.css("div.postingImages img")]
        assert srcs == [f"../{ref}" for ref in ad["images"]]
        assert all((page.parent / s).exists() for s in srcs)
