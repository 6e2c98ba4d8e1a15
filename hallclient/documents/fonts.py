"""Fonts for the printed documents: registered once, lazily; rare characters fall back per character.

WenQuanYi Micro Hei (TrueType outlines, in a .ttc) prints Chinese, Latin and digits. The Han
characters it lacks (CJK Extension A/B and a few others) come from two subsets of Hanazono
Mincho shipped in ``hallclient/resources/fonts/`` (see README there); a fallback font is registered only
when a document first needs it.

Paragraph markup is built here only: `markup` escapes user text and wraps runs of rare
characters in ``<font name=...>``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from hallclient.paths import resource_path

FONT_MAIN = "HallWqyMicroHei"
FONT_FALLBACK_A = "HallHanFallbackA"
FONT_FALLBACK_B = "HallHanFallbackB"
# The UI uses the same family (QFontDatabase.addApplicationFont on MAIN_FONT_FILE).
UI_FONT_FAMILY = "WenQuanYi Micro Hei"
MAIN_FONT_FILE = ("fonts", "wqy-microhei.ttc")


@dataclass(frozen=True)
class _FontFile:
    name: str
    parts: tuple[str, ...]
    subfont_index: int = 0


_MAIN = _FontFile(FONT_MAIN, MAIN_FONT_FILE, 0)
_FALLBACKS = (
    _FontFile(FONT_FALLBACK_A, ("fonts", "HallHanFallbackA.ttf")),
    _FontFile(FONT_FALLBACK_B, ("fonts", "HallHanFallbackB.ttf")),
)

_lock = threading.RLock()
_loaded: dict[str, TTFont | None] = {}  # None: the file is missing or unreadable
_choice_cache: dict[str, str] = {}


class FontMissingError(RuntimeError):
    """The main font file is not where it should be (a broken installation)."""


def _is_han_candidate(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _load(spec: _FontFile) -> TTFont | None:
    with _lock:
        if spec.name in _loaded:
            return _loaded[spec.name]
        _patch_to_unicode_cmap()
        _patch_cjk_line_breaking()
        path = resource_path(*spec.parts)
        font: TTFont | None
        try:
            font = TTFont(spec.name, str(path), subfontIndex=spec.subfont_index)
        except (OSError, ttfonts.TTFError):
            font = None
        if font is not None:
            pdfmetrics.registerFont(font)
        _loaded[spec.name] = font
        return font


def ensure_main_font() -> str:
    """Register the main font (once) and return its reportlab name."""
    if _load(_MAIN) is None:
        raise FontMissingError(f"找不到打印字体文件：{resource_path(*_MAIN.parts)}")
    return FONT_MAIN


def _has_glyph(font: TTFont, ch: str) -> bool:
    return ord(ch) in font.face.charToGlyph


def font_for_char(ch: str) -> str:
    """The registered font that can draw `ch`: the main font, else the first fallback having it.

    A character that no font has is left to the main font (it prints as an empty box but the
    text layer keeps it).
    """
    cached = _choice_cache.get(ch)
    if cached is not None:
        return cached
    main = _load(_MAIN)
    if main is None:
        raise FontMissingError(f"找不到打印字体文件：{resource_path(*_MAIN.parts)}")
    choice = FONT_MAIN
    if not _has_glyph(main, ch) and _is_han_candidate(ch):
        for spec in _FALLBACKS:
            font = _load(spec)
            if font is not None and _has_glyph(font, ch):
                choice = spec.name
                break
    _choice_cache[ch] = choice
    return choice


def font_runs(text: str) -> Iterator[tuple[str, str]]:
    """Split `text` into (font name, run) pieces, each drawable by its font."""
    run: list[str] = []
    current = FONT_MAIN
    for ch in text:
        name = FONT_MAIN if ch.isascii() else font_for_char(ch)
        if name != current and run:
            yield current, "".join(run)
            run = []
        current = name
        run.append(ch)
    if run:
        yield current, "".join(run)


def clean_text(value: object) -> str:
    """User text as printable: str(), control characters dropped, tabs as spaces."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or ch.isprintable() or ch == "\u3000")


def markup(value: object) -> str:
    """Paragraph markup that prints `value` literally, with per-character font fallback."""
    ensure_main_font()
    parts: list[str] = []
    for line_no, line in enumerate(clean_text(value).split("\n")):
        if line_no:
            parts.append("<br/>")
        for name, run in font_runs(line):
            escaped = escape(run)
            parts.append(escaped if name == FONT_MAIN else f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, but with UTF-16BE targets so plane-2 characters extract."""

    def target(value: int) -> str:
        try:
            return chr(value).encode("utf-16-be").hex().upper()
        except (ValueError, UnicodeEncodeError):
            return "FFFD"

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{target(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


# Full-width punctuation that must not start a line (reportlab's list has 、。） but not these).
_CJK_CANNOT_START = "，；：！？》〉」』】〕％～…"


def _patch_cjk_line_breaking() -> None:
    # Both the multi-fragment (paragraph) and the single-word (textsplit) wrappers use the list.
    for module in (paragraph, textsplit):
        current = module.ALL_CANNOT_START
        missing = "".join(ch for ch in _CJK_CANNOT_START if ch not in current)
        if missing:
            module.ALL_CANNOT_START = current + missing


def _patch_to_unicode_cmap() -> None:
    # reportlab writes "<2003E>" for U+2003E, an odd-length hex string that readers reject,
    # so extracted text (copy/paste, search, our tests) loses Extension B characters.
    if getattr(ttfonts.makeToUnicodeCMap, "__module__", "") != __name__:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
