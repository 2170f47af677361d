"""Trends of the daily ratings, before/after each infusion, their charts, and the demo journal."""

import datetime
import re

import pytest
from django.utils import timezone

from journal.charts import line_chart
from journal.demo import create_demo_journal
from journal.models import (
    RATING_NAMES,
    Checklist,
    ChecklistItem,
    InfusionSession,
    ItemOrigin,
    JournalEntry,
    SideEffectReport,
)
from journal.services import before_and_after_infusions, dashboard_trends
from tests.factories import (
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    UserFactory,
)
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 31)
NO_RATINGS = dict.fromkeys(RATING_NAMES)


@pytest.fixture
def patient():
    return UserFactory()


@pytest.fixture
def logged_in(client, patient):
    client.force_login(patient)
    return patient


def days_ago(count, today=TODAY):
    return today - datetime.timedelta(days=count)


def entry(user, day, **ratings):
    """An entry rating only what is given."""
    return JournalEntryFactory(user=user, date=day, **{**NO_RATINGS, **ratings})


def trend_of(trends, name):
    (trend,) = [trend for trend in trends if trend.name == name]
    return trend


def value_on(trend, day):
    return dict(trend.days)[day]


# dashboard_trends: the ratings


def test_there_is_one_trend_per_rating(patient):
    trends = dashboard_trends(user=patient, days=30, today=TODAY).ratings
    assert [trend.name for trend in trends] == RATING_NAMES


def test_a_trend_has_one_day_per_day_of_the_window_ending_today(patient):
    trend = dashboard_trends(user=patient, days=7, today=TODAY).ratings[0]
    assert [day for day, _ in trend.days] == [days_ago(count) for count in range(6, -1, -1)]


def test_a_day_with_one_entry_shows_its_rating(patient):
    entry(patient, days_ago(2), focus=6)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert value_on(trend, days_ago(2)) == 6.0


def test_a_day_without_entries_has_no_value(patient):
    entry(patient, days_ago(2), focus=6)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert value_on(trend, days_ago(3)) is None


def test_an_unrated_rating_has_no_value_on_a_day_with_an_entry(patient):
    entry(patient, days_ago(2), focus=6)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "mood")
    assert value_on(trend, days_ago(2)) is None


def test_entries_outside_the_window_do_not_count(patient):
    entry(patient, days_ago(7), focus=9)
    entry(patient, TODAY + datetime.timedelta(days=1), focus=9)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert trend.average is None


def test_the_average_is_over_the_days_with_a_rating(patient):
    entry(patient, days_ago(2), focus=3)
    entry(patient, days_ago(1))
    entry(patient, days_ago(0), focus=9)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert trend.average == 6.0


def test_rising_focus_is_getting_better(patient):
    for count, focus in enumerate([8, 7, 6, 5, 4, 3, 2]):
        entry(patient, days_ago(count), focus=focus)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus").direction
        == "better"
    )


def test_falling_focus_is_getting_worse(patient):
    for count, focus in enumerate([2, 3, 4, 5, 6, 7, 8]):
        entry(patient, days_ago(count), focus=focus)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus").direction
        == "worse"
    )


def test_rising_anxiety_is_getting_worse(patient):
    for count, anxiety in enumerate([8, 7, 6, 5, 4, 3, 2]):
        entry(patient, days_ago(count), anxiety=anxiety)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "anxiety").direction
        == "worse"
    )


def test_falling_anxiety_is_getting_better(patient):
    for count, anxiety in enumerate([2, 3, 4, 5, 6, 7, 8]):
        entry(patient, days_ago(count), anxiety=anxiety)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "anxiety").direction
        == "better"
    )


def test_a_flat_rating_is_steady(patient):
    for count in range(7):
        entry(patient, days_ago(count), mood=5)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "mood").direction
        == "steady"
    )


def test_a_change_under_one_point_is_steady(patient):
    for count, focus in enumerate([6, 6, 6, 5, 5, 5, 5]):
        entry(patient, days_ago(count), focus=focus)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus").direction
        == "steady"
    )


def test_fewer_than_four_days_is_not_enough_data(patient):
    for count, focus in enumerate([9, 5, 1]):
        entry(patient, days_ago(count), focus=focus)
    direction = trend_of(
        dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus"
    ).direction
    assert direction == "not enough data"


def test_entries_on_fewer_than_four_days_are_not_enough_data(patient):
    for count, focus in zip([0, 3, 6], [9, 1, 1], strict=True):
        entry(patient, days_ago(count), focus=focus)
    direction = trend_of(
        dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus"
    ).direction
    assert direction == "not enough data"


def test_four_days_are_enough_for_a_direction(patient):
    for count, focus in zip([0, 1, 5, 6], [8, 8, 2, 2], strict=True):
        entry(patient, days_ago(count), focus=focus)
    assert (
        trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus").direction
        == "better"
    )


def test_a_journal_without_entries_has_no_average_and_not_enough_data(patient):
    trend = trend_of(dashboard_trends(user=patient, days=30, today=TODAY).ratings, "focus")
    assert trend.average is None
    assert trend.direction == "not enough data"


def test_another_patients_entries_do_not_count_on_a_shared_day(patient):
    entry(patient, days_ago(1), focus=4)
    entry(UserFactory(), days_ago(1), focus=10)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert value_on(trend, days_ago(1)) == 4.0


def test_another_patients_entries_alone_give_no_data(patient):
    someone_else = UserFactory()
    for count in range(7):
        entry(someone_else, days_ago(count), focus=count)
    trend = trend_of(dashboard_trends(user=patient, days=7, today=TODAY).ratings, "focus")
    assert trend.days_with_data == []
    assert trend.direction == "not enough data"


# before_and_after_infusions


@pytest.fixture
def infusion(patient):
    return InfusionSessionFactory(user=patient, date=days_ago(10))


def around(infusion, offset):
    return infusion.date + datetime.timedelta(days=offset)


def test_no_infusions_means_no_before_and_after(patient):
    entry(patient, days_ago(1), focus=5)
    assert before_and_after_infusions(patient) == []


def test_before_averages_the_seven_days_before_the_infusion(patient, infusion):
    entry(patient, around(infusion, -7), focus=2)
    entry(patient, around(infusion, -1), focus=5)
    (row,) = before_and_after_infusions(patient)
    assert row.before["focus"] == 3.5


def test_after_averages_the_seven_days_after_the_infusion(patient, infusion):
    entry(patient, around(infusion, 1), focus=6)
    entry(patient, around(infusion, 7), focus=9)
    (row,) = before_and_after_infusions(patient)
    assert row.after["focus"] == 7.5


def test_the_infusion_day_counts_neither_before_nor_after(patient, infusion):
    entry(patient, around(infusion, -1), focus=4)
    entry(patient, around(infusion, 0), focus=10)
    entry(patient, around(infusion, 1), focus=6)
    (row,) = before_and_after_infusions(patient)
    assert (row.before["focus"], row.after["focus"]) == (4.0, 6.0)


def test_days_more_than_a_week_away_do_not_count(patient, infusion):
    entry(patient, around(infusion, -8), focus=10)
    entry(patient, around(infusion, -2), focus=3)
    entry(patient, around(infusion, 2), focus=7)
    entry(patient, around(infusion, 8), focus=0)
    (row,) = before_and_after_infusions(patient)
    assert (row.before["focus"], row.after["focus"]) == (3.0, 7.0)


def test_a_rating_without_entries_in_a_week_has_no_average(patient, infusion):
    entry(patient, around(infusion, -1), focus=4)
    (row,) = before_and_after_infusions(patient)
    assert row.after["focus"] is None
    assert row.before["mood"] is None


def test_each_infusion_gets_its_own_before_and_after_newest_first(patient):
    first = InfusionSessionFactory(user=patient, date=days_ago(40))
    second = InfusionSessionFactory(user=patient, date=days_ago(20))
    entry(patient, around(first, -1), mood=2)
    entry(patient, around(first, 1), mood=4)
    entry(patient, around(second, -1), mood=6)
    entry(patient, around(second, 1), mood=8)
    rows = before_and_after_infusions(patient)
    assert [(row.infusion, row.before["mood"], row.after["mood"]) for row in rows] == [
        (second, 6.0, 8.0),
        (first, 2.0, 4.0),
    ]


def test_another_patients_entries_do_not_count_before_or_after(patient, infusion):
    entry(patient, around(infusion, -1), focus=4)
    entry(UserFactory(), around(infusion, -1), focus=10)
    entry(UserFactory(), around(infusion, 1), focus=10)
    (row,) = before_and_after_infusions(patient)
    assert (row.before["focus"], row.after["focus"]) == (4.0, None)


def test_another_patients_infusions_are_left_out(patient):
    InfusionSessionFactory(user=UserFactory(), date=days_ago(5))
    assert before_and_after_infusions(patient) == []


def test_the_before_and_after_page_shows_the_averages(client, logged_in):
    infusion = InfusionSessionFactory(user=logged_in, date=days_ago(10, timezone.localdate()))
    entry(logged_in, around(infusion, -3), focus=3)
    entry(logged_in, around(infusion, -2), focus=4)
    entry(logged_in, around(infusion, 2), focus=6)
    entry(logged_in, around(infusion, 3), focus=7)
    text = visible_text(client.get("/journal/before-and-after/").content.decode())
    assert "Focus 3.5 6.5" in text


def test_the_before_and_after_page_says_no_ratings_for_an_empty_week(client, logged_in):
    infusion = InfusionSessionFactory(user=logged_in, date=days_ago(10, timezone.localdate()))
    entry(logged_in, around(infusion, -1), mood=5)
    text = visible_text(client.get("/journal/before-and-after/").content.decode())
    assert "Mood 5.0 no ratings" in text


def test_the_before_and_after_page_without_infusions_offers_to_add_one(client, logged_in):
    text = visible_text(client.get("/journal/before-and-after/").content.decode())
    assert "No infusions yet. Add an infusion." in text


# The dashboard's trends


def section_of(html, name):
    """The dashboard's section for one rating's trend."""
    start = html.index(f'aria-labelledby="trend-{name}"')
    return html[start : html.index("</section>", start)]


def table_rows(html):
    """(day, value) cells of the tables in the HTML."""
    return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", html)


def test_the_dashboard_draws_one_svg_chart_per_rating_with_data(client, logged_in):
    today = timezone.localdate()
    entry(logged_in, days_ago(1, today), focus=6, mood=7)
    html = client.get("/journal/").content.decode()
    assert html.count("<svg") == 2
    assert "<svg" in section_of(html, "focus")
    assert "<svg" in section_of(html, "mood")


def test_the_dashboard_draws_no_chart_for_a_rating_without_data(client, logged_in):
    entry(logged_in, days_ago(1, timezone.localdate()), focus=6)
    html = client.get("/journal/").content.decode()
    assert "<svg" not in section_of(html, "anxiety")
    assert "No ratings in these 30 days." in visible_text(section_of(html, "anxiety"))


def test_the_dashboard_has_a_table_with_the_same_daily_values_as_the_chart(client, logged_in):
    today = timezone.localdate()
    entry(logged_in, days_ago(3, today), focus=6)
    entry(logged_in, days_ago(1, today), focus=9)
    section = section_of(client.get("/journal/").content.decode(), "focus")
    assert "<table" in section
    assert table_rows(section) == [
        (f"{days_ago(3, today):%-d %b %Y}", "6.0"),
        (f"{days_ago(1, today):%-d %b %Y}", "9.0"),
    ]


def test_the_dashboard_chart_labels_each_point_with_its_value(client, logged_in):
    today = timezone.localdate()
    entry(logged_in, days_ago(3, today), focus=4)
    section = section_of(client.get("/journal/").content.decode(), "focus")
    assert f"<title>{days_ago(3, today):%d %b}: 4.0</title>" in section


def test_the_dashboard_tables_leave_out_another_patients_entries(client, logged_in):
    entry(UserFactory(), days_ago(1, timezone.localdate()), focus=9)
    html = client.get("/journal/").content.decode()
    assert "<svg" not in html
    assert table_rows(html) == []


def test_the_dashboard_shows_thirty_days_by_default(client, logged_in):
    response = client.get("/journal/")
    assert response.context["days"] == 30
    assert "Trends over the last 30 days" in response.content.decode()


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_dashboard_window_follows_the_days_parameter(client, logged_in, days):
    response = client.get(f"/journal/?days={days}")
    assert response.context["days"] == days
    assert f"Trends over the last {days} days" in response.content.decode()
    assert len(response.context["trends"].ratings[0].days) == days


def test_an_entry_twenty_days_ago_is_outside_the_seven_day_window(client, logged_in):
    entry(logged_in, days_ago(20, timezone.localdate()), focus=3)
    html = client.get("/journal/?days=7").content.decode()
    assert table_rows(section_of(html, "focus")) == []


def test_an_entry_twenty_days_ago_is_inside_the_thirty_day_window(client, logged_in):
    entry(logged_in, days_ago(20, timezone.localdate()), focus=3)
    html = client.get("/journal/?days=30").content.decode()
    assert [value for _, value in table_rows(section_of(html, "focus"))] == ["3.0"]


def test_an_entry_sixty_days_ago_is_inside_the_ninety_day_window_only(client, logged_in):
    entry(logged_in, days_ago(60, timezone.localdate()), focus=3)
    thirty = client.get("/journal/?days=30").content.decode()
    ninety = client.get("/journal/?days=90").content.decode()
    assert table_rows(section_of(thirty, "focus")) == []
    assert len(table_rows(section_of(ninety, "focus"))) == 1


@pytest.mark.parametrize("junk", ["junk", "", "12", "-7", "1e3", "7.5"])
def test_an_unusable_days_parameter_falls_back_to_thirty(client, logged_in, junk):
    response = client.get("/journal/", {"days": junk})
    assert response.status_code == 200
    assert response.context["days"] == 30


def test_the_current_window_is_marked_and_the_others_are_links(client, logged_in):
    html = client.get("/journal/?days=7").content.decode()
    assert '<strong aria-current="true">7 days</strong>' in html
    assert '<a href="?days=30">30 days</a>' in html
    assert '<a href="?days=90">90 days</a>' in html


# line_chart


def chart_days(*values):
    start = datetime.date(2025, 3, 1)
    return [(start + datetime.timedelta(days=index), value) for index, value in enumerate(values)]


def test_a_chart_of_consecutive_days_is_one_line():
    assert len(line_chart(chart_days(4, 5, 6)).segments) == 1


def test_a_day_without_data_breaks_the_line_in_two():
    chart = line_chart(chart_days(4, 5, None, 6, 7))
    assert len(chart.segments) == 2
    assert [len(segment.split()) for segment in chart.segments] == [2, 2]


def test_each_gap_starts_a_new_line():
    chart = line_chart(chart_days(4, None, 5, None, None, 6))
    assert len(chart.segments) == 3


def test_days_without_data_at_the_ends_draw_no_empty_line():
    chart = line_chart(chart_days(None, 4, 5, None))
    assert chart.segments == [chart.segments[0]]
    assert len(chart.segments[0].split()) == 2


def test_a_chart_has_one_dot_per_day_with_data():
    assert len(line_chart(chart_days(4, None, 5, 6)).dots) == 3


def test_a_chart_without_data_has_no_lines_or_dots():
    chart = line_chart(chart_days(None, None))
    assert chart.segments == []
    assert chart.dots == []


def test_a_higher_value_is_drawn_higher_up():
    chart = line_chart(chart_days(2, 8))
    (first_y, second_y) = [y for _, y, _ in chart.dots]
    assert second_y < first_y


def test_a_later_day_is_drawn_further_right():
    chart = line_chart(chart_days(5, None, 5))
    (first_x, second_x) = [x for x, _, _ in chart.dots]
    assert second_x > first_x


# The demo journal


@pytest.fixture
def demo_patient(seeded):
    user = UserFactory()
    create_demo_journal(user)
    return user


def test_the_demo_journal_has_about_sixty_days_of_entries(demo_patient):
    entries = JournalEntry.objects.filter(user=demo_patient)
    days = entries.values("date").distinct().count()
    assert 40 <= days <= 60
    assert entries.count() == days


def test_the_demo_journal_entries_span_the_last_sixty_days(demo_patient):
    today = timezone.localdate()
    dates = JournalEntry.objects.filter(user=demo_patient).values_list("date", flat=True)
    assert min(dates) >= days_ago(59, today)
    assert max(dates) <= today


def test_the_demo_journal_has_exactly_two_infusions(demo_patient):
    assert InfusionSession.objects.filter(user=demo_patient).count() == 2


def test_the_demo_journal_has_side_effects_linked_to_infusions(demo_patient):
    linked = SideEffectReport.objects.filter(user=demo_patient, infusion__isnull=False)
    assert linked.count() >= 3
    assert {report.infusion.user for report in linked} == {demo_patient}


def test_running_the_demo_again_adds_nothing(demo_patient):
    counts = (
        JournalEntry.objects.filter(user=demo_patient).count(),
        InfusionSession.objects.filter(user=demo_patient).count(),
        SideEffectReport.objects.filter(user=demo_patient).count(),
    )
    assert create_demo_journal(demo_patient) is False
    assert counts == (
        JournalEntry.objects.filter(user=demo_patient).count(),
        InfusionSession.objects.filter(user=demo_patient).count(),
        SideEffectReport.objects.filter(user=demo_patient).count(),
    )


def test_the_demo_patient_has_an_appointment_in_the_coming_days(demo_patient):
    checklist = Checklist.objects.get(user=demo_patient)

    assert checklist.appointment_date > timezone.localdate()


def test_the_demo_patients_checklist_is_built_from_the_catalogue_and_the_journal(demo_patient):
    origins = set(
        ChecklistItem.objects.filter(checklist__user=demo_patient).values_list("origin", flat=True)
    )

    assert origins == {ItemOrigin.CATALOGUE, ItemOrigin.PERSONALISED}


def test_the_demo_patients_checklist_has_top_questions(demo_patient):
    assert (
        ChecklistItem.objects.filter(checklist__user=demo_patient, is_top_priority=True).count()
        == 2
    )


def test_the_demo_journal_shows_trends_on_the_dashboard(client, demo_patient):
    client.force_login(demo_patient)
    html = client.get("/journal/").content.decode()
    assert html.count("<svg") == len(RATING_NAMES) + 1  # and blood pressure


def test_the_demo_journal_shows_before_and_after_both_infusions(demo_patient):
    rows = before_and_after_infusions(demo_patient)
    assert len(rows) == 2
    assert all(row.before["focus"] is not None and row.after["focus"] is not None for row in rows)


# Infusions on the charts, and what changed after each


def test_an_infusion_in_the_window_is_marked_on_every_rating_chart(client, patient):
    JournalEntryFactory(user=patient, date=days_ago(3, timezone.localdate()), focus=5)
    InfusionSessionFactory(user=patient, date=days_ago(2, timezone.localdate()))
    client.force_login(patient)

    html = client.get("/journal/").content.decode()

    assert html.count('<line class="infusion"') == len(RATING_NAMES)


def test_an_infusion_outside_the_window_is_not_marked(client, patient):
    JournalEntryFactory(user=patient, date=days_ago(3, timezone.localdate()), focus=5)
    InfusionSessionFactory(user=patient, date=days_ago(40, timezone.localdate()))
    client.force_login(patient)

    html = client.get("/journal/?days=30").content.decode()

    assert '<line class="infusion"' not in html


def test_a_marker_is_drawn_where_its_day_is_on_the_chart():
    days = chart_days(5, 6, 7)
    chart = line_chart(days, infusions=[days[2][0]])

    assert chart.markers[0][0] == chart.dots[2][0]


def test_the_dashboard_links_to_before_and_after_each_infusion(client, patient):
    client.force_login(patient)

    html = client.get("/journal/").content.decode()

    assert 'href="/journal/before-and-after/"' in html


def test_before_and_after_shows_the_change_of_each_rating(demo_patient):
    row = before_and_after_infusions(demo_patient)[0]

    (focus,) = [each for each in row.table if each[0] == "Focus"]
    assert focus[3] == round(focus[2] - focus[1], 1)


def test_the_before_and_after_page_has_a_change_column(client, demo_patient):
    client.force_login(demo_patient)

    text = visible_text(client.get("/journal/before-and-after/").content.decode())

    assert "7 days before 7 days after Change" in text


def test_the_dashboard_charts_blood_pressure_with_the_lines_the_safety_messages_use(
    client, patient
):
    BloodPressureReadingFactory(user=patient, systolic=150, diastolic=95)
    client.force_login(patient)

    html = client.get("/journal/").content.decode()

    assert re.findall(r'class="tick threshold-label"[^>]*>(\d+)<', html) == [
        "180",
        "140",
        "120",
        "90",
    ]


def test_the_blood_pressure_chart_draws_the_top_and_the_bottom_number(patient):
    BloodPressureReadingFactory(user=patient, systolic=150, diastolic=95)

    chart = dashboard_trends(user=patient, days=30).blood_pressure

    assert [
        round(float(label.split(": ")[1])) for *_, label in chart.dots + chart.second_line.dots
    ] == [150, 95]


def test_the_dashboard_has_no_blood_pressure_chart_without_readings(client, patient):
    client.force_login(patient)

    assert "chart-blood-pressure" not in client.get("/journal/").content.decode()


def test_a_spanish_chart_keeps_dots_in_its_coordinates(client, logged_in):
    today = timezone.localdate()
    entry(logged_in, days_ago(3, today), focus=4)
    entry(logged_in, days_ago(1, today), focus=7)
    html = client.get("/es/journal/").content.decode()
    svg = section_of(html, "focus").split("<svg", 1)[1].split("</svg>", 1)[0]
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    assert coordinates
    assert all("," not in value for value in coordinates)
