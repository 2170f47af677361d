"""PHQ-9 and GAD-7: free-to-use screening questionnaires, with their standard scoring.

Both were developed by Drs Spitzer, Williams, Kroenke and colleagues with a grant from Pfizer
and need no permission to reproduce. (The WHO ASRS is not free to reproduce and is not here.)
"""

from dataclasses import dataclass

ANSWER_CHOICES = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]
# PHQ-9's tenth question: asked and stored, never part of the score.
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_CHOICES = [
    (0, "Not difficult at all"),
    (1, "Somewhat difficult"),
    (2, "Very difficult"),
    (3, "Extremely difficult"),
]
STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str
    items: list[str]
    bands: list[tuple[int, str]]  # (lowest score of the band, label), highest first
    crisis_item: int | None = None  # index of the item whose any positive answer needs help now
    asks_difficulty: bool = False  # PHQ-9's unscored last question (DIFFICULTY_QUESTION)

    @property
    def max_score(self) -> int:
        return 3 * len(self.items)

    def severity(self, score: int) -> str:
        return next(label for lowest, label in self.bands if score >= lowest)

    def needs_crisis_resources(self, answers: list[int]) -> bool:
        return self.crisis_item is not None and answers[self.crisis_item] > 0


PHQ9 = Questionnaire(
    code="phq9",
    name="PHQ-9",
    items=[
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ],
    bands=[
        (20, "Severe"),
        (15, "Moderately severe"),
        (10, "Moderate"),
        (5, "Mild"),
        (0, "Minimal"),
    ],
    crisis_item=8,
    asks_difficulty=True,
)

GAD7 = Questionnaire(
    code="gad7",
    name="GAD-7",
    items=[
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ],
    bands=[(15, "Severe"), (10, "Moderate"), (5, "Mild"), (0, "Minimal")],
)

QUESTIONNAIRES = {questionnaire.code: questionnaire for questionnaire in (PHQ9, GAD7)}
