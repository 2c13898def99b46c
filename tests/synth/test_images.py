"""Generated photos: written once, referenced by relative path, close within a photo's
re-crops and far between persons (pHash)."""

from __future__ import annotations

import itertools
import statistics
from pathlib import Path

import imagehash
from PIL import Image

from safelight.synth import SynthOptions, generate


def _phash(folder: Path, ref: str) -> imagehash.ImageHash:
    with Image.open(folder / ref) as img:
        return imagehash.phash(img)


def test_every_referenced_image_exists(corpus) -> None:
    refs = {ref for ad in corpus.ads for ref in ad["images"]}
    assert refs and all(r.startswith("images/") and r.endswith(".jpg") for r in refs)
    files = {f"images/{f.name}" for f in (corpus.out / "images").iterdir()}
    assert refs <= files  # each written once (all variants of a photo at its first use)
    assert len(files) <= 1.5 * len(refs)
    assert corpus.summary.images == len(files)
    with Image.open(corpus.out / next(iter(refs))) as img:
        assert img.format == "JPEG" and 80 <= img.width <= 128


def test_recrops_of_a_photo_are_close_and_persons_far(corpus) -> None:
    same, first = [], []
    for person in list(corpus.persons.values())[:25]:
        for variants in person["photos"]:
            hashes = [_phash(corpus.out, ref) for ref in variants]
            same += [a - b for a, b in itertools.combinations(hashes, 2)]
        if person["photos"]:
            first.append(_phash(corpus.out, person["photos"][0][0]))
    different = [a - b for a, b in itertools.combinations(first, 2)]
    assert same and different
    assert statistics.mean(same) <= 8 and statistics.mean(different) >= 24
    same.sort()
    different.sort()
    # nearly all re-crop pairs are closer than nearly all pairs of different persons
    assert same[int(0.95 * len(same))] < different[int(0.05 * len(different))]
    assert min(different) >= 8


def test_persons_reuse_their_photos_across_ads(corpus) -> None:
    uses: dict[str, set[str]] = {}
    for ad, truth in zip(corpus.ads, corpus.truth, strict=True):
        for ref in ad["images"]:
            uses.setdefault(ref, set()).add(truth["post_id"])
    assert max(len(v) for v in uses.values()) >= 5


def test_no_images_option(tmp_path: Path) -> None:
    generate(SynthOptions(out=tmp_path, ads=200, seed=3, images=False))
    assert not (tmp_path / "images").exists()
    text = (tmp_path / "ads.jsonl").read_text(encoding="utf-8")
    assert '"images":[]' in text and "images/" not in text


def test_photos_of_different_owners_never_match_by_chance() -> None:
    # Before the smaller details, these 4,500 photos gave 11 cross-owner pairs within 8 bits
    # (15,000 photos: 32 within the linker's 6-bit radius), so a 1M-ad corpus had thousands of
    # chance photo links between unrelated persons (issue 4, giant component).
    import io

    import numpy as np

    from safelight.synth.images import draw_photo, variant

    hashes = []
    for owner in range(1500):
        for photo in range(3):
            data = variant(draw_photo(5, f"P{owner:06d}", photo), 5, f"P{owner:06d}", photo, 0)
            with Image.open(io.BytesIO(data)) as img:
                hashes.append(int(str(imagehash.phash(img.convert("L"))), 16))
    h = np.array(hashes, dtype=np.uint64)
    owner_of = np.repeat(np.arange(1500), 3)
    close = 0
    for i in range(len(h) - 1):
        bits = np.unpackbits((h[i + 1 :] ^ h[i]).view(np.uint8).reshape(-1, 8), axis=1).sum(1)
        close += int(((bits <= 8) & (owner_of[i + 1 :] != owner_of[i])).sum())
    assert close == 0
