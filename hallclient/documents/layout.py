"""The page machinery shared by every A4 document: styles, page decoration, rendering.

A document is a list of sections (a copy of a notice, one commitment letter…), each starting on
a new page and numbered on its own: "第 N 页 共 M 页" on every page of a section with more than
one page. Every page carries the document title and case number at the foot, and a reprint
carries a 补打 mark on every page.

A signature and seal block never stands alone on a page (a seal over nothing invites forgery):
a section ends with a `Closing`, and where the first layout puts the block at the top of a
page, the section is laid out again with the last rows of the table before it kept with it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus.doctemplate import LayoutError

from hallclient.documents.fonts import ensure_main_font, font_runs, markup

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GREY = colors.Color(0.45, 0.45, 0.45)
REPRINT_RED = colors.Color(0.72, 0.05, 0.05)


# --- text helpers -----------------------------------------------------------------------------


class Raw(str):
    """Markup written by this package (trusted), as opposed to user text."""


def text(*pieces: object) -> str:
    """Paragraph markup from pieces: `Raw` is kept, everything else is user text (escaped)."""
    return "".join(p if isinstance(p, Raw) else markup(p) for p in pieces)


def filled(value: object, blank: str = "        ") -> Raw:
    """A filled-in value in running text, underlined like a completed form."""
    shown = markup(value) if str(value or "").strip() else blank.replace(" ", "&nbsp;")
    return Raw(f"<u>&nbsp;{shown}&nbsp;</u>")


def cn_date(value: date | None) -> str:
    if value is None:
        return "____年__月__日"
    return f"{value.year}年{value.month}月{value.day}日"


def days_text(days: int | None) -> str:
    if days is None:
        return "—"
    if days == 0:
        return "即办（当场办结）"
    return f"{days} 个工作日"


def draw_runs(
    canv: Canvas,
    x: float,
    y: float,
    value: str,
    size: float,
    *,
    anchor: str = "left",
    char_space: float = 0.0,
    bold: bool = False,
    color: colors.Color = colors.black,
) -> float:
    """Draw one line of text with per-character font fallback; returns its width."""
    runs = list(font_runs(value))
    width = sum(stringWidth(run, name, size) for name, run in runs)
    width += char_space * max(0, len(value) - 1)
    if anchor == "center":
        x -= width / 2
    elif anchor == "right":
        x -= width
    canv.saveState()
    canv.setFillColor(color)
    canv.setStrokeColor(color)
    obj = canv.beginText(x, y)
    obj.setCharSpace(char_space)
    if bold:  # WenQuanYi has no bold face: fill and stroke the outline
        canv.setLineWidth(size / 40)
        obj.setTextRenderMode(2)
    for name, run in runs:
        obj.setFont(name, size)
        obj.textOut(run)
    canv.drawText(obj)
    canv.restoreState()
    return width


# --- styles -----------------------------------------------------------------------------------


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    font = ensure_main_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")

    def make(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "authority": make("authority", fontSize=15, leading=21, alignment=TA_CENTER),
        "number": make("number", fontSize=10.5, leading=15, alignment=TA_RIGHT),
        "body": make("body", fontSize=10.5, leading=16, firstLineIndent=21, spaceAfter=1.5),
        "salute": make("salute", spaceBefore=4, spaceAfter=2),
        "section": make("section", fontSize=11.5, leading=15, spaceBefore=3.5, spaceAfter=2),
        "note": make("note", fontSize=10, leading=15, spaceBefore=1),
        "after_table": make("after_table", fontSize=10, leading=14.5, spaceBefore=3),
        "small": make("small", fontSize=9, leading=13),
        "fine": make("fine", fontSize=8.5, leading=11.5),
        "cell": make("cell", fontSize=9, leading=11.5),
        "cell_center": make("cell_center", fontSize=9, leading=11.5, alignment=TA_CENTER),
        "cell_label": make("cell_label", fontSize=9, leading=11.5),
        "head": make("head", fontSize=9, leading=11.5, alignment=TA_CENTER),
        "sign": make("sign", fontSize=10.5, leading=20),
        "sign_right": make("sign_right", fontSize=11, leading=20, alignment=TA_RIGHT),
        "seal_line": make("seal_line", fontSize=11, leading=15, alignment=TA_CENTER),
        "qr_caption": make("qr_caption", fontSize=8, leading=10, alignment=TA_CENTER),
        "seal": make("seal", fontSize=7.5, leading=10, alignment=TA_CENTER, textColor=GREY),
        "left": make("left", alignment=TA_LEFT),
    }


def para(style: str, *pieces: object) -> Paragraph:
    return Paragraph(text(*pieces), styles()[style])


# --- flowables --------------------------------------------------------------------------------


class TitleLine(Flowable):
    """The document title: large, spaced, drawn bold."""

    def __init__(self, title: str, size: float = 20, space_after: float = 1.5 * mm) -> None:
        super().__init__()
        self.title = title
        self.size = size
        self.space_after = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.size * 1.3 + self.space_after

    def draw(self) -> None:
        draw_runs(
            self.canv,
            self.width / 2,
            self.space_after + self.size * 0.3,
            self.title,
            self.size,
            anchor="center",
            char_space=self.size * 0.25,
            bold=True,
        )


class ClosingMark(Flowable):
    """Zero-size marker at the top of a signature/seal block: records where it landed."""

    def __init__(self, section: int) -> None:
        super().__init__()
        self.section = section

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        # Containers (KeepTogether…) draw their content in translated coordinates.
        matrix = getattr(canvas, "_currentMatrix", (1, 0, 0, 1, 0, 0))
        marks = canvas.__dict__.setdefault("_hall_closings", [])
        marks.append((self.section, matrix[1] * x + matrix[3] * y + matrix[5]))

    def draw(self) -> None:
        pass


@dataclass
class Closing:
    """The end of a section: `build(keep_tail, mark)` gives its flowables; with `keep_tail` the
    last rows of the table before the signature block are kept with it. `mark` goes first in
    the signature block."""

    build: Callable[[bool, Flowable], list[Flowable]]


class SectionStart(Flowable):
    """Zero-size marker: the pages from here on belong to a new section (copy label)."""

    def __init__(self, index: int, label: str) -> None:
        super().__init__()
        self.index = index
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv._hall_section = (self.index, self.label)  # type: ignore[attr-defined]


# --- the page decoration and the numbered canvas ----------------------------------------------


@dataclass(frozen=True)
class PageMeta:
    title: str
    case_number: str
    reprint: bool = False
    footer_note: str = ""


class _PagedCanvas(Canvas):
    """Defers decoration to save(), when every section's page count is known."""

    def __init__(self, *args: Any, meta: PageMeta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._meta = meta
        self._hall_section: tuple[int, str] = (0, "")
        self._pages: list[tuple[dict[str, Any], tuple[int, str]]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append((dict(self.__dict__), self._hall_section))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for _state, (index, _label) in self._pages:
            totals[index] = totals.get(index, 0) + 1
        seen: dict[int, int] = {}
        for state, (index, label) in self._pages:
            self.__dict__.update(state)
            seen[index] = seen.get(index, 0) + 1
            self._decorate(seen[index], totals[index], label)
            Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(self, page: int, total: int, label: str) -> None:
        meta = self._meta
        foot_y = MARGIN_BOTTOM - 9 * mm
        self.setStrokeColor(GREY)
        self.setLineWidth(0.4)
        self.line(MARGIN_X, foot_y + 4.2 * mm, PAGE_WIDTH - MARGIN_X, foot_y + 4.2 * mm)
        draw_runs(self, MARGIN_X, foot_y, f"{meta.title}  编号：{meta.case_number}", 8, color=GREY)
        if total > 1:
            draw_runs(self, PAGE_WIDTH / 2, foot_y, f"第 {page} 页 共 {total} 页", 9, anchor="center")
        if meta.footer_note:
            draw_runs(self, PAGE_WIDTH - MARGIN_X, foot_y, meta.footer_note, 8, anchor="right", color=GREY)
        top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
        if label:
            draw_runs(self, PAGE_WIDTH - MARGIN_X, top, label, 10, anchor="right")
        if meta.reprint:
            self._reprint_mark()

    def _reprint_mark(self) -> None:
        w, h = 22 * mm, 9 * mm
        x, y = MARGIN_X, PAGE_HEIGHT - MARGIN_TOP + 1.5 * mm
        self.saveState()
        self.setStrokeColor(REPRINT_RED)
        self.setLineWidth(1.2)
        self.rect(x, y, w, h)
        self.setLineWidth(0.5)
        self.rect(x + 0.9 * mm, y + 0.9 * mm, w - 1.8 * mm, h - 1.8 * mm)
        self.restoreState()
        draw_runs(self, x + w / 2, y + 2.6 * mm, "补打", 13, anchor="center",
                  char_space=4, bold=True, color=REPRINT_RED)


# --- rendering --------------------------------------------------------------------------------


@dataclass
class Section:
    story: list[Flowable | Closing]
    label: str = ""  # e.g. 第一联 申请人联


def render_sections(
    make: Callable[[], Sequence[Section]], meta: PageMeta, *, author: str = ""
) -> bytes:
    """Render the sections `make` returns; if a table row is taller than a page (a pathological
    text typed by someone), build them again allowing rows to split across pages.

    Rows are not split by default: reportlab then leaves a stray repeated header at a page foot.
    A section whose signature block landed alone at the top of a page is laid out again with
    the last table rows kept with the block.
    """
    split_rows = False

    def attempt(keep_tail: frozenset[int]) -> tuple[bytes, set[int]]:
        nonlocal split_rows
        if not split_rows:
            try:
                return _render(make(), meta, author=author, keep_tail=keep_tail)
            except LayoutError:
                split_rows = True
        sections = make()
        for section in sections:
            _allow_row_splits(section.story)
        return _render(sections, meta, author=author, keep_tail=keep_tail)

    data, orphans = attempt(frozenset())
    if orphans:
        data, _ = attempt(frozenset(orphans))
    return data


def _allow_row_splits(flowables: Sequence[object]) -> None:
    for f in flowables:
        if isinstance(f, Table):
            f.splitInRow = 1
            for row in f._cellvalues:
                for cell in row:
                    if isinstance(cell, (list, tuple)):
                        _allow_row_splits(cell)
                    elif isinstance(cell, Flowable):
                        _allow_row_splits([cell])
        elif isinstance(f, KeepTogether):
            _allow_row_splits(f._content)


def render(sections: Sequence[Section], meta: PageMeta, *, author: str = "") -> bytes:
    """Lay out the sections (each from a new page) and return the PDF bytes."""
    return _render(sections, meta, author=author, keep_tail=frozenset())[0]


FRAME_TOP = PAGE_HEIGHT - MARGIN_TOP


def _render(
    sections: Sequence[Section], meta: PageMeta, *, author: str, keep_tail: frozenset[int]
) -> tuple[bytes, set[int]]:
    """The PDF, and the sections whose signature block starts a page (an orphan)."""
    ensure_main_font()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{meta.title} {meta.case_number}",
        author=author,
        creator="hallclient",
        subject=meta.title,
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        if index:
            story.append(PageBreak())
        story.append(SectionStart(index, section.label))
        for part in section.story:
            if isinstance(part, Closing):
                story.extend(part.build(index in keep_tail, ClosingMark(index)))
            else:
                story.append(part)
    canvases: list[_PagedCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _PagedCanvas:
        canvas = _PagedCanvas(*args, meta=meta, **kwargs)
        canvases.append(canvas)
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    orphans = {
        section for canvas in canvases
        for section, y in canvas.__dict__.get("_hall_closings", []) if y >= FRAME_TOP - 0.5
    }
    return buf.getvalue(), orphans
