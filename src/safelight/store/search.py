"""Analyst search: normalise what was typed, then one SQL query over ads and extractions.

A phone is found however it was typed -- "(903) 312-1887", "9033121887", "+1 903 312 1887" all
become "+19033121887", the form the phone extractor stores. Several criteria narrow the search:
an ad must match all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from safelight.errors import UserError

__all__ = ["SearchQuery", "like_pattern", "normalise_email", "normalise_phone", "search_sql"]

_DIGITS = re.compile(r"\d")
_HANDLE = re.compile(r"^\s*(?:(?P<platform>[a-z]+)\s*[:/]\s*)?[@$]?(?P<handle>[\w.\-]+)\s*$", re.I)
_PLATFORM_ALIASES = {
    "twitter": "x",
    "ig": "instagram",
    "insta": "instagram",
    "snap": "snapchat",
    "sc": "snapchat",
    "wa": "whatsapp",
    "tg": "telegram",
    "of": "onlyfans",
}


def _extracted(text: str, field: str) -> list[Any]:
    """Values the field extractor finds in ``text`` (the same normalisation stored values got).
    Search is a shell over the extractors here; the import stays local so the store engine does
    not load them unless a search asks for it."""
    from safelight.extract import extract_text

    return [m.value for m in extract_text(text)[field]]


def normalise_phone(text: str) -> list[str]:
    """E.164 forms of the phone number(s) in ``text``, default region US."""
    values = [v for v in _extracted(text, "phone") if isinstance(v, str)]
    if values:
        return list(dict.fromkeys(values))
    digits = "".join(_DIGITS.findall(text))
    if not digits:
        return []
    import phonenumbers

    candidate = "+" + digits if text.strip().startswith("+") else digits
    try:
        number = phonenumbers.parse(candidate, "US")
    except phonenumbers.NumberParseException:
        return ["+" + digits]
    return [phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)]


def normalise_email(text: str) -> list[str]:
    values = [v for v in _extracted(text, "email") if isinstance(v, str)]
    return list(dict.fromkeys(values)) or [text.strip().lower()]


def normalise_handle(text: str) -> tuple[str | None, str]:
    """``(platform or None, handle)`` from "name", "@name", "platform:name"."""
    found = [v for v in _extracted(text, "handle") if isinstance(v, dict)]
    if found:
        return found[0].get("platform"), str(found[0].get("handle", "")).lower()
    match = _HANDLE.match(text)
    if not match:
        raise UserError("--handle takes name, @name or platform:name")
    platform = (match["platform"] or "").lower() or None
    return _PLATFORM_ALIASES.get(platform or "", platform), match["handle"].lower()


def like_pattern(text: str) -> str:
    """``text`` as an ILIKE substring pattern with its wildcards escaped (ESCAPE '\\')."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    handle: tuple[str | None, str] | None = None
    text: str | None = None
    min_risk: float | None = None
    minor: bool = False
    network: str | None = None

    @classmethod
    def build(
        cls,
        *,
        phone: str | None = None,
        email: str | None = None,
        text: str | None = None,
        handle: str | None = None,
        min_risk: float | None = None,
        minor: bool = False,
        network: str | None = None,
    ) -> SearchQuery:
        if not any(v and v.strip() for v in (phone, email, text, handle, network)) and not (
            minor or min_risk is not None
        ):
            raise UserError(
                "give something to search for: --phone, --email, --handle, --text, "
                "--network, --min-risk or --minor"
            )
        phones: tuple[str, ...] = ()
        if phone and phone.strip():
            phones = tuple(normalise_phone(phone))
            if not phones:
                raise UserError("could not read a phone number from the --phone value")
        emails = tuple(normalise_email(email)) if email and email.strip() else ()
        handle_q = normalise_handle(handle) if handle and handle.strip() else None
        text_q = text.strip() if text and text.strip() else None
        network_q = network.strip() if network and network.strip() else None
        return cls(phones, emails, handle_q, text_q, min_risk, minor, network_q)


def search_sql(q: SearchQuery, limit: int) -> tuple[str, list[Any]]:
    """SQL and parameters returning ads matching every criterion of ``q``, newest first."""
    parts: list[str] = []
    params: list[Any] = []
    if q.phones:
        marks = ", ".join("?" for _ in q.phones)
        parts.append(
            "SELECT ad_id, 'phone' AS crit, 'phone ' || value AS matched FROM extractions "
            f"WHERE field = 'phone' AND value IN ({marks})"
        )
        params += q.phones
    if q.emails:
        marks = ", ".join("?" for _ in q.emails)
        parts.append(
            "SELECT ad_id, 'email' AS crit, 'email ' || value AS matched FROM extractions "
            f"WHERE field = 'email' AND value IN ({marks})"
        )
        params += q.emails
    if q.handle:
        platform, name = q.handle
        where = "field = 'handle' AND lower(json_extract_string(value, '$.handle')) = ?"
        params.append(name)
        if platform:
            where += " AND json_extract_string(value, '$.platform') = ?"
            params.append(platform)
        parts.append(
            "SELECT ad_id, 'handle' AS crit, 'handle ' || json_extract_string(value, "
            "'$.platform') || ':' || json_extract_string(value, '$.handle') AS matched "
            f"FROM extractions WHERE {where}"
        )
    if q.text:
        pattern = like_pattern(q.text)
        parts.append(
            "SELECT ad_id, 'text' AS crit, 'text' AS matched FROM ads "
            "WHERE title ILIKE ? ESCAPE '\\' OR body ILIKE ? ESCAPE '\\'"
        )
        params += [pattern, pattern]
    if q.network:
        # a stored network, or the singleton network S<ad_id> of an ad with no link
        parts.append(
            "SELECT ad_id, 'network' AS crit, 'network ' || network_id AS matched "
            "FROM networks WHERE network_id = ? UNION ALL "
            "SELECT ad_id, 'network' AS crit, 'network S' || ad_id AS matched FROM ads "
            "WHERE 'S' || ad_id = ? AND ad_id NOT IN (SELECT ad_id FROM networks)"
        )
        params += [q.network, q.network]
    if q.min_risk is not None or q.minor:
        where = ["score >= ?"]
        params.append(float(q.min_risk or 0))
        if q.minor:
            where.append("minor <> 'none'")
        parts.append(
            "SELECT ad_id, 'risk' AS crit, 'risk ' || round(score, 1) || CASE minor "
            "WHEN 'none' THEN '' ELSE ', minor ' || minor END AS matched FROM risk "
            f"WHERE {' AND '.join(where)}"
        )
    order = (
        "r.minor = 'none', r.score DESC NULLS LAST, a.posted_at DESC NULLS LAST, a.ad_id"
        if q.min_risk is not None or q.minor
        else "a.posted_at DESC NULLS LAST, a.ad_id"
    )
    union = "\n    UNION ALL\n    ".join(parts)
    sql = f"""
WITH hits AS (
    {union}
),
matched AS (
    SELECT ad_id, string_agg(DISTINCT matched, '; ' ORDER BY matched) AS matched
    FROM hits GROUP BY ad_id HAVING count(DISTINCT crit) = {len(parts)}
)
SELECT a.ad_id, a.source, a.post_id, a.posted_at, a.location, a.title, a.body, m.matched,
       r.score AS risk, r.minor, coalesce(n.network_id, 'S' || a.ad_id) AS network
FROM matched m JOIN ads a ON a.ad_id = m.ad_id LEFT JOIN risk r ON r.ad_id = a.ad_id
LEFT JOIN networks n ON n.ad_id = a.ad_id
ORDER BY {order}
LIMIT ?
"""
    params.append(int(limit))
    return sql, params
