"""The web app's interface in headless Chromium against the real app: every visible text Chinese
whatever the browser's language, the login's wait and 退出登录, the department filter, the 分工方案
import for admins only, the 管理 view with a bad date and a very long question, a reopened
conversation's 👍/👎, the charts' bars, and the first screen of a phone. Screenshots go to
./test-output/."""

import re
import time

import pytest
from browser_app import ANSWER_TIMEOUT_MS, add_user, api_ids, ask, call_queue, log_in, open_app

pytestmark = pytest.mark.slow

# Latin words a Chinese page may show: file formats and names the user types or sees elsewhere
ALLOWED = {"CSV", "Excel", "Markdown", "API", "YYYY", "eval", "jsonl", "xlsx", "xls", "UTF", "GBK", "csv", "txt"}
# regions showing the plan's or the user's own text, where a Latin word is content, not interface
CONTENT = ("[data-testid=bot], [data-testid=user], #sources .cite-text, #sources .turn-q, #section, #outline-tree, "
           "#tasks-table tbody, #targets-table tbody, .cards, #report, .q-prompt, .q-choices, .q-feedback, #matches, "
           "#admin-most td, #admin-down td, #admin-refused td, #admin-picks, #conversation-list, #task-count, "
           ".account-name")
VISIBLE_TEXTS = """(content) => {
  const out = [];
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (node.data.trim() && el && !el.closest('script, style') && !el.closest(content) && shown(el)) out.push(node.data.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (!shown(el) || el.closest(content)) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  return out;
}"""


def english_words(page) -> set[str]:
    texts = page.evaluate(VISIBLE_TEXTS, CONTENT)
    return {w for t in texts for w in re.findall(r"[A-Za-z]{3,}", t) if w not in ALLOWED}


@pytest.fixture(scope="module")
def accounts(accounts):
    """conftest.py's reviewer and chief, and clerk: the one whose logins are slowed down."""
    add_user(accounts[0], "clerk", "clerk-office-secret")
    return accounts


def test_every_visible_text_is_chinese_in_an_english_browser(browser, auth_server, output_dir):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(auth_server.url)
    page.locator("input[type=password]").wait_for()
    seen = {"登录页": english_words(page)}
    page.locator("input[type=text]").fill("chief")
    page.locator("input[type=password]").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("凭据不正确").wait_for()
    page.locator("input[type=text]").fill("chief")  # the form empties both fields after a refusal
    page.locator("input[type=password]").fill("chief-office-secret")
    page.get_by_role("button", name="登录").click()
    page.locator("#question textarea").wait_for(timeout=30_000)

    ask(page, "粮食产量目标是多少？", 0)
    page.locator("#chatbot").get_by_role("button", name="赞", exact=True).first.click()
    page.locator(".toast-body", has_text="已记录").wait_for()
    assert page.locator("#chatbot button[aria-label='已赞']").count() == 1
    page.locator("#send").click()  # nothing typed: a warning toast
    page.locator(".toast-body", has_text="请先输入问题").wait_for()
    seen["问答"] = english_words(page)
    titles = {t.strip() for t in page.locator(".toast-title").all_inner_texts()}
    assert titles and titles <= {"注意", "提示"}, titles
    page.screenshot(path=str(output_dir / "e2e-ui-chinese-chat.png"))
    for close in page.locator(".toast-close").all():
        close.click()

    for tab in ("原文", "指标", "任务", "测验", "管理"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1200)
        if tab == "任务":
            page.get_by_text("导入官方分工方案").click()
        if tab == "测验":  # a paper number that is no number: an error toast
            page.locator("#quiz-paper textarea, #quiz-paper input").first.fill("第七份")
            page.locator("#quiz-generate").click()
            page.locator(".toast-body", has_text="试卷编号须为").wait_for()
            assert "错误" in page.locator(".toast-title").all_inner_texts()[-1]
        seen[tab] = english_words(page)
    page.screenshot(path=str(output_dir / "e2e-ui-chinese-admin.png"))
    assert {tab: words for tab, words in seen.items() if words} == {}
    context.close()


def test_a_slowed_down_login_says_how_long_and_a_user_can_log_out(browser, auth_server, output_dir):
    # six heard failures for clerk (each after the previous wait): the next attempt waits 8 s
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="zh-CN")
    heard, deadline = 0, time.monotonic() + 60
    while heard < 6 and time.monotonic() < deadline:
        r = context.request.post(auth_server.url + "login", multipart={"username": "clerk", "password": "wrong-pw"})
        if r.status == 429:
            assert re.fullmatch(r"登录尝试过多，请在 \d+ 秒后重试", r.json()["detail"])
            time.sleep(0.3)
        else:
            assert r.status == 400
            heard += 1
    # the right password, while slowed down: the login page says so, with the wait
    page = context.new_page()
    page.goto(auth_server.url)
    page.locator("input[type=text]").fill("clerk")
    page.locator("input[type=password]").fill("clerk-office-secret")
    page.get_by_role("button", name="登录").click()
    note = page.locator(".login-wait")
    note.wait_for(timeout=10_000)
    assert re.fullmatch(r"登录尝试过多，请在 [1-8] 秒后重试", note.inner_text().strip())
    assert page.get_by_text("凭据不正确").count() == 0 and page.locator("#question").count() == 0
    page.screenshot(path=str(output_dir / "e2e-ui-login-wait.png"))
    assert "login refused unheard: user='clerk'" in auth_server.log_path.read_text(encoding="utf-8")
    context.close()

    # signed in: the name and 退出登录 above the tabs; out again: the login page, no session
    context, page = log_in(browser, auth_server, "reviewer", "correct-horse-battery")
    account = page.locator("#account")
    account.get_by_text("当前用户：reviewer").wait_for()
    account.get_by_role("link", name="退出登录").click()
    page.locator("input[type=password]").wait_for(timeout=30_000)
    assert page.locator("#question").count() == 0
    assert context.request.get(auth_server.url + "config").status == 401
    context.close()


def test_no_logout_link_without_accounts(browser, server):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(server.url)
    page.locator("#question textarea").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_text("退出登录").count() == 0
    page.close()


def test_the_department_box_narrows_the_list_and_never_fails(browser, server, output_dir):
    from assistant.owners import load_departments

    page, dialogs, outside = open_app(browser, server, tab="任务")
    count, rows = page.locator("#task-count"), page.locator("#tasks-table tbody tr")
    page.locator("#tasks-table").get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    dept = page.locator("#task-dept input")

    # clicked and typed into with an input method: the committed word filters the list
    dept.click()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "shuili", "selectionStart": 6, "selectionEnd": 6})
    cdp.send("Input.insertText", {"text": "水利"})
    page.wait_for_function("() => [...document.querySelectorAll('#task-dept li')].every(li => li.innerText.includes('水利'))")
    assert dept.input_value() == "水利"
    offered = [li.inner_text() for li in page.locator("#task-dept li").all()]
    assert offered and all("水利" in o for o in offered) and len(offered) < len(load_departments())
    page.locator("#task-dept li", has_text="自治区水利厅").first.click()
    count.get_by_text("自治区水利厅牵头或配合").wait_for()
    n = int(re.search(r"共 (\d+) 条任务", count.inner_text()).group(1))
    assert n > 0 and rows.count() > 0

    # once more, with a department chosen: what is typed replaces it (never "自治区水利厅林草");
    # a name that is none changes nothing
    dept.click()
    dept.press_sequentially("林草")
    assert dept.input_value() == "林草"
    assert all("林草" in li.inner_text() for li in page.locator("#task-dept li").all())
    dept.press("Escape")
    dept.click()
    dept.press_sequentially("量子部")
    dept.press("Enter")
    page.locator("#task-search textarea").click()
    page.wait_for_timeout(800)
    assert dept.input_value() == "自治区水利厅" and f"共 {n} 条任务" in count.inner_text() and rows.count() > 0
    assert page.locator(".toast-body.error").count() == 0 and page.get_by_text("部门名录中没有").count() == 0
    page.screenshot(path=str(output_dir / "e2e-ui-department.png"))
    assert dialogs == [] and outside == []
    page.close()


def test_the_official_table_import_is_for_admins_only(browser, auth_server, data_dir):
    official = data_dir / "official_owners.json"
    # a user: no import box, and the import endpoint, called through the Gradio API, refuses
    context, page = log_in(browser, auth_server, "reviewer", "correct-horse-battery")
    page.get_by_role("tab", name="任务").click()
    page.locator("#tasks-table").get_by_text("粮食产量超过840亿斤", exact=True).wait_for()
    assert page.get_by_text("导入官方分工方案").count() == 0
    table = "任务,牵头单位\n粮食产量超过840亿斤,粮储局\n".encode()
    uploaded = context.request.post(auth_server.url + "gradio_api/upload", multipart={
        "files": {"name": "分工方案.csv", "mimeType": "text/csv", "buffer": table}})
    assert uploaded.status == 200, uploaded.text()
    file = {"path": uploaded.json()[0], "orig_name": "分工方案.csv", "meta": {"_type": "gradio.FileData"}}
    messages = call_queue(context, auth_server, api_ids(context, auth_server)["import_owners"], [file, "", "", ""])
    done = [m for m in messages if m["msg"] == "process_completed"]
    assert len(done) == 1 and done[0]["success"] is False and "需要管理员权限" in str(done[0]["output"]), messages
    assert not official.exists()
    context.close()

    # an admin: the box is there
    context, page = log_in(browser, auth_server, "chief", "chief-office-secret")
    page.get_by_role("tab", name="任务").click()
    page.get_by_text("导入官方分工方案").wait_for()
    context.close()


def test_admin_view_a_bad_date_and_a_very_long_question(browser, auth_server, output_dir):
    long = "请问" + "稀土产业和新能源产业有哪些具体举措" * 300  # 5,402 characters
    context, page = log_in(browser, auth_server, "chief", "chief-office-secret")
    ask(page, long, 0)
    page.get_by_role("tab", name="管理").click()
    most = page.locator("#admin-most")
    cell = most.locator("td", has_text="请问稀土产业").first
    cell.wait_for(timeout=30_000)
    shown = cell.inner_text().strip()
    assert len(shown) <= 81 and shown.endswith("…") and long.startswith(shown[:-1])
    assert long.startswith(cell.locator("[title]").get_attribute("title")[:1000])
    assert cell.bounding_box()["height"] < 120
    figures_before = page.locator("#admin-figures").inner_text()

    since = page.locator("#admin-since textarea, #admin-since input").first
    since.fill("2026-13-45")
    since.press("Enter")
    status = page.locator("#admin-status")
    status.get_by_text("未刷新：起始日期应为 YYYY-MM-DD（如 2026-03-01），而不是“2026-13-45”").wait_for()
    page.wait_for_timeout(800)
    panels = page.locator("#admin-figures, #admin-chart, #admin-most, #admin-down, #admin-refused")
    assert panels.get_by_text("错误", exact=True).count() == 0 and page.locator(".toast-body.error").count() == 0
    assert page.locator("#admin-figures").inner_text() == figures_before  # the panels keep their data
    page.screenshot(path=str(output_dir / "e2e-ui-admin-bad-date.png"), full_page=True)
    context.close()


def test_a_reopened_conversation_shows_its_votes(browser, server, output_dir):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url)
    ask(page, "粮食产量目标是多少？", 0)
    ask(page, "煤炭产量目标是多少？", 1)
    chat = page.locator("#chatbot")
    chat.get_by_role("button", name="赞", exact=True).first.click()
    page.locator(".toast-body", has_text="已记录：👍").wait_for()
    chat.get_by_role("button", name="踩", exact=True).nth(1).click()
    page.locator("#feedback-reason").wait_for()
    page.locator("#feedback-skip").click()
    page.wait_for_timeout(1000)  # the vote is saved with the conversation
    page.locator("#new-chat").click()
    page.reload()
    page.locator("#conversation-list label", has_text="粮食产量目标是多少？").click()
    chat.get_by_text("煤炭产量目标是多少？").wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('#chatbot button[aria-label=\"已赞\"]').length === 1")
    thumbs = chat.locator("button[aria-label='赞'], button[aria-label='踩'], button[aria-label='已赞'], "
                          "button[aria-label='已踩']")
    assert [t.get_attribute("aria-label") for t in thumbs.all()] == ["踩", "已赞", "已踩", "赞"]  # 👎 👍 per answer
    page.screenshot(path=str(output_dir / "e2e-ui-reopened-votes.png"))
    context.close()


def bars(page, chart: str) -> list[dict]:
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel + ' .bar-track')].map(t => {
        const r = t.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; })""", chart)


def test_chart_bars_line_up_and_a_lone_figure_is_not_stretched(browser, server, output_dir):
    page = open_app(browser, server, tab="指标")[0]
    chart = page.locator("#targets-chart .chart")
    chart.get_by_text("各章节的量化指标").wait_for()
    width = chart.bounding_box()["width"]
    tracks = bars(page, "#targets-chart")
    assert len(tracks) > 5
    assert max(t["right"] for t in tracks) - min(t["right"] for t in tracks) < 1  # every bar ends at one place
    assert max(t["left"] for t in tracks) - min(t["left"] for t in tracks) < 1
    assert tracks[0]["width"] < 0.75 * width  # not stretched across the page
    page.screenshot(path=str(output_dir / "e2e-ui-chart-chapters.png"))

    for ref in ("八", "主要预期目标"):
        page.locator("#targets-chapter input").click()
        page.locator("#targets-chapter li", has_text=f"[{ref}]").first.click()
        page.locator(f"#targets-chart [data-chart='{ref}']").wait_for()
        tracks = bars(page, "#targets-chart")
        if ref == "八":  # one target: its value beside its name, no bar across the chart
            assert tracks == []
            value = page.locator("#targets-chart .bar-value", has_text="25%").bounding_box()
            assert value["x"] < chart.bounding_box()["x"] + width / 2
        else:
            assert len(tracks) == 3 and max(t["right"] for t in tracks) - min(t["right"] for t in tracks) < 1
        page.locator("#targets-chart").screenshot(path=str(output_dir / f"e2e-ui-chart-{ref}.png"))
    page.close()


def test_phone_first_screen_question_box_sources_and_card_limit(browser, server, auth_server, output_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(server.url)
    box = page.locator("#question textarea")
    box.wait_for()
    page.wait_for_timeout(1500)
    # on load: the page where it starts, every tab in one line, the question box on the first screen
    assert page.evaluate("window.scrollY") == 0
    tabs = page.get_by_role("tab")
    assert [t.inner_text().strip() for t in tabs.all()] == ["问答", "原文", "指标", "任务", "测验", "文库"]
    assert all(0 <= t.bounding_box()["y"] < 300 for t in tabs.all())
    assert box.bounding_box()["y"] + box.bounding_box()["height"] <= 844
    page.screenshot(path=str(output_dir / "e2e-ui-phone-chat.png"))

    def small_fields() -> list[str]:
        return page.evaluate("""() => [...document.querySelectorAll('input, textarea, select')]
            .filter(e => e.offsetParent && e.type !== 'hidden' && parseFloat(getComputedStyle(e).fontSize) < 16)
            .map(e => (e.closest('[id]') || e).id + ' ' + getComputedStyle(e).fontSize)""")

    assert small_fields() == []
    # an answer has a 来源 button beside it that brings its sources into view
    box.fill("稀土产业有哪些举措？")
    box.press("Enter")
    jump = page.locator("#chatbot .sources-jump").first
    jump.wait_for(timeout=ANSWER_TIMEOUT_MS)
    answer = page.locator("#chatbot .message-row.bot-row").first.bounding_box()
    assert answer["y"] <= jump.bounding_box()["y"] <= answer["y"] + answer["height"]
    assert page.locator("#sources").bounding_box()["y"] > 844  # far below, before the button
    jump.click()
    page.wait_for_timeout(500)
    top = page.locator("#sources").bounding_box()["y"]
    assert 0 <= top < 844 / 2
    assert page.locator("#sources .turn-sources.shown details.cite[open]").count() >= 1
    page.screenshot(path=str(output_dir / "e2e-ui-phone-sources.png"))

    for tab in ("原文", "指标", "任务", "测验"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(800)
        assert small_fields() == [], tab
    # 任务: the 100-card limit is said above the cards, not 13,000 px down
    page.get_by_role("tab", name="任务").click()
    note = page.locator("#tasks-cards .cards-limit")
    note.wait_for()
    assert "只显示前 100 条" in note.inner_text()
    assert note.bounding_box()["y"] < page.locator("#tasks-cards .card").first.bounding_box()["y"]
    page.screenshot(path=str(output_dir / "e2e-ui-phone-tasks.png"))
    # the login page's fields too
    page.goto(auth_server.url)
    page.locator("input[type=password]").wait_for()
    assert small_fields() == []
    context.close()
