"""The analyst report: one self-contained HTML file summarising a store.

``write_report(store, out_dir)`` writes ``out_dir/report.html`` (inline CSS, inline SVG charts,
a little inline JavaScript, nothing loaded from a network) from ``store.query(...)`` results:
summary counts with possible minors first, the triage queue (scored ads, minor flags first,
each with its evidence marked in the text and the points that make up its score), ads per
indicator category, ads over time and per place, the phones and emails in the most ads,
extraction counts, the age histogram and a filterable, sortable table of ads with their risk,
minor flag, text and extracted values highlighted. A store not scored yet still reports, and
says so. Every result is a lead for human review.
"""

from __future__ import annotations

from safelight.report.render import ReportOptions, write_report

__all__ = ["ReportOptions", "write_report"]
