"""Saved HTML pages of ads in the classic classified layout (seed 001's 2014 Tyler, TX ad).

The corpus writes a few ads of the ``classyads`` site a second time as saved pages,
``pages/classyads_<post_id>.html``; the same ad (same source and post id, hence the same
``ad_id``) is also a line of ``ads.jsonl``. The exact markup, for the site profile that reads
it (``src/safelight/ingest/profiles/``)::

    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>{title} - {City} escorts - classyads</title>
    <link rel="canonical" href="{url}">
    </head>
    <body>
    <div id="header"><a href="https://classyads.example/">classyads</a> Post an Ad</div>
    <div class="breadcrumbs">classyads &gt; {city} adult entertainment &gt; {city} escorts</div>
    <div class="posting">
    <div class="postingTitle"><h1>{title}</h1></div>
    <div class="postingDate">Posted: Thursday, March 13, 2014 9:15 AM</div>
    <div class="postingReply">Reply: <a href="#">click here</a></div>
    <div class="postingBody">{body: HTML-escaped, each newline written as <br>}</div>
    <p class="posterAge">Poster's age: 30</p>
    <ul class="postingInfo">
    <li>Location: Tyler</li>
    <li>User first posted December 2013</li>
    <li>Post ID: 25265660 tyler</li>
    </ul>
    <div class="postingImages">
    <img src="../images/0123456789abcdef.jpg" alt="">
    </div>
    </div>
    </body>
    </html>

(``{City}`` is the city name, ``{city}`` the same in lower case.) Field by field:
- title: ``div.postingTitle h1`` text (HTML-escaped; unescape to get ``title``).
- posted_at: ``div.postingDate``, after ``"Posted: "``, format ``%A, %B %-d, %Y %-I:%M %p``;
  the time is UTC and is ``posted_at`` of ``ads.jsonl`` to the minute (seconds are 00).
- body: ``div.postingBody``; ``<br>`` is a newline, entities unescape to the exact ``body``.
- age: ``p.posterAge`` ``"Poster's age: N"``; the paragraph is absent when the ad has no age.
- location: the ``li`` starting ``"Location: "`` (the ``location`` column, verbatim).
- post_id: the ``li`` starting ``"Post ID: "``, first token (digits); the second token is the
  city slug. ``source`` is ``classyads``; ``url`` is the canonical link.
- images: every ``div.postingImages img`` ``src``, relative to the page (``../images/...``),
  i.e. ``images/...`` relative to the corpus folder, as in ``ads.jsonl``. No ``img`` when the
  corpus was written with ``--no-images``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

__all__ = ["page_html"]


def _posted(posted_at: str) -> str:
    dt = datetime.strptime(posted_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    hour = dt.hour % 12 or 12
    return f"{dt:%A}, {dt:%B} {dt.day}, {dt.year} {hour}:{dt:%M} {'AM' if dt.hour < 12 else 'PM'}"


def page_html(ad: dict, city: str, city_slug: str, first_posted: str) -> str:
    """The saved page of one ad (``ad`` as written to ``ads.jsonl``)."""
    title = escape(ad["title"], quote=False)
    body = escape(ad["body"], quote=False).replace("\n", "<br>\n")
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title} - {escape(city)} escorts - classyads</title>",
        f'<link rel="canonical" href="{escape(ad["url"])}">',
        "</head>",
        "<body>",
        '<div id="header"><a href="https://classyads.example/">classyads</a> Post an Ad</div>',
        f'<div class="breadcrumbs">classyads &gt; {escape(city.lower())} adult '
        f"entertainment &gt; {escape(city.lower())} escorts</div>",
        '<div class="posting">',
        f'<div class="postingTitle"><h1>{title}</h1></div>',
        f'<div class="postingDate">Posted: {_posted(ad["posted_at"])}</div>',
        '<div class="postingReply">Reply: <a href="#">click here</a></div>',
        f'<div class="postingBody">{body}</div>',
    ]
    if ad.get("age") is not None:
        lines.append(f'<p class="posterAge">Poster\'s age: {ad["age"]}</p>')
    lines += [
        '<ul class="postingInfo">',
        f"<li>Location: {escape(ad['location'] or city)}</li>",
        f"<li>User first posted {first_posted}</li>",
        f"<li>Post ID: {ad['post_id']} {city_slug}</li>",
        "</ul>",
        '<div class="postingImages">',
        *(f'<img src="../{escape(ref)}" alt="">' for ref in ad["images"]),
        "</div>",
        "</div>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)
