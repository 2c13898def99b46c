"""Code versions for incremental stages.

A stage records which version of its code and data processed each row, so a rerun redoes
exactly the rows an older version produced. The version of a package is a hash of every file
in it (code and data files; compiled caches excluded).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

__all__ = ["package_version"]


@cache
def package_version(package: str) -> str:
    """A 16-hex-digit hash of the files of ``package`` (e.g. ``"safelight.extract"``)."""
    root = resources.files(package)
    entries: list[tuple[str, bytes]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif not entry.name.endswith((".pyc", ".pyo")):
                entries.append((str(entry).removeprefix(str(root)), entry.read_bytes()))
    digest = hashlib.sha256()
    for name, data in sorted(entries):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]
