"""Quiz questions generated from the real plan: every answer is found in the text of its ref."""

import json
import re

import pytest

from assistant.cli import main
from assistant.documents.targets import extract_targets, scope_refs
from assistant.quiz import (
    BLANK,
    KINDS,
    LETTERS,
    QuizError,
    generate_quiz,
    grade,
    nearby_values,
    round_like,
)

SEEDS = [1, 7, 42, 2026]
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)(\D*)$")
_TF = re.compile(r"^(.+?)原文：“(.*)”(?:；题中将“(.*)”改为“(.*)”，故错误。|，与题述一致。)$")


@pytest.fixture(scope="module", params=SEEDS)
def quiz(request, doc):
    return generate_quiz(doc, n=80, seed=request.param)


def test_mixed_quiz_has_every_kind_and_unique_prompts(quiz):
    assert len(quiz.questions) == 80
    assert {q.kind for q in quiz.questions} == set(KINDS)
    assert len({q.prompt for q in quiz.questions}) == 80
    assert [q.id for q in quiz.questions] == [f"Q{i:02d}" for i in range(1, 81)]


def test_choices_distinct_and_contain_answer(quiz):
    for q in quiz.questions:
        if q.kind == "fill":
            assert q.choices == []
        else:
            assert len(set(q.choices)) == len(q.choices) >= 2 and q.answer in q.choices, q


def test_figure_answers_are_in_their_ref(doc, quiz):
    for q in quiz.questions:
        if q.kind not in ("fill", "choice"):
            continue
        text = doc.get(q.ref).text
        assert q.answer in text and BLANK in q.prompt, q
        excerpt = re.search(r"原文：“(.*)”$", q.explanation).group(1)
        assert excerpt in text
        # the prompt is the quoted excerpt with the answer, and nothing else, blanked
        assert any(
            q.prompt.endswith(excerpt[:i] + BLANK + excerpt[i + len(q.answer) :])
            for i in range(len(excerpt))
            if excerpt.startswith(q.answer, i)
        ), q
        if q.kind == "choice":
            assert len(q.choices) == 4
            value, unit = _AMOUNT.match(q.answer).groups()
            for choice in q.choices:
                v, u = _AMOUNT.match(choice).groups()
                assert u == unit and (choice == q.answer or float(v) != float(value)), q


def test_truefalse_statements(doc, quiz):
    for q in [q for q in quiz.questions if q.kind == "truefalse"]:
        statement = q.prompt.removeprefix("判断正误：")
        ref, original, was, now = _TF.match(q.explanation).groups()
        text = doc.get(q.ref).text
        assert ref == q.ref and original in text and q.choices == ["对", "错"]
        if q.answer == "对":
            assert was is None and statement == original
        else:
            assert was != now and statement not in text
            # the statement is the original with exactly that one figure or place swapped
            spots = [
                i
                for i in range(len(original))
                if original.startswith(was, i) and original[:i] + now + original[i + len(was) :] == statement
            ]
            assert len(spots) == 1, q


def test_where_phrase_is_in_its_ref(doc, quiz):
    for q in [q for q in quiz.questions if q.kind == "where"]:
        phrase = re.match(r"^“(.*)”(?:出自|是哪个专栏)", q.prompt).group(1)
        node = doc.get(q.ref)
        assert phrase in node.text
        owner = node.ref.split("·")[0] if node.kind == "row" else node.part
        assert q.answer.startswith(owner + ("、" if node.kind != "row" else " ")), q


def test_same_seed_same_quiz_other_seed_differs(doc):
    first = generate_quiz(doc, n=10, seed=5).to_json()
    assert generate_quiz(doc, n=10, seed=5).to_json() == first
    assert generate_quiz(doc, n=10, seed=6).to_json() != first
    assert json.loads(json.dumps(first, ensure_ascii=False)) == first
    assert set(first["questions"][0]) == {"id", "kind", "prompt", "choices", "answer", "ref", "explanation"}


def test_chapter_filter(doc):
    quiz = generate_quiz(doc, n=200, chapter="四", seed=3)
    refs = {q.ref for q in quiz.questions}
    assert refs <= scope_refs(doc, "四")
    assert any(r.startswith("专栏2") for r in refs)  # a column belongs to its part
    assert {q.ref for q in generate_quiz(doc, n=5, chapter="二(一)", seed=3).questions} == {"二(一)"}


@pytest.mark.parametrize("kind", KINDS)
def test_kind_filter(doc, kind):
    quiz = generate_quiz(doc, n=15, kinds=kind, seed=11)
    assert len(quiz.questions) == 15 and {q.kind for q in quiz.questions} == {kind}


def test_difficulty(doc):
    assert {q.kind for q in generate_quiz(doc, n=30, difficulty=1).questions} == {"truefalse", "where"}
    assert {q.kind for q in generate_quiz(doc, n=10, difficulty=3).questions} == {"fill"}
    assert {q.difficulty for q in generate_quiz(doc, n=10, difficulty=2).questions} == {2}
    with pytest.raises(QuizError):
        generate_quiz(doc, kinds=["fill"], difficulty=1)


@pytest.mark.parametrize(
    "options",
    [{"n": 0}, {"n": 201}, {"kinds": ["essay"]}, {"difficulty": 4}, {"chapter": "一", "kinds": "fill"}],
)
def test_bad_options(doc, options):
    with pytest.raises(QuizError):
        generate_quiz(doc, **options)


def test_round_like_and_nearby_values(doc):
    assert round_like("1500", 1350) == "1400"
    assert round_like("0.593", 0.6523) == "0.652"
    assert round_like("12.5", 25) == "25.0"
    assert round_like("5", 2.5) == "3"
    import random

    rng = random.Random(0)
    for t in extract_targets(doc):
        values = nearby_values(t, rng, ["5", "840", t.value])
        assert len(values) == 3 and len({float(v) for v in values}) == 3
        assert all(float(v) != float(t.value) and float(v) > 0 for v in values)
        assert t.unit != "%" or all(float(v) <= 100 for v in values)


def _question(doc, kind, answer):
    quiz = generate_quiz(doc, n=200, chapter="二(一)", kinds=kind, seed=1)
    return next(q for q in quiz.questions if q.answer == answer)


@pytest.mark.parametrize(
    "response",
    [
        "4000万亩",
        "4,000万亩",
        "4000 万亩",
        "４０００万亩",
        "４，０００万亩",
        "4000",
        " 4000万亩。",
        "4000万亩以上",
        "4000万",  # the number and the unit's magnitude: the unit itself is in the question
    ],
)
def test_grade_fill_accepts(doc, response):
    assert grade(_question(doc, "fill", "4000万亩"), response)


@pytest.mark.parametrize(
    "response", ["400万亩", "40000万亩", "4000亩", "4000公里", "4000亿", "4000万亿", "", "四千万亩", "B"]
)
def test_grade_fill_rejects(doc, response):
    assert not grade(_question(doc, "fill", "4000万亩"), response)


def test_grade_choice(doc):
    q = _question(doc, "choice", "4000万亩")
    right = LETTERS[q.choices.index(q.answer)]
    wrong = next(c for c in q.choices if c != q.answer)
    for response in [
        right,
        right.lower(),
        right + ".",
        right + "．",
        chr(ord(right) + 0xFEE0),
        q.answer,
        "4,000",
    ]:
        assert grade(q, response), response
    for response in [LETTERS[q.choices.index(wrong)], wrong, "E", "400万亩", "40000万亩"]:
        assert not grade(q, response), response


def test_grade_truefalse_and_where(doc):
    quiz = generate_quiz(doc, n=40, kinds=["truefalse", "where"], seed=2)
    tf = [q for q in quiz.questions if q.kind == "truefalse"]
    assert {q.answer for q in tf} == {"对", "错"}
    yes, no = ["对", "正确", "√", "true", "True", " 对 "], ["错", "错误", "×", "false", "FALSE"]
    for q in tf:
        right, wrong = (yes, no) if q.answer == "对" else (no, yes)
        assert all(grade(q, r) for r in right) and not any(grade(q, r) for r in wrong + ["也许"])
    where = next(q for q in quiz.questions if q.kind == "where")
    owner = re.split(r"[、 ]", where.answer)[0]
    assert (
        grade(where, owner)
        and grade(where, where.answer)
        and grade(where, LETTERS[where.choices.index(where.answer)])
    )
    assert not grade(where, next(c for c in where.choices if c != where.answer))


def test_markdown_and_csv(doc):
    quiz = generate_quiz(doc, n=8, seed=4)
    plain, keyed = quiz.to_markdown(with_answers=False), quiz.to_markdown(with_answers=True)
    assert "## 答案" not in plain and "## 答案" in keyed and keyed.startswith(plain.rstrip("\n"))
    assert all(q.prompt in plain and q.explanation in keyed for q in quiz.questions)
    rows = quiz.to_csv().splitlines()
    assert rows[0] == "id,kind,prompt,choices,answer,ref,explanation" and len(rows) == 9
    assert quiz.to_csv(with_answers=False).splitlines()[0] == "id,kind,prompt,choices"


def test_cli_json(capsys):
    assert main(["quiz", "--n", "6", "--chapter", "四", "--seed", "3", "--json"]) == 0
    questions = json.loads(capsys.readouterr().out)["questions"]
    assert len(questions) == 6
    assert main(["quiz", "--n", "4", "--kind", "fill,choice", "--format", "md", "--answers"]) == 0
    out = capsys.readouterr().out
    assert "## 答案" in out and out.count("【填空】") + out.count("【单选】") == 4


@pytest.mark.parametrize(
    "argv",
    [
        ["--n", "0"],
        ["--n", "201"],
        ["--chapter", "二十"],
        ["--kind", "essay"],
        ["--difficulty", "4"],
        ["--format", "pdf"],
        ["--chapter", "一", "--kind", "fill"],
    ],
)
def test_cli_bad_options(capsys, argv):
    assert main(["quiz", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1
