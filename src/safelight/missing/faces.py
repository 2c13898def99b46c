"""Face embeddings for comparing poster photos with ad photos (optional, offline).

Uses dlib's frontal face detector, 5-point shape predictor and ResNet recognition model
(128-d embeddings; same face ~0.2 apart, different people 0.7-0.9, usual cut-off 0.6). The
weights come from the ``face_recognition_models`` package as data files; nothing is downloaded.
Install both optional packages: ``pip install dlib-bin face_recognition_models`` (do not install
``face-recognition``: it compiles dlib). We locate the model folder with
``importlib.util.find_spec`` because that package's ``__init__`` needs ``pkg_resources``.

Ad faces are computed only to compare against posters of reported missing people; they are
never stored, indexed or clustered. ``available()`` says whether faces can be used here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["FaceModel", "available", "embed_array", "embed_file", "face_model"]

_MAX_SIDE = 1600  # larger pictures are scaled down before detection
# dlib's detector scores a detection above 0; at 1x upsampling, patterns such as badges and
# prints pass with low scores (about 0.1) while real faces score near 1. Faces below this are
# not compared: a false "face" on a poster would only add noise to every comparison.
MIN_DETECTION_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class FaceModel:
    detector: Any
    shape: Any
    encoder: Any


def available() -> bool:
    return (
        importlib.util.find_spec("dlib") is not None
        and importlib.util.find_spec("face_recognition_models") is not None
    )


@cache
def face_model() -> FaceModel:
    """The dlib models; ``RuntimeError`` when the optional packages are missing."""
    if not available():
        raise RuntimeError(
            "face matching needs the optional packages dlib-bin and face_recognition_models"
        )
    import dlib

    spec = importlib.util.find_spec("face_recognition_models")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0]) / "models"
    return FaceModel(
        dlib.get_frontal_face_detector(),
        dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat")),
    )


def embed_array(
    image: Any, *, upsample: int = 1, whole_image: bool = False
) -> list[tuple[float, ...]]:
    """128-d embeddings of the faces in an RGB ``uint8`` array (H x W x 3). ``whole_image``
    skips detection and treats the picture as one face crop (tight crops are too small for
    the detector)."""
    import dlib
    import numpy as np

    model = face_model()
    pixels = np.ascontiguousarray(image, dtype=np.uint8)
    if whole_image:
        boxes = [dlib.rectangle(0, 0, pixels.shape[1] - 1, pixels.shape[0] - 1)]
    else:
        boxes = list(model.detector.run(pixels, upsample, MIN_DETECTION_SCORE)[0])
    out = []
    for box in boxes:
        shape = model.shape(pixels, box)
        out.append(tuple(float(x) for x in model.encoder.compute_face_descriptor(pixels, shape)))
    return out


def embed_file(path: str | Path) -> list[tuple[float, ...]]:
    """Embeddings of the faces in a picture file; empty when unreadable or faceless."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img = img.convert("RGB")
            if max(img.size) > _MAX_SIDE:
                img.thumbnail((_MAX_SIDE, _MAX_SIDE))
            pixels = np.asarray(img)
    except (OSError, UnidentifiedImageError, ValueError):
        return []
    return embed_array(pixels)
