"""The rules of consultation prep, called alike by the pages (views.py) and the API (api.py).

Which questions a checklist gets: the clinic's catalogue plus questions drawn from the patient's own
journal since the last appointment, each personalised question with the data behind it. How the
patient keeps the list: their own questions at the end, one order numbered 1, 2, 3..., at most three
top questions and always first, removed questions staying out, a catalogue question added in one
step to the next appointment, no date in the past unless it is a record of a past visit. A refused
change raises ValidationError.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from education.models import ProviderQuestion, QuestionCategory
from journal import services
from journal.care import monitoring as infusion_monitoring
from journal.models import FIRST_YEAR, Checklist, ChecklistItem, ItemOrigin, JournalRevision

# Without an earlier appointment, look this far back.
DEFAULT_LOOKBACK = datetime.timedelta(days=90)
CATEGORY_ORDER = {value: index for index, value in enumerate(QuestionCategory.values)}
QUESTIONNAIRE_SOURCE = "questionnaire:"


@dataclass(frozen=True)
class Suggestion:
    source_key: str
    text: str
    category: str
    origin: str = ItemOrigin.PERSONALISED
    data_note: str = ""


def day_and_month(day: datetime.date) -> str:
    """ "5 March" in English, "5 de marzo" in Spanish: the active language's words."""
    return date_format(day, pgettext("day and month date format", "j F"))


def period_for(checklist: Checklist) -> tuple[datetime.date, datetime.date]:
    """To this appointment, or to today if sooner (no data comes from later), from the previous
    appointment already held by then, or else 90 days back: an earlier appointment still to come
    leaves this one's data where it was."""
    end = min(checklist.appointment_date, timezone.localdate())
    held = checklist.previous(held_by=end)
    return (held.appointment_date if held else end - DEFAULT_LOOKBACK), end


def side_effect_suggestions(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[Suggestion]:
    since = day_and_month(start)
    return [
        Suggestion(
            source_key=f"side-effect:{count.key}",
            text=gettext("What can I do about %(side_effect)s, and should it change my treatment?")
            % {"side_effect": count.name.lower()},
            category=QuestionCategory.SAFETY,
            data_note=ngettext(
                "You reported %(side_effect)s %(times)s time since %(since)s (worst %(worst)s/10).",
                "You reported %(side_effect)s %(times)s times since %(since)s "
                "(worst %(worst)s/10).",
                count.times,
            )
            % {
                "side_effect": count.name.lower(),
                "times": count.times,
                "since": since,
                "worst": count.worst,
            },
        )
        for count in services.side_effect_counts(user=user, start=start, end=end)
    ]


def blood_pressure_suggestions(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[Suggestion]:
    readings = services.flagged_readings(user=user, start=start, end=end)
    if not readings:
        return []
    highest = readings[0]
    when = day_and_month(timezone.localtime(highest.measured_at).date())
    highest_reading = f"{highest.systolic}/{highest.diastolic}"
    count = len(readings)
    return [
        Suggestion(
            source_key="blood-pressure:flagged",
            text=gettext(
                "My blood pressure was high. Is it safe to go on, and how should we watch it?"
            ),
            category=QuestionCategory.SAFETY,
            data_note=ngettext(
                "%(count)s reading was flagged since %(since)s (highest %(highest)s on %(when)s).",
                "%(count)s readings were flagged since %(since)s "
                "(highest %(highest)s on %(when)s).",
                count,
            )
            % {
                "count": count,
                "since": day_and_month(start),
                "highest": highest_reading,
                "when": when,
            },
        )
    ]


def medication_suggestions(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[Suggestion]:
    suggestions = []
    for medication in services.medications_taken(user=user, start=start, end=end):
        how = " ".join(part for part in [medication.dose, medication.frequency] if part)
        suggestions.append(
            Suggestion(
                # By name: a dose change recorded as a new record is still one medicine.
                source_key=f"medication:{' '.join(medication.name.lower().split())}",
                text=gettext("Could ketamine interact with %(medication)s?")
                % {"medication": medication.name},
                category=QuestionCategory.MEDICATIONS,
                data_note=gettext("You take %(medication)s.")
                % {"medication": f"{medication.name}{' ' + how if how else ''}"},
            )
        )
    return suggestions


def rating_suggestions(*, user: User, start: datetime.date, end: datetime.date) -> list[Suggestion]:
    """A question per rating that got worse, and one for all that did not improve."""
    period = gettext("between %(start)s and %(end)s") % {
        "start": day_and_month(start),
        "end": day_and_month(end),
    }
    trends = services.rating_summary(user=user, start=start, end=end)
    suggestions = []
    for trend in trends:
        if trend.direction == "worse":
            label = trend.label.lower()
            suggestions.append(
                Suggestion(
                    source_key=f"rating:{trend.name}",
                    text=gettext(
                        "My %(rating)s got worse. What could explain it, and what can we change?"
                    )
                    % {"rating": label},
                    category=QuestionCategory.PROGRESS,
                    data_note=gettext("Your average %(rating)s went from %(change)s %(period)s.")
                    % {"rating": label, "change": _change(trend), "period": period},
                )
            )
    flat = [trend for trend in trends if trend.direction == "steady"]
    if flat:
        names = ", ".join(trend.label.lower() for trend in flat)
        changes = "; ".join(f"{trend.label.lower()} {_change(trend)}" for trend in flat)
        suggestions.append(
            Suggestion(
                source_key="rating:not-improved",
                text=gettext("My %(ratings)s did not improve. Is the treatment working for me?")
                % {"ratings": names},
                category=QuestionCategory.PROGRESS,
                data_note=gettext("Average ratings %(period)s: %(changes)s.")
                % {"period": period, "changes": changes},
            )
        )
    return suggestions


def _change(trend: services.RatingTrend) -> str:
    values = {"first": trend.first_half, "second": trend.second_half}
    if trend.higher_is_better:
        return gettext("%(first)s to %(second)s out of 10 (higher is better)") % values
    return gettext("%(first)s to %(second)s out of 10 (lower is better)") % values


def questionnaire_suggestions(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[Suggestion]:
    suggestions = []
    for response in services.latest_questionnaires(user=user, start=start, end=end):
        name = response.get_questionnaire_display()
        taken = day_and_month(timezone.localtime(response.taken_at).date())
        if response.needs_crisis_resources:
            text = gettext(
                "I have had thoughts of being better off dead or of hurting myself. "
                "What support can I get now?"
            )
        else:
            text = gettext(
                "My %(questionnaire)s score is %(score)s. What does it mean for my treatment?"
            ) % {"questionnaire": name, "score": response.score}
        suggestions.append(
            Suggestion(
                source_key=f"{QUESTIONNAIRE_SOURCE}{response.questionnaire}",
                text=text,
                category=QuestionCategory.SAFETY,
                data_note=gettext(
                    "%(questionnaire)s on %(taken)s: %(score)s out of %(max_score)s (%(severity)s)."
                )
                % {
                    "questionnaire": name,
                    "taken": taken,
                    "score": response.score,
                    "max_score": response.definition.max_score,
                    "severity": response.severity.lower(),
                },
            )
        )
    return suggestions


def monitoring_suggestions(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[Suggestion]:
    """Questions from the clinic's monitoring records of the period's infusions: a reading at or
    above 180/120, not ready for discharge, a high dissociation total."""
    high_pressure, not_ready, dissociation = [], [], []
    for record in infusion_monitoring.monitoring_between(user=user, start=start, end=end):
        day = day_and_month(record.infusion.date)
        urgent = infusion_monitoring.urgent_readings(record)
        if urgent:
            high_pressure.append(f"{day}: {', '.join(urgent)}")
        if record.ready_for_discharge is False:
            if record.minutes_observed:
                not_ready.append(
                    gettext("%(day)s after %(minutes)s minutes")
                    % {"day": day, "minutes": record.minutes_observed}
                )
            else:
                not_ready.append(day)
        if infusion_monitoring.is_high_dissociation(record):
            dissociation.append(
                gettext("%(day)s: %(total)s out of 24") % {"day": day, "total": record.cadss_total}
            )
    suggestions = []
    if high_pressure:
        suggestions.append(
            Suggestion(
                source_key="monitoring:blood-pressure",
                text=gettext(
                    "My blood pressure reached 180/120 or more during an infusion. "
                    "Is it safe to go on, and what should change?"
                ),
                category=QuestionCategory.SAFETY,
                data_note=gettext("Clinic's monitoring record, %(readings)s.")
                % {"readings": "; ".join(high_pressure)},
            )
        )
    if not_ready:
        suggestions.append(
            Suggestion(
                source_key="monitoring:discharge",
                text=gettext(
                    "I was not ready to go home at the usual time after an infusion. "
                    "What does it mean for the next one?"
                ),
                category=QuestionCategory.SAFETY,
                data_note=gettext("Not ready for discharge: %(days)s.")
                % {"days": "; ".join(not_ready)},
            )
        )
    if dissociation:
        suggestions.append(
            Suggestion(
                source_key="monitoring:dissociation",
                text=gettext(
                    "I had strong dissociation during an infusion. Should the dose or the "
                    "plan change?"
                ),
                category=QuestionCategory.SAFETY,
                data_note=gettext("CADSS-6 dissociation total, %(totals)s.")
                % {"totals": "; ".join(dissociation)},
            )
        )
    return suggestions


def catalogue_suggestions() -> list[Suggestion]:
    questions = ProviderQuestion.objects.public()
    ordered = sorted(questions, key=lambda question: CATEGORY_ORDER.get(question.category, 99))
    return [
        Suggestion(
            source_key=f"catalogue:{question.pk}",
            text=question.text,
            category=question.category,
            origin=ItemOrigin.CATALOGUE,
        )
        for question in ordered
    ]


PERSONALISED_RULES = [
    blood_pressure_suggestions,
    monitoring_suggestions,
    questionnaire_suggestions,
    side_effect_suggestions,
    rating_suggestions,
    medication_suggestions,
]


def _personalised_by_key(checklist: Checklist) -> dict[str, Suggestion]:
    start, end = period_for(checklist)
    return {
        suggestion.source_key: suggestion
        for rule in PERSONALISED_RULES
        for suggestion in rule(user=checklist.user, start=start, end=end)
    }


def _catalogue_wordings(question: ProviderQuestion) -> set[str]:
    """Every language's text of a catalogue question (text_en, text_es where the catalogue is
    translated), as _same_text keys."""
    wordings = {question.text}
    for code, _name in settings.LANGUAGES:
        wordings.add(getattr(question, f"text_{code}", None) or "")
    return {_same_text(wording) for wording in wordings if wording}


def in_active_language(checklist: Checklist, items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Shows the checklist's generated questions in the active language, without saving.

    An item keeps the words it was made in (the language of the page where the checklist was
    built), but the sheet may be read in another one: a clinician printing an English sheet of a
    Spanish-speaking patient. An item still in the portal's own words is re-derived: a catalogue
    item through its source key ("catalogue:<id>") to the ProviderQuestion, whose text in any
    language it still matches; a personalised item by building its rule again in each language
    and matching the words. An item the patient edited, and their own questions, stay as written.
    """
    questions = {
        f"catalogue:{question.pk}": question
        for question in ProviderQuestion.objects.filter(
            pk__in=[
                int(item.source_key.split(":", 1)[1])
                for item in items
                if item.origin == ItemOrigin.CATALOGUE
                and item.source_key.startswith("catalogue:")
                and item.source_key.split(":", 1)[1].isdigit()
            ]
        )
    }
    for item in items:
        question = questions.get(item.source_key)
        if question is not None and _same_text(item.text) in _catalogue_wordings(question):
            item.text = question.text
    if not any(item.origin == ItemOrigin.PERSONALISED for item in items):
        return items
    active = translation.get_language()
    current = _personalised_by_key(checklist)
    elsewhere = []
    for code, _name in settings.LANGUAGES:
        if code != active:
            with translation.override(code):
                elsewhere.append(_personalised_by_key(checklist))
    for item in items:
        now = current.get(item.source_key)
        if item.origin != ItemOrigin.PERSONALISED or now is None:
            continue
        for suggestions in elsewhere:
            then = suggestions.get(item.source_key)
            if then is not None and _same_text(then.text) == _same_text(item.text):
                item.text = now.text
                if then.data_note == item.data_note:
                    item.data_note = now.data_note
                break
    return items


def suggestions_for(checklist: Checklist) -> list[Suggestion]:
    """Every question the checklist should hold: personalised first, then the catalogue."""
    start, end = period_for(checklist)
    personalised = [
        suggestion
        for rule in PERSONALISED_RULES
        for suggestion in rule(user=checklist.user, start=start, end=end)
    ]
    personalised.sort(key=lambda suggestion: CATEGORY_ORDER.get(suggestion.category, 99))
    return personalised + catalogue_suggestions()


def _same_text(text):
    """A question's identity for de-duplication: its words, ignoring case and spacing."""
    return "text:" + services.same_words(text)


@transaction.atomic
def build_checklist(*, user: User, checklist: Checklist) -> list[ChecklistItem]:
    """Add the questions the checklist does not have yet; return the new items.

    Safe to run again: items the patient edited, ticked or removed are left as they are, and a
    question already on the list (by what produced it) is never added twice.
    """
    if checklist.user_id != user.pk:
        raise PermissionDenied(_("A checklist is built only from its owner's journal."))
    existing = set(checklist.removed_source_keys)
    for source_key, text in checklist.items.values_list("source_key", "text"):
        existing.update([source_key, _same_text(text)])
    position = checklist.items.aggregate(last=Max("position"))["last"] or 0
    new_items = []
    for suggestion in suggestions_for(checklist):
        if suggestion.source_key in existing or _same_text(suggestion.text) in existing:
            continue
        existing.update([suggestion.source_key, _same_text(suggestion.text)])
        position += 1
        new_items.append(
            ChecklistItem(
                checklist=checklist,
                position=position,
                text=suggestion.text,
                origin=suggestion.origin,
                category=suggestion.category,
                data_note=suggestion.data_note,
                source_key=suggestion.source_key,
            )
        )
    return _bulk_add(checklist, new_items)


def next_position(checklist: Checklist) -> int:
    """The position after the checklist's last item."""
    return (checklist.items.aggregate(last=Max("position"))["last"] or 0) + 1


def check_not_on_checklist(
    *, checklist: Checklist, text: str, item: ChecklistItem | None = None
) -> None:
    """Refuse a question already on the checklist, by its words (ignoring case and spacing):
    a new one (add_own_question: a double tap), or an item's words changed to another item's (the
    question's edit page and the API's PUT and PATCH). An item keeping its words, or changing only
    their case or spacing, is never refused."""
    if item is not None and _same_text(text) == _same_text(item.text):
        return
    others = checklist.items.exclude(pk=item.pk) if item is not None else checklist.items.all()
    if _same_text(text) in {_same_text(other) for other in others.values_list("text", flat=True)}:
        raise ValidationError(
            {"text": gettext("This question is already on your checklist.")}, code="duplicate"
        )


@transaction.atomic
def add_own_question(
    *, checklist: Checklist, text: str, asked: bool = False, answer_notes: str = ""
) -> ChecklistItem:
    """The patient's own question, at the end of the checklist (the page's form and the API);
    not a second time (a double tap), and not past MAX_QUESTIONS."""
    _lock_checklist(checklist.pk)
    check_not_on_checklist(checklist=checklist, text=text)
    if checklist.items.count() >= ChecklistItem.MAX_QUESTIONS:
        raise ValidationError(
            {
                "text": gettext(
                    "A checklist holds up to %(count)s questions: remove one to add another."
                )
                % {"count": ChecklistItem.MAX_QUESTIONS}
            },
            code="full",
        )
    return ChecklistItem.objects.create(
        checklist=checklist,
        text=text,
        origin=ItemOrigin.OWN,
        position=next_position(checklist),
        asked=asked,
        answer_notes=answer_notes,
    )


# English constants (tests compare them); translated when raised.
PAST_DATE = gettext_noop(
    "This date is before today. Check the date, or tick “This is a record of a past visit” "
    "to keep it."
)


def check_appointment_date(
    *, appointment_date: datetime.date, is_past_visit: bool, saved_date: datetime.date | None
) -> None:
    """Refuse a date before today unless the patient says it records a past visit (a mistyped
    year otherwise files a checklist nobody will use). A checklist whose date is unchanged
    (saved_date) is never refused: its appointment has simply gone by. A year before FIRST_YEAR
    is left to the field's own validator, whose message says which dates are taken."""
    if appointment_date == saved_date or is_past_visit or appointment_date.year < FIRST_YEAR:
        return
    if appointment_date < timezone.localdate():
        raise ValidationError({"appointment_date": gettext(PAST_DATE)})


NO_UPCOMING_CHECKLIST = gettext_noop(
    "You have no upcoming appointment. Start a checklist for it first."
)


class NoUpcomingChecklist(ValidationError):
    """The patient has no checklist for today or later to add a question to."""

    def __init__(self):
        super().__init__(gettext(NO_UPCOMING_CHECKLIST), code="no_upcoming_checklist")


@dataclass(frozen=True)
class AddedQuestion:
    checklist: Checklist
    item: ChecklistItem
    added: bool  # False: the question was on the checklist already


def next_checklist(*, user: User) -> Checklist | None:
    """The patient's next appointment: the earliest checklist dated today or later."""
    return (
        Checklist.objects.owned_by(user)
        .filter(appointment_date__gte=timezone.localdate())
        .order_by("appointment_date", F("appointment_time").asc(nulls_last=True), "created")
        .first()
    )


@transaction.atomic
def add_catalogue_question(
    *, user: User, checklist: Checklist, question: ProviderQuestion
) -> AddedQuestion:
    """Put one of the clinic's published questions on the checklist, at the end, unless it is
    there already (by catalogue key or by its words). A question the patient removed before
    comes back: they asked for it."""
    if checklist.user_id != user.pk:
        raise PermissionDenied(_("Questions are added only to the patient's own checklist."))
    _lock_checklist(checklist.pk)
    source_key = f"catalogue:{question.pk}"
    for item in checklist.items.all():
        if item.source_key == source_key or _same_text(item.text) == _same_text(question.text):
            return AddedQuestion(checklist, item, added=False)
    if source_key in checklist.removed_source_keys:
        checklist.removed_source_keys = [
            key for key in checklist.removed_source_keys if key != source_key
        ]
        checklist.save(update_fields=["removed_source_keys"])
    item = ChecklistItem.objects.create(
        checklist=checklist,
        text=question.text,
        origin=ItemOrigin.CATALOGUE,
        category=question.category,
        source_key=source_key,
        position=next_position(checklist),
    )
    return AddedQuestion(checklist, item, added=True)


def add_to_next_checklist(*, user: User, question: ProviderQuestion) -> AddedQuestion:
    """The "Add to my checklist" button of /questions/, and its API: to the next appointment's
    checklist. Raises NoUpcomingChecklist (a ValidationError) when there is none."""
    checklist = next_checklist(user=user)
    if checklist is None:
        raise NoUpcomingChecklist()
    return add_catalogue_question(user=user, checklist=checklist, question=question)


@transaction.atomic
def carry_over_unanswered(checklist: Checklist) -> list[ChecklistItem]:
    """Copy the questions not asked at the previous appointment; each is carried once."""
    previous = checklist.previous()
    if previous is None:
        return []
    existing = set(checklist.items.values_list("source_key", flat=True))
    existing.update(checklist.removed_source_keys)
    held = checklist.items.aggregate(count=Count("pk"), last=Max("position"))
    position = (held["last"] or 0) + 1
    carried = []
    room = ChecklistItem.MAX_QUESTIONS - held["count"]
    for item in previous.items.filter(asked=False):
        key = item.source_key or f"carried:{item.pk}"
        if len(carried) >= room:
            break
        if key in existing:
            continue
        existing.add(key)
        carried.append(
            ChecklistItem(
                checklist=checklist,
                text=item.text,
                origin=item.origin,
                category=item.category,
                data_note=gettext("Not asked on %(date)s.")
                % {"date": day_and_month(previous.appointment_date)},
                source_key=key,
                position=position + len(carried),
            )
        )
    return _bulk_add(checklist, carried)


def _bulk_add(checklist: Checklist, items: list[ChecklistItem]) -> list[ChecklistItem]:
    """bulk_create sends no signals, so the journal revision is moved here."""
    created = ChecklistItem.objects.bulk_create(items)
    if created:
        JournalRevision.move(user_id=checklist.user_id)
    return created


@transaction.atomic
def move_item(*, item: ChecklistItem, to_position: int) -> None:
    """Put the item at place `to_position` of its checklist (1 is the first) and number all its
    items 1, 2, 3... again; a place past the end puts it last, one before the start first.
    Top questions always come first, so an item goes no higher or lower than its group allows.

    The API's position field and the page's Up, Down and "Move to top" buttons come here.
    """
    _lock_checklist(item.checklist_id)
    items = list(item.checklist.items.all())
    moving = next(each for each in items if each.pk == item.pk)
    items.remove(moving)
    items.insert(min(max(to_position, 1), len(items) + 1) - 1, moving)
    items.sort(key=lambda each: not each.is_top_priority)  # stable: top questions stay first
    _number_in_order(item.checklist, items)
    item.position = moving.position


@transaction.atomic
def move_item_one_place(*, item: ChecklistItem, up: bool) -> None:
    """The page's Up and Down buttons: one place earlier or later, through move_item."""
    _lock_checklist(item.checklist_id)
    place = list(item.checklist.items.values_list("pk", flat=True)).index(item.pk) + 1
    move_item(item=item, to_position=place - 1 if up else place + 1)


def move_item_to_top(*, item: ChecklistItem) -> None:
    """The page's "Move to top": first of its group (a top question first of all, another one
    right after the top questions) in one step instead of one Up per place."""
    move_item(item=item, to_position=1)


def with_moves(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Marks each item with whether it can move up or down, i.e. within its group (top questions,
    then the rest), so the page offers only the moves move_item would make."""
    for index, item in enumerate(items):
        before = items[index - 1] if index else None
        after = items[index + 1] if index + 1 < len(items) else None
        item.can_move_up = before is not None and before.is_top_priority == item.is_top_priority
        item.can_move_down = after is not None and after.is_top_priority == item.is_top_priority
    return items


def _number_in_order(checklist: Checklist, items: list[ChecklistItem]) -> None:
    """Positions 1, 2, 3... in the given order, saving only the ones that change."""
    changed = []
    for number, each in enumerate(items, start=1):
        if each.position != number:
            each.position = number
            changed.append(each)
    if changed:
        ChecklistItem.objects.bulk_update(changed, ["position"])  # no signals: move the revision
        JournalRevision.move(user_id=checklist.user_id)


TOO_MANY_TOP_QUESTIONS = gettext_noop(
    "You already have three top questions. Unmark one first, then try again."
)


@transaction.atomic
def set_top_priority(*, item: ChecklistItem, top: bool) -> None:
    """Mark or unmark a top question: at most three on a checklist (ChecklistItem.MAX_TOP_PRIORITY).

    Raises ValidationError on the field is_top_priority when a fourth would be marked. The page's
    button and the API both come here. A marked question goes last of the top questions, an
    unmarked one first of the rest: top questions are numbered first.
    """
    _lock_checklist(item.checklist_id)
    if top:
        others = item.checklist.items.filter(is_top_priority=True).exclude(pk=item.pk)
        if others.count() >= ChecklistItem.MAX_TOP_PRIORITY:
            raise ValidationError({"is_top_priority": gettext(TOO_MANY_TOP_QUESTIONS)})
    item.is_top_priority = top
    item.save(update_fields=["is_top_priority"])
    items = list(item.checklist.items.all())
    _number_in_order(item.checklist, items)
    item.position = next(each.position for each in items if each.pk == item.pk)


def toggle_top_priority(item: ChecklistItem) -> None:
    """The page's "Mark top" / "Unmark top" button; raises ValidationError as set_top_priority."""
    set_top_priority(item=item, top=not item.is_top_priority)


def _lock_checklist(checklist_id: int) -> None:
    """Rules counting or numbering a checklist's items take turns (where the database locks rows),
    so two requests at once can't mark a fourth top question or give two items one place."""
    Checklist.objects.select_for_update().filter(pk=checklist_id).first()


@transaction.atomic
def remove_item(item: ChecklistItem) -> None:
    """Delete the item and close the gap in the numbering; a generated item stays out when the
    checklist is rebuilt."""
    checklist = item.checklist
    _lock_checklist(checklist.pk)
    if item.source_key and item.source_key not in checklist.removed_source_keys:
        checklist.removed_source_keys = [*checklist.removed_source_keys, item.source_key]
        checklist.save(update_fields=["removed_source_keys"])
    item.delete()
    _number_in_order(checklist, list(checklist.items.all()))


# The sheet is one A4 page: it lists the latest few infusions of its period and counts the rest.
SHEET_INFUSIONS = 4


def from_questionnaires(item: ChecklistItem) -> bool:
    """Whether the question was drawn from the patient's questionnaires: its words and its note
    show their answers, so a care team sees it only if the patient shares their questionnaires."""
    return item.source_key.startswith(QUESTIONNAIRE_SOURCE)


def visit_sheet(
    checklist: Checklist, *, in_reader_language: bool = False, with_questionnaires: bool = True
) -> dict:
    """Everything the one-page visit-prep sheet shows: top questions first, a summary of the
    journal since the last appointment (the infusions and how the ratings changed around each,
    first), then the other questions by category.

    in_reader_language: the generated questions re-derived in the active language
    (in_active_language), for the clinician's sheet; it costs the rules' queries again, so the
    patient's own sheet, read in the language it was built in, goes without.
    with_questionnaires: False for a care team the patient does not share their questionnaires
    with; their scores and the questions drawn from them are left out."""
    user = checklist.user
    start, end = period_for(checklist)
    infusions = services.before_and_after_infusions(user, start=start, end=end)
    items = list(checklist.items.all())
    if not with_questionnaires:
        items = [item for item in items if not from_questionnaires(item)]
    if in_reader_language:
        items = in_active_language(checklist, items)
    top = [item for item in items if item.is_top_priority]
    by_category = []
    labels = dict(QuestionCategory.choices)
    for category in [*QuestionCategory.values, ""]:
        members = [i for i in items if not i.is_top_priority and i.category == category]
        if members:
            by_category.append((labels.get(category, gettext("My own questions")), members))
    return {
        "checklist": checklist,
        "items": items,
        "top_items": top,
        "items_by_category": by_category,
        "period_start": start,
        "period_end": end,
        "infusions": infusions[:SHEET_INFUSIONS],
        "earlier_infusions": len(infusions[SHEET_INFUSIONS:]),
        "ratings": services.rating_summary(user=user, start=start, end=end),
        "side_effects": services.side_effect_counts(user=user, start=start, end=end),
        "blood_pressure": services.blood_pressure_range(user=user, start=start, end=end),
        "flagged_readings": services.flagged_readings(user=user, start=start, end=end),
        "medications": services.medications_taken(user=user, start=start, end=end),
        "questionnaires": (
            services.latest_questionnaires(user=user, start=start, end=end)
            if with_questionnaires
            else []
        ),
    }
