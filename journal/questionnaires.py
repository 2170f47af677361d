"""PHQ-9 and GAD-7: free-to-use screening questionnaires, with their standard scoring.

Both were developed by Drs Spitzer, Williams, Kroenke and colleagues with a grant from Pfizer
and need no permission to reproduce. (The WHO ASRS is not free to reproduce and is not here.)
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The answers' English words, as stored documents (the FHIR export) name them. Patients read
# each questionnaire's own `answer_choices`: the official Spanish of PHQ-9 and GAD-7 words "Not
# at all" differently ("Ningún día", "Nunca").
ANSWER_CHOICES = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]
# PHQ-9's tenth question: asked and stored, never part of the score.
DIFFICULTY_QUESTION = _(
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_CHOICES = [
    (0, _("Not difficult at all")),
    (1, _("Somewhat difficult")),
    (2, _("Very difficult")),
    (3, _("Extremely difficult")),
]
STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"


def _answer_choices(not_at_all):
    return [
        (0, not_at_all),
        (1, _("Several days")),
        (2, _("More than half the days")),
        (3, _("Nearly every day")),
    ]


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str
    items: list[str]
    bands: list[tuple[int, str]]  # (lowest score of the band, label), highest first
    crisis_item: int | None = None  # index of the item whose any positive answer needs help now
    asks_difficulty: bool = False  # PHQ-9's unscored last question (DIFFICULTY_QUESTION)
    # What the patient reads, in the active language (items and bands stay English as marked
    # with gettext_noop: the FHIR export and stored documents use them).
    stem: str = STEM
    answer_choices: list = field(default_factory=lambda: list(ANSWER_CHOICES))

    @property
    def questions(self) -> list[str]:
        """The items in the active language."""
        return [gettext(item) for item in self.items]

    @property
    def max_score(self) -> int:
        return 3 * len(self.items)

    def severity(self, score: int) -> str:
        """The band's name in the active language."""
        return gettext(next(label for lowest, label in self.bands if score >= lowest))

    def needs_crisis_resources(self, answers: list[int]) -> bool:
        return self.crisis_item is not None and answers[self.crisis_item] > 0


PHQ9 = Questionnaire(
    code="phq9",
    name="PHQ-9",
    items=[
        gettext_noop("Little interest or pleasure in doing things"),
        gettext_noop("Feeling down, depressed, or hopeless"),
        gettext_noop("Trouble falling or staying asleep, or sleeping too much"),
        gettext_noop("Feeling tired or having little energy"),
        gettext_noop("Poor appetite or overeating"),
        gettext_noop(
            "Feeling bad about yourself — or that you are a failure or have let yourself or your "
            "family down"
        ),
        gettext_noop(
            "Trouble concentrating on things, such as reading the newspaper or watching television"
        ),
        gettext_noop(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
            "being so fidgety or restless that you have been moving around a lot more than usual"
        ),
        gettext_noop(
            "Thoughts that you would be better off dead or of hurting yourself in some way"
        ),
    ],
    bands=[
        (20, gettext_noop("Severe")),
        (15, gettext_noop("Moderately severe")),
        (10, gettext_noop("Moderate")),
        (5, gettext_noop("Mild")),
        (0, gettext_noop("Minimal")),
    ],
    crisis_item=8,
    asks_difficulty=True,
    stem=pgettext_lazy(
        "PHQ-9",
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    ),
    answer_choices=_answer_choices(pgettext_lazy("PHQ-9 answer", "Not at all")),
)

GAD7 = Questionnaire(
    code="gad7",
    name="GAD-7",
    items=[
        gettext_noop("Feeling nervous, anxious or on edge"),
        gettext_noop("Not being able to stop or control worrying"),
        gettext_noop("Worrying too much about different things"),
        gettext_noop("Trouble relaxing"),
        gettext_noop("Being so restless that it is hard to sit still"),
        gettext_noop("Becoming easily annoyed or irritable"),
        gettext_noop("Feeling afraid as if something awful might happen"),
    ],
    bands=[
        (15, gettext_noop("Severe")),
        (10, gettext_noop("Moderate")),
        (5, gettext_noop("Mild")),
        (0, gettext_noop("Minimal")),
    ],
    stem=pgettext_lazy(
        "GAD-7",
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    ),
    answer_choices=_answer_choices(pgettext_lazy("GAD-7 answer", "Not at all")),
)

QUESTIONNAIRES = {questionnaire.code: questionnaire for questionnaire in (PHQ9, GAD7)}
