"""Business rules over a patient's journal: one check-in per date, the dashboard at a glance,
trends, before/after infusions, recent activity."""

import datetime
from dataclasses import dataclass, field
from statistics import mean

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Min, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from education.models import SideEffect

from . import safety
from .charts import CGI_MAX, Line, blood_pressure_chart, line_chart
from .models import (
    RATING_NAMES,
    RATINGS,
    BloodPressureContext,
    BloodPressureReading,
    Checklist,
    ChecklistItem,
    ClinicianRating,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SideEffectReport,
)
from .questionnaires import QUESTIONNAIRES

TREND_WINDOWS = (7, 30, 90)
# The dashboard's "days logged" and latest safety flag look this far back.
GLANCE_DAYS = 30
# A change smaller than this, between the first and second half of a window, counts as steady.
MEANINGFUL_CHANGE = 1.0


@dataclass
class RatingTrend:
    name: str
    label: str
    higher_is_better: bool
    days: list  # (date, average or None)
    average: float | None
    first_half: float | None  # average of the first half of the period, if it has ratings
    second_half: float | None
    direction: str  # "better", "worse", "steady" or "not enough data"
    chart: object = field(default=None)

    @property
    def days_with_data(self):
        return [(day, value) for day, value in self.days if value is not None]


def _halves(values):
    """Averages of the first and second half of a series, or None when either half is empty."""
    half = len(values) // 2
    first = [value for value in values[:half] if value is not None]
    second = [value for value in values[half:] if value is not None]
    if not first or not second:
        return None
    return _round(mean(first)), _round(mean(second))


def _direction(values, higher_is_better):
    halves = _halves(values)
    if halves is None or sum(value is not None for value in values) < 4:
        return "not enough data"
    return change_direction(halves[1] - halves[0], higher_is_better=higher_is_better)


def change_direction(change: float | None, *, higher_is_better: bool) -> str:
    """Whether a change in a rating is "better", "worse" or "steady" (under MEANINGFUL_CHANGE),
    or "not enough data" without one: whether up is good depends on the rating."""
    if change is None:
        return "not enough data"
    if abs(change) < MEANINGFUL_CHANGE:
        return "steady"
    return "better" if (change > 0) == higher_is_better else "worse"


def daily_averages(*, user: User, start: datetime.date, end: datetime.date) -> dict:
    """{date: {rating: average}} for the user's entries from start to end, in one query."""
    rows = (
        JournalEntry.objects.owned_by(user)
        .filter(date__gte=start, date__lte=end)
        .values("date")
        .annotate(**{name: Avg(name) for name, _, _ in RATINGS})
    )
    return {row["date"]: row for row in rows}


def infusion_dates(*, user: User, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The days from start to end on which the patient had an infusion, in one query."""
    infusions = InfusionSession.objects.owned_by(user).filter(date__gte=start, date__lte=end)
    return list(infusions.values_list("date", flat=True).distinct())


def rating_summary(
    *,
    user: User,
    start: datetime.date,
    end: datetime.date,
    charts: bool = False,
    infusions: list[datetime.date] = (),
) -> list[RatingTrend]:
    """One trend per rating from start to end (inclusive), from daily averages: one query. With
    charts, each is drawn with the infusions marked."""
    averages = daily_averages(user=user, start=start, end=end)
    dates = [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    trends = []
    for name, label, higher_is_better in RATINGS:
        series = [(day, _round(averages.get(day, {}).get(name))) for day in dates]
        values = [value for _, value in series]
        present = [value for value in values if value is not None]
        halves = _halves(values) or (None, None)
        trends.append(
            RatingTrend(
                name=name,
                label=label,
                higher_is_better=higher_is_better,
                days=series,
                average=_round(mean(present)) if present else None,
                first_half=halves[0],
                second_half=halves[1],
                direction=_direction(values, higher_is_better),
                chart=line_chart(series, infusions=infusions) if charts else None,
            )
        )
    return trends


def blood_pressure_chart_over(
    *, user: User, start: datetime.date, end: datetime.date, infusions: list[datetime.date]
):
    """A chart of the daily average blood pressure from start to end, with lines at the levels
    the safety messages use (the clinic's, 140/90 before an infusion and 180/120 by default), or
    None without readings: one query (and the clinic's settings, when not cached)."""
    rules = safety.clinic_safety()
    rows = (
        BloodPressureReading.objects.owned_by(user)
        .annotate(day=TruncDate("measured_at"))
        .filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(top=Avg("systolic"), bottom=Avg("diastolic"))
    )
    by_day = {row["day"]: (_round(row["top"]), _round(row["bottom"])) for row in rows}
    if not by_day:
        return None
    dates = [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    return blood_pressure_chart(
        [(day, *by_day.get(day, (None, None))) for day in dates],
        thresholds=[
            rules.urgent_systolic,
            rules.pre_infusion_systolic,
            rules.urgent_diastolic,
            rules.pre_infusion_diastolic,
        ],
        infusions=infusions,
    )


def clinician_ratings_over(
    *, user: User, start: datetime.date, end: datetime.date, infusions: list[datetime.date]
):
    """The CGI ratings the clinic gave from start to end, oldest first, and their chart (CGI-S
    solid, CGI-I dotted; a day's latest rating), or None without ratings: one query."""
    ratings = list(
        ClinicianRating.objects.owned_by(user)
        .filter(rated_on__gte=start, rated_on__lte=end)
        .order_by("rated_on", "pk")
    )
    if not ratings:
        return ratings, None
    by_day = {rating.rated_on: rating for rating in ratings}
    dates = [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    chart = line_chart(
        [(day, by_day[day].severity if day in by_day else None) for day in dates],
        y_max=CGI_MAX,
        infusions=infusions,
    )
    improvement = line_chart(
        [(day, by_day[day].improvement if day in by_day else None) for day in dates],
        y_max=CGI_MAX,
    )
    chart.second_line = Line(segments=improvement.segments, dots=improvement.dots)
    return ratings, chart


@dataclass
class DashboardTrends:
    ratings: list[RatingTrend]
    blood_pressure: object  # a charts.Chart, or None without readings
    clinician_ratings: list[ClinicianRating] = field(default_factory=list)
    clinician_chart: object = None  # a charts.Chart, or None without CGI ratings


def dashboard_trends(
    *, user: User, days: int, today: datetime.date | None = None
) -> DashboardTrends:
    """The dashboard's trends over the last `days` days: one per rating, blood pressure and the
    clinic's CGI ratings, each charted with the window's infusions marked (looked up once).
    Four queries."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    infusions = infusion_dates(user=user, start=start, end=today)
    ratings = rating_summary(user=user, start=start, end=today, charts=True, infusions=infusions)
    blood_pressure = blood_pressure_chart_over(
        user=user, start=start, end=today, infusions=infusions
    )
    clinician_ratings, clinician_chart = clinician_ratings_over(
        user=user, start=start, end=today, infusions=infusions
    )
    return DashboardTrends(ratings, blood_pressure, clinician_ratings, clinician_chart)


def long_date(day: datetime.date) -> str:
    """A date as the pages write it: 3 Nov 2026."""
    return date_format(day, "j M Y")


# One check-in per date. The database holds the rule (a unique constraint on user and date); the
# site's forms update the date's check-in, the API refuses a second one with this message.


def check_in_on(*, user: User, date: datetime.date) -> JournalEntry:
    """The patient's check-in for the date, or a new unsaved one: a form for a date that already
    has a check-in edits that one."""
    return JournalEntry.objects.owned_by(user).filter(date=date).first() or JournalEntry(
        user=user, date=date
    )


def check_date_free(*, user: User, date: datetime.date, entry: JournalEntry | None = None) -> None:
    """Refuses a date on which the patient already has another check-in."""
    others = JournalEntry.objects.owned_by(user).filter(date=date)
    if entry is not None and entry.pk:
        others = others.exclude(pk=entry.pk)
    taken = others.first()
    if taken:
        raise ValidationError(
            {
                "date": gettext(
                    "You already have a check-in for %(date)s (entry %(entry)s). "
                    "There is one check-in per date: change that one instead."
                )
                % {"date": long_date(date), "entry": taken.pk}
            },
            code="date_taken",
        )


def save_check_in(*, entry: JournalEntry) -> JournalEntry:
    """Saves a check-in from the site's form. A new one from a form that showed no check-in, for
    a date that has one (another tab, a double tap, a date changed in an empty form), is added
    to that one: never a second entry, never an error, nothing stored lost."""
    try:
        with transaction.atomic():
            entry.save()
        return entry
    except IntegrityError:
        stored = JournalEntry.objects.owned_by(entry.user).get(date=entry.date)
        add_to_check_in(stored=stored, added=entry)
        stored.save()
        return stored


def add_to_check_in(*, stored: JournalEntry, added: JournalEntry) -> None:
    """What the patient gave replaces what was stored; what they left empty keeps its value;
    a new note goes under the stored one (the same note twice, a double tap, is kept once)."""
    for name in [*RATING_NAMES, "sleep_hours"]:
        if getattr(added, name) is not None:
            setattr(stored, name, getattr(added, name))
    note = added.notes.strip()
    if note and note not in [paragraph.strip() for paragraph in stored.notes.split("\n\n")]:
        stored.notes = f"{stored.notes.rstrip()}\n\n{note}" if stored.notes.strip() else note


# The dashboard at a glance


def days_logged(*, user: User, today: datetime.date, days: int = GLANCE_DAYS) -> int:
    """On how many of the last `days` days (today included) the patient checked in."""
    start = today - datetime.timedelta(days=days - 1)
    return JournalEntry.objects.owned_by(user).filter(date__gte=start, date__lte=today).count()


@dataclass
class SafetyFlag:
    """A short line for the dashboard; the record's own page has the whole message."""

    when: datetime.datetime
    summary: str
    advice: str
    url: str
    link_text: str
    level: str  # "urgent", "low" or "flagged", as journal.safety's messages


READING_LEVELS = {
    "urgent": gettext_lazy("very high"),
    "low": gettext_lazy("low"),
    "flagged": gettext_lazy("above 140/90 before an infusion"),
}


def latest_safety_flag(
    *, user: User, today: datetime.date, days: int = GLANCE_DAYS
) -> SafetyFlag | None:
    """The newest blood-pressure reading the safety rules flag, or PHQ-9 whose item 9 is above
    0, from the last `days` days: two queries."""
    start = today - datetime.timedelta(days=days - 1)
    reading = (
        BloodPressureReading.objects.owned_by(user)
        .filter(measured_at__date__gte=start)
        .filter(_flagged_readings() | _low_readings())
        .order_by("-measured_at")
        .first()
    )
    phq9 = (
        QuestionnaireResponse.objects.owned_by(user)
        .filter(questionnaire="phq9", taken_at__date__gte=start, answers__8__gt=0)
        .order_by("-taken_at")
        .first()
    )
    flags = []
    if reading:
        level = reading.safety.level
        flags.append(
            SafetyFlag(
                when=reading.measured_at,
                summary=gettext("%(systolic)s/%(diastolic)s mmHg, %(level)s.")
                % {
                    "systolic": reading.systolic,
                    "diastolic": reading.diastolic,
                    "level": READING_LEVELS[level],
                },
                advice="",
                url=reading.get_absolute_url(),
                link_text=gettext("What to do"),
                level=level,
            )
        )
    if phq9:
        flags.append(
            SafetyFlag(
                when=phq9.taken_at,
                summary=gettext("PHQ-9: thoughts of being better off dead or of hurting yourself."),
                advice=gettext(
                    "Please talk to someone now: in the US call or text 988; anywhere, "
                    "your local emergency number."
                ),
                url=phq9.get_absolute_url(),
                link_text=gettext("Where to get help"),
                level="urgent",
            )
        )
    return max(flags, key=lambda flag: flag.when, default=None)


def next_appointment(*, user: User, today: datetime.date) -> Checklist | None:
    """The patient's next appointment (today or later), with its number of questions and its
    top-priority ones (`top_items`): one query, two when there is one."""
    top = ChecklistItem.objects.filter(is_top_priority=True)
    return (
        Checklist.objects.owned_by(user)
        .filter(appointment_date__gte=today)
        .annotate(questions=Count("items"))
        .prefetch_related(Prefetch("items", queryset=top, to_attr="top_items"))
        .order_by("appointment_date", "appointment_time", "pk")
        .first()
    )


def change_after_last_infusion(*, user: User, window_days: int = 7) -> "BeforeAfter | None":
    """Average ratings in the week before and the week after the latest infusion: one query,
    two when there is an infusion."""
    infusion = InfusionSession.objects.owned_by(user).order_by("-date", "-created").first()
    if infusion is None:
        return None
    window = datetime.timedelta(days=window_days)
    before = Q(date__gte=infusion.date - window, date__lt=infusion.date)
    after = Q(date__gt=infusion.date, date__lte=infusion.date + window)
    averages = JournalEntry.objects.owned_by(user).aggregate(
        **{f"before_{name}": Avg(name, filter=before) for name in RATING_NAMES},
        **{f"after_{name}": Avg(name, filter=after) for name in RATING_NAMES},
    )
    return BeforeAfter(
        infusion=infusion,
        before={name: _round(averages[f"before_{name}"]) for name in RATING_NAMES},
        after={name: _round(averages[f"after_{name}"]) for name in RATING_NAMES},
    )


def _low_readings() -> Q:
    rules = safety.clinic_safety()
    return Q(systolic__lt=rules.low_systolic) | Q(diastolic__lt=rules.low_diastolic)


def _flagged_readings() -> Q:
    """Readings at the urgent level, or above the pre-infusion level before an infusion."""
    rules = safety.clinic_safety()
    before_infusion_high = Q(context=BloodPressureContext.BEFORE_INFUSION) & (
        Q(systolic__gt=rules.pre_infusion_systolic) | Q(diastolic__gt=rules.pre_infusion_diastolic)
    )
    urgent = Q(systolic__gte=rules.urgent_systolic) | Q(diastolic__gte=rules.urgent_diastolic)
    return urgent | before_infusion_high


def _round(value):
    return None if value is None else round(float(value), 1)


@dataclass(frozen=True)
class RatingChange:
    name: str
    label: str
    before: float | None
    after: float | None
    change: float | None  # after minus before
    direction: str  # as change_direction


@dataclass
class BeforeAfter:
    infusion: InfusionSession
    before: dict  # rating name -> average or None
    after: dict

    @property
    def changes(self) -> list[RatingChange]:
        """Each rating's change, with whether it is better or worse for that rating."""
        changes = []
        for name, label, higher_is_better in RATINGS:
            change = _change(self.before[name], self.after[name])
            changes.append(
                RatingChange(
                    name=name,
                    label=label,
                    before=self.before[name],
                    after=self.after[name],
                    change=change,
                    direction=change_direction(change, higher_is_better=higher_is_better),
                )
            )
        return changes

    @property
    def table(self):
        """(rating, before, after, after minus before or None) for each rating."""
        return [
            (
                label,
                self.before[name],
                self.after[name],
                _change(self.before[name], self.after[name]),
            )
            for name, label, _ in RATINGS
        ]

    @property
    def compared(self) -> list[RatingChange]:
        """The changes of the ratings with averages on both sides."""
        return [change for change in self.changes if change.change is not None]

    @property
    def notable_changes(self) -> list[RatingChange]:
        """The changes of a point or more: what the dashboard names."""
        return [change for change in self.compared if change.direction != "steady"]


def _change(before, after):
    return None if before is None or after is None else _round(after - before)


def before_and_after_infusions(
    user: User,
    *,
    window_days: int = 7,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[BeforeAfter]:
    """Average ratings in the week before and the week after each infusion (its day excluded),
    newest first; only the infusions from start to end when given (a visit sheet's period).
    Each infusion comes with the clinic's monitoring record, if any. Two queries, one without
    infusions."""
    infusions = (
        InfusionSession.objects.owned_by(user)
        .select_related("monitoring")
        .order_by("date", "created")
    )
    if start is not None:
        infusions = infusions.filter(date__gte=start)
    if end is not None:
        infusions = infusions.filter(date__lte=end)
    infusions = list(infusions)
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


def questionnaire_histories(user: User) -> list[QuestionnaireHistory]:
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


@dataclass
class SideEffectCount:
    key: str  # the same in every language: the checklist's question about it is found by it
    name: str  # in the reader's language: a catalogue side effect's, or as the patient typed it
    times: int
    worst: int
    language: str  # the name's: English for a catalogue name without its Spanish

    def shown_in(self, text: str) -> str:
        """The name's language, as Translatable.shown_in, for `{% lang_of effect "name" %}`."""
        return self.language


def same_words(text: str) -> str:
    """A text as compared with another: its words, ignoring case and spacing (a side effect's
    name, a checklist question)."""
    return " ".join(text.lower().split())


def side_effect_counts(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[SideEffectCount]:
    """Each side effect reported from start to end: how often and how bad at worst, in one query.

    Reports count as one side effect by name, whatever the case or spacing: "Headaches" from the
    catalogue and "headaches " or "dolores de cabeza" typed by hand are the same thing to the
    patient. A catalogue side effect is named in the reader's language (its English where it has
    no Spanish); a name typed by hand is shown as typed. The key is the catalogue's English name
    (or the typed one), so it stays the same whichever language the journal is read in.
    """
    rows = list(
        SideEffectReport.objects.owned_by(user)
        .filter(occurred_at__date__gte=start, occurred_at__date__lte=end)
        .values("side_effect__name_en", "side_effect__name_es", "other_name")
        .annotate(times=Count("id"), worst=Max("severity"))
        .order_by("side_effect__name_en", "side_effect__name_es", "other_name")
    )
    from_catalogue = [row for row in rows if row["side_effect__name_en"] is not None]
    typed = [row for row in rows if row["side_effect__name_en"] is None]
    counts = {}
    keys_by_name = {}  # a catalogue side effect's name in each language -> its key

    def add(key, name, language, row):
        if key in counts:
            counts[key].times += row["times"]
            counts[key].worst = max(counts[key].worst, row["worst"])
        else:
            counts[key] = SideEffectCount(key, name, row["times"], row["worst"], language)

    for row in from_catalogue:
        english, spanish = row["side_effect__name_en"], row["side_effect__name_es"]
        effect = SideEffect(name_en=english, name_es=spanish)  # to read its name as the pages do
        key = same_words(english)
        for name in (english, spanish):
            if name:
                keys_by_name.setdefault(same_words(name), key)
        add(key, effect.name.strip(), effect.shown_in("name"), row)
    for row in typed:
        key = same_words(row["other_name"])
        add(keys_by_name.get(key, key), row["other_name"].strip(), translation.get_language(), row)
    return sorted(counts.values(), key=lambda count: (-count.times, -count.worst, count.key))


def flagged_readings(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[BloodPressureReading]:
    """Readings from start to end that the safety rules flag, highest first."""
    return list(
        BloodPressureReading.objects.owned_by(user)
        .filter(measured_at__date__gte=start, measured_at__date__lte=end)
        .filter(_flagged_readings())
        .order_by("-systolic", "-diastolic", "measured_at")
    )


def blood_pressure_range(*, user: User, start: datetime.date, end: datetime.date) -> dict:
    """Lowest and highest systolic and diastolic from start to end, and how many readings."""
    return (
        BloodPressureReading.objects.owned_by(user)
        .filter(measured_at__date__gte=start, measured_at__date__lte=end)
        .aggregate(
            count=Count("id"),
            lowest_systolic=Min("systolic"),
            highest_systolic=Max("systolic"),
            lowest_diastolic=Min("diastolic"),
            highest_diastolic=Max("diastolic"),
        )
    )


def latest_questionnaires(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[QuestionnaireResponse]:
    """The latest response to each questionnaire from start to end, in catalogue order."""
    latest = {}
    responses = QuestionnaireResponse.objects.owned_by(user).filter(
        taken_at__date__gte=start, taken_at__date__lte=end
    )
    for response in responses.order_by("taken_at"):
        latest[response.questionnaire] = response
    return [latest[code] for code in QUESTIONNAIRES if code in latest]


def medications_taken(*, user: User, start: datetime.date, end: datetime.date) -> list[Medication]:
    """Medications taken at any time from start to end."""
    return list(
        Medication.objects.owned_by(user)
        .filter(Q(started__isnull=True) | Q(started__lte=end))
        .filter(Q(stopped__isnull=True) | Q(stopped__gte=start))
        .order_by("name", "pk")
    )


RECENT_LIMIT = 5


def recent_activity(user: User) -> dict:
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
