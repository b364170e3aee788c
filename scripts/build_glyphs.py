"""Write the map label glyphs (`static/glyphs/<font>/<range>.pbf`) from a TrueType font.

MapLibre, which draws our maps, writes labels with signed-distance-field glyphs fetched from a
glyph server; the usual ones are online. These files let the app serve them itself (Streamlit
static serving) and the exports read them from a local server: labels with no network.

Usage: `python scripts/build_glyphs.py [FONT.ttf]` (default: Debian's DejaVu Sans,
`apt-get install fonts-dejavu-core`); `make glyphs` runs it. Only Pillow and numpy are needed.
The glyph format is MapLibre's: 24 px glyphs, a 3 px buffer, an 8 px distance radius with a 0.25
cutoff (the values of Mapbox's TinySDF), in the protocol buffer of the glyph specification.
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "glyphs"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_NAME = "DejaVu Sans Book"  # the font stack name maps ask for (figures.LABEL_FONT)
# the characters of French (and English) labels: printable Latin-1, Œ œ Ÿ, typographic
# punctuation (’ ‘ “ ” – — … •); DejaVu Sans has them all
CHARS = [*range(32, 127), *range(160, 256), 338, 339, 376, 8211, 8212, 8216, 8217, 8220, 8221,
         8226, 8230]
RANGES = sorted({c // 256 * 256 for c in CHARS})
SIZE, BUFFER, RADIUS, CUTOFF = 24, 3, 8, 0.25
INF = 1e20


def _edt(grid: np.ndarray) -> np.ndarray:
    """Squared Euclidean distance transform, exact, by two separable 1-D passes."""
    h, w = grid.shape
    ys, xs = np.arange(h), np.arange(w)
    cols = ((ys[:, None] - ys[None, :]) ** 2)[:, :, None] + grid[None, :, :]  # (y, y', x)
    step = cols.min(axis=1)
    rows = ((xs[:, None] - xs[None, :]) ** 2)[None, :, :] + step[:, None, :]  # (y, x, x')
    return rows.min(axis=2)


def sdf(alpha: np.ndarray) -> np.ndarray:
    """TinySDF's encoding of an anti-aliased glyph image (alpha in 0..1) as bytes."""
    outer = np.where(alpha >= 1, 0, np.where(alpha <= 0, INF, np.maximum(0, 0.5 - alpha) ** 2))
    inner = np.where(alpha >= 1, INF, np.where(alpha <= 0, 0, np.maximum(0, alpha - 0.5) ** 2))
    dist = np.sqrt(_edt(outer)) - np.sqrt(_edt(inner))
    return np.clip(np.round(255 - 255 * (dist / RADIUS + CUTOFF)), 0, 255).astype(np.uint8)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, value) -> bytes:
    """One protocol buffer field: bytes/str as length-delimited, int as varint (zigzag for the
    signed `left` and `top`, passed as negative-capable ints with number 5 or 6)."""
    if isinstance(value, (bytes, str)):
        data = value.encode() if isinstance(value, str) else value
        return _varint(number << 3 | 2) + _varint(len(data)) + data
    if number in (5, 6):  # sint32
        value = (value << 1) ^ (value >> 31)
    return _varint(number << 3) + _varint(value)


def glyph(font: ImageFont.FreeTypeFont, ascender: int, code: int) -> bytes:
    """One glyph message."""
    char = chr(code)
    advance = round(font.getlength(char))
    x0, y0, x1, y1 = font.getbbox(char, anchor="ls")  # relative to the pen on the baseline
    width, height = max(0, x1 - x0), max(0, y1 - y0)
    fields = [_field(1, code)]
    if width and height:
        image = Image.new("L", (width + 2 * BUFFER, height + 2 * BUFFER), 0)
        ImageDraw.Draw(image).text((BUFFER - x0, BUFFER - y0), char, font=font, fill=255,
                                   anchor="ls")
        fields.append(_field(2, sdf(np.asarray(image, dtype=float) / 255).tobytes()))
    fields += [_field(3, width), _field(4, height), _field(5, x0), _field(6, -y0 - ascender),
               _field(7, advance)]
    return b"".join(fields)


def glyph_range(font: ImageFont.FreeTypeFont, start: int) -> bytes:
    """The file for characters start..start+255."""
    ascender = font.getmetrics()[0]
    glyphs = [glyph(font, ascender, code) for code in CHARS if start <= code < start + 256]
    stack = _field(1, FONT_NAME) + _field(2, f"{start}-{start + 255}") + b"".join(
        _field(3, g) for g in glyphs)
    return _field(1, stack)


def main(argv: list[str]) -> int:
    font_path = Path(argv[0]) if argv else FONT
    if not font_path.exists():
        print(f"Police introuvable : {font_path} (apt-get install fonts-dejavu-core)")
        return 1
    font = ImageFont.truetype(str(font_path), SIZE, layout_engine=ImageFont.Layout.BASIC)
    target = OUT / FONT_NAME
    target.mkdir(parents=True, exist_ok=True)
    for start in RANGES:
        path = target / f"{start}-{start + 255}.pbf"
        path.write_bytes(glyph_range(font, start))
        print(f"{path.relative_to(ROOT)} : {path.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
