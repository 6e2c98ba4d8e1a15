"""Rebuild the rare-character fallback fonts shipped beside this script.

The fallback fonts are subsets of Hanazono Mincho (HanaMinA/HanaMinB, GlyphWiki Project,
Debian package ``fonts-hanazono``), taken under the Hanazono Font License (see
LICENSE-hanazono.txt) and renamed so they cannot be mistaken for the original fonts.
They carry only the Han characters that WenQuanYi Micro Hei lacks:

- HallHanFallbackA.ttf: from HanaMinA, every Han character missing from WenQuanYi
  (CJK Extension A, the few unified ideographs added after Unicode 4.1, the compatibility
  ideographs, and the commonly used Extension B-F characters HanaMinA carries).
- HallHanFallbackB.ttf: from HanaMinB, the rest of CJK Extension B.

Usage (needs ``fonttools`` and ``fonts-hanazono``; not needed at run time)::

    python hallclient/resources/fonts/build_fallback_fonts.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")
EXT_B = range(0x20000, 0x2A6E0)


def _is_han(cp: int) -> bool:
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _rename(font: TTFont, family: str) -> None:
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            name.removeNames(nameID=rec.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName("Regular", 2, 3, 1, 0x409)
    name.setName(f"{family}-Regular-subset", 3, 3, 1, 0x409)
    name.setName(family, 4, 3, 1, 0x409)
    name.setName(family, 6, 3, 1, 0x409)


def _build(src: Path, dst: Path, family: str, wanted: set[int]) -> int:
    font = TTFont(src)
    codepoints = sorted(cp for cp in font.getBestCmap() if cp in wanted)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    _rename(font, family)
    font.save(dst)
    return len(codepoints)


def main() -> None:
    wqy = TTCollection(str(HERE / "wqy-microhei.ttc")).fonts[0].getBestCmap()
    font_a = TTFont(HANAZONO / "HanaMinA.ttf", lazy=True).getBestCmap()
    font_b = TTFont(HANAZONO / "HanaMinB.ttf", lazy=True).getBestCmap()
    wanted_a = {cp for cp in font_a if _is_han(cp) and cp not in wqy}
    wanted_b = {cp for cp in font_b if cp in EXT_B and cp not in wqy and cp not in wanted_a}
    n_a = _build(HANAZONO / "HanaMinA.ttf", HERE / "HallHanFallbackA.ttf", "HallHanFallbackA", wanted_a)
    n_b = _build(HANAZONO / "HanaMinB.ttf", HERE / "HallHanFallbackB.ttf", "HallHanFallbackB", wanted_b)
    print(f"HallHanFallbackA.ttf: {n_a} characters; HallHanFallbackB.ttf: {n_b} characters")


if __name__ == "__main__":
    main()
