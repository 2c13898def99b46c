"""Saved HTML pages (``.html``/``.htm``): one page is one ad, read through a site profile.

The page is decoded (UTF-8 / BOM / the ``<meta charset>`` it declares / Windows-1252 repair),
parsed once with selectolax (lexbor), matched against the site profiles (``siteprofiles.py``)
and its fields handed to the ``AdBuilder`` like any other record. What happens to the edges:

- ``source``: the profile's rules (site name, URL host), else ``IngestOptions.html_source``,
  else the profile's name;
- image ``src`` paths are relative to the page's folder (browsers save pictures next to the
  page); one that is not there locally is resolved against the page URL when there is one;
- ``Ad.extra["profile"]`` names the profile that read the page; ``Ad.raw_html`` keeps the page
  (``IngestOptions.keep_raw_html``); ``origin`` is the file path (a page has no line number).

A page that is empty, too large, binary or matched by no profile is one ``Reject`` with
``line`` None.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin

from safelight.ingest.build import AdBuilder
from safelight.ingest.normalise import is_binary
from safelight.ingest.options import IngestOptions
from safelight.ingest.siteprofiles import Page, load_profiles, pick_profile
from safelight.ingest.textio import REPAIR_ERRORS
from safelight.records import Ad, Reject

__all__ = ["decode_page", "read_page"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def decode_page(data: bytes) -> str:
    """The page's text: BOM, then UTF-8, then its declared charset, then UTF-8 with repairs."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors=REPAIR_ERRORS)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors=REPAIR_ERRORS)
        except LookupError:
            pass
    return data.decode("utf-8", errors=REPAIR_ERRORS)


def read_page(
    path: Path, builder: AdBuilder, options: IngestOptions, start_record: int = 0
) -> Iterator[Ad | Reject]:
    """The page's ad, or one reject (record 0 of the file)."""
    if start_record > 0:
        return
    size = path.stat().st_size
    if size == 0:
        yield builder.reject(None, "empty file")
        return
    if size > options.max_page_bytes:
        yield builder.reject(
            None, f"page too large: {size:,} bytes (limit {options.max_page_bytes:,})"
        )
        return
    html = decode_page(path.read_bytes())
    if is_binary(html[:65536]):
        yield builder.reject(None, "binary data, not an HTML page")
        return
    page = Page(html)
    profile = pick_profile(load_profiles(options.profile_dirs), page)
    if profile is None:
        yield builder.reject(None, "no site profile matches this page", raw=html)
        return
    fields = profile.extract(page)
    if "source" not in fields:
        fields["source"] = options.html_source or profile.name
    if fields.get("images"):
        fields["images"] = _image_refs(fields["images"], str(path.parent), fields.get("url"))
    yield builder.build(
        fields,
        None,
        html,
        raw_html=html if options.keep_raw_html else None,
        extra={"profile": profile.name},
    )


def _image_refs(srcs: list[str], folder: str, page_url: str | None) -> list[str]:
    refs = []
    for src in srcs:
        if _URL.match(src):
            refs.append(src)
            continue
        local = unquote(src.split("?", 1)[0].split("#", 1)[0])
        if page_url and not os.path.isfile(os.path.join(folder, local)):
            refs.append(urljoin(page_url, src))
        else:
            refs.append(local)
    return refs
