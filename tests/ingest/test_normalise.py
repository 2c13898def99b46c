"""Text hygiene: HTML layout, mojibake repair, NFC (never NFKC), invisible characters."""

from __future__ import annotations

import unicodedata

import pytest

from safelight.ingest.normalise import clean_line, clean_text, html_to_text, is_binary


def test_html_blocks_and_breaks_become_line_breaks() -> None:
    markup = (
        "<div><h1>New  in\n town</h1><p>line one<br>line   two<br><br>after</p>"
        "<ul><li>first</li><li>b &amp; c</li></ul><script>var x = 1;</script>"
        "<style>p {color: red}</style><table><tr><td>x</td><td>y</td></tr>"
        "<tr><td>z</td></tr></table>tail <b>bold</b> end</div>"
    )
    assert html_to_text(markup) == (
        "New in town\n\nline one\nline two\n\nafter\n\nfirst\nb & c\n\nx y\nz\n\ntail bold end"
    )


def test_html_in_a_text_field_is_stripped_but_plain_angle_brackets_stay() -> None:
    assert clean_text("Hi<br/>there &amp; <b>you</b>") == "Hi\nthere & you"
    assert clean_text("I <3 you, call <now>") == "I <3 you, call <now>"
    assert clean_text("Tom &amp; Jerry") == "Tom & Jerry"


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("donâ€™t stop", "don’t stop"),
        ("cafÃ© open", "café open"),
        ("kisses ðŸ’‹ now", "kisses 💋 now"),
        ("cafÃ© ９０３ ok", "café ９０３ ok"),  # mixed with real Unicode: ftfy decides
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert clean_text(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "call ９０３ ５５５ ０１４２",  # full-width digits
        "call 𝟗𝟎𝟑 𝟓𝟓𝟓 𝟎𝟏𝟒𝟐",  # mathematical bold digits
        "call 9️⃣0️⃣3️⃣",  # keycaps: digit + VS16 + U+20E3
        "ｔｅｘｔ ｍｅ “now” — ﬁne",  # full-width letters, curly quotes, ligature
        "café — naïve résumé",
    ],
)
def test_unicode_that_matters_survives(text: str) -> None:
    assert clean_text(text) == text


def test_nfc_not_nfkc() -> None:
    decomposed = "cafe\u0301 ９"
    assert clean_text(decomposed) == "café ９"
    assert clean_text(decomposed) != unicodedata.normalize("NFKC", decomposed)


def test_invisible_and_control_characters_are_removed() -> None:
    raw = "9\u200b0\u200c3\u2060 5\u00ad5\ufeff5\x07 ok\u202e"
    assert clean_text(raw) == "903 555 ok"


def test_zero_width_joiner_kept_only_inside_emoji() -> None:
    family = "👩\u200d👩\u200d👧"
    assert clean_text(f"{family} a\u200db") == f"{family} ab"


def test_whitespace_rules() -> None:
    raw = "  one\t\ttwo\u00a0 three \r\nfour\r\n\r\n\r\n\r\nfive\u2028six  "
    assert clean_text(raw) == "one two three\nfour\n\nfive\nsix"
    assert clean_line("one\n\ntwo  three") == "one two three"


def test_plain_ascii_is_returned_unchanged() -> None:
    text = "Sweet and discreet.\nCall 903 555 0142"
    assert clean_text(text) is text or clean_text(text) == text


def test_binary_junk_detection() -> None:
    assert is_binary("text with a \x00 nul")
    assert is_binary("".join(chr(i) for i in range(1, 32)) + "abc")
    assert not is_binary("normal ad text\nwith lines\tand tabs")
    assert not is_binary("emoji 💋 and ９０３")
