"""Line charts drawn on the server as SVG coordinates: no JavaScript, and they print."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext

WIDTH, HEIGHT = 600, 200
PADDING_LEFT, PADDING_RIGHT, PADDING_TOP, PADDING_BOTTOM = 36, 12, 10, 24


@dataclass
class Line:
    segments: list
    dots: list


@dataclass
class Chart:
    segments: list  # each an SVG "points" string: a line that breaks on days with no data
    dots: list  # (x, y, label) for every day with data
    y_ticks: list  # (y, label)
    x_labels: list  # (x, label) for the first and last day
    markers: list = field(default_factory=list)  # (x, label): an infusion on that day
    second_line: Line | None = None  # another series on the same axes (blood pressure's bottom)
    thresholds: list = field(default_factory=list)  # (y, label): a level that calls for action
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(
    days: list[tuple[datetime.date, float | None]],
    *,
    y_max: int = 10,
    infusions: list[datetime.date] = (),
) -> Chart:
    """days: (date, value or None) in date order; values from 0 to y_max. Each of the infusions
    within the days is marked with a line, so a patient sees what followed it."""
    plot_width = WIDTH - PADDING_LEFT - PADDING_RIGHT
    step = plot_width / max(len(days) - 1, 1)

    def y_of(value):
        return y_position(value, y_max)

    segments, current, dots = [], [], []
    for index, (day, value) in enumerate(days):
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x, y = round(PADDING_LEFT + index * step, 1), y_of(value)
        current.append(f"{x},{y}")
        dots.append((x, y, f"{date_format(day, 'd M')}: {value:.1f}"))
    if current:
        segments.append(" ".join(current))
    ticks = [(y_of(value), str(value)) for value in (0, y_max // 2, y_max)]
    x_labels = []
    if days:
        x_labels = [
            (PADDING_LEFT, date_format(days[0][0], "d M")),
            (WIDTH - PADDING_RIGHT, date_format(days[-1][0], "d M")),
        ]
    index_of = {day: index for index, (day, _) in enumerate(days)}
    markers = [
        (
            round(PADDING_LEFT + index_of[day] * step, 1),
            gettext("Infusion, %(date)s") % {"date": date_format(day, "d M")},
            date_format(day, "d M"),
        )
        for day in infusions
        if day in index_of
    ]
    return Chart(segments=segments, dots=dots, y_ticks=ticks, x_labels=x_labels, markers=markers)


def y_position(value: float, y_max: int) -> float:
    plot_height = HEIGHT - PADDING_TOP - PADDING_BOTTOM
    return round(PADDING_TOP + plot_height * (1 - float(value) / y_max), 1)


BLOOD_PRESSURE_MAX = 220
# The Clinical Global Impression scales run from 1 to 7.
CGI_MAX = 7


def blood_pressure_chart(
    days: list[tuple[datetime.date, float | None, float | None]],
    *,
    thresholds: list[int],
    infusions: list[datetime.date] = (),
) -> Chart:
    """days: (date, top number, bottom number), either None on a day without readings; a line
    for each number, and a line across at each threshold, so a reading above one stands out."""
    chart = line_chart(
        [(day, top) for day, top, _ in days], y_max=BLOOD_PRESSURE_MAX, infusions=infusions
    )
    bottom = line_chart([(day, low) for day, _, low in days], y_max=BLOOD_PRESSURE_MAX)
    chart.second_line = Line(segments=bottom.segments, dots=bottom.dots)
    chart.thresholds = [(y_position(value, BLOOD_PRESSURE_MAX), str(value)) for value in thresholds]
    return chart
