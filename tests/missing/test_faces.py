"""Face embeddings with dlib (optional dependency; these tests need it installed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from safelight.missing import faces

pytestmark = pytest.mark.skipif(
    not faces.available(), reason="optional dlib-bin/face_recognition_models not installed"
)


def test_same_face_is_close_and_other_faces_are_far() -> None:
    from PIL import Image
    from skimage import data

    astronaut = data.astronaut()
    [original, *_] = faces.embed_array(astronaut)
    assert len(original) == 128
    smaller = np.asarray(Image.fromarray(astronaut).resize((400, 400)))
    [resized, *_] = faces.embed_array(smaller)
    assert math.dist(original, resized) < 0.3
    lfw = data.lfw_subset()[:5]  # 25x25 grey face crops of other people
    others = []
    for crop in lfw:
        rgb = np.stack([(crop * 255).astype(np.uint8)] * 3, axis=-1)
        big = np.asarray(Image.fromarray(rgb).resize((150, 150)))
        others.extend(faces.embed_array(big, whole_image=True))
    assert others and all(math.dist(original, o) > 0.6 for o in others)


def test_unreadable_file_gives_no_faces(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "x.jpg"
    bad.write_bytes(b"not an image")
    assert faces.embed_file(bad) == []
