"""Image references of an ad: where the picture is and, when it is a local file, its SHA-256.

- A URL (``http(s)://``, ``ftp://``, ``//host/...``) is kept as written, ``sha256`` null.
- ``file://`` URLs and paths are local files. A relative path is relative to the folder of the
  input file it came from, and is stored as the normalised absolute path (so the ref still
  works when the store is used from another folder). A local file that exists gets its
  SHA-256; a missing one is kept with ``sha256`` null — a missing picture is not a reason to
  lose the ad.
- Inline ``data:`` URIs are dropped (they are page furniture, and would bloat the store).
- Duplicates within one ad are dropped, first occurrence kept.

A value may be a list (of strings, or of objects with ``ref``/``url``/``path``/``src`` and
optionally ``sha256``) or a string of references separated by ``;`` (the CSV form).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from safelight.records import ImageRef

__all__ = ["CACHE_SIZE", "ImageResolver", "file_sha256", "split_refs"]

_URL_SCHEMES = ("http://", "https://", "ftp://", "//")
_REF_KEYS = ("ref", "url", "path", "src", "href")


def split_refs(value: Any) -> list[tuple[str, str | None]]:
    """``(ref, given_sha256)`` pairs from an ``images`` value; ``TypeError`` when malformed."""
    if value is None:
        return []
    if isinstance(value, str):
        return [(part.strip(), None) for part in value.split(";") if part.strip()]
    if not isinstance(value, Iterable) or isinstance(value, bytes | dict):
        raise TypeError(f"expected a list of image references, got {type(value).__name__}")
    refs: list[tuple[str, str | None]] = []
    for item in value:
        if item is None:
            continue
        if isinstance(item, str):
            if item.strip():
                refs.append((item.strip(), None))
        elif isinstance(item, dict):
            ref = next((item[k] for k in _REF_KEYS if isinstance(item.get(k), str)), None)
            if ref is None:
                raise TypeError("image object without ref/url/path/src")
            sha = item.get("sha256")
            refs.append((ref.strip(), sha if isinstance(sha, str) and sha else None))
        else:
            raise TypeError(f"expected an image reference, got {type(item).__name__}")
    return refs


# How many files' digests are remembered. A photo is referenced again by its poster's later
# ads (reposts), all through a corpus: a 1M-ad synthetic corpus refers 2.05M times to 242k
# files. A cache emptied whenever it reached 100k paths read 1.46M files; least-recently-used
# eviction at 300k reads each file once (both caches: about 150 MB for 250k files).
CACHE_SIZE = 300_000

# Digests by (path, size, mtime_ns), shared by the resolvers of all input files of a process:
# a photo referenced from several input files is read once, and a file changed in between is
# read again.
_digests: OrderedDict[tuple[str, int, int], str] = OrderedDict()


def file_sha256(path: str) -> str | None:
    """The SHA-256 of a local file (remembered by path, size and mtime), None if unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (path, st.st_size, st.st_mtime_ns)
    digest = _digests.get(key)
    if digest is not None:
        _digests.move_to_end(key)
        return digest
    digest = _hash_file(path, st.st_size)
    if digest is None:
        return None
    _digests[key] = digest
    if len(_digests) > CACHE_SIZE:
        _digests.popitem(last=False)
    return digest


# Photos are small: one read and one hash call take half the time of ``hashlib.file_digest``,
# which allocates a 256 KiB buffer per file (same digest).
_READ_WHOLE = 1 << 20


def _hash_file(path: str, size: int) -> str | None:
    try:
        with open(path, "rb", buffering=0) as handle:
            if size <= _READ_WHOLE:
                return hashlib.sha256(handle.read()).hexdigest()
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


class ImageResolver:
    """Resolves references relative to one folder, hashing local files (cached by ref)."""

    def __init__(self, base_dir: str, *, hash_files: bool = True) -> None:
        self.base_dir = base_dir
        self.hash_files = hash_files
        # This input file's references, least recently used first: ``ref -> (path, digest)``.
        # Within one pass a repeated ref costs one lookup (no path joining, not even a stat):
        # a 1M-ad corpus repeats its 250k photo refs 2M times.
        self._known: OrderedDict[str, tuple[str, str | None]] = OrderedDict()

    def resolve(self, refs: list[tuple[str, str | None]]) -> tuple[ImageRef, ...]:
        out: list[ImageRef] = []
        seen: set[str] = set()
        for ref, given in refs:
            if ref.startswith("data:"):
                continue
            resolved, sha = self._lookup(ref)
            if resolved in seen:
                continue
            seen.add(resolved)
            out.append(ImageRef(resolved, sha or given))
        return tuple(out)

    def _lookup(self, ref: str) -> tuple[str, str | None]:
        known = self._known
        found = known.get(ref)
        if found is not None:
            known.move_to_end(ref)
            return found
        if ref.lower().startswith(_URL_SCHEMES):
            found = (ref, None)
        else:
            path = self.local_path(ref)
            found = (path, file_sha256(path) if self.hash_files else None)
        known[ref] = found
        if len(known) > CACHE_SIZE:
            known.popitem(last=False)
        return found

    def local_path(self, ref: str) -> str:
        """``ref`` as a normalised absolute path (relative to ``base_dir``)."""
        if ref.lower().startswith("file:"):
            ref = unquote(urlsplit(ref).path)
        ref = os.path.expanduser(ref)
        return os.path.normpath(os.path.join(self.base_dir, ref))
