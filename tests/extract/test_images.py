from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from safelight.extract import images
from safelight.extract.images import hash_distance, image_matches


def _picture(path: Path, seed: int, size: int = 96, fmt: str = "JPEG", quality: int = 90) -> Path:
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    for i in range(8):
        k = (seed * 37 + i * 53) % 97
        box = (k % 60, (k * 7) % 60, k % 60 + 20 + i * 3, (k * 7) % 60 + 25)
        draw.ellipse(box, fill=((k * 11) % 256, (k * 29) % 256, (seed * 91 + i * 40) % 256))
    draw.rectangle((0, size // 2, size // 3, size), fill=(seed * 50 % 256, 30, 90))
    img.save(path, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return path


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    images.clear_cache()


def test_same_picture_recompressed_or_resized_is_close(tmp_path: Path) -> None:
    original = _picture(tmp_path / "a.jpg", 1)
    again = tmp_path / "a_low.jpg"
    Image.open(original).save(again, "JPEG", quality=40)
    smaller = tmp_path / "a_small.png"
    Image.open(original).resize((64, 64)).save(smaller, "PNG")
    other = _picture(tmp_path / "b.jpg", 7)
    hashes = [
        m.value
        for m in image_matches(
            [{"ref": str(p), "sha256": None} for p in (original, again, smaller, other)]
        )
    ]
    assert len(hashes) == 4 and all(len(h) == 16 for h in hashes)
    assert hash_distance(hashes[0], hashes[1]) <= 6
    assert hash_distance(hashes[0], hashes[2]) <= 10
    assert hash_distance(hashes[0], hashes[3]) >= 16


def test_match_shape(tmp_path: Path) -> None:
    path = _picture(tmp_path / "a.jpg", 2)
    [m] = image_matches([{"ref": str(path), "sha256": "abc"}])
    assert (m.field, m.text, m.start, m.end) == ("image", str(path), None, None)
    assert m.detail["sha256"] == "abc"


def test_bad_images_are_skipped_silently(tmp_path: Path) -> None:
    good = _picture(tmp_path / "good.jpg", 3)
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(good.read_bytes()[:200])
    not_image = tmp_path / "notes.jpg"
    not_image.write_text("not a picture")
    refs = [
        {"ref": str(corrupt), "sha256": None},
        {"ref": str(not_image), "sha256": None},
        {"ref": str(tmp_path / "missing.jpg"), "sha256": None},
        {"ref": "https://example.org/pic.jpg", "sha256": None},
        {"ref": None, "sha256": None},
        {"ref": str(good), "sha256": None},
    ]
    matches = image_matches(refs)
    assert [m.text for m in matches] == [str(good)]
    assert matches[0].detail["skipped"] == 5
    assert image_matches([]) == [] and image_matches(None) == []


def test_relative_refs_and_cache_by_sha(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _picture(tmp_path / "rel.jpg", 4)
    calls: list[object] = []
    real = images.phash_file

    def counting(path: object) -> str | None:
        calls.append(path)
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "phash_file", counting)
    refs = [{"ref": "rel.jpg", "sha256": "same"}, {"ref": "rel.jpg", "sha256": "same"}]
    first = image_matches(refs, base_dir=tmp_path)
    second = image_matches(refs[:1], base_dir=tmp_path)
    assert len(first) == 2 and first[0].value == first[1].value == second[0].value
    assert len(calls) == 1


def test_hash_is_the_hex_imagehash_prints(tmp_path: Path) -> None:
    import imagehash

    for seed, fmt in ((1, "JPEG"), (2, "PNG"), (3, "JPEG")):
        path = _picture(tmp_path / f"p{seed}.{fmt.lower()}", seed, fmt=fmt)
        with Image.open(path) as img:
            img.draft("L", (128, 128))
            expected = str(imagehash.phash(img.convert("L")))
        assert images.phash_file(path) == expected
