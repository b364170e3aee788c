"""The map label glyphs shipped in static/: readable files that cover every territory name."""
from pathlib import Path

import pytest

from ess_data import figures
from ess_data.config import ROOT

GLYPHS = ROOT / "static" / "glyphs" / figures.LABEL_FONT


def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        if not byte & 0x80:
            return value, i
        shift += 7


def _fields(data: bytes):
    """(field number, value) of one protocol buffer message (varints and length-delimited)."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        if key & 7 == 0:
            value, i = _varint(data, i)
        elif key & 7 == 2:
            size, i = _varint(data, i)
            value, i = data[i:i + size], i + size
        else:
            raise AssertionError(f"unexpected wire type {key & 7}")
        yield key >> 3, value


def _glyphs(path: Path) -> dict[int, dict]:
    (number, stack), = list(_fields(path.read_bytes()))
    assert number == 1
    parts = list(_fields(stack))
    assert dict(parts[:2]) == {1: figures.LABEL_FONT.encode(), 2: path.stem.encode()}
    out = {}
    for number, glyph in parts[2:]:
        assert number == 3
        fields = dict(_fields(glyph))
        out[fields[1]] = fields
    return out


@pytest.fixture(scope="module")
def glyphs() -> dict[int, dict]:
    found = {}
    for path in sorted(GLYPHS.glob("*.pbf")):
        found.update(_glyphs(path))
    return found


def test_glyph_bitmaps_have_the_size_their_metrics_say(glyphs):
    letter = glyphs[ord("é")]
    assert letter[3] > 5 and letter[4] > 10  # width, height of a 24 px glyph
    for glyph in glyphs.values():
        if 2 in glyph:
            assert len(glyph[2]) == (glyph[3] + 6) * (glyph[4] + 6)  # 3 px buffer each side


def test_every_territory_name_can_be_written(glyphs, real_con):
    names = {n for (n,) in real_con.execute(
        "SELECT name FROM territories WHERE level IN ('region', 'departement', 'epci')"
    ).fetchall()}
    missing = {ch for name in names for ch in name if ord(ch) not in glyphs}
    assert not missing, f"no glyph for {sorted(missing)}: add them to scripts/build_glyphs.py"
