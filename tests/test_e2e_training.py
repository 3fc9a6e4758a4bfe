"""A trainer's paper taken by three trainees in the real app (`python app.py` with an accounts file)
in headless Chromium: the trainer assigns it in 测验 and hands out its number; one trainee answers
every question right, one makes mistakes, one submits it blank; the trainer's 学员成绩 shows the
three rows, the most missed questions with their paragraph and the accuracy by chapter, and its Excel
export opens with those numbers. Skipped without Chromium (failed under PLAN_ASSISTANT_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import re

import pytest
from browser_app import add_user, log_in, watch
from openpyxl import load_workbook

from assistant.documents.parse import load
from assistant.quiz import LETTERS, Question
from assistant.records import Records, get_paper, list_submissions

pytestmark = pytest.mark.slow

PASSWORD = "training-2026-pw"
TRAINEES = ("alice", "bob", "carol")
N = 6
MISTAKES_FROM = 3  # bob: the first three right, the rest wrong


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("training")
    users = folder / "users.txt"
    add_user(users, "wang", PASSWORD, role="trainer")
    for name in TRAINEES:
        add_user(users, name, PASSWORD)
    return users, folder / "records.sqlite3", folder / "data"


@pytest.fixture(scope="module")
def server(start_app, setup):
    users, records, data = setup
    return start_app("app-e2e-training.log", data, users, records)


def wrong_answer(q: Question) -> str:
    return "1" if q.kind == "fill" else next(c for c in q.choices if c != q.answer)


def answer(slot, q: Question, response: str) -> None:
    if q.kind == "fill":
        slot.locator(".q-fill textarea, .q-fill input").first.fill(response)
    else:
        label = response if q.kind == "truefalse" else f"{LETTERS[q.choices.index(response)]}. {response}"
        slot.get_by_label(label, exact=True).check()


def take(browser, server, name: str, number: int, questions: list[Question], pick) -> str:
    """`name` logs in, opens paper `number` in 测验, answers pick(i, q) (None: left blank), submits;
    the score line."""
    context, page = log_in(browser, server, name, PASSWORD)
    dialogs, outside = watch(page, server)
    page.get_by_role("tab", name="测验").click()
    assert page.get_by_role("tab", name="学员成绩").count() == 0  # a trainee sees no results of others
    assert not page.locator("#assign-box").is_visible()
    page.locator("#quiz-paper textarea, #quiz-paper input").first.fill(str(number))
    page.locator("#quiz-generate").click()
    page.locator("#quiz-status").get_by_text(f"试卷编号 {number}《第一期新员工测验》").wait_for()
    assert not page.locator("#quiz-export").is_visible()  # no answer key for a trainee
    slots = page.locator(".q-slot:visible")
    assert slots.count() == len(questions)
    for i, q in enumerate(questions):
        assert q.prompt in slots.nth(i).inner_text()
        response = pick(i, q)
        if response is not None:
            answer(slots.nth(i), q, response)
    page.locator("#quiz-submit").click()
    score = page.locator("#quiz-score")
    score.get_by_text("已记入学员成绩：第 1 次提交").wait_for()
    text = score.inner_text()
    page.get_by_text("我的测验成绩（布置的试卷）").click()  # their own results only
    page.locator("#my-results table.my-papers").wait_for()
    assert page.locator("#my-results table.my-papers tbody tr").count() == 1
    assert dialogs == [] and outside == [], outside
    context.close()
    return text


def test_a_trainer_assigns_a_paper_three_trainees_take_it_and_the_results_export(browser, server, setup, output_dir):
    _, records_path, _ = setup
    doc = load()
    # the trainer: 测验, the options on the page, 布置试卷 with a title
    context, page = log_in(browser, server, "wang", PASSWORD)
    dialogs, outside = watch(page, server)
    page.get_by_role("tab", name="测验").click()
    n = page.locator("#quiz-n input[type=number]")
    n.fill(str(N))
    n.press("Enter")
    page.get_by_text("布置试卷（培训师）").click()
    page.locator("#assign-title textarea, #assign-title input").first.fill("第一期新员工测验")
    page.locator("#assign-button").click()
    status = page.locator("#assign-status")
    status.get_by_text("请把编号发给学员").wait_for()
    number = int(re.search(r"试卷编号 (\d+)", status.inner_text())[1])
    page.screenshot(path=str(output_dir / "e2e-training-assign.png"), full_page=True)
    context.close()

    paper = get_paper(Records(records_path), number)
    assert paper["creator"] == "wang" and len(paper["questions"]) == N
    questions = [Question(**q) for q in paper["questions"]]

    scores = [take(browser, server, "alice", number, questions, lambda i, q: q.answer),
              take(browser, server, "bob", number, questions,
                   lambda i, q: q.answer if i < MISTAKES_FROM else wrong_answer(q)),
              take(browser, server, "carol", number, questions, lambda i, q: None)]
    assert f"{N} / {N}（100%）" in scores[0] and f"{MISTAKES_FROM} / {N}" in scores[1]
    assert f"0 / {N}（0%）" in scores[2] and f"未作答 {N} 题" in scores[2]
    stored = list_submissions(Records(records_path), paper_ids=[number])
    assert [(s["trainee"], s["score"]) for s in stored] == [("alice", N), ("bob", MISTAKES_FROM), ("carol", 0)]

    # the trainer's 学员成绩: three rows, the most missed questions, chapter accuracy, the export
    context, page = log_in(browser, server, "wang", PASSWORD)
    dialogs, outside = watch(page, server)
    page.get_by_role("tab", name="学员成绩").click()
    rows = page.locator("#results-submissions tbody tr")
    rows.first.wait_for(timeout=30_000)
    assert rows.count() == 3
    shown = [rows.nth(i).inner_text().split("\t") for i in range(3)]
    assert [(r[0], r[3]) for r in shown] == [("alice", f"{N} / {N}"), ("bob", f"{MISTAKES_FROM} / {N}"),
                                             ("carol", f"0 / {N}")]
    assert "3 人提交" in page.locator("#results-summary").inner_text()

    missed = page.locator("#results-missed tbody tr")
    assert missed.count() == 5  # the five most missed of six: every question was missed by someone
    top = [missed.nth(i).inner_text() for i in range(5)]
    # bob and carol missed questions 4–6 (2 of 3), carol alone 1–3 (1 of 3)
    assert [t.split("\t")[0] for t in top] == ["4", "5", "6", "1", "2"]
    assert all("2 / 3" in t for t in top[:3]) and all("1 / 3" in t for t in top[3:])
    for t, q in zip(top[:3], questions[3:6], strict=True):
        assert f"[{q.ref}" in t and doc.get(q.ref).title[:6] in t  # the paragraph to review, by ref and text

    def chapter(q: Question) -> str:
        node = doc.get(q.ref)
        return node.part or node.ref

    expected = {}
    for trainee, right in (("alice", range(N)), ("bob", range(MISTAKES_FROM)), ("carol", ())):
        for i, q in enumerate(questions):
            got, asked = expected.get((trainee, chapter(q)), (0, 0))
            expected[(trainee, chapter(q))] = (got + (i in right), asked + 1)
    chapters = page.locator("#results-chapters tbody tr")
    assert chapters.count() == len(expected)
    seen = {}
    for i in range(chapters.count()):
        trainee, label, counts, _ = chapters.nth(i).inner_text().split("\t")
        got, asked = map(int, counts.split(" / "))
        seen[(trainee, label)] = (got, asked)
    labels = {c: (f"{c}、{doc.get(c).title}" if doc.get(c).kind == "part" else doc.get(c).title) for _, c in expected}
    assert seen == {(t, labels[c]): v for (t, c), v in expected.items()}
    page.screenshot(path=str(output_dir / "e2e-training-results.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#results-xlsx").click()
    saved = output_dir / "e2e-training-results.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    sheet = list(book["提交情况"].values)
    assert sheet[0][:8] == ("试卷编号", "试卷标题", "学员", "第几次提交", "提交时间", "得分", "题数", "正确率")
    assert [(r[0], r[2], r[5], r[6]) for r in sheet[1:]] == [(number, "alice", N, N), (number, "bob", MISTAKES_FROM, N),
                                                            (number, "carol", 0, N)]
    assert [r[7] for r in sheet[1:]] == [1.0, MISTAKES_FROM / N, 0.0]
    hard = list(book["易错题"].values)[1:]
    assert [(r[0], r[3], r[4]) for r in hard[:3]] == [(4, 1, 1), (5, 1, 1), (6, 1, 1)]
    assert [r[6] for r in hard[:3]] == [q.ref for q in questions[3:6]]
    by_chapter = {(r[0], r[1]): (r[2], r[3]) for r in list(book["按章节正确率"].values)[1:]}
    assert by_chapter == {(t, labels[c]): v for (t, c), v in expected.items()}
    assert dialogs == [] and outside == [], outside
    context.close()
