"""Site profiles: built-ins parse and carry a source; malformed profiles fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from safelight.errors import UserError
from safelight.ingest.siteprofiles import Page, load_profiles, parse_profile, pick_profile


def test_builtin_profiles_parse_with_sources() -> None:
    profiles = load_profiles()
    names = [p.name for p in profiles]
    assert names[-1] == "generic_page"  # the fallback is tried last
    assert "classic_classified" in names
    assert all(p.source.strip() for p in profiles)
    classic = next(p for p in profiles if p.name == "classic_classified")
    for field in ("title", "posted_at", "body", "age", "location", "post_id", "images", "source"):
        assert field in classic.fields


def test_folder_profile_overrides_builtin_by_name(tmp_path: Path) -> None:
    (tmp_path / "mine.yml").write_text(
        "name: generic_page\nsource: test\npriority: 5\nfields:\n  body: {selector: p}\n"
    )
    (tmp_path / "notes.txt").write_text("not a profile")
    profiles = load_profiles([tmp_path])
    generic = next(p for p in profiles if p.name == "generic_page")
    assert generic.priority == 5 and list(generic.fields) == ["body"]


def test_match_rules() -> None:
    profile = parse_profile(
        "source: t\nmatch:\n  selector: [div.a]\n  selector_any: [b, i]\n"
        "  html_regex: 'data-x'\n  text_regex: '^Hello'\nfields:\n  body: {selector: div.a}\n",
        "t.yaml",
    )
    assert profile.name == "t"
    assert profile.matches(Page('<div class="a" data-x="1">Hello <b>x</b></div>'))
    assert not profile.matches(Page('<div class="a" data-x="1">Hello x</div>'))
    assert not profile.matches(Page('<div class="a">Hello <b>x</b></div>'))
    assert not profile.matches(Page('<div class="a" data-x="1">Bye <b>x</b></div>'))
    assert pick_profile([profile], Page("<p>none</p>")) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("fields: {body: {selector: p}}\n", "missing 'source'"),
        ("source: s\n", "'fields'"),
        ("source: s\nfields: {body: {selector: 'p[['}}\n", "invalid CSS selector"),
        ("source: s\nfields: {body: {label: '(unclosed'}}\n", "invalid regex"),
        ("source: s\nfields: {body: {attr: src}}\n", "a rule takes one of"),
        ("source: s\nfields: {body: {selector: p, value: x}}\n", "a rule takes one of"),
        ("source: s\nfields: {body: {css: p}}\n", "a rule is a mapping"),
        ("source: s\nfields: {source: {from_url: path}}\n", "'from_url'"),
        ("source: s\nmatch: {xpath: '//p'}\nfields: {body: {selector: p}}\n", "'match'"),
        ("source: s\ncolour: red\nfields: {body: {selector: p}}\n", "unknown key"),
        ("source: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_profiles_name_the_file(text: str, problem: str) -> None:
    with pytest.raises(UserError, match=problem) as info:
        parse_profile(text, "bad.yaml")
    assert "bad.yaml" in str(info.value)


def test_missing_profiles_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such profiles folder"):
        load_profiles([tmp_path / "nope"])


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("tyler.backpage.com", "backpage"),
        ("classyads.example", "classyads"),
        ("www.foo.co.uk", "foo"),
        ("localhost", "localhost"),
    ],
)
def test_site_name_matches_what_exports_call_the_site(host: str, site: str) -> None:
    from safelight.ingest.siteprofiles import site_name

    assert site_name(host) == site
