"""Quiz mode for trainers: questions generated from the plan itself, each with its ref and an
explanation quoting the source.

Kinds, and the difficulty level each belongs to (`difficulty=` picks the kinds of that level):

    truefalse  1  a clause quoted verbatim, or with one figure or one place altered ("判断正误：…")
    where      1  "which part / 专栏 does this phrase come from"; choices are part or column titles
    choice     2  a target's figure blanked, four options of the same unit: other values the plan
                  states in that unit and nearby values (×0.5, ×2, ±10–25%…) rounded like the original
    fill       3  a target's figure blanked; the answer is value and unit ("1500万亩")

Everything random goes through one `random.Random(seed)`: the same seed and options give the same
quiz. A clause of the plan is used by at most one question of a quiz, so a choice question never
gives away the answer to a fill-in next to it.
"""

from .figures import nearby_values, round_like
from .generate import PLACE_GROUPS, generate_quiz
from .grading import grade
from .questions import (
    BLANK,
    FALSE,
    KIND_LABELS,
    KINDS,
    KINDS_BY_DIFFICULTY,
    LETTERS,
    MAX_PAPER,
    MAX_QUESTIONS,
    TRUE,
    Question,
    Quiz,
    QuizError,
)

__all__ = ["BLANK", "FALSE", "KINDS", "KINDS_BY_DIFFICULTY", "KIND_LABELS", "LETTERS", "MAX_PAPER", "MAX_QUESTIONS",
           "PLACE_GROUPS", "TRUE", "Question", "Quiz", "QuizError", "generate_quiz", "grade", "nearby_values",
           "round_like"]
