"""Business rules over a patient's journal: trends, before/after infusions, recent activity."""

import datetime
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Avg
from django.utils import timezone

from .charts import line_chart
from .models import (
    RATINGS,
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SideEffectReport,
)
from .questionnaires import QUESTIONNAIRES

TREND_WINDOWS = (7, 30, 90)
# A change smaller than this, between the first and second half of a window, counts as steady.
MEANINGFUL_CHANGE = 1.0


@dataclass
class RatingTrend:
    name: str
    label: str
    higher_is_better: bool
    days: list  # (date, average or None)
    average: float | None
    direction: str  # "better", "worse", "steady" or "not enough data"
    chart: object = field(default=None)

    @property
    def days_with_data(self):
        return [(day, value) for day, value in self.days if value is not None]


def _direction(values, higher_is_better):
    present = [value for value in values if value is not None]
    if len(present) < 4:
        return "not enough data"
    half = len(values) // 2
    first = [value for value in values[:half] if value is not None]
    second = [value for value in values[half:] if value is not None]
    if not first or not second:
        return "not enough data"
    change = mean(second) - mean(first)
    if abs(change) < MEANINGFUL_CHANGE:
        return "steady"
    return "better" if (change > 0) == higher_is_better else "worse"


def daily_averages(user, start, end):
    """{date: {rating: average}} for the user's entries from start to end, in one query."""
    rows = (
        JournalEntry.objects.owned_by(user)
        .filter(date__gte=start, date__lte=end)
        .values("date")
        .annotate(**{name: Avg(name) for name, _, _ in RATINGS})
    )
    return {row["date"]: row for row in rows}


def rating_trends(user, days, today=None):
    """One trend per rating over the last `days` days, with a chart of daily averages."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    averages = daily_averages(user, start, today)
    dates = [start + datetime.timedelta(days=offset) for offset in range(days)]
    trends = []
    for name, label, higher_is_better in RATINGS:
        series = [(day, _round(averages.get(day, {}).get(name))) for day in dates]
        values = [value for _, value in series]
        present = [value for value in values if value is not None]
        trends.append(
            RatingTrend(
                name=name,
                label=label,
                higher_is_better=higher_is_better,
                days=series,
                average=_round(mean(present)) if present else None,
                direction=_direction(values, higher_is_better),
                chart=line_chart(series),
            )
        )
    return trends


def _round(value):
    return None if value is None else round(float(value), 1)


@dataclass
class BeforeAfter:
    infusion: InfusionSession
    before: dict  # rating name -> average or None
    after: dict

    @property
    def table(self):
        return [(label, self.before[name], self.after[name]) for name, label, _ in RATINGS]


def before_and_after_infusions(user, window_days=7):
    """Average ratings in the week before and the week after each infusion (its day excluded)."""
    infusions = list(InfusionSession.objects.owned_by(user).order_by("date"))
    if not infusions:
        return []
    window = datetime.timedelta(days=window_days)
    entries = list(
        JournalEntry.objects.owned_by(user).filter(
            date__gte=infusions[0].date - window, date__lte=infusions[-1].date + window
        )
    )

    def averages(start, end):
        chosen = [entry for entry in entries if start <= entry.date <= end]
        result = {}
        for name, _, _ in RATINGS:
            values = [getattr(entry, name) for entry in chosen if getattr(entry, name) is not None]
            result[name] = _round(mean(values)) if values else None
        return result

    one_day = datetime.timedelta(days=1)
    return [
        BeforeAfter(
            infusion=infusion,
            before=averages(infusion.date - window, infusion.date - one_day),
            after=averages(infusion.date + one_day, infusion.date + window),
        )
        for infusion in reversed(infusions)
    ]


@dataclass
class QuestionnaireHistory:
    questionnaire: object
    responses: list  # oldest first
    chart: object


HISTORY_LIMIT = 20


def questionnaire_histories(user):
    """The latest scores of each questionnaire the patient has filled in, charted oldest first."""
    latest = QuestionnaireResponse.objects.owned_by(user).order_by("-taken_at")
    histories = []
    for code, questionnaire in QUESTIONNAIRES.items():
        responses = list(latest.filter(questionnaire=code)[:HISTORY_LIMIT])[::-1]
        if responses:
            points = [(response.taken_at, response.score) for response in responses]
            chart = line_chart(points, y_max=questionnaire.max_score)
            histories.append(QuestionnaireHistory(questionnaire, responses, chart))
    return histories


RECENT_LIMIT = 5


def recent_activity(user):
    """The latest few records of each kind, newest first: a fixed number of queries."""
    return {
        "entries": JournalEntry.objects.owned_by(user)[:RECENT_LIMIT],
        "blood_pressure": BloodPressureReading.objects.owned_by(user)[:RECENT_LIMIT],
        "side_effects": SideEffectReport.objects.owned_by(user).select_related("side_effect")[
            :RECENT_LIMIT
        ],
        "infusions": InfusionSession.objects.owned_by(user)[:RECENT_LIMIT],
        "medications": Medication.objects.owned_by(user).current()[:RECENT_LIMIT],
        "questionnaires": QuestionnaireResponse.objects.owned_by(user)[:RECENT_LIMIT],
    }
