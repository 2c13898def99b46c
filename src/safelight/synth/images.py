"""Small generated photos: one look per person, re-cropped and recompressed across ads.

No real photos: each "photo" is a 96x96 picture drawn with Pillow from a seed derived from the
corpus seed, the owner (a person or a network's stock image) and the photo number — a
two-colour gradient and a few large shapes in the owner's palette, then smaller details in any
colour, so pictures of different owners differ in their structure (far apart in pHash:
no pair of different owners within 6 bits among 15,000 photos, 32 pairs without the details)
while variants of one photo (a crop of up to 10% per side, a resize, a different JPEG
quality, a slight brightness change) stay close. Each variant is written once, under a name
that reveals nothing about its owner: ``images/<16 hex>.jpg``; ads refer to it by that
relative path.
"""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance

__all__ = ["ImageBank", "VARIANTS", "draw_photo", "variant"]

SIZE = 96
VARIANTS = 4  # variant 0 is the photo as first posted


def _rgb(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def draw_photo(seed: int, owner: str, photo: int) -> Image.Image:
    """The base picture of ``owner``'s photo number ``photo``: palette from the owner, layout
    from the owner and the photo."""
    palette_rng = random.Random(f"{seed}:{owner}:palette")
    palette = [_rgb(palette_rng) for _ in range(4)]
    rng = random.Random(f"{seed}:{owner}:{photo}")
    top, bottom = palette[0], palette[1]
    column = Image.new("RGB", (1, SIZE))
    column.putdata(
        [
            tuple(int(top[i] * (1 - y / (SIZE - 1)) + bottom[i] * y / (SIZE - 1)) for i in range(3))
            for y in range(SIZE)
        ]
    )
    img = column.resize((SIZE, SIZE), Image.Resampling.NEAREST)
    img = img.rotate(90 * palette_rng.randrange(4))  # gradient direction is the owner's
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 5)):
        x0, y0 = rng.randrange(-20, SIZE - 20), rng.randrange(-20, SIZE - 20)
        w, h = rng.randrange(36, 84), rng.randrange(36, 84)
        colour = rng.choice(palette[2:] + [_rgb(rng)])
        kind = rng.randrange(3)
        if kind == 0:
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=colour)
        elif kind == 1:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
        else:
            draw.polygon([(x0, y0 + h), (x0 + w // 2, y0), (x0 + w, y0 + h)], fill=colour)
    # Smaller details in any colour. Without them, a gradient and a few large shapes leave too
    # little structure: different owners' pHashes crowd together (about 1 cross-owner pair in
    # 3.5 million within 6 bits, where random 64-bit hashes give 1 in 10^11), so a large corpus
    # links unrelated persons by chance photo matches.
    for _ in range(rng.randint(6, 10)):
        x0, y0 = rng.randrange(-8, SIZE - 8), rng.randrange(-8, SIZE - 8)
        w, h = rng.randrange(14, 36), rng.randrange(14, 36)
        colour = _rgb(rng)
        if rng.randrange(2):
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=colour)
        else:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
    return img


def variant(base: Image.Image, seed: int, owner: str, photo: int, k: int) -> bytes:
    """JPEG bytes of variant ``k`` of a photo (0 = as drawn, quality 88)."""
    if k == 0:
        buf = io.BytesIO()
        base.save(buf, "JPEG", quality=88)
        return buf.getvalue()
    rng = random.Random(f"{seed}:{owner}:{photo}:{k}")
    img = base
    left, top = rng.randint(0, 3), rng.randint(0, 3)
    right, bottom = SIZE - rng.randint(0, 3), SIZE - rng.randint(0, 3)
    img = img.crop((left, top, right, bottom))
    side = rng.choice((80, 96, 112, 128))
    img = img.resize((side, side), Image.Resampling.BILINEAR)
    if rng.random() < 0.5:
        img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.85, 1.15))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(55, 92))
    return buf.getvalue()


class ImageBank:
    """Writes each (owner, photo, variant) once under ``out/images/`` and returns its relative
    path. The first time a photo is used all its variants are written (the photo is drawn
    once), so a few variant files may be referenced by no ad. With ``enabled=False`` nothing
    is drawn."""

    def __init__(self, out: Path, seed: int, enabled: bool = True) -> None:
        self.dir = out / "images"
        self.seed = seed
        self.enabled = enabled
        self.written: set[str] = set()
        if enabled:
            self.dir.mkdir(parents=True, exist_ok=True)

    def name(self, owner: str, photo: int, k: int) -> str:
        digest = hashlib.sha1(f"{self.seed}|{owner}|{photo}|{k}".encode()).hexdigest()[:16]
        return f"images/{digest}.jpg"

    def ref(self, owner: str, photo: int, k: int) -> str:
        ref = self.name(owner, photo, k)
        if ref not in self.written:
            base = draw_photo(self.seed, owner, photo)
            for j in range(VARIANTS):
                name = self.name(owner, photo, j)
                self.written.add(name)
                data = variant(base, self.seed, owner, photo, j)
                (self.dir / name.removeprefix("images/")).write_bytes(data)
        return ref
