"""A list as a PDF for A4 or US Letter: aisles as headings, a box to tick beside each item, in two
columns."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from fpdf import FPDF

from planner.shopping.build import ShoppingList
from planner.shopping.exports import Line, detail, headed

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 15  # a heading across the page (_heading) is shared with the diary's report
LIST_MARGIN_MM = 10
COLUMNS = 2  # a family's week on two pages
GUTTER_MM = 6
BOX_MM = 2.8
INDENT_MM = 4.5  # from a column's edge to its text, beside the box
HEADING_PT, HEADING_MM = 9.5, 5.5
Run = tuple[str, str]  # font style ("", "B", "I"), text
# The PDF's built-in fonts cover Latin-1 only; these read well in place of the rest (a phone
# keyboard's curly apostrophe among them).
_PLAIN = str.maketrans({"≈": "~", "—": "-", "–": "-", "·": "-", "½": "1/2", "¼": "1/4", "¾": "3/4",
                        "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "€": "EUR", "•": "-"})
_LATIN_1 = bytes([*range(32, 127), *range(160, 256)]).decode("latin-1")


def _plain(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", errors="replace").decode("latin-1")


@functools.cache
def _char_widths(style: str, size: float) -> dict[str, float]:
    """Helvetica's width in mm of every character _plain lets through."""
    pdf = FPDF()
    pdf.set_font("Helvetica", style, size)
    return {char: pdf.get_string_width(char) for char in _LATIN_1}


@functools.lru_cache(maxsize=8192)  # words and meal names recur all down a list
def _width(style: str, size: float, text: str) -> float:
    """The width of `text` in mm. The built-in fonts have no kerning, so it is the sum of its
    characters: fpdf measures a line again for every character it adds while wrapping, and copies
    its graphics state for each measurement, which made a long list take a fifth of a second."""
    widths = _char_widths(style, size)
    return sum(widths.get(char, widths["?"]) for char in text)


class _ListPDF(FPDF):
    """Pages of COLUMNS columns, filled top to bottom, left to right."""
    column = 0
    columns_top = float(LIST_MARGIN_MM)  # where columns start on this page (below the title on the first)

    @property
    def column_width(self) -> float:
        return (self.w - 2 * LIST_MARGIN_MM - GUTTER_MM * (COLUMNS - 1)) / COLUMNS

    @property
    def column_left(self) -> float:
        return LIST_MARGIN_MM + self.column * (self.column_width + GUTTER_MM)

    def room(self, height: float) -> None:
        """Go on to the next column (or page) unless `height` fits below in this one."""
        if self.get_y() + height <= self.page_break_trigger or self.get_y() <= self.columns_top + 0.01:
            return
        if self.column < COLUMNS - 1:
            self.column += 1
        else:
            self.add_page()
            self.column, self.columns_top = 0, self.t_margin
        self.set_y(self.columns_top)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(110)
        self.cell(0, 4, f"Gut Planner shopping list - page {self.page_no()} of {{nb}}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    """A heading across the page, kept with what follows it."""
    if pdf.get_y() > pdf.h - MARGIN_MM - 30:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(0)
    pdf.cell(0, 7, _plain(text), new_x="LMARGIN", new_y="NEXT", border="B")
    pdf.ln(1.5)


def _column_heading(pdf: _ListPDF, text: str) -> None:
    pdf.room(HEADING_MM + ITEM[1] + MEALS[1])  # keep a heading with its first item
    top = pdf.get_y() + (1.5 if pdf.get_y() > pdf.columns_top + 0.01 else 0)
    pdf.set_font("Helvetica", "B", HEADING_PT)
    pdf.set_text_color(0)
    pdf.text(pdf.column_left, top + HEADING_MM - 1.6, _plain(text))
    pdf.set_draw_color(60)
    pdf.line(pdf.column_left, top + HEADING_MM - 0.6, pdf.column_left + pdf.column_width, top + HEADING_MM - 0.6)
    pdf.set_y(top + HEADING_MM + 0.4)


ITEM = (8.5, 3.9, 0)  # font size in pt, row height in mm, grey level
MEALS = (6.8, 2.9, 90)


def _line(pdf: _ListPDF, line: Line) -> None:
    """An item, its box and the meals it is for, kept together in one column when they fit in one."""
    width = pdf.column_width - INDENT_MM
    item = _wrap([("B", line.item), ("", detail(line))], ITEM[0], width)
    meals = _wrap([("I", line.meals)], MEALS[0], width) if line.meals else []
    pdf.room(len(item) * ITEM[1] + len(meals) * MEALS[1])
    top, left = pdf.get_y(), pdf.column_left
    pdf.set_draw_color(60)
    pdf.rect(left, top + 0.5, BOX_MM, BOX_MM)
    if line.checked:
        pdf.line(left + 0.5, top + 2.2, left + 1.3, top + 3.1)
        pdf.line(left + 1.3, top + 3.1, left + 2.7, top + 0.8)
    _rows(pdf, item, *ITEM)
    _rows(pdf, meals, *MEALS)
    pdf.ln(0.9)


def _rows(pdf: _ListPDF, rows: list[list[Run]], size: float, height: float, grey: int) -> None:
    """Wrapped rows of styled text. Placed with text(), which costs a fraction of cell(), so column
    and page breaks are made here (an item longer than a column breaks between its rows)."""
    pdf.set_text_color(grey)
    for row in rows:
        pdf.room(height)
        x, baseline = pdf.column_left + INDENT_MM, pdf.get_y() + height / 2 + 0.3 * size / pdf.k
        for style, text in row:
            pdf.set_font("Helvetica", style, size)
            pdf.text(x, baseline, text)
            x += _width(style, size, text)
        pdf.ln(height)


def _wrap(runs: list[Run], size: float, width: float) -> list[list[Run]]:
    """Rows of (style, text) no wider than `width`, broken after a word's spaces."""
    rows: list[list[Run]] = [[]]
    used = 0.0
    for style, text in runs:
        for word in _words(style, size, _plain(text), width):
            if used and used + _width(style, size, word.rstrip()) > width:
                rows.append([])
                used, word = 0.0, word.lstrip()
            row = rows[-1]
            if row and row[-1][0] == style:
                row[-1] = (style, row[-1][1] + word)
            else:
                row.append((style, word))
            used += _width(style, size, word)
    return rows


def _words(style: str, size: float, text: str, width: float) -> Iterator[str]:
    """Each word with the spaces around it; a word wider than the line comes in pieces that fit."""
    for word in re.findall(r"\s*\S+\s*|\s+", text):
        while len(word) > 1 and _width(style, size, word.strip()) > width:
            cut = max(n for n in range(1, len(word)) if n == 1 or _width(style, size, word[:n]) <= width)
            yield word[:cut]
            word = word[cut:]
        yield word


def to_pdf(shopping: ShoppingList, paper: str = "a4") -> bytes:
    pdf = _ListPDF(format=PAPERS[paper])
    pdf.set_margins(LIST_MARGIN_MM, LIST_MARGIN_MM, LIST_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=LIST_MARGIN_MM + 4)
    pdf.set_title(_plain(f"Shopping list: {shopping.title}"))
    pdf.set_creator("Gut Planner")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 6.5, _plain(f"Shopping list: {shopping.title}"), new_x="LMARGIN", new_y="NEXT")
    counts = shopping.counts()
    pdf.set_font("Helvetica", size=8.5)
    pdf.set_text_color(80)
    make = f", {counts['make']} to make at home" if counts["make"] else ""
    pdf.cell(0, 5, f"{counts['to_buy']} to buy{make}, {counts['pantry']} to check in the pantry", new_x="LMARGIN",
             new_y="NEXT")
    pdf.columns_top = pdf.get_y() + 1
    pdf.set_y(pdf.columns_top)
    for heading, line in headed(shopping):
        if heading:
            _column_heading(pdf, heading)
        _line(pdf, line)
    return bytes(pdf.output())
