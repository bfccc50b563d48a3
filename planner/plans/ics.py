"""A plan as an iCalendar file (RFC 5545): one event a meal, at usual meal times, local time."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

MEAL_TIMES = {"breakfast": ("0730", "0800"), "lunch": ("1230", "1300"), "snack": ("1600", "1615"),
              "dinner": ("1830", "1930")}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return "\r\n ".join(parts)


def _ingredient(item: dict[str, Any]) -> str:
    """ "3 eggs", "2 tbsp olive oil": the plan's cook's amount, else (a plan JSON from before
    amounts) the grams."""
    return str(item.get("amount") or f"{item['grams']:g} g {item['name']}")


def plan_ics(plan: dict[str, Any], link: str | None = None, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gut Planner//Weekly plan//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape('Meals, week of ' + plan['week_start'])}"]
    for day in plan["days"]:
        date = day["date"].replace("-", "")
        for meal in day["meals"]:
            start, end = MEAL_TIMES[meal["slot"]]
            shopping = "\n".join(_ingredient(i) for i in meal["ingredients"])
            description = f"{meal['servings']:g} servings.\n{shopping}" + (f"\n{link}" if link else "")
            lines += [
                "BEGIN:VEVENT",
                f"UID:plan-{plan['id']}-{date}-{meal['slot']}@gut-planner",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{date}T{start}00",
                f"DTEND:{date}T{end}00",
                f"SUMMARY:{_escape(meal['slot'].capitalize() + ': ' + meal['recipe']['title'])}",
                f"DESCRIPTION:{_escape(description)}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
