"""Record identities: stable ad ids and repost-grouping content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from safelight.records import Ad, content_hash, make_ad_id


def test_content_hash_ignores_case_accents_punctuation_and_spacing() -> None:
    assert content_hash("NEW in town!!", "Call  me, babe") == content_hash(
        "new in town", "call me babe"
    )
    assert content_hash("Café", "") == content_hash("cafe", "")
    assert content_hash("one", "two") != content_hash("one", "three")


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_fast_path_matches_the_unicode_path(text: str) -> None:
    # A non-ASCII character that folds away (a combining accent) forces the slow path.
    assert content_hash(text, "\u0301") == content_hash(text, "")


def _regex_content_hash(title: str | None, body: str | None) -> str:
    """The definition ``content_hash`` implements faster (stored hashes must not change)."""
    text = unicodedata.normalize("NFKD", f"{title or ''} {body or ''}").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return hashlib.sha256(re.sub(r"[\W_]+", " ", text).strip().encode()).hexdigest()[:16]


_AD_LIKE = st.sampled_from(
    list("aeiouAEIOU 0123456789_-!.,$*~\t\n")
    + ["\u0301", "\u0308", "é", "ß", "İ", "ﬁ", "①", "²", "½", "😍", "💋", "\u200d", "\ufe0f"]
    + ["\x1c", "\xa0", "\u3000", "𝟗", "٣", "Ж", "中", "\U00020000"]
)


@given(
    st.one_of(st.none(), st.text(max_size=20)),
    st.text(alphabet=_AD_LIKE, max_size=80) | st.text(max_size=80),
)
def test_content_hash_equals_its_regex_definition(title: str | None, body: str) -> None:
    assert content_hash(title, body) == _regex_content_hash(title, body)


def test_ad_id_prefers_post_id_and_is_stable() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    a = make_ad_id("site", "123", None, "t", "b", when)
    assert a == make_ad_id("site", "123", "http://x", "other", "text", None)
    assert a != make_ad_id("other", "123", None, "t", "b", when)
    assert make_ad_id("site", None, None, "t", "b", when) != make_ad_id(
        "site", None, None, "t", "c", when
    )
    assert Ad(source="site", body="b", post_id="123").ad_id == a
