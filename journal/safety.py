"""Blood-pressure checks. The wording never diagnoses: it says what to do and who to contact."""

from dataclasses import dataclass

from asgiref.local import Local
from django.apps import apps
from django.utils.translation import gettext

SYSTOLIC_MIN, SYSTOLIC_MAX = 60, 280
DIASTOLIC_MIN, DIASTOLIC_MAX = 30, 180
PULSE_MIN, PULSE_MAX = 25, 250


@dataclass(frozen=True)
class ClinicSafety:
    """The clinic's thresholds and crisis lines (journal.models.SafetySettings, edited in the
    admin); these defaults are its first rules: 180/120 is the American Heart Association's
    crisis level, 140/90 before dosing the esketamine (Spravato) label's, below 90/60 low."""

    urgent_systolic: int = 180
    urgent_diastolic: int = 120
    low_systolic: int = 90
    low_diastolic: int = 60
    pre_infusion_systolic: int = 140
    pre_infusion_diastolic: int = 90
    crisis_lines: tuple[str, ...] = ()


_request = Local()


def clinic_safety() -> ClinicSafety:
    """The clinic's settings: one query per request however many readings a page shows (kept
    from request_started to request_finished, see journal/signals.py), so a change in the admin
    counts from the next request on; outside a request, one query per call."""
    current = getattr(_request, "clinic_safety", None)
    if current is None:
        row = apps.get_model("journal", "SafetySettings").objects.filter(pk=1).first()
        current = ClinicSafety() if row is None else row.as_clinic_safety()
        if getattr(_request, "active", False):
            _request.clinic_safety = current
    return current


def request_started() -> None:
    _request.active = True
    _request.clinic_safety = None


def request_finished() -> None:
    _request.active = False
    _request.clinic_safety = None


@dataclass(frozen=True)
class SafetyMessage:
    level: str  # "urgent", "low" or "flagged": how the page shows it
    title: str
    text: str
    source: str = ""  # where the rule comes from, when it is the clinic's protocol


def urgent_message(rules: ClinicSafety) -> SafetyMessage:
    """The American Heart Association's advice for a reading at its crisis level, with the
    symptoms it lists for calling the emergency number."""
    return SafetyMessage(
        level="urgent",
        title=gettext("This reading is very high. Sit quietly for 5 minutes, then measure again."),
        text=gettext(
            "If it is still %(systolic)s/%(diastolic)s or higher, contact your provider now. "
            "Call your local emergency number if you have chest pain, back pain, shortness of "
            "breath, numbness or weakness, a change in your vision, or difficulty speaking."
        )
        % {"systolic": rules.urgent_systolic, "diastolic": rules.urgent_diastolic},
    )


def low_message(rules: ClinicSafety) -> SafetyMessage:
    return SafetyMessage(
        level="low",
        title=gettext("This reading is low. Sit or lie down, then measure again."),
        text=gettext(
            "If it is still below %(systolic)s/%(diastolic)s and you feel dizzy or faint, "
            "contact your clinic. Call your local emergency number if you faint or have chest "
            "pain."
        )
        % {"systolic": rules.low_systolic, "diastolic": rules.low_diastolic},
    )


def flagged_before_infusion_message(rules: ClinicSafety) -> SafetyMessage:
    """The clinic's protocol, named as such, with the source it follows."""
    limit = f"{rules.pre_infusion_systolic}/{rules.pre_infusion_diastolic}"
    return SafetyMessage(
        level="flagged",
        title=gettext("This reading before an infusion is above %(limit)s.") % {"limit": limit},
        text=gettext(
            "Your clinic's protocol is to check readings above %(limit)s before dosing. Tell the "
            "clinic team before your infusion starts. It is added to the questions for your next "
            "consultation."
        )
        % {"limit": limit},
        source=gettext(
            "Source: the esketamine (Spravato) prescribing information, which advises "
            "considering the risks of treatment when blood pressure is above 140/90 before "
            "dosing."
        ),
    )


URGENT = urgent_message(ClinicSafety())
LOW = low_message(ClinicSafety())
FLAGGED_BEFORE_INFUSION = flagged_before_infusion_message(ClinicSafety())


def reading_errors(
    *,
    systolic: int,
    diastolic: int,
    systolic_field: str = "systolic",
    diastolic_field: str = "diastolic",
) -> dict[str, str]:
    """Messages, by field, for two numbers no blood-pressure monitor would show together (none:
    {}). A number out of range has its own message from its field (journal.models.monitor_field),
    and then the pair is not compared.

    A model's clean() raises them; InfusionSession gathers those of its two readings first.
    """
    in_range = (
        SYSTOLIC_MIN <= systolic <= SYSTOLIC_MAX and DIASTOLIC_MIN <= diastolic <= DIASTOLIC_MAX
    )
    if in_range and systolic <= diastolic:
        return {diastolic_field: gettext("The bottom number must be lower than the top number.")}
    return {}


# From the least to the most pressing, for a record with more than one reading.
LEVELS = ["flagged", "low", "urgent"]


def most_pressing(messages: list[SafetyMessage | None]) -> SafetyMessage | None:
    found = [message for message in messages if message is not None]
    return max(found, key=lambda message: LEVELS.index(message.level), default=None)


def is_urgent(*, systolic: int, diastolic: int, rules: ClinicSafety) -> bool:
    return systolic >= rules.urgent_systolic or diastolic >= rules.urgent_diastolic


def is_low(*, systolic: int, diastolic: int, rules: ClinicSafety) -> bool:
    return systolic < rules.low_systolic or diastolic < rules.low_diastolic


def is_flagged_before_infusion(*, systolic: int, diastolic: int, rules: ClinicSafety) -> bool:
    return systolic > rules.pre_infusion_systolic or diastolic > rules.pre_infusion_diastolic


def assess(*, systolic: int, diastolic: int, before_infusion: bool) -> SafetyMessage | None:
    """The message a reading calls for under the clinic's settings, or None."""
    rules = clinic_safety()
    reading = {"systolic": systolic, "diastolic": diastolic, "rules": rules}
    if is_urgent(**reading):
        return urgent_message(rules)
    if is_low(**reading):
        return low_message(rules)
    if before_infusion and is_flagged_before_infusion(**reading):
        return flagged_before_infusion_message(rules)
    return None
