"""Image references: local files hashed once however often ads refer to them."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from safelight.ingest import imagerefs
from safelight.ingest.imagerefs import ImageResolver, file_sha256


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually read (hashed), in order; the shared cache starts empty."""
    seen: list[str] = []
    real = imagerefs._hash_file

    def counting(path: str, size: int) -> str | None:
        seen.append(path)
        return real(path, size)

    monkeypatch.setattr(imagerefs, "_hash_file", counting)
    monkeypatch.setattr(imagerefs, "_digests", type(imagerefs._digests)())
    return seen


def photo(folder: Path, name: str, data: bytes = b"jpeg bytes") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_reposted_photo_is_read_once(tmp_path: Path, reads: list[str]) -> None:
    photo(tmp_path, "a.jpg")
    resolver = ImageResolver(str(tmp_path))
    refs = [resolver.resolve([("a.jpg", None)])[0] for _ in range(50)]
    assert {r.sha256 for r in refs} == {hashlib.sha256(b"jpeg bytes").hexdigest()}
    assert reads == [str(tmp_path / "a.jpg")]


def test_recently_used_photos_stay_cached_past_the_limit(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full cache drops the least recently used file, not everything: "a", used all along,
    # is never read again (a cache emptied at its limit would read it after "c").
    monkeypatch.setattr(imagerefs, "CACHE_SIZE", 2)
    for name in "abcd":
        photo(tmp_path, f"{name}.jpg", name.encode())
    resolver = ImageResolver(str(tmp_path))
    for name in "abacada":
        resolver.resolve([(f"{name}.jpg", None)])
    assert [Path(p).name for p in reads] == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]


def test_input_files_share_digests_but_a_changed_photo_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    path = photo(tmp_path, "a.jpg", b"first")
    first = ImageResolver(str(tmp_path)).resolve([("a.jpg", None)])[0].sha256
    assert ImageResolver(str(tmp_path)).resolve([("a.jpg", None)])[0].sha256 == first
    assert len(reads) == 1  # the second input file's resolver reused the digest
    path.write_bytes(b"second, longer")
    os.utime(path, ns=(1, 1))
    changed = ImageResolver(str(tmp_path)).resolve([("a.jpg", None)])[0].sha256
    assert changed == hashlib.sha256(b"second, longer").hexdigest() != first
    assert len(reads) == 2


def test_missing_photo_keeps_its_ref_without_digest(tmp_path: Path, reads: list[str]) -> None:
    resolver = ImageResolver(str(tmp_path))
    ref = resolver.resolve([("gone.jpg", "given")])[0]
    assert ref.ref == str(tmp_path / "gone.jpg") and ref.sha256 == "given"
    assert file_sha256(str(tmp_path / "gone.jpg")) is None
    assert reads == []


def test_no_hashing_when_disabled(tmp_path: Path, reads: list[str]) -> None:
    photo(tmp_path, "a.jpg")
    ref = ImageResolver(str(tmp_path), hash_files=False).resolve([("a.jpg", None)])[0]
    assert ref.sha256 is None and reads == []


def test_large_and_small_files_hash_as_sha256(tmp_path: Path, reads: list[str]) -> None:
    small = photo(tmp_path, "small.jpg", b"x" * 1000)
    large = photo(tmp_path, "large.jpg", bytes(range(256)) * 5000)  # over the one-read size
    for path in (small, large):
        assert file_sha256(str(path)) == hashlib.sha256(path.read_bytes()).hexdigest()
