"""Site profiles: how to read the fields of a saved HTML page of one site layout (data-driven).

A profile is a YAML file (built-ins in ``safelight/ingest/profiles/``; more with
``IngestOptions.profile_dirs`` / ``--profiles DIR``, which override built-ins of the same
name). Adding a layout is a data-only change::

    name: my_site                 # default: the file name
    source: where this layout was seen / who wrote the profile    # required provenance note
    priority: 50                  # higher is tried first (built-in fallback: 0)
    match:                        # every condition given must hold; none given = always
      selector: ["div.posting"]   # CSS selectors that must all exist
      selector_any: [...]         # at least one must exist
      html_regex: '...'           # searched in the raw HTML
      text_regex: 'Post ID:\\s*\\d+'   # searched in the page text
    fields:                       # field -> one rule or a list of rules (first non-empty wins)
      title: {selector: "h1"}
      body: [{selector: ".postingBody"}, {label: '(?s)Posted:[^\\n]*\\n(.+?)\\nPoster'}]
      posted_at: {label: 'Posted:\\s*(.+)'}
      images: {selector: "img", attr: src}       # images take every match
      source: [{selector: 'meta[property="og:site_name"]', attr: content}, {from_url: host}]
      first_posted: {label: 'first posted (.+)'} # a non-canonical field goes to Ad.extra

Rule keys: ``selector`` (CSS; the element's text laid out with line breaks, or ``attr``),
``label`` (regex over the page text, or over the selected element's text; the value is the
group named ``value``, else group 1, else the whole match; compiled case-insensitive and
multi-line), ``html_regex`` (regex over the raw HTML, same groups), ``value`` (a constant),
``from_url`` (``host``, ``site`` or ``url``: taken from the page's ``url`` field; ``site`` is the
host's name without subdomain and top-level domain, ``tyler.backpage.com`` -> ``backpage``, so a
saved page and a JSONL export of the same site agree on ``source`` and on ``ad_id``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from safelight.errors import UserError
from safelight.ingest.normalise import layout_text, parse_marked

__all__ = ["Page", "Rule", "SiteProfile", "load_profiles", "pick_profile", "site_name"]

# Second-level labels under a country code ("co.uk"): the site name is the label before them.
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu"})


def site_name(host: str) -> str:
    """``tyler.backpage.com`` -> ``backpage``; ``classyads.example`` -> ``classyads``."""
    labels = [label for label in host.lower().split(".") if label and label != "www"]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


_FLAGS = re.IGNORECASE | re.MULTILINE
_PROFILE_KEYS = {"name", "source", "priority", "match", "fields", "description"}
_MATCH_KEYS = {"selector", "selector_any", "html_regex", "text_regex"}
_RULE_KEYS = {"selector", "attr", "label", "html_regex", "value", "from_url"}
_MULTI_FIELDS = frozenset({"images"})


class Page:
    """One parsed HTML page; the layout text is computed once, on first use."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.tree = parse_marked(html)

    @cached_property
    def text(self) -> str:
        return layout_text(self.tree.body)


@dataclass(frozen=True)
class Rule:
    selector: str | None = None
    attr: str | None = None
    label: re.Pattern[str] | None = None
    html_regex: re.Pattern[str] | None = None
    value: str | None = None
    from_url: str | None = None

    def values(self, page: Page, found: Mapping[str, Any], multiple: bool) -> list[str]:
        """Every value the rule finds (all of them only when ``multiple``)."""
        if self.value is not None:
            return [self.value]
        if self.from_url is not None:
            url = found.get("url")
            if not url:
                return []
            if self.from_url == "url":
                return [url]
            host = (urlsplit(url).hostname or "").removeprefix("www.")
            if self.from_url == "site":
                host = site_name(host)
            return [host] if host else []
        if self.html_regex is not None:
            return _groups(self.html_regex, page.html, multiple)
        if self.selector is None:
            return _groups(self.label, page.text, multiple) if self.label else []
        out: list[str] = []
        for node in page.tree.css(self.selector):
            if self.attr is not None:
                value = node.attributes.get(self.attr)
                texts = [value] if value else []
            else:
                texts = [layout_text(node)]
            if self.label is not None:
                texts = [v for t in texts for v in _groups(self.label, t, multiple)]
            out.extend(t for t in texts if t and t.strip())
            if out and not multiple:
                return out[:1]
        return out


def _groups(pattern: re.Pattern[str], text: str, multiple: bool) -> list[str]:
    out = []
    for match in pattern.finditer(text):
        if "value" in pattern.groupindex:
            value = match.group("value")
        else:
            value = match.group(1) if pattern.groups else match.group(0)
        if value and value.strip():
            out.append(value.strip())
            if not multiple:
                break
    return out


@dataclass(frozen=True)
class SiteProfile:
    name: str
    source: str
    priority: int
    match_all: tuple[str, ...]
    match_any: tuple[str, ...]
    match_html: re.Pattern[str] | None
    match_text: re.Pattern[str] | None
    fields: Mapping[str, tuple[Rule, ...]]
    path: str

    def matches(self, page: Page) -> bool:
        tree = page.tree
        if any(tree.css_first(sel) is None for sel in self.match_all):
            return False
        if self.match_any and all(tree.css_first(sel) is None for sel in self.match_any):
            return False
        if self.match_html is not None and not self.match_html.search(page.html):
            return False
        return self.match_text is None or self.match_text.search(page.text) is not None

    def extract(self, page: Page) -> dict[str, Any]:
        """Field -> value (a list for images) for every field the profile finds."""
        found: dict[str, Any] = {}
        order = sorted(self.fields, key=lambda f: f != "url")  # url first: from_url needs it
        for name in order:
            multiple = name in _MULTI_FIELDS
            for rule in self.fields[name]:
                values = rule.values(page, found, multiple)
                if values:
                    found[name] = values if multiple else values[0]
                    break
        return found


def pick_profile(profiles: Iterable[SiteProfile], page: Page) -> SiteProfile | None:
    """The first profile (by priority, then name) whose match rule holds for ``page``."""
    return next((p for p in profiles if p.matches(page)), None)


def load_profiles(dirs: Iterable[Path] = ()) -> tuple[SiteProfile, ...]:
    """Built-in profiles plus those in ``dirs`` (later wins by name), in the order tried."""
    listing: list[tuple[str, int]] = []
    for folder in dirs:
        if not Path(folder).is_dir():
            raise UserError(f"no such profiles folder: {folder}")
        for path in sorted(Path(folder).iterdir()):
            if path.suffix.lower() in (".yaml", ".yml"):
                listing.append((str(path), path.stat().st_mtime_ns))
    return _load(tuple(listing))


@cache
def _load(listing: tuple[tuple[str, int], ...]) -> tuple[SiteProfile, ...]:
    by_name: dict[str, SiteProfile] = {}
    builtin = resources.files("safelight.ingest.profiles")
    for entry in sorted(builtin.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            profile = parse_profile(entry.read_text("utf-8"), entry.name)
            by_name[profile.name] = profile
    for path, _ in listing:
        profile = parse_profile(Path(path).read_text("utf-8"), path)
        by_name[profile.name] = profile
    return tuple(sorted(by_name.values(), key=lambda p: (-p.priority, p.name)))


def parse_profile(text: str, path: str) -> SiteProfile:
    """A profile from YAML text; ``UserError`` naming ``path`` when it is malformed."""

    def fail(problem: str) -> UserError:
        return UserError(f"site profile {path}: {problem}")

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise fail(f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise fail("expected a mapping at the top")
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(unknown))}")
    if not str(data.get("source") or "").strip():
        raise fail("missing 'source' (where the layout comes from)")
    match = data.get("match") or {}
    if not isinstance(match, dict) or set(match) - _MATCH_KEYS:
        raise fail(f"'match' takes only {', '.join(sorted(_MATCH_KEYS))}")
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise fail("'fields' must map field names to rules")
    try:
        rules = {str(k): tuple(_rule(r) for r in _as_list(v)) for k, v in fields.items()}
        match_all = tuple(_selector(s) for s in _as_list(match.get("selector")))
        match_any = tuple(_selector(s) for s in _as_list(match.get("selector_any")))
        match_html = _regex(match.get("html_regex"))
        match_text = _regex(match.get("text_regex"))
        priority = int(data.get("priority", 10))
    except (ValueError, TypeError) as exc:
        raise fail(str(exc)) from None
    name = str(data.get("name") or os.path.splitext(os.path.basename(path))[0])
    return SiteProfile(
        name, str(data["source"]).strip(), priority, match_all, match_any, match_html,
        match_text, rules, path,
    )  # fmt: skip


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _rule(raw: Any) -> Rule:
    if not isinstance(raw, dict) or not raw or set(raw) - _RULE_KEYS:
        raise ValueError(f"a rule is a mapping with keys among {', '.join(sorted(_RULE_KEYS))}")
    sources = [k for k in ("selector", "html_regex", "value", "from_url") if k in raw]
    if len(sources) > 1 or (not sources and "label" not in raw):
        raise ValueError("a rule takes one of selector, label, html_regex, value, from_url")
    if "attr" in raw and "selector" not in raw:
        raise ValueError("'attr' needs a 'selector'")
    if raw.get("from_url") not in (None, "host", "site", "url"):
        raise ValueError("'from_url' is 'host', 'site' or 'url'")
    return Rule(
        selector=_selector(raw["selector"]) if "selector" in raw else None,
        attr=str(raw["attr"]) if "attr" in raw else None,
        label=_regex(raw.get("label")),
        html_regex=_regex(raw.get("html_regex")),
        value=str(raw["value"]) if "value" in raw else None,
        from_url=raw.get("from_url"),
    )


_PROBE = LexborHTMLParser("<html><body></body></html>")


def _selector(selector: Any) -> str:
    try:
        _PROBE.css(str(selector))
    except SelectolaxError:
        raise ValueError(f"invalid CSS selector: {selector!r}") from None
    return str(selector)


def _regex(pattern: Any) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(str(pattern), _FLAGS)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
