"""Streaming output of a synthetic corpus: one JSON line per ad as it is generated.

Files in the output folder:

- ``ads.jsonl``: canonical ingest columns, one ad per line, in this key order:
  ``source, post_id, url, posted_at (ISO 8601, UTC, "Z"), title, body, location, age
  (int or null), images (list of "images/<hex>.jpg" relative to the folder)``.
- ``truth.jsonl``: one line per ad, same order as ``ads.jsonl``: ``source, post_id,
  person_id, network_id (or null), true_age, minor, city ("Dallas, TX"), stated_age (the age
  field, or null), claimed_age (the age the text or field claims, or null), phones (E.164),
  phone_obfuscation (tags per phone), emails, handles ({platform, handle}), youth_cue,
  third_person``.
- ``persons.jsonl`` / ``networks.jsonl``: the population, written when the ads are done.
- ``pages/classyads_<post_id>.html``: saved pages (markup in ``synth.pages``).
- ``bad.jsonl`` (only with ``bad_records > 0``): deliberately malformed records for demos of
  ingest rejects; never mixed into ``ads.jsonl``.

Lines are compact JSON with ``ensure_ascii=False``, so a seed gives byte-identical files.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, TextIO

from safelight.synth.pages import page_html

__all__ = ["CorpusWriter", "ad_line", "truth_line"]

_BUFFER = 1 << 20
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_q = encode_basestring  # a JSON string literal, non-ASCII kept (what _dumps does per string)


def ad_line(ad: dict[str, Any]) -> str:
    """``_dumps(ad)`` for an ad dict of the fixed shape, about 4x faster (the hot path)."""
    loc, age = ad["location"], ad["age"]
    return (
        f'{{"source":{_q(ad["source"])},"post_id":{_q(ad["post_id"])},"url":{_q(ad["url"])},'
        f'"posted_at":{_q(ad["posted_at"])},"title":{_q(ad["title"])},"body":{_q(ad["body"])},'
        f'"location":{"null" if loc is None else _q(loc)},'
        f'"age":{"null" if age is None else age},'
        f'"images":[{",".join(map(_q, ad["images"]))}]}}\n'
    )


def _str_list(items: list[str]) -> str:
    return f"[{','.join(map(_q, items))}]"


def truth_line(
    ad: dict[str, Any],
    person_id: str,
    network_id: str | None,
    true_age: int,
    city: str,
    claimed_age: int | None,
    phones: list[str],
    tags: dict[str, list[Any]],
    youth_cue: bool,
    third_person: bool,
) -> str:
    """The ``truth.jsonl`` line of an ad (``phones`` as 10 national digits)."""
    age = ad["age"]
    return (
        f'{{"source":{_q(ad["source"])},"post_id":{_q(ad["post_id"])},'
        f'"person_id":{_q(person_id)},'
        f'"network_id":{"null" if network_id is None else _q(network_id)},'
        f'"true_age":{true_age},"minor":{"true" if true_age < 18 else "false"},'
        f'"city":{_q(city)},"stated_age":{"null" if age is None else age},'
        f'"claimed_age":{"null" if claimed_age is None else claimed_age},'
        f'"phones":[{",".join(_q("+1" + ph) for ph in phones)}],'
        f'"phone_obfuscation":[{",".join(map(_str_list, tags["phones"]))}],'
        f'"emails":{_str_list(tags["emails"])},'
        f'"handles":{_dumps(tags["handles"]) if tags["handles"] else "[]"},'
        f'"youth_cue":{"true" if youth_cue else "false"},'
        f'"third_person":{"true" if third_person else "false"}}}\n'
    )


class CorpusWriter:
    def __init__(self, out: Path, html_pages: int) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.pages_dir = out / "pages"
        self.html_pages = html_pages
        self.pages = 0
        # Stale output of an earlier run in the same folder would break "same seed, same files".
        for stale in (*(out / "images").glob("*.jpg"), *self.pages_dir.glob("*.html")):
            stale.unlink()
        if html_pages:
            self.pages_dir.mkdir(exist_ok=True)
        self._files = ExitStack()
        self._ads = self._files.enter_context(_open(out / "ads.jsonl"))
        self._truth = self._files.enter_context(_open(out / "truth.jsonl"))
        self.count = 0

    def write(self, ad: dict[str, Any], truth: str) -> None:
        """One ad and its truth line (already JSON, see ``truth_line``)."""
        self._ads.write(ad_line(ad))
        self._truth.write(truth)
        self.count += 1

    def wants_page(self, source: str) -> bool:
        return source == "classyads" and self.pages < self.html_pages

    def page(self, ad: dict[str, Any], city: str, city_slug: str, first_posted: str) -> None:
        path = self.pages_dir / f"classyads_{ad['post_id']}.html"
        path.write_text(page_html(ad, city, city_slug, first_posted), encoding="utf-8")
        self.pages += 1

    def lines(self, name: str, rows: Any) -> int:
        n = 0
        with open(self.out / name, "w", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                fh.write(_dumps(row) + "\n")
                n += 1
        return n

    def bad_records(self, k: int) -> int:
        """``bad.jsonl``: ``k`` records ingest must reject, one reason each, cycling."""
        samples = [
            '{"source":"classyads","post_id":"bad-1","title":"no body here"}',
            '{"body":"an ad without a source","post_id":"bad-2"}',
            "this line is not JSON {",
            '["a","json","array"]',
            '{"source":"nightlist","post_id":"bad-5","body":"x","posted_at":"last tuesday"}',
            '{"source":"classyads","post_id":"bad-6","body":"x","age":"twenty"}',
            '{"source":"","post_id":"bad-7","body":""}',
            '{"source":"velvetboard","post_id":"bad-8","body":"x","images":"not-a-list"}',
        ]
        with open(self.out / "bad.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for i in range(k):
                fh.write(samples[i % len(samples)].replace("bad-", f"bad{i}-") + "\n")
        return k

    def close(self) -> None:
        self._files.close()


def _open(path: Path) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="\n", buffering=_BUFFER)
