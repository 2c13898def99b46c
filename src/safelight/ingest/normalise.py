"""Text hygiene: what every title and body goes through before it is stored.

``clean_text(raw)`` returns the text analysts and extractors see:

1. HTML (only when the value contains a real tag such as ``<br>`` or ``</p>``) is turned into
   text the way a browser lays it out: ``<br>`` -> newline, block elements -> line breaks,
   paragraphs/headings/lists -> a blank line, source whitespace collapsed, entities decoded,
   ``<script>``/``<style>`` dropped. Plain text keeps its own line breaks; stray entities
   (``&amp;``) are decoded.
2. Mojibake (``donâ€™t``) is repaired with ftfy — only when ftfy's own cheap badness test says
   the text looks broken, because ftfy is slow and ASCII text never needs it. ftfy's width
   folding, quote uncurling and ligature fixes are off: they would change what the ad says.
3. Unicode is NFC-normalised — never NFKC: full-width ``９０３``, mathematical ``𝟗𝟎𝟑`` and keycap
   ``9️⃣`` digits must reach the phone extractor as written.
4. Control characters and invisible format characters (zero-width space/non-joiner, word
   joiner, BOM, soft hyphen, bidi controls) are removed; a zero-width joiner survives only
   between two pictographs (it builds emoji such as 👩‍👩‍👧). Unicode spaces become a space, runs
   of spaces collapse, spaces around line breaks go, three or more newlines become two.

``clean_line`` does the same and then puts everything on one line (titles, locations).
``is_binary(raw)`` flags values that are binary junk rather than text.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ftfy import TextFixerConfig, fix_text
from ftfy.badness import is_bad
from selectolax.lexbor import LexborHTMLParser

__all__ = ["clean_line", "clean_text", "html_to_text", "is_binary", "looks_like_html"]

_FTFY = TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

_TAGS = (
    "a|abbr|address|article|aside|b|big|blockquote|body|br|center|div|dl|dd|dt|em|figcaption|"
    "figure|font|footer|h[1-6]|head|header|hr|html|i|img|li|main|meta|nav|ol|p|pre|section|"
    "small|span|strong|style|script|sub|sup|table|tbody|td|th|thead|title|tr|u|ul"
)
_HTML_TAG = re.compile(rf"<(?:/?(?:{_TAGS})\b[^>]*|!--.*?--|!doctype[^>]*)>", re.I | re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Markers inserted before tags so layout survives text extraction (private-use characters).
_BR, _BLOCK, _PARA, _CELL = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = _BR + _BLOCK + _PARA + _CELL
_PARA_TAGS = "p|h[1-6]|blockquote|ul|ol|dl|table|pre|section|article|header|footer|main|aside|nav"
_BLOCK_TAGS = "div|li|dt|dd|address|figure|figcaption|hr|center|form|fieldset|caption|title"
_BR_RE = re.compile(r"<br\b[^>]*>", re.I)
# Markers go before an opening tag and after a closing one, so none lands inside a table
# outside a cell (the parser would move it). Rows and cells are marked inside their first cell.
_PARA_RE = re.compile(rf"<(?:{_PARA_TAGS})\b[^>]*>|(</(?:{_PARA_TAGS})\s*>)", re.I)
_BLOCK_RE = re.compile(rf"<(?:{_BLOCK_TAGS})\b[^>]*>|(</(?:{_BLOCK_TAGS})\s*>)", re.I)
_ROW_RE = re.compile(r"<tr\b[^>]*>\s*<t[dh]\b[^>]*>", re.I)
_CELL_RE = re.compile(r"<t[dh]\b[^>]*>", re.I)
_LAYOUT_RUN = re.compile(rf"[\s{_MARKERS}]*[{_MARKERS}][\s{_MARKERS}]*")
_WS = re.compile(r"\s+")

# Characters that are dropped from clean text (C0/C1 controls other than \n, format chars).
_DROP_CHARS = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb" + _MARKERS
)
_DROP = re.compile(f"[{_DROP_CHARS}]")
_PICTO = "\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff\ufe0f\U0001f3fb-\U0001f3ff"
_LONE_ZWJ = re.compile(rf"(?<![{_PICTO}])\u200d|\u200d(?![{_PICTO}])")
_BREAK_CHARS = "\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"\r\n?|[{_BREAK_CHARS}]")
_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_SPACE_CHARS}]")
# Any character that one of the three substitutions above would change.
_SPECIAL = re.compile(f"[{_DROP_CHARS}{_BREAK_CHARS}{_SPACE_CHARS}]")
_MULTI_SPACE = re.compile(" {2,}")
_SPACE_AROUND_NL = re.compile(" *\n *")
_MANY_NL = re.compile("\n{3,}")
# UTF-8 read as Windows-1252/Latin-1 always shows a lead character (Â..ô) followed by one that
# stands for a continuation byte; only text with such a pair is shown to ftfy's slower test.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains a real HTML tag (not ``<3`` or ``<now>``)."""
    return "<" in text and _HTML_TAG.search(text) is not None


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document or fragment, laid out with line breaks."""
    return layout_text(parse_marked(markup).body)


def parse_marked(markup: str) -> LexborHTMLParser:
    """Parse HTML after marking where line breaks go; read nodes with ``layout_text``."""
    markup = markup.translate({ord(m): None for m in _MARKERS})
    markup = _BR_RE.sub(lambda m: _BR + m.group(0), markup)
    markup = _PARA_RE.sub(
        lambda m: m.group(0) + _PARA if m.group(1) else _PARA + m.group(0), markup
    )
    markup = _BLOCK_RE.sub(
        lambda m: m.group(0) + _BLOCK if m.group(1) else _BLOCK + m.group(0), markup
    )
    markup = _CELL_RE.sub(lambda m: m.group(0) + _CELL, markup)
    markup = _ROW_RE.sub(lambda m: m.group(0) + _BLOCK, markup)
    tree = LexborHTMLParser(markup)
    tree.strip_tags(["script", "style", "noscript", "template"])
    return tree


def layout_text(node: object | None) -> str:
    """Text of a node of a ``parse_marked`` tree, markers turned into line breaks."""
    if node is None:
        return ""
    text = node.text(deep=True, separator="")  # type: ignore[attr-defined]
    return _LAYOUT_RUN.sub(_layout_break, _WS.sub(" ", text)).strip()


def _layout_break(match: re.Match[str]) -> str:
    run = match.group(0)
    need = run.count(_BR)
    if _BLOCK in run:
        need = max(need, 1)
    if _PARA in run:
        need = max(need, 2)
    if need == 0:
        return " "
    return "\n" * min(need, 2)


def is_binary(raw: str) -> bool:
    """Binary junk rather than text: a NUL, or 5%+ control/replacement characters."""
    if "\x00" in raw:
        return True
    if raw.isascii() and raw.isprintable():
        return False
    junk = len(_JUNK.findall(raw))
    return junk >= 3 and junk * 20 >= len(raw)


def clean_text(raw: str) -> str:
    """The clean multi-line text of ``raw`` (see the module docstring)."""
    text = raw
    if "<" in text and _HTML_TAG.search(text):
        text = html_to_text(text)
    elif "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if not text.isascii():
        if _MOJIBAKE.search(text):
            text = _fix_mojibake(text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if "\u200d" in text:
            text = _LONE_ZWJ.sub("", text)
    if _SPECIAL.search(text):
        text = _DROP.sub("", _SPACES.sub(" ", _LINE_BREAKS.sub("\n", text)))
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NL.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NL.sub("\n\n", text)
    return text.strip()


def _fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252. Fast path: the whole text round-trips (one
    encode/decode — legitimate text practically never decodes as UTF-8 that way); otherwise
    ftfy decides, only if its badness test flags the text (it costs ~0.5 ms per ad)."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        pass
    return fix_text(text, _FTFY) if is_bad(text) else text


def clean_line(raw: str) -> str:
    """``clean_text`` on one line: line breaks become single spaces."""
    text = clean_text(raw)
    if "\n" in text:
        text = _MULTI_SPACE.sub(" ", text.replace("\n", " "))
    return text
