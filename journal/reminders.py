"""Reminders by e-mail: what a patient can turn on, when each is due, and whether it is still
needed when it goes out. The reminders page, the API, the scheduler's job and the sending task
(journal/tasks.py) all call these functions.

A reminder is looked at once a day, at its local time of day in the patient's zone
(AccountPreferences.time_zone); what is due at that moment depends on its kind:
- daily check-in: every day, unless that local date already has a journal entry (checked when the
  moment is found, and again when the e-mail goes);
- questionnaires: PHQ-9 and GAD-7 each on the 14th day after its last answer (after the reminder
  was turned on, if never answered), then again once a day on the 3 days after while
  unanswered, then nothing until it is answered;
- visit prep: each appointment (a checklist's date) two days later, with the checklist's link.

Local time: 08:00 stays 08:00 across daylight-saving changes; a time the clocks skip that day goes
at the first minute after it that exists, and a time they repeat goes the first time. A time in
the patient's quiet hours goes at their end.

Stale reminders: a due moment more than STALE_AFTER old when the scheduler finds it (it was
stopped) or when a worker gets to it is recorded as skipped, not sent: a reminder for the morning
arriving in the afternoon is noise, and a patient gets no burst of old ones after an outage.

At most once: each due moment and subject is one ReminderDelivery row under a unique constraint;
the task sending it locks the row and sets sent_at in the transaction that sends.
"""

import datetime
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from lib.mail import portal_url, send_email
from lib.tasks import RETRY_AFTER

from .models import (
    AccountPreferences,
    Checklist,
    JournalEntry,
    QuestionnaireResponse,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    clinic_time_zone,
)
from .questionnaires import QUESTIONNAIRES

STALE_AFTER = datetime.timedelta(hours=3)
QUESTIONNAIRE_DAYS = range(14, 18)  # days after the last answer: the first, then 3 more
VISIT_PREP_DAYS_BEFORE = 2
# Due reminders are read and written in pages of this many: memory stays flat as patients grow.
PAGE_SIZE = 500
CHECK_IN = "check-in"
CHECKLIST = "checklist-"
UNSUBSCRIBE_SALT = "journal.reminders.unsubscribe"
ONE_DAY = datetime.timedelta(days=1)
ONE_MINUTE = datetime.timedelta(minutes=1)

QUIET_PAIR = gettext_noop("Give both times of your quiet hours, or leave both empty for none.")
QUIET_EMPTY = gettext_noop("Quiet hours can't end when they start. Leave both empty for none.")


# When: local moments, quiet hours, daylight saving. ---------------------------------------


@dataclass(frozen=True)
class Clock:
    """A patient's zone and quiet hours: what turns a time of day into moments."""

    zone: zoneinfo.ZoneInfo
    quiet_start: datetime.time | None
    quiet_end: datetime.time | None

    def is_quiet(self, at: datetime.time) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= at < self.quiet_end
        return at >= self.quiet_start or at < self.quiet_end

    def sending_time(
        self, *, day: datetime.date, at: datetime.time
    ) -> tuple[datetime.date, datetime.time]:
        """The local day and time a reminder set for `at` on `day` goes: the end of the quiet
        hours it falls in (the next morning, for a time late in the evening)."""
        if not self.is_quiet(at):
            return day, at
        if self.quiet_start > self.quiet_end and at >= self.quiet_start:
            return day + ONE_DAY, self.quiet_end
        return day, self.quiet_end

    def moment(self, *, day: datetime.date, at: datetime.time) -> datetime.datetime:
        """The UTC moment of a local wall-clock time. One the clocks skip (spring forward) is
        moved to the first minute after it that exists; one they repeat is its first time."""
        wall = datetime.datetime.combine(day, at)
        while not self._exists(wall):
            wall += ONE_MINUTE
        return wall.replace(tzinfo=self.zone).astimezone(datetime.UTC)

    def _exists(self, wall: datetime.datetime) -> bool:
        there_and_back = wall.replace(tzinfo=self.zone).astimezone(datetime.UTC)
        return there_and_back.astimezone(self.zone).replace(tzinfo=None) == wall

    def local_day(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.zone).date()

    def daily(self, *, at: datetime.time, start: datetime.datetime) -> Iterator[datetime.datetime]:
        """A reminder's daily moments in order, from the day before start's local date."""
        day = self.local_day(start) - ONE_DAY
        while True:
            sending_day, sending_at = self.sending_time(day=day, at=at)
            yield self.moment(day=sending_day, at=sending_at)
            day += ONE_DAY

    def moments_between(
        self, *, at: datetime.time, start: datetime.datetime, end: datetime.datetime
    ) -> list[datetime.datetime]:
        moments = []
        for moment in self.daily(at=at, start=start):
            if moment > end:
                return moments
            if moment >= start:
                moments.append(moment)

    def next_after(self, *, at: datetime.time, after: datetime.datetime) -> datetime.datetime:
        return next(moment for moment in self.daily(at=at, start=after) if moment > after)


def clock_of(*, time_zone: str | None, quiet_start, quiet_end) -> Clock:
    """No preferences row (time_zone None): the clinic's zone and the default quiet hours."""
    if time_zone is None:
        fields = AccountPreferences._meta
        time_zone = clinic_time_zone()
        quiet_start = fields.get_field("quiet_start").get_default()
        quiet_end = fields.get_field("quiet_end").get_default()
    return Clock(zoneinfo.ZoneInfo(time_zone), quiet_start, quiet_end)


def preferences_clock(preferences: AccountPreferences) -> Clock:
    return clock_of(
        time_zone=preferences.time_zone,
        quiet_start=preferences.quiet_start,
        quiet_end=preferences.quiet_end,
    )


def with_clock(reminders: QuerySet) -> QuerySet:
    """Reminders with what their moments and their e-mail need from the account, in the same
    query (zone and quiet hours are null when the patient has no preferences row)."""
    return reminders.annotate(
        zone_name=F("user__preferences__time_zone"),
        quiet_start=F("user__preferences__quiet_start"),
        quiet_end=F("user__preferences__quiet_end"),
        email=F("user__email"),
        is_active=F("user__is_active"),
    )


def reminder_clock(reminder: Reminder) -> Clock:
    return clock_of(
        time_zone=reminder.zone_name,
        quiet_start=reminder.quiet_start,
        quiet_end=reminder.quiet_end,
    )


# What is due at a moment. ----------------------------------------------------------------


@dataclass
class Facts:
    """What one reminder's subjects depend on, read in bulk for a page of reminders."""

    logged_days: set[datetime.date] = field(default_factory=set)
    last_answers: dict[str, datetime.datetime] = field(default_factory=dict)
    appointments: dict[datetime.date, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Due:
    subject: str
    checklist_id: int | None = None
    needed: bool = True


def due_at_moment(
    *, reminder: Reminder, clock: Clock, facts: Facts, moment: datetime.datetime
) -> list[Due]:
    """The subjects of the reminder due at one of its daily moments."""
    day = clock.local_day(moment)
    if reminder.kind == ReminderKind.CHECK_IN:
        return [Due(CHECK_IN, needed=day not in facts.logged_days)]
    if reminder.kind == ReminderKind.QUESTIONNAIRES:
        return [
            Due(code)
            for code in QUESTIONNAIRES
            if (day - clock.local_day(facts.last_answers.get(code, reminder.enabled_at))).days
            in QUESTIONNAIRE_DAYS
        ]
    appointment_day = day + VISIT_PREP_DAYS_BEFORE * ONE_DAY
    return [Due(f"{CHECKLIST}{pk}", pk) for pk in facts.appointments.get(appointment_day, [])]


def read_facts(moments: dict[Reminder, list[datetime.datetime]]) -> dict[Reminder, Facts]:
    """The facts of every reminder at its moments: one query per kind present, whatever the
    number of reminders."""
    facts = {reminder: Facts() for reminder in moments}
    by_kind = defaultdict(dict)  # kind: {user id: reminder}
    days = defaultdict(set)  # kind: local days of the moments
    for reminder, reminder_moments in moments.items():
        by_kind[reminder.kind][reminder.user_id] = reminder
        clock = reminder_clock(reminder)
        days[reminder.kind].update(clock.local_day(moment) for moment in reminder_moments)
    if check_ins := by_kind[ReminderKind.CHECK_IN]:
        entries = JournalEntry.objects.filter(
            user_id__in=check_ins, date__in=days[ReminderKind.CHECK_IN]
        ).values_list("user_id", "date")
        for user_id, date in entries:
            facts[check_ins[user_id]].logged_days.add(date)
    if questionnaires := by_kind[ReminderKind.QUESTIONNAIRES]:
        answers = (
            QuestionnaireResponse.objects.filter(user_id__in=questionnaires)
            .order_by()
            .values_list("user_id", "questionnaire")
            .annotate(last=Max("taken_at"))
        )
        for user_id, code, last in answers:
            facts[questionnaires[user_id]].last_answers[code] = last
    if visit_preps := by_kind[ReminderKind.VISIT_PREP]:
        appointment_days = {day + VISIT_PREP_DAYS_BEFORE * ONE_DAY
                            for day in days[ReminderKind.VISIT_PREP]}  # fmt: skip
        checklists = Checklist.objects.filter(
            user_id__in=visit_preps, appointment_date__in=appointment_days
        ).values_list("user_id", "pk", "appointment_date")
        for user_id, pk, date in checklists:
            facts[visit_preps[user_id]].appointments.setdefault(date, []).append(pk)
    return facts


# The scheduler's side: find what is due, record it once. ---------------------------------


def due_pages(*, now: datetime.datetime) -> Iterator[list[Reminder]]:
    """The reminders due by now, a page at a time, through the next_due_at index.

    Pages by primary key rather than one long-lived .iterator() cursor: each page is written
    (its next_due_at moves on) and committed before the next one is read."""
    due = with_clock(Reminder.objects.filter(enabled=True, next_due_at__lte=now)).order_by("pk")
    last = 0
    while page := list(due.filter(pk__gt=last)[:PAGE_SIZE]):
        yield page
        last = page[-1].pk


def record_due(*, reminders: list[Reminder], now: datetime.datetime) -> list[int]:
    """Records a delivery for each subject due between each reminder's next_due_at and now,
    moves next_due_at to its next daily moment, and answers the ids of the deliveries to send.

    A bulk insert that ignores rows the unique constraint already holds: a second scheduler
    running at the same moment records nothing new, and as each row carries the id of the pass
    that inserted it, only that pass sends it. A fixed number of queries per page."""
    clocks, moments = {}, {}
    for reminder in reminders:
        clock = clocks[reminder] = reminder_clock(reminder)
        at = reminder.time_of_day
        moments[reminder] = clock.moments_between(at=at, start=reminder.next_due_at, end=now)
        reminder.next_due_at = clock.next_after(at=at, after=now)
    facts = read_facts(moments)
    this_pass = uuid.uuid4()
    deliveries = [
        ReminderDelivery(
            reminder=reminder,
            due_at=moment,
            subject=due.subject,
            checklist_id=due.checklist_id,
            recorded_by=this_pass,
            enqueued_at=now,
            skipped=not due.needed or now - moment > STALE_AFTER,
        )
        for reminder, reminder_moments in moments.items()
        for moment in reminder_moments
        for due in due_at_moment(
            reminder=reminder, clock=clocks[reminder], facts=facts[reminder], moment=moment
        )
    ]
    ReminderDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    Reminder.objects.bulk_update(reminders, ["next_due_at"])
    recorded = ReminderDelivery.objects.filter(recorded_by=this_pass, skipped=False)
    return list(recorded.values_list("pk", flat=True))


def deliveries_to_retry(*, now: datetime.datetime) -> list[int]:
    """Deliveries queued more than RETRY_AFTER ago and still unsent (their worker died, or the
    queue lost them), marked as queued again now; those already stale are skipped instead. A
    retry that meets a send still under way waits for its lock, then finds it sent."""
    unsent = ReminderDelivery.objects.filter(sent_at__isnull=True, skipped=False)
    unsent.filter(due_at__lt=now - STALE_AFTER).update(skipped=True)
    ids = list(unsent.filter(enqueued_at__lte=now - RETRY_AFTER).values_list("pk", flat=True))
    ReminderDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids


# The worker's side: send one, at most once. ----------------------------------------------


def deliver(*, delivery_id: int, now: datetime.datetime) -> bool:
    """Sends the delivery's e-mail unless it is sent, skipped or no longer needed (turned off,
    done already, no e-mail address, stale); answers whether it sent. The row stays locked
    until sent_at is committed with the send, so a second worker waits, then finds it sent;
    a worker that dies before the commit leaves it unsent for the scheduler to queue again."""
    with transaction.atomic():
        delivery = ReminderDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.sent_at or delivery.skipped:
            return False
        reminder = with_clock(Reminder.objects.filter(pk=delivery.reminder_id)).get()
        if not is_needed(delivery=delivery, reminder=reminder, now=now):
            delivery.skipped = True
            delivery.save(update_fields=["skipped"])
            return False
        send_reminder_email(delivery=delivery, reminder=reminder)
        delivery.sent_at = now
        delivery.save(update_fields=["sent_at"])
        return True


def is_needed(*, delivery: ReminderDelivery, reminder: Reminder, now: datetime.datetime) -> bool:
    """Still wanted and still due with what the patient has done since it was recorded."""
    if not (reminder.enabled and reminder.is_active and reminder.email):
        return False
    if now - delivery.due_at > STALE_AFTER:
        return False
    clock = reminder_clock(reminder)
    facts = read_facts({reminder: [delivery.due_at]})[reminder]
    due = due_at_moment(reminder=reminder, clock=clock, facts=facts, moment=delivery.due_at)
    return Due(delivery.subject, delivery.checklist_id) in due


def reminder_text(delivery: ReminderDelivery) -> tuple[str, str]:
    """The e-mail's one line and its link: the reminder's name only, never health data."""
    if delivery.subject == CHECK_IN:
        return gettext("Time for today's check-in"), reverse("journal:dashboard")
    if delivery.checklist_id:
        return (
            gettext("Your appointment is in two days: time to look over your questions"),
            reverse("checklists:detail", kwargs={"pk": delivery.checklist_id}),
        )
    name = QUESTIONNAIRES[delivery.subject].name
    return (
        gettext("Time for your %(name)s questionnaire") % {"name": name},
        reverse("journal:questionnaires_create", kwargs={"code": delivery.subject}),
    )


def send_reminder_email(*, delivery: ReminderDelivery, reminder: Reminder) -> None:
    """In the patient's language, subject and links included (its pages under /es/...)."""
    with translation.override(AccountPreferences.language_of(reminder.user_id)):
        _send_reminder_email(delivery=delivery, reminder=reminder)


def _send_reminder_email(*, delivery: ReminderDelivery, reminder: Reminder) -> None:
    line, path = reminder_text(delivery)
    send_email(
        to=[reminder.email],
        subject=line,
        template="journal/emails/reminder",
        context={
            "line": line,
            "link": portal_url(path),
            "reminder_name": str(reminder.get_kind_display()),
            "reminders_url": portal_url(reverse("journal:reminders")),
        },
        unsubscribe_url=portal_url(reverse("reminder_off", args=[unsubscribe_token(reminder)])),
        message_key=f"reminder-{delivery.pk}",
    )


# Unsubscribing: a signed link per reminder. -----------------------------------------------


def unsubscribe_token(reminder: Reminder) -> str:
    """The credential of the e-mail's unsubscribe link: it names one reminder, and only this
    module's salt and the SECRET_KEY make it. It does not expire: an old e-mail's link works."""
    return signing.dumps(reminder.pk, salt=UNSUBSCRIBE_SALT)


def reminder_for_token(token: str) -> Reminder | None:
    """The reminder a link names, or None for a link that is tampered with, cut short or whose
    reminder is gone (its account deleted)."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Reminder.objects.filter(pk=pk).first() if isinstance(pk, int) else None


# The patient's choices: reminders page and API. -------------------------------------------


@dataclass(frozen=True)
class ReminderChoice:
    enabled: bool
    time_of_day: datetime.time


@dataclass
class ReminderSettings:
    reminders: dict[str, Reminder]  # by kind; unsaved (off, default time) until first chosen
    quiet_start: datetime.time | None
    quiet_end: datetime.time | None
    time_zone: str
    email: str

    @property
    def has_email(self) -> bool:
        return bool(self.email)


def _preferences(user: User) -> AccountPreferences:
    return AccountPreferences.objects.filter(user=user).first() or AccountPreferences(user=user)


def reminder_settings(*, user: User) -> ReminderSettings:
    """Every kind of reminder of the patient, their quiet hours, zone and e-mail address."""
    saved = {reminder.kind: reminder for reminder in Reminder.objects.owned_by(user)}
    preferences = _preferences(user)
    return ReminderSettings(
        reminders={
            kind: saved.get(kind)
            or Reminder(user=user, kind=kind, time_of_day=Reminder.DEFAULT_TIMES[kind])
            for kind in ReminderKind
        },
        quiet_start=preferences.quiet_start,
        quiet_end=preferences.quiet_end,
        time_zone=preferences.time_zone,
        email=user.email,
    )


def check_quiet_hours(*, quiet_start: datetime.time | None, quiet_end: datetime.time | None):
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(
            {"quiet_end" if quiet_end is None else "quiet_start": gettext(QUIET_PAIR)}
        )
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationError({"quiet_end": gettext(QUIET_EMPTY)})


def reminder_settings_set(
    *,
    user: User,
    choices: dict[str, ReminderChoice],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    now: datetime.datetime,
) -> ReminderSettings:
    """Saves the patient's reminders (by kind) and quiet hours, and when each is next due.
    Quiet hours come as a pair of different times, or not at all (ValidationError)."""
    check_quiet_hours(quiet_start=quiet_start, quiet_end=quiet_end)
    with transaction.atomic():
        current = reminder_settings(user=user)
        preferences = _preferences(user)
        preferences.quiet_start, preferences.quiet_end = quiet_start, quiet_end
        preferences.save()
        clock = preferences_clock(preferences)
        for kind, choice in choices.items():
            reminder = current.reminders[kind]
            if choice.enabled and not reminder.enabled:
                reminder.enabled_at = now
            reminder.enabled, reminder.time_of_day = choice.enabled, choice.time_of_day
            schedule(reminder=reminder, clock=clock, now=now)
            reminder.save()
    return reminder_settings(user=user)


def schedule(*, reminder: Reminder, clock: Clock, now: datetime.datetime) -> None:
    """Its next moment after now while it is on; none while it is off."""
    reminder.next_due_at = (
        clock.next_after(at=reminder.time_of_day, after=now) if reminder.enabled else None
    )


def reminder_switch(*, reminder: Reminder, enabled: bool, now: datetime.datetime) -> Reminder:
    """Turns one reminder off (the unsubscribe link) or back on."""
    if enabled and not reminder.enabled:
        reminder.enabled_at = now
    reminder.enabled = enabled
    schedule(reminder=reminder, clock=preferences_clock(_preferences(reminder.user)), now=now)
    reminder.save(update_fields=["enabled", "enabled_at", "next_due_at"])
    return reminder


def reminders_reschedule(*, user: User, now: datetime.datetime) -> None:
    """After the patient's zone changes: each reminder on goes at its time in the new zone."""
    clock = preferences_clock(_preferences(user))
    for reminder in Reminder.objects.owned_by(user).filter(enabled=True):
        schedule(reminder=reminder, clock=clock, now=now)
        reminder.save(update_fields=["next_due_at"])
