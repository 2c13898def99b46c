"""Perceptual hashes (pHash) of the pictures an ad refers to.

``image_matches(images)`` takes the ad's ``images`` list (``{"ref", "sha256"}`` dicts or
``ImageRef`` objects) and returns one ``Match`` per readable local picture: field ``"image"``,
value the 64-bit pHash as 16 hex digits, text the ref, no span. Near-identical pictures
(recompressed, resized) get hashes a few bits apart; compare with ``hash_distance``.

Remote refs (``http(s)://``, ``data:``...) are skipped, and so is anything that cannot be read
as a picture (missing, truncated, not an image, too large): this function never raises on a
bad file. The same photo reused across ads is hashed once per process: results are kept in a
bounded cache keyed by the SHA-256 ingest computed (or by path, size and mtime without one).
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from safelight.extract.base import Match

__all__ = ["clear_cache", "hash_distance", "image_matches", "phash_file"]

log = logging.getLogger(__name__)

# Pictures already hashed, by SHA-256 (~330 bytes an entry). A corpus reposts each picture many
# times (1M synthetic ads: 2M references to 245k files), spread over the whole run: a cache
# smaller than the distinct pictures thrashes and hashes most of them again (py-spy on a 1M
# extract: half the worker time in pHash with 50k entries).
_CACHE_SIZE = 400_000
_cache: OrderedDict[tuple[str, ...], str | None] = OrderedDict()
_REMOTE = ("http://", "https://", "ftp://", "data:", "s3://", "gs://", "//")
# Pictures bigger than this are refused (decompression bombs), not hashed.
_MAX_PIXELS = 80_000_000


def image_matches(
    images: Iterable[Mapping[str, Any] | Any] | None, base_dir: str | Path | None = None
) -> list[Match]:
    """pHash matches for an ad's pictures; relative refs resolve against ``base_dir``
    (default: the working directory). Skipped pictures are counted in each match's detail."""
    found: list[tuple[str, str, str | None]] = []
    skipped = 0
    for image in images or ():
        ref, sha = _ref_and_sha(image)
        value = None
        if ref and not ref.lower().startswith(_REMOTE):
            key = ("sha256", sha)
            if sha and key in _cache:  # a photo seen before: no path to build
                _cache.move_to_end(key)
                value = _cache[key]
            else:
                value = _cached_hash(_local_path(ref, base_dir), sha)
        if value is None:
            skipped += 1
        else:
            found.append((ref, value, sha))
    out: list[Match] = []
    for ref, value, sha in found:
        detail: dict[str, Any] = {"algorithm": "phash"}
        if sha:
            detail["sha256"] = sha
        if skipped:
            detail["skipped"] = skipped
        out.append(Match("image", value, ref, None, None, detail))
    return out


def phash_file(path: str | Path) -> str | None:
    """The pHash of one picture as 16 hex digits, or None when it cannot be read."""
    try:
        import imagehash
        from PIL import Image

        with Image.open(path) as img:
            width, height = img.size
            if width * height > _MAX_PIXELS or width < 1 or height < 1:
                return None
            img.draft("L", (128, 128))  # JPEG: decode at a reduced scale, much faster
            bits = imagehash.phash(img.convert("L")).hash
    except Exception:  # noqa: BLE001 -- any unreadable picture is skipped, never raised
        log.debug("image skipped: unreadable")
        return None
    # The hex of ``str(ImageHash)``, without its string of "0"s and "1"s (20 µs a picture).
    return np.packbits(bits.ravel()).tobytes().hex()


def hash_distance(a: str, b: str) -> int:
    """Hamming distance between two hex pHashes (0 = same picture, <= ~10 = near copy)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def clear_cache() -> None:
    _cache.clear()


def _cached_hash(path: Path, sha: str | None) -> str | None:
    if sha:
        key: tuple[str, ...] = ("sha256", sha)
    else:
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = ("path", str(path), str(st.st_size), str(st.st_mtime_ns))
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    value = phash_file(path)
    if value is None and sha:
        return None  # the same picture may be readable at another path
    _cache[key] = value
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return value


def _ref_and_sha(image: Mapping[str, Any] | Any) -> tuple[str | None, str | None]:
    if isinstance(image, Mapping):
        return image.get("ref"), image.get("sha256")
    if isinstance(image, str):
        return image, None
    return getattr(image, "ref", None), getattr(image, "sha256", None)


def _local_path(ref: str, base_dir: str | Path | None) -> Path:
    if ref.lower().startswith("file://"):
        ref = ref[7:]
    path = Path(ref).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path
