"""A member's diary over a period for their healthcare provider: a day per row (the worst of each
symptom, stool types, habits, foods eaten) and the suspects, as CSV or as an A4 PDF whose first page
charts the symptoms and sleep. Pure Python, no Flask. Days are UTC days, as on the diary's pages."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from fpdf import FPDF
from fpdf.fonts import FontFace

from planner.diary.entries import symptoms
from planner.diary.exchange import Row
from planner.diary.patterns import Patterns, Suspect
from planner.foods.exchange import formula_safe
from planner.shopping.pdf import MARGIN_MM, PAPERS, _heading, _plain

DISCLAIMER = ("General guidance, not a diagnosis. Every gut is different; discuss this with your "
              "healthcare provider.")
NOTHING_YET = "Nothing stands out yet."
SUSPECT_COLUMNS = ("item", "kind", "symptom", "window", "exposures", "with_symptom", "rate_with",
                   "rate_without", "ratio", "low", "high", "flagged")
# Told apart in black and white: each symptom's line has its own dash pattern, marker and grey.
DASHES = ((0.0, 0.0), (2.0, 1.0), (0.6, 0.8), (3.0, 1.0), (1.2, 1.2), (4.0, 1.5))
MARKERS = ("circle", "square", "triangle", "cross", "diamond", "plus")
GREYS = (0, 70, 0, 110, 40, 90)


@dataclass(frozen=True)
class DaySummary:
    day: date
    symptoms: dict[str, float]  # the day's worst severity per symptom key
    sleep: float | None  # hours, added up over the day's entries
    stress: float | None  # the day's highest, 0-10
    movement: float | None  # minutes, added up
    foods: tuple[str, ...]  # names eaten, meals by their title, each once in the order eaten
    stool: tuple[int, ...]  # Bristol types, in order

    @property
    def empty(self) -> bool:
        """Nothing was written in the diary that day."""
        return not (self.symptoms or self.foods or self.stool) and (self.sleep, self.stress, self.movement) == (
            None, None, None)


def day_summaries(rows: Sequence[Row], names: Mapping[str, str], start: date, end: date) -> list[DaySummary]:
    """One summary for every day from start to end, both included; rows outside are ignored."""
    if end < start:
        return []
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    by_day: dict[date, list[Row]] = {day: [] for day in days}
    for row in rows:
        day = row.time.astimezone(UTC).date()
        if day in by_day:
            by_day[day].append(row)
    found = []
    for day in days:
        worst: dict[str, float] = {}
        totals: dict[str, float] = {}
        stress: float | None = None
        foods: dict[str, None] = {}
        stool: list[int] = []
        for row in sorted(by_day[day], key=lambda r: r.time):
            if row.kind == "stool" or (row.kind == "symptom" and row.item == "stool"):
                if row.amount is not None:
                    stool.append(round(row.amount))
            elif row.kind == "symptom":
                severity = row.amount if row.amount is not None else 0.0
                worst[row.item] = max(worst.get(row.item, severity), severity)
            elif row.kind in ("sleep", "movement") and row.amount is not None:
                totals[row.kind] = totals.get(row.kind, 0.0) + row.amount
            elif row.kind == "stress" and row.amount is not None:
                stress = row.amount if stress is None else max(stress, row.amount)
            elif row.kind in ("food", "meal"):
                foods.setdefault(names.get(row.item, row.item), None)
        found.append(DaySummary(day, worst, totals.get("sleep"), stress, totals.get("movement"), tuple(foods),
                                tuple(stool)))
    return found


def _symptom_keys(summaries: Sequence[DaySummary]) -> list[str]:
    """The symptoms the days record, in the symptom list's order, then any others by name."""
    seen = {key for s in summaries for key in s.symptoms}
    listed = [key for key in symptoms().keys if key in seen]
    return listed + sorted(seen - set(listed))


def _label(key: str) -> str:
    return next((s.label for s in symptoms().symptoms if s.key == key), key.replace("-", " "))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def report_csv(member: str, summaries: Sequence[DaySummary], patterns: Patterns,
               tests: Sequence[str] = ()) -> str:
    """A row per day, then a blank line and the suspects (every comparison returned, flagged or not),
    then the member's food tests, a line each."""
    keys = _symptom_keys(summaries)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["member", "date", *keys, "stool", "sleep", "stress", "movement", "foods"])
    for s in summaries:
        writer.writerow([formula_safe(member), s.day.isoformat(), *(_number(s.symptoms.get(k)) for k in keys),
                         " ".join(str(t) for t in s.stool), _number(s.sleep), _number(s.stress),
                         _number(s.movement), formula_safe("; ".join(s.foods))])
    writer.writerow([])
    writer.writerow(SUSPECT_COLUMNS)
    for suspect in patterns.suspects:
        writer.writerow([formula_safe(suspect.item), suspect.kind, formula_safe(suspect.symptom), suspect.window,
                         suspect.exposures, suspect.with_symptom, f"{suspect.rate_with:.3f}",
                         f"{suspect.rate_without:.3f}", f"{suspect.ratio:.2f}", f"{suspect.low:.2f}",
                         f"{suspect.high:.2f}", "yes" if suspect.flagged else "no"])
    if tests:
        writer.writerow([])
        writer.writerow(["food test"])
        writer.writerows([formula_safe(line)] for line in tests)
    return out.getvalue()


# --- the PDF ------------------------------------------------------------------------------------

class _ReportPDF(FPDF):
    member = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 5, _plain(f"Gut Planner diary of {self.member} - page {self.page_no()} of {{nb}}"),
                  align="C")


def _marker(pdf: FPDF, shape: str, x: float, y: float, r: float = 0.9) -> None:
    if shape == "circle":
        pdf.ellipse(x - r, y - r, 2 * r, 2 * r, style="F")
    elif shape == "square":
        pdf.rect(x - r, y - r, 2 * r, 2 * r, style="F")
    elif shape == "triangle":
        pdf.polygon([(x, y - r * 1.2), (x - r * 1.1, y + r), (x + r * 1.1, y + r)], style="F")
    elif shape == "diamond":
        pdf.polygon([(x, y - r * 1.3), (x + r, y), (x, y + r * 1.3), (x - r, y)], style="F")
    elif shape == "cross":
        pdf.line(x - r, y - r, x + r, y + r)
        pdf.line(x - r, y + r, x + r, y - r)
    else:
        pdf.line(x - r, y, x + r, y)
        pdf.line(x, y - r, x, y + r)


def _style(pdf: FPDF, index: int) -> str:
    dash = DASHES[index % len(DASHES)]
    grey = GREYS[index % len(GREYS)]
    pdf.set_draw_color(grey)
    pdf.set_fill_color(grey)
    pdf.set_line_width(0.45)
    pdf.set_dash_pattern(*dash)
    return MARKERS[index % len(MARKERS)]


def _axes(pdf: FPDF, left: float, top: float, width: float, height: float, top_value: float, step: float,
          unit: str, days: Sequence[date]) -> None:
    """A frame with light horizontal guides, the values on the left and some dates below."""
    pdf.set_dash_pattern()
    pdf.set_line_width(0.15)
    pdf.set_font("Helvetica", size=7)
    pdf.set_text_color(60)
    value = 0.0
    while value <= top_value + 1e-9:
        y = top + height - height * value / top_value
        pdf.set_draw_color(200 if value else 0)
        pdf.line(left, y, left + width, y)
        pdf.text(left - 2 - pdf.get_string_width(f"{value:g}"), y + 1, f"{value:g}")
        value += step
    pdf.set_draw_color(0)
    pdf.line(left, top, left, top + height)
    pdf.text(left - 2 - pdf.get_string_width(unit), top - 2, unit)
    if not days:
        return
    every = max(1, -(-len(days) // 8))  # at most about eight dates along the bottom
    for index in range(0, len(days), every):
        x = _x(left, width, index, len(days))
        pdf.line(x, top + height, x, top + height + 1)
        text = days[index].strftime("%d %b")
        pdf.text(x - pdf.get_string_width(text) / 2, top + height + 4, text)


def _x(left: float, width: float, index: int, count: int) -> float:
    return left + width * (index + 0.5) / count


def _symptom_chart(pdf: FPDF, summaries: Sequence[DaySummary], keys: Sequence[str]) -> None:
    left, width, height = MARGIN_MM + 10, pdf.w - 2 * MARGIN_MM - 10, 62.0
    _chart_title(pdf, "Symptoms: the worst severity of each day (0 none - 10 worst)")
    top = pdf.get_y() + 5
    days = [s.day for s in summaries]
    _axes(pdf, left, top, width, height, 10, 2, "severity", days)
    count = len(summaries)
    for index, key in enumerate(keys):
        shape = _style(pdf, index)
        line: list[tuple[float, float]] = []
        for n, s in enumerate(summaries):
            if s.empty:  # nothing written that day: a gap, not a zero
                _polyline(pdf, line)
                line = []
                continue
            point = (_x(left, width, n, count), top + height - height * min(s.symptoms.get(key, 0.0), 10) / 10)
            line.append(point)
        _polyline(pdf, line)
        pdf.set_dash_pattern()
        if count <= 62:  # markers would blur into the line over a longer period
            for n, s in enumerate(summaries):
                if key in s.symptoms:
                    _marker(pdf, shape, _x(left, width, n, count),
                            top + height - height * min(s.symptoms[key], 10) / 10)
    pdf.set_dash_pattern()
    pdf.set_y(top + height + 7)
    _legend(pdf, keys)


def _polyline(pdf: FPDF, points: list[tuple[float, float]]) -> None:
    if len(points) > 1:
        pdf.polyline(points)


def _legend(pdf: FPDF, keys: Sequence[str]) -> None:
    pdf.set_font("Helvetica", size=8.5)
    pdf.set_text_color(0)
    if not keys:
        pdf.cell(0, 5, "No symptoms were recorded in this period.", new_x="LMARGIN", new_y="NEXT")
        return
    x, y = float(MARGIN_MM + 10), pdf.get_y() + 2
    for index, key in enumerate(keys):
        text = _plain(_label(key))
        needed = 14 + pdf.get_string_width(text) + 6
        if x + needed > pdf.w - MARGIN_MM:
            x, y = MARGIN_MM + 10, y + 5
        shape = _style(pdf, index)
        pdf.line(x, y, x + 10, y)
        pdf.set_dash_pattern()
        _marker(pdf, shape, x + 5, y)
        pdf.set_text_color(0)
        pdf.text(x + 12, y + 1.1, text)
        x += needed
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 5)


def _sleep_chart(pdf: FPDF, summaries: Sequence[DaySummary]) -> None:
    hours = [s.sleep for s in summaries]
    longest = max((h for h in hours if h is not None), default=0.0)
    top_value = float(-(-max(12.0, longest) // 4) * 4)  # up to a multiple of 4 hours, at least 12
    left, width, height = MARGIN_MM + 10, pdf.w - 2 * MARGIN_MM - 10, 26.0
    pdf.ln(3)
    _chart_title(pdf, "Sleep: hours each night (no bar: not recorded)")
    top = pdf.get_y() + 5
    _axes(pdf, left, top, width, height, top_value, 4, "hours", [s.day for s in summaries])
    count = len(summaries)
    bar = max(0.3, min(5.0, width / max(count, 1) * 0.6))
    pdf.set_fill_color(120)
    for n, value in enumerate(hours):
        if value:
            tall = height * value / top_value
            pdf.rect(_x(left, width, n, count) - bar / 2, top + height - tall, bar, tall, style="F")
    pdf.set_y(top + height + 8)


def _chart_title(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 10.5)
    pdf.set_text_color(0)
    pdf.cell(0, 6, _plain(text), new_x="LMARGIN", new_y="NEXT")


def _habits(s: DaySummary) -> str:
    parts = []
    if s.sleep is not None:
        parts.append(f"sleep {s.sleep:g} h")
    if s.stress is not None:
        parts.append(f"stress {s.stress:g}/10")
    if s.movement is not None:
        parts.append(f"movement {s.movement:g} min")
    if s.stool:
        parts.append("stool type " + ", ".join(str(t) for t in s.stool))
    return "; ".join(parts)


def _days_table(pdf: FPDF, summaries: Sequence[DaySummary], keys: Sequence[str]) -> None:
    _heading(pdf, "Day by day")
    pdf.set_font("Helvetica", size=8)
    pdf.set_text_color(0)
    pdf.set_draw_color(150)
    pdf.set_line_width(0.15)
    written = [s for s in summaries if not s.empty]
    if not written:
        pdf.multi_cell(0, 5, "Nothing was written in the diary in this period.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_fill_color(255)  # the bars' grey must not fill the table: black text on white prints clearly
    with pdf.table(col_widths=(22, 50, 44, 64), headings_style=FontFace(emphasis="BOLD", fill_color=230),
                   line_height=4, text_align="LEFT", first_row_as_headings=True) as table:
        table.row(["Date", "Symptoms (worst, 0-10)", "Habits", "Foods and meals"])
        for s in written:
            felt = ", ".join(f"{_label(k)} {s.symptoms[k]:g}" for k in keys if k in s.symptoms)
            table.row([s.day.strftime("%d %b %Y"), _plain(felt or "-"), _plain(_habits(s) or "-"),
                       _plain(", ".join(s.foods) or "-")])
    if len(written) < len(summaries):
        pdf.ln(1)
        pdf.set_text_color(90)
        pdf.cell(0, 5, f"{len(summaries) - len(written)} day(s) with nothing written are left out.",
                 new_x="LMARGIN", new_y="NEXT")


def _suspect_line(s: Suspect) -> str:
    return (f"{s.item.replace('-', ' ')} ({s.kind}) - {s.symptom} within {s.window}: followed by it "
            f"{s.with_symptom} of {s.exposures} times ({100 * s.rate_with:.0f} %), otherwise "
            f"{100 * s.rate_without:.0f} %; {s.ratio:.1f} times as often (95 % interval {s.low:.1f}-{s.high:.1f})")


def report_pdf(member: str, start: date, end: date, summaries: Sequence[DaySummary], patterns: Patterns,
               tests: Sequence[str] = ()) -> bytes:
    pdf = _ReportPDF(format=PAPERS["a4"])
    pdf.member = member
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM + 5)
    title = f"Food and symptom diary: {member}"
    pdf.set_title(_plain(title))
    pdf.set_creator("Gut Planner")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _plain(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9.5)
    pdf.set_text_color(80)
    written = sum(1 for s in summaries if not s.empty)
    pdf.cell(0, 6, f"{start.isoformat()} to {end.isoformat()}: {len(summaries)} days, {written} with diary entries",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    keys = _symptom_keys(summaries)
    _symptom_chart(pdf, summaries, keys)
    _sleep_chart(pdf, summaries)
    _days_table(pdf, summaries, keys)
    _heading(pdf, "Suspects worth testing")
    pdf.set_font("Helvetica", size=9)
    pdf.set_text_color(0)
    flagged = [s for s in patterns.suspects if s.flagged]
    if flagged:
        pdf.multi_cell(0, 4.6, "Foods, groups of foods and habits that the symptoms followed more often than "
                       "chance would explain, in this period's diary:", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for suspect in flagged:
            pdf.multi_cell(0, 4.6, _plain("- " + _suspect_line(suspect)), new_x="LMARGIN", new_y="NEXT")
    elif not patterns.note.startswith(NOTHING_YET.rstrip(".")):  # the note may say it already
        pdf.multi_cell(0, 4.6, NOTHING_YET, new_x="LMARGIN", new_y="NEXT")
    if patterns.note:
        pdf.ln(1)
        pdf.set_text_color(70)
        pdf.multi_cell(0, 4.6, _plain(patterns.note), new_x="LMARGIN", new_y="NEXT")
    if tests:
        _heading(pdf, "Food tests (elimination, then low, moderate and high serves)")
        pdf.set_font("Helvetica", size=9)
        pdf.set_text_color(0)
        for line in tests:
            pdf.multi_cell(0, 4.6, _plain("- " + line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_text_color(0)
    pdf.multi_cell(0, 5, DISCLAIMER, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
