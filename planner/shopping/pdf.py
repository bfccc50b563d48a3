"""A list as a PDF for A4 or US Letter: aisles as headings, a box to tick beside each item."""
from __future__ import annotations

from fpdf import FPDF

from planner.shopping.build import ShoppingList
from planner.shopping.exports import Line, detail, headed

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 15
BOX_MM = 3.6
INDENT_MM = 7
# The PDF's built-in fonts cover Windows-1252; these read well in their place.
_PLAIN = str.maketrans({"≈": "~", "—": "-", "–": "-", "·": "-", "½": "1/2", "¼": "1/4", "¾": "3/4"})


def _plain(text: str) -> str:
    return text.translate(_PLAIN).encode("cp1252", errors="replace").decode("cp1252")


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


def _line(pdf: FPDF, line: Line) -> None:
    if pdf.get_y() > pdf.h - MARGIN_MM - 16:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_draw_color(60)
    pdf.rect(MARGIN_MM, top + 0.9, BOX_MM, BOX_MM)
    if line.checked:
        pdf.line(MARGIN_MM + 0.6, top + 2.9, MARGIN_MM + 1.5, top + 4.0)
        pdf.line(MARGIN_MM + 1.5, top + 4.0, MARGIN_MM + 3.2, top + 1.2)
    pdf.set_left_margin(MARGIN_MM + INDENT_MM)  # wrapped lines stay beside the box
    pdf.set_x(MARGIN_MM + INDENT_MM)
    pdf.set_text_color(0)
    pdf.set_font("Helvetica", "B", 10.5)
    pdf.write(5.4, _plain(line.item))
    pdf.set_font("Helvetica", size=10.5)
    pdf.write(5.4, _plain(detail(line)))
    pdf.ln(5.4)
    if line.meals:
        pdf.set_font("Helvetica", "I", 8.5)
        pdf.set_text_color(90)
        pdf.write(4.2, _plain(line.meals))
        pdf.ln(4.2)
    pdf.set_left_margin(MARGIN_MM)
    pdf.ln(1.2)


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
    pdf.cell(0, 6, f"{counts['to_buy']} to buy, {counts['pantry']} to check in the pantry", new_x="LMARGIN",
             new_y="NEXT")
    for heading, line in headed(shopping):
        if heading:
            _heading(pdf, heading)
        _line(pdf, line)
    return bytes(pdf.output())
