"""The analyst report: one self-contained HTML file summarising a store.

``write_report(store, out_dir)`` writes ``out_dir/report.html`` (inline CSS, inline SVG charts,
a little inline JavaScript, nothing loaded from a network) from ``store.query(...)`` results:
summary counts with possible minors first, ads over time and per place, the phones and emails
in the most ads, extraction counts, the age histogram and a filterable, sortable table of ads
with their text and the extracted values highlighted. Every result is a lead for human review.
"""

from __future__ import annotations

from safelight.report.render import ReportOptions, write_report

__all__ = ["ReportOptions", "write_report"]
