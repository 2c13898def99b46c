"""Exceptions Safelight raises on purpose.

SafelightError            anything Safelight reports to a user
├── UserError             a mistake in what the user asked (missing file, bad option): exit 2
└── StrictRejectError     --strict ingest met a rejected record: exit 1
"""

from __future__ import annotations

__all__ = ["SafelightError", "StrictRejectError", "UserError"]


class SafelightError(Exception):
    exit_code = 1


class UserError(SafelightError):
    exit_code = 2


class StrictRejectError(SafelightError):
    exit_code = 1
