"""Blood-pressure checks. The wording never diagnoses: it says what to do and who to contact."""

from dataclasses import dataclass

SYSTOLIC_MIN, SYSTOLIC_MAX = 60, 280
DIASTOLIC_MIN, DIASTOLIC_MAX = 30, 180
PULSE_MIN, PULSE_MAX = 25, 250

URGENT_SYSTOLIC, URGENT_DIASTOLIC = 180, 120
LOW_SYSTOLIC, LOW_DIASTOLIC = 90, 60
PRE_INFUSION_SYSTOLIC, PRE_INFUSION_DIASTOLIC = 140, 90


@dataclass(frozen=True)
class SafetyMessage:
    level: str  # "urgent", "low" or "flagged": how the page shows it
    title: str
    text: str


URGENT = SafetyMessage(
    level="urgent",
    title="This reading is very high. Sit quietly for 5 minutes, then measure again.",
    text=(
        "If it is still 180/120 or higher, contact your provider now. Call your local emergency "
        "number if you have chest pain, shortness of breath, weakness, or changes in your vision "
        "or speech."
    ),
)
LOW = SafetyMessage(
    level="low",
    title="This reading is low. Sit or lie down, then measure again.",
    text=(
        "If it is still below 90/60 and you feel dizzy or faint, contact your clinic. Call your "
        "local emergency number if you faint or have chest pain."
    ),
)
FLAGGED_BEFORE_INFUSION = SafetyMessage(
    level="flagged",
    title="This reading before an infusion is above 140/90.",
    text=(
        "Tell the clinic team before your infusion starts. It is added to the questions for your "
        "next consultation."
    ),
)


def reading_errors(
    *,
    systolic: int,
    diastolic: int,
    systolic_field: str = "systolic",
    diastolic_field: str = "diastolic",
) -> dict[str, str]:
    """Messages, by field, for a reading no blood-pressure monitor would show (none: {}).

    A model's clean() raises them; InfusionSession gathers those of its two readings first.
    """
    errors = {}
    if not SYSTOLIC_MIN <= systolic <= SYSTOLIC_MAX:
        errors[systolic_field] = f"Enter a top number between {SYSTOLIC_MIN} and {SYSTOLIC_MAX}."
    if not DIASTOLIC_MIN <= diastolic <= DIASTOLIC_MAX:
        errors[diastolic_field] = (
            f"Enter a bottom number between {DIASTOLIC_MIN} and {DIASTOLIC_MAX}."
        )
    if not errors and systolic <= diastolic:
        errors[diastolic_field] = "The bottom number must be lower than the top number."
    return errors


def is_urgent(*, systolic: int, diastolic: int) -> bool:
    return systolic >= URGENT_SYSTOLIC or diastolic >= URGENT_DIASTOLIC


def is_low(*, systolic: int, diastolic: int) -> bool:
    return systolic < LOW_SYSTOLIC or diastolic < LOW_DIASTOLIC


def is_flagged_before_infusion(*, systolic: int, diastolic: int) -> bool:
    return systolic > PRE_INFUSION_SYSTOLIC or diastolic > PRE_INFUSION_DIASTOLIC


def assess(*, systolic: int, diastolic: int, before_infusion: bool) -> SafetyMessage | None:
    """The message a reading calls for, or None."""
    if is_urgent(systolic=systolic, diastolic=diastolic):
        return URGENT
    if is_low(systolic=systolic, diastolic=diastolic):
        return LOW
    if before_infusion and is_flagged_before_infusion(systolic=systolic, diastolic=diastolic):
        return FLAGGED_BEFORE_INFUSION
    return None
