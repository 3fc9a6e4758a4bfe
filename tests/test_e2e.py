"""The real app (`python app.py`) in headless Chromium: ask, read the cited source, browse the plan,
see the targets, filter and export the task ledger and import an official table, take a quiz; and
with a login configured, nothing without the right password.

Uses the system Chromium (never `playwright install`); skipped when it is missing, failed instead
when PLAN_ASSISTANT_REQUIRE_BROWSER=1 (CI). Screenshots go to ./test-output/. The servers share the
default index dir: a first run builds it (about a minute), which the generous timeouts allow for.
"""

from pathlib import Path

import pytest
from browser_app import (
    ANSWER_TIMEOUT_MS,
    api_ids,
    ask,
    call_queue,
    log_in,
    open_app,
    status_of,
    watch,
)

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"

pytestmark = pytest.mark.slow

# the apps are conftest.py's `server` (no accounts) and `auth_server` (its `accounts`: reviewer, chief)


def test_chat_sources_outline_and_targets(browser, server, output_dir):
    page, dialogs, outside = open_app(browser, server, 1400, 1000)
    question = page.locator("#question textarea")
    question.fill("粮食产量目标是多少？")
    question.press("Enter")

    # the streamed answer with its ref, and the source paragraph with the quote highlighted
    sources = page.locator("#sources")
    sources.locator("details.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    chat = page.locator("#chatbot")
    assert "粮食产量超过840亿斤" in chat.inner_text() and "[主要预期目标]" in chat.inner_text()
    assert "[主要预期目标]" in sources.locator("summary").first.inner_text()
    assert sources.locator("mark").first.inner_text() == "粮食产量超过840亿斤；"
    assert "地区生产总值增长5%左右" in sources.inner_text()  # the whole paragraph, not just the quote
    assert "原文摘录" in page.locator("#answer-mode").inner_text()
    assert chat.locator(".mode-badge", has_text="原文摘录").count() == 1
    report = page.locator("#report textarea").input_value()
    assert report.startswith("粮食产量超过840亿斤") and "出处" in report
    # the citation under the answer in the chat opens to the same paragraph
    chat.get_by_text("出处 [主要预期目标]").click()
    chat.locator("mark", has_text="粮食产量超过840亿斤").wait_for()

    # an example question, clicked, is asked
    page.get_by_role("button", name="稀土产业有哪些举措？").click()
    sources.locator("summary", has_text="[四(三)]").wait_for(timeout=60_000)
    page.screenshot(path=str(output_dir / "e2e-chat.png"), full_page=True)

    # a hostile question is shown as text and runs nothing
    question.fill(XSS)
    question.press("Enter")
    chat.get_by_text(XSS, exact=True).wait_for(timeout=60_000)
    assert chat.locator("img[src='x']").count() == 0
    assert page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))") is False
    page.wait_for_timeout(500)
    assert dialogs == []

    # new chat clears the conversation and the sources
    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#sources details')")
    assert XSS not in chat.inner_text()

    # 原文: search, open a match, see the hit marked; open a 专栏 from the outline as a table
    page.get_by_role("tab", name="原文").click()
    section = page.locator("#section")
    assert "[主要预期目标]" in section.inner_text()
    search = page.locator("#plan-search textarea")
    search.fill("稀土")
    search.press("Enter")
    page.locator("#matches label", has_text="[四(三)]").first.click()
    section.locator("h3", has_text="[四(三)] 加强矿产资源开发利用").wait_for()
    assert section.locator("mark", has_text="稀土").count() >= 3
    page.locator("#outline-tree summary", has_text="[四]").locator("xpath=..").evaluate("d => d.open = true")
    page.locator("#outline-tree .toc-item", has_text="[专栏2] 建设国家重要能源和战略资源基地重点任务目标").click()
    section.locator("table.column th", has_text="新能源开发利用").wait_for()
    page.screenshot(path=str(output_dir / "e2e-source.png"), full_page=True)

    # 指标: the table, and its CSV
    page.get_by_role("tab", name="指标").click()
    page.locator("#targets-table").get_by_text("煤炭产量", exact=True).wait_for()
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    saved = output_dir / "e2e-targets.csv"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".csv")
    assert saved.read_text(encoding="utf-8-sig").startswith("指标,数值,单位,类型,引用,原文")
    page.screenshot(path=str(output_dir / "e2e-targets.png"), full_page=True)

    assert outside == [], f"the page fetched from outside the app: {outside}"
    page.close()


def test_task_ledger_filter_and_export(browser, server, output_dir):
    from openpyxl import load_workbook

    from assistant.documents.parse import load
    from assistant.tasks import build_ledger

    page, dialogs, outside = open_app(browser, server, 1400, 1000, tab="任务")
    table, count = page.locator("#tasks-table"), page.locator("#task-count")
    table.get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    assert f"共 {len(build_ledger(load()))} 条任务" in count.inner_text()
    assert "自治区农牧厅" in table.inner_text() and "依据部门职能推断" in table.inner_text()
    assert page.locator("#import-box").count() == 0  # the import is for admins (no login: nobody is one)

    # a short name typed into the department filter picks the department; then a part
    dept = page.locator("#task-dept input")
    dept.click()
    dept.press_sequentially("林草局")
    dept.press("Enter")
    count.get_by_text("自治区林业和草原局牵头或配合").wait_for()
    page.locator("#task-chapter input").click()
    page.locator("#task-chapter li", has_text="[二] 坚持生态优先").click()
    count.get_by_text("（二），自治区林业和草原局牵头或配合").wait_for()
    with page.expect_download() as download:
        page.locator("#tasks-xlsx").click()
    saved = output_dir / "e2e-tasks.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "引用", "篇章", "任务") and len(rows) > 5
    assert all(r[2] == "二" and "自治区林业和草原局" in f"{r[6]}、{r[7]}" for r in rows[1:])
    assert download.value.suggested_filename == "2026计划任务台账-二-自治区林业和草原局.xlsx"

    # back to everything
    page.locator("#task-dept input").click()
    page.locator("#task-dept li", has_text="全部部门").click()
    page.locator("#task-chapter input").click()
    page.locator("#task-chapter li", has_text="全部").first.click()
    count.get_by_text(f"共 {len(build_ledger(load()))} 条任务").wait_for()
    assert dialogs == [] and outside == [], outside
    page.close()


def test_an_admin_imports_an_official_table(browser, auth_server, output_dir, data_dir, tmp_path):
    # one good row, one bad, one hostile name
    context, page = log_in(browser, auth_server, "chief", "chief-office-secret")
    dialogs, outside = watch(page, auth_server)
    page.get_by_role("tab", name="任务").click()
    table, count = page.locator("#tasks-table"), page.locator("#task-count")
    table.get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    official = tmp_path / "分工方案.csv"
    hostile = "<i>假部门<i>"  # names split at spaces and slashes: a name with a tag, kept whole
    official.write_text("任务,牵头单位,配合单位\n粮食产量超过840亿斤,粮储局,农牧厅\n"
                        f"计划里没有的一项任务内容,发改委,\n设立稀土产业基金,{hostile},\n", encoding="utf-8")
    page.get_by_text("导入官方分工方案").click()
    page.locator("#import-file input[type=file]").set_input_files(str(official))
    report = page.locator("#import-report")
    report.get_by_text("第3行：未在计划中找到任务").wait_for(timeout=30_000)
    assert "导入 2 行分工" in report.inner_text() and f"部门“{hostile}”不在部门名录中" in report.inner_text()
    count.get_by_text("其中 2 条依据分工方案").wait_for()
    assert (data_dir / "official_owners.json").exists()
    search = page.locator("#task-search textarea")
    search.fill("840亿斤")
    search.press("Enter")
    count.get_by_text("共 1 条任务").wait_for()
    assert "自治区粮食和物资储备局" in table.inner_text() and "依据部门职能推断" not in table.inner_text()
    search.fill("稀土产业基金")
    search.press("Enter")
    table.locator("span", has_text=hostile).first.wait_for()  # the imported name shows as text, not markup
    assert page.locator("#tasks-table i, #import-report i").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []
    search.fill("")
    search.press("Enter")
    table.get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    for close in page.locator(".toast-close").all():  # the import's toasts, off the screenshot
        close.click()
    page.wait_for_timeout(500)
    page.screenshot(path=str(output_dir / "e2e-tasks.png"), full_page=True)
    assert outside == [], f"the page fetched from outside the app: {outside}"
    context.close()


def test_quiz_generate_answer_and_score(browser, server, output_dir):
    from assistant.documents.parse import load
    from assistant.quiz import LETTERS, generate_quiz

    expected = generate_quiz(load(), 6, seed=7).questions  # the same paper number gives the same quiz
    page, dialogs, outside = open_app(browser, server, 1400, 1000, tab="测验")
    n = page.locator("#quiz-n input[type=number]")
    n.fill("6")
    n.press("Enter")
    page.locator("#quiz-paper textarea, #quiz-paper input").first.fill("7")
    page.locator("#quiz-generate").click()
    slots = page.locator(".q-slot:visible")
    slots.first.wait_for()
    page.locator("#quiz-status").get_by_text("试卷编号 7：共 6 题").wait_for()
    assert slots.count() == 6
    for slot, q in zip([slots.nth(i) for i in range(6)], expected, strict=True):
        assert q.prompt in slot.inner_text()
        if q.kind == "fill":
            slot.locator("textarea, input[type=text]").first.fill(q.answer)
        else:
            label = q.answer if q.kind == "truefalse" else f"{LETTERS[q.choices.index(q.answer)]}. {q.answer}"
            slot.get_by_label(label, exact=True).check()
    page.locator("#quiz-submit").click()
    score = page.locator("#quiz-score")
    score.get_by_text("6 / 6（100%）").wait_for()
    assert page.locator(".q-verdict.ok").count() == 6
    assert f"出处：[{expected[0].ref}]" in slots.first.inner_text()

    # one wrong answer lowers the score and says what was right
    first = expected[0]
    if first.kind == "fill":
        slots.first.locator("textarea, input[type=text]").first.fill("1")
    else:
        wrong = next(c for c in first.choices if c != first.answer)
        slots.first.get_by_label(wrong if first.kind == "truefalse" else f"{LETTERS[first.choices.index(wrong)]}. {wrong}",
                                 exact=True).check()
    page.locator("#quiz-submit").click()
    score.get_by_text("5 / 6").wait_for()
    assert "正确答案" in slots.first.locator(".q-verdict.bad").inner_text()
    page.wait_for_timeout(300)
    page.screenshot(path=str(output_dir / "e2e-quiz.png"), full_page=True)

    # the answer key, as Markdown
    page.get_by_text("导出试题与答案").click()
    with page.expect_download() as download:
        page.locator("#quiz-files a[download=\"测验试题与答案.md\"]").click()
    key = download.value.path().read_text(encoding="utf-8")
    assert all(q.prompt in key and q.keyed_answer in key for q in expected)
    assert dialogs == [] and outside == [], outside
    page.close()


def test_markers_open_sources_and_earlier_answers_show_theirs(browser, server, output_dir):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    page = context.new_page()
    dialogs, outside = watch(page, server)
    page.goto(server.url)
    ask(page, "粮食产量目标是多少？", 0)
    ask(page, "稀土产业有哪些举措？", 1)
    chat, sources = page.locator("#chatbot"), page.locator("#sources")
    shown = sources.locator(".turn-sources.shown")
    assert shown.get_attribute("data-answer") == "1" and "[四(三)]" in shown.inner_text()

    # a marker of the latest answer opens its paragraph in a card beside it, and in the panel
    marker = chat.locator(".ref-link[data-ref='四(三)']").first
    marker.click()
    card = page.locator(".ref-card")
    card.wait_for()
    assert "[四(三)] 加强矿产资源开发利用" in card.inner_text() and card.locator("mark").count() >= 1
    assert shown.locator("details.cite[data-ref='四(三)']").get_attribute("open") is not None
    page.screenshot(path=str(output_dir / "e2e-chat-marker-1440.png"))

    # the earlier answer's marker shows that answer's sources, not the latest's
    chat.locator(".ref-link[data-ref='主要预期目标']").click()
    page.wait_for_function("() => document.querySelector('#sources .turn-sources.shown').dataset.answer === '0'")
    assert "粮食产量超过840亿斤" in card.inner_text() and "第 1 问" in shown.inner_text()
    page.locator(".ref-card-close").click()
    assert card.count() == 0
    # clicking the earlier answer itself does too, after the latest was shown again
    chat.locator(".message-row.bot-row").nth(1).locator("[data-testid=bot]").first.click(position={"x": 5, "y": 5})
    page.wait_for_function("() => document.querySelector('#sources .turn-sources.shown').dataset.answer === '1'")
    chat.locator(".message-row.bot-row").first.locator("[data-testid=bot]").first.click(position={"x": 5, "y": 5})
    page.wait_for_function("() => document.querySelector('#sources .turn-sources.shown').dataset.answer === '0'")

    # the mode is a badge beside each answer, and not in what the copy button copies
    assert chat.locator(".mode-badge").count() == 2
    chat.locator(".message-buttons-left button[aria-label='复制']").first.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "粮食产量超过840亿斤" in copied and "原文摘录" not in copied and "〔" not in copied

    # the 对话 heading sits above the chat, never over its first line when scrolled
    chat.locator("[role=log]").evaluate("e => e.scrollTop = e.scrollHeight")
    head = page.locator(".chat-title").bounding_box()
    log = chat.locator("[role=log]").bounding_box()
    assert head["y"] + head["height"] <= log["y"]
    assert page.locator("#new-chat").get_attribute("class").count("secondary") == 1
    assert outside == [] and dialogs == []
    context.close()


def test_question_counter_and_notices(browser, server, output_dir):
    page = open_app(browser, server)[0]
    box, counter = page.locator("#question textarea"), page.locator("#question-counter")
    box.fill("稀土")
    assert counter.inner_text() == "2 / 2000"
    long = "稀土产业有哪些举措？" * 250  # 2,500 characters pasted: kept whole, with a notice
    box.fill(long)
    assert box.input_value() == long
    assert "2500 / 2000 字：超出的部分不会用于检索" in counter.inner_text()
    assert "over" in counter.get_attribute("class")
    box.press("Enter")
    page.locator(".toast-body", has_text="超过 2000 字").wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#sources details.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert counter.inner_text() == "0 / 2000"
    # an empty send says so and asks nothing
    box.fill("   ")
    page.locator("#send").click()
    page.locator(".toast-body", has_text="请先输入问题").wait_for()
    assert page.locator("#chatbot [data-testid=user]").count() == 1
    page.close()


def test_outline_tree_ime_filter_and_empty_search(browser, server, output_dir):
    page, dialogs, outside = open_app(browser, server, tab="原文")
    tree, section = page.locator("#outline-tree"), page.locator("#section")
    items = tree.locator(".toc-item")
    assert items.count() == 84
    # parts are collapsed except the one on screen; a click opens a section and marks it
    assert tree.locator(".toc-item[data-ref='四(三)']").is_visible() is False
    tree.locator("summary", has_text="[四]").locator(".toc-item").click()
    section.locator("h3", has_text="[四] 大力发展现代能源经济").wait_for()
    tree.locator(".toc-item[data-ref='四(三)']").click()
    section.locator("h3", has_text="[四(三)] 加强矿产资源开发利用").wait_for()
    assert "current" in tree.locator(".toc-item[data-ref='四(三)']").get_attribute("class")
    page.evaluate("() => window.scrollTo(0, 2000)")  # the tree stays on screen beside a long text
    box = tree.bounding_box()
    assert box["y"] < 900 and box["y"] + 40 > 0

    # filtering through an input method: nothing happens while composing, the committed word filters
    search = page.locator("#outline-filter")
    search.click()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "xitu", "selectionStart": 4, "selectionEnd": 4})
    assert tree.locator(".toc-item:visible").count() > 20  # pinyin being composed filters nothing
    cdp.send("Input.insertText", {"text": "矿产"})
    page.wait_for_function("() => document.querySelectorAll('#outline-tree .toc-item').length > 0 && "
                           "[...document.querySelectorAll('#outline-tree .toc-item')].filter(a => a.offsetParent)"
                           ".length < 10")
    visible = [t.inner_text() for t in tree.locator(".toc-item:visible").all()]
    assert "[四(三)] 加强矿产资源开发利用" in visible and all("矿产" in t or t.startswith("[四]") for t in visible)
    page.screenshot(path=str(output_dir / "e2e-source-tree-1440.png"))
    search.fill("没有这样的目录")
    page.locator("#outline-none").wait_for()
    search.fill("")

    # a search with no hit clears the paragraph and its highlight
    query = page.locator("#plan-search textarea")
    query.fill("稀土")
    query.press("Enter")
    page.locator("#matches label", has_text="[四(三)]").first.click()
    section.locator("mark", has_text="稀土").first.wait_for()
    query.fill("量子引力波")
    query.press("Enter")
    section.get_by_text("原文中没有“量子引力波”").wait_for()
    assert section.locator("mark").count() == 0 and section.locator("h3").count() == 0
    assert tree.locator(".toc-item.current").count() == 0
    assert dialogs == [] and outside == []
    page.close()


def test_targets_chart_follows_the_filter(browser, server, output_dir):
    page = open_app(browser, server, tab="指标")[0]
    chart = page.locator("#targets-chart")
    chart.get_by_text("各章节的量化指标").wait_for()
    assert "[四] 大力发展现代能源经济" in chart.inner_text()
    options = page.locator("#targets-chapter input")
    options.click()
    offered = [li.inner_text() for li in page.locator("#targets-chapter li").all()]
    assert not any(o.startswith(("[总体要求]", "[一]", "[十四]")) for o in offered)  # chapters without targets
    page.locator("#targets-chapter li", has_text="[专栏2]").click()
    chart.locator("[data-chart='专栏2']").wait_for()
    text = chart.inner_text()
    assert "总量与规模（单位：千瓦时）" in text and "发电量（新能源开发利用）" in text and "3000亿千瓦时" in text
    table = page.locator("#targets-table")
    assert "新能源并网装机总规模" in table.inner_text() and "发电量（能源供应保障）" in table.inner_text()
    page.screenshot(path=str(output_dir / "e2e-targets-chart-1440.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    assert download.value.suggested_filename == "2026计划指标-专栏2.xlsx"
    page.close()


def test_random_bytes_import_keeps_the_table_with_a_chinese_message(browser, auth_server, output_dir, tmp_path):
    context, page = log_in(browser, auth_server, "chief", "chief-office-secret")
    dialogs, outside = watch(page, auth_server)
    page.get_by_role("tab", name="任务").click()
    table = page.locator("#tasks-table")
    table.get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    page.wait_for_function("() => document.querySelector('#task-count').innerText.trim().startsWith('共')")
    before = page.locator("#task-count").inner_text()
    assert "计划未写明" in table.inner_text() and "汛期前" not in before
    junk = tmp_path / "分工方案.csv"
    junk.write_bytes(bytes(range(256)) * 64)
    page.get_by_text("导入官方分工方案").click()
    page.locator("#import-file input[type=file]").set_input_files(str(junk))
    report = page.locator("#import-report")
    report.get_by_text("未导入《分工方案.csv》").wait_for(timeout=30_000)
    message = report.inner_text().strip()
    assert "\n" not in message and "编码" in message and "原有分工和任务表未改动" in message
    page.wait_for_timeout(500)
    assert page.locator("#task-count").inner_text() == before
    assert table.get_by_text("粮食产量超过840亿斤", exact=True).count() == 1
    body = page.locator("body").inner_text()
    assert "Error" not in body and "Traceback" not in body and "UnicodeDecodeError" not in body
    assert "/tmp/" not in body and str(Path.home()) not in body  # no server path anywhere
    assert dialogs == [] and outside == []
    context.close()


def test_quiz_new_paper_each_press_score_on_top_and_answered_paper(browser, server, output_dir):
    page = open_app(browser, server, tab="测验")[0]
    assert page.get_by_text("随机种子").count() == 0
    status = page.locator("#quiz-status")
    numbers, prompts = [], []
    for _ in range(2):
        old = f"试卷编号 {numbers[-1]}：" if numbers else "试卷编号 ∅"
        page.locator("#quiz-generate").click()
        page.wait_for_function("old => { const t = document.querySelector('#quiz-status').innerText; "
                               "return /试卷编号 \\d+：/.test(t) && !t.includes(old); }", arg=old)
        numbers.append(status.inner_text().split("试卷编号")[1].split("：")[0].strip())
        prompts.append(page.locator(".q-slot:visible .q-prompt").first.inner_text())
    assert numbers[0] != numbers[1]
    # answer the first question only, submit: the score is at the top, unanswered ones say so
    slot = page.locator(".q-slot:visible").first
    if slot.locator(".q-fill textarea, .q-fill input").first.is_visible():
        slot.locator(".q-fill textarea, .q-fill input").first.fill("1")
    else:
        slot.locator(".q-choices label").first.click()
    page.locator("#quiz-submit").click()
    score = page.locator("#quiz-score .q-score")
    score.wait_for()
    assert f"试卷编号 {numbers[1]}" in score.inner_text() and "未作答 9 题" in score.inner_text()
    assert score.bounding_box()["y"] < page.locator(".q-slot:visible").first.bounding_box()["y"]
    assert page.locator(".q-verdict.skip", has_text="未作答").count() == 9
    assert page.locator(".q-verdict.bad", has_text="回答错误").count() <= 1
    page.screenshot(path=str(output_dir / "e2e-quiz-score-1440.png"))
    with page.expect_download() as download:
        page.locator("#quiz-answered a[download$='.md']").click()
    paper = download.value.path().read_text(encoding="utf-8")
    assert f"试卷编号 {numbers[1]}" in paper and "得分：" in paper and paper.count("（未作答）") == 9
    page.close()


def visible_cells_narrower_than(page, selector: str, chars: int = 3) -> list[str]:
    """Texts of visible table cells and card lines under `selector` narrower than `chars` characters."""
    return page.evaluate("""([selector, chars]) => {
        const out = [];
        for (const el of document.querySelectorAll(selector)) {
            if (!el.offsetParent) continue;
            const r = el.getBoundingClientRect();
            const em = parseFloat(getComputedStyle(el).fontSize);
            if (r.width > 0 && r.width < chars * em) out.push(el.innerText.slice(0, 20) + ' ' + r.width);
        }
        return out;
    }""", [selector, chars])


def test_mobile_layout(browser, server, output_dir):
    page = open_app(browser, server, 390, 844, is_mobile=True, device_scale_factor=2, has_touch=True)[0]
    page.locator("#question textarea").wait_for()
    page.screenshot(path=str(output_dir / "e2e-chat-390.png"))
    for tab, cards, table in (("任务", "#tasks-cards", "#tasks-table"), ("指标", "#targets-cards", "#targets-table")):
        page.get_by_role("tab", name=tab).click()
        page.locator(f"{cards} .card").first.wait_for()
        assert page.locator(table).is_visible() is False  # the wide table gives way to cards
        cells = f"{cards} .card, {cards} .card-title, {cards} .card-line, td, th"
        assert visible_cells_narrower_than(page, cells) == []
        for button in page.locator(".download:visible").all():  # download buttons stay small
            box = button.bounding_box()
            assert box["height"] <= 48 and box["width"] <= 390 / 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(output_dir / f"e2e-{'tasks' if tab == '任务' else 'targets'}-390.png"))
    first = page.locator("#tasks-cards .card").first
    page.get_by_role("tab", name="任务").click()
    assert "牵头" in first.inner_text() and "时限" in first.inner_text()
    page.get_by_role("tab", name="原文").click()
    page.locator("#outline-tree .toc-item").first.wait_for()
    page.screenshot(path=str(output_dir / "e2e-source-390.png"))
    page.get_by_role("tab", name="测验").click()
    page.locator("#quiz-generate").click()
    page.locator(".q-slot:visible").first.wait_for()
    page.screenshot(path=str(output_dir / "e2e-quiz-390.png"))
    page.close()


def test_screenshots_at_1440(browser, server, output_dir):
    page = open_app(browser, server)[0]
    ask(page, "粮食产量目标是多少？", 0)
    page.screenshot(path=str(output_dir / "e2e-chat-1440.png"))
    for tab, name in (("任务", "tasks"), ("指标", "targets"), ("测验", "quiz")):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(output_dir / f"e2e-{name}-1440.png"))
    page.close()


def test_login_required(browser, auth_server, output_dir, accounts):
    # without a session nothing but the login page: the app config and API answer 401
    assert status_of(auth_server.url + "config") == 401
    assert status_of(auth_server.url + "gradio_api/info") == 401

    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.goto(auth_server.url)
    password = page.locator("input[type=password]")
    password.wait_for()
    assert page.locator("#question").count() == 0
    page.screenshot(path=str(output_dir / "e2e-login.png"))

    # a wrong password gets in nowhere
    page.locator("input[type=text]").fill("reviewer")
    password.fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("凭据不正确", exact=False).wait_for()
    page.goto(auth_server.url)
    password.wait_for()
    assert page.locator("#question").count() == 0
    assert context.request.get(auth_server.url + "config").status == 401

    # the right one opens the app
    page.locator("input[type=text]").fill("reviewer")
    password.fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    assert context.request.get(auth_server.url + "config").status == 200

    # the failure was logged with the name and the address, never the password
    server_log = auth_server.log_path.read_text(encoding="utf-8")
    assert "login failed: user='reviewer' address=127.0.0.1" in server_log
    assert "wrong-password" not in server_log and "correct-horse-battery" not in server_log

    # a question asked is one row of the log, under the login name
    question = page.locator("#question textarea")
    question.fill("粮食产量目标是多少？")
    question.press("Enter")
    page.locator("#sources details.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    context.close()
    from assistant.records import Records, log_rows

    rows = log_rows(Records(accounts[1]))
    assert [(r["user"], r["source"], r["question"], r["history_len"]) for r in rows] == [
        ("reviewer", "web", "粮食产量目标是多少？", 0)]
    assert "主要预期目标" in rows[0]["refs"] and not rows[0]["refused"]


def test_feedback_in_the_chat_and_the_admin_view(browser, auth_server, output_dir, accounts):
    import csv
    import json

    from assistant.records import Records, log_rows

    records = Records(accounts[1])
    before = {r["id"] for r in log_rows(records)}
    context, page = log_in(browser, auth_server, "reviewer", "correct-horse-battery")
    assert page.get_by_role("tab", name="管理").count() == 0  # a non-admin sees no 管理 tab
    for k, q in enumerate(["粮食产量目标是多少？", "煤炭产量目标是多少？"]):
        ask(page, q, k)
    chat = page.locator("#chatbot")
    chat.get_by_role("button", name="赞", exact=True).nth(0).click()
    page.get_by_text("已记录：👍 有帮助").first.wait_for()
    chat.get_by_role("button", name="踩", exact=True).nth(1).click()
    form = page.locator("#feedback-reason")
    form.wait_for()
    form.get_by_text("数字不对", exact=True).click()
    page.locator("#feedback-comment textarea").fill("应为 12.6 亿吨")
    page.locator("#feedback-send").click()
    form.wait_for(state="hidden")

    def new_rows():
        return [r for r in log_rows(records) if r["id"] not in before]

    assert [(r["question"], r["vote"], r["reason"], r["comment"]) for r in new_rows()] == [
        ("粮食产量目标是多少？", "up", None, None), ("煤炭产量目标是多少？", "down", "数字不对", "应为 12.6 亿吨")]

    # the admin endpoints, called through the Gradio API with the non-admin's session: no data
    ids = api_ids(context, auth_server)
    for name, data in (("admin_view", ["", "", "（全部用户）"]), ("admin_eval", [[], "", "", "（全部用户）"])):
        messages = call_queue(context, auth_server, ids[name], data)
        done = [m for m in messages if m["msg"] == "process_completed"]
        assert len(done) == 1 and done[0]["success"] is False, messages
        assert "需要管理员权限" in str(done[0]["output"])
        everything = json.dumps(messages, ensure_ascii=False)
        assert "煤炭产量" not in everything and "数字不对" not in everything
    context.close()

    # the admin sees the 👎 row with its reason, and exports the log and the eval items
    context, page = log_in(browser, auth_server, "chief", "chief-office-secret")
    page.get_by_role("tab", name="管理").click()
    down = page.locator("#admin-down")
    down.locator("td", has_text="应为 12.6 亿吨").wait_for(timeout=30_000)
    assert down.locator("tbody tr").count() == 1
    row = down.locator("tbody tr").first.inner_text()
    assert "煤炭产量目标是多少？" in row and "数字不对" in row and "reviewer" in row
    figures = page.locator("#admin-figures").inner_text()
    assert "👎 1" in figures and "p95" in figures
    assert page.locator("#admin-chart .bar-row").count() >= 1
    page.screenshot(path=str(output_dir / "e2e-admin.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#admin-csv").click()
    saved = output_dir / "e2e-admin-log.csv"
    download.value.save_as(saved)
    table = list(csv.DictReader(saved.open(encoding="utf-8-sig", newline="")))
    assert [(r["问题"], r["评价"], r["原因"]) for r in table if int(r["编号"]) not in before] == [
        ("粮食产量目标是多少？", "👍", ""), ("煤炭产量目标是多少？", "👎", "数字不对")]

    picks = page.locator("#admin-picks")
    assert picks.locator("input:checked").count() == 1  # the 👎 answer is chosen
    page.locator("#admin-export-eval").click()
    link = page.locator("#admin-eval-file a").first
    link.wait_for(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    saved = output_dir / "e2e-admin-eval.jsonl"
    download.value.save_as(saved)
    items = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    coal = new_rows()[1]
    assert [(i["id"], i["question"], i["refs"], i["feedback"]) for i in items] == [
        (f"log{coal['id']}", "煤炭产量目标是多少？", coal["refs"], "数字不对；应为 12.6 亿吨")]
    context.close()


def test_no_admin_tab_without_accounts(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(server.url)
    page.locator("#question textarea").wait_for()
    page.get_by_role("tab", name="测验").wait_for()
    assert page.get_by_role("tab", name="管理").count() == 0
    page.close()


def test_conversations_are_listed_and_survive_a_reload(browser, server, output_dir):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url)
    listed = page.locator("#conversation-list label")
    ask(page, "粮食产量目标是多少？", 0)
    listed.filter(has_text="粮食产量目标是多少？").wait_for(timeout=30_000)
    ask(page, "煤炭产量目标是多少？", 1)
    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#sources details')")
    ask(page, "稀土产业有哪些举措？", 0)
    listed.filter(has_text="稀土产业有哪些举措？").wait_for(timeout=30_000)
    assert listed.count() == 2  # 新对话 kept the first conversation in the list
    assert "还没有保存的对话" not in page.locator("#conversation-col").inner_text()

    page.reload()
    listed.filter(has_text="粮食产量目标是多少？").wait_for(timeout=30_000)
    assert listed.count() == 2
    assert "煤炭" not in page.locator("#chatbot").inner_text()  # a reload starts with an empty chat
    listed.filter(has_text="粮食产量目标是多少？").click()
    chat = page.locator("#chatbot")
    chat.get_by_text("煤炭产量目标是多少？").wait_for(timeout=30_000)
    assert "粮食产量超过840亿斤" in chat.inner_text()
    assert page.locator("#sources section.turn-sources").count() == 2  # both answers' sources are back
    page.screenshot(path=str(output_dir / "e2e-conversations.png"))

    # the reopened conversation goes on: a follow-up is saved into it, not into a new one
    ask(page, "天然气呢？", 2)
    page.wait_for_timeout(300)
    page.reload()
    listed.first.wait_for(timeout=30_000)
    assert listed.count() == 2
    listed.filter(has_text="粮食产量目标是多少？").click()
    page.locator("#chatbot").get_by_text("天然气呢？").wait_for(timeout=30_000)
    context.close()

    # another browser has its own (empty) list
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    page = other.new_page()
    page.goto(server.url)
    page.locator("#conversation-list").wait_for()
    page.wait_for_timeout(1000)
    assert page.locator("#conversation-list label").count() == 0
    other.close()
