"""A list as a PDF for A4 or US Letter: aisles as headings, a box to tick beside each item."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from fpdf import FPDF

from planner.shopping.build import ShoppingList
from planner.shopping.exports import Line, detail, headed

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 15
BOX_MM = 3.6
INDENT_MM = 7
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
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"Gut Planner shopping list - page {self.page_no()} of {{nb}}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.get_y() > pdf.h - MARGIN_MM - 30:  # keep a heading with its first item
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(0)
    pdf.cell(0, 7, _plain(text), new_x="LMARGIN", new_y="NEXT", border="B")
    pdf.ln(1.5)


ITEM = (10.5, 5.4, 0)  # font size in pt, row height in mm, grey level
MEALS = (8.5, 4.2, 90)


def _line(pdf: FPDF, line: Line) -> None:
    """An item, its box and the meals it is for, kept together on one page when they fit on one."""
    width = pdf.w - MARGIN_MM - _text_left(pdf)
    item = _wrap([("B", line.item), ("", detail(line))], ITEM[0], width)
    meals = _wrap([("I", line.meals)], MEALS[0], width) if line.meals else []
    if pdf.will_page_break(len(item) * ITEM[1] + len(meals) * MEALS[1]) and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_draw_color(60)
    pdf.rect(MARGIN_MM, top + 0.9, BOX_MM, BOX_MM)
    if line.checked:
        pdf.line(MARGIN_MM + 0.6, top + 2.9, MARGIN_MM + 1.5, top + 4.0)
        pdf.line(MARGIN_MM + 1.5, top + 4.0, MARGIN_MM + 3.2, top + 1.2)
    _rows(pdf, item, *ITEM)
    _rows(pdf, meals, *MEALS)
    pdf.ln(1.2)


def _text_left(pdf: FPDF) -> float:
    return MARGIN_MM + INDENT_MM + pdf.c_margin  # beside the box, where wrapped lines line up


def _rows(pdf: FPDF, rows: list[list[Run]], size: float, height: float, grey: int) -> None:
    """Wrapped rows of styled text. Placed with text(), which costs a fraction of cell(), so page
    breaks are made here (a list longer than a page breaks between its rows)."""
    pdf.set_text_color(grey)
    for row in rows:
        if pdf.will_page_break(height):
            pdf.add_page()
        x, baseline = _text_left(pdf), pdf.get_y() + height / 2 + 0.3 * size / pdf.k  # where cell() puts it
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
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM + 5)
    pdf.set_title(_plain(f"Shopping list: {shopping.title}"))
    pdf.set_creator("Gut Planner")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _plain(f"Shopping list: {shopping.title}"), new_x="LMARGIN", new_y="NEXT")
    counts = shopping.counts()
    pdf.set_font("Helvetica", size=9.5)
    pdf.set_text_color(80)
    make = f", {counts['make']} to make at home" if counts["make"] else ""
    pdf.cell(0, 6, f"{counts['to_buy']} to buy{make}, {counts['pantry']} to check in the pantry", new_x="LMARGIN",
             new_y="NEXT")
    for heading, line in headed(shopping):
        if heading:
            _heading(pdf, heading)
        _line(pdf, line)
    return bytes(pdf.output())
