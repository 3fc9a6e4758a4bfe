"""The 文库 in headless Chromium against the real app with accounts: an admin uploads a .txt plan (a 2027
plan made from the bundled one, tests/library_docs.py), confirms the metadata read from it, sees it in
the list, opens it in 原文, asks a question scoped to it, which cites it by its qualified ref, and compares
an indicator across the two documents in 指标; a user sees the list but no upload, and the add called
through the Gradio API refuses. Screenshots of the tab at 1440 and 390 wide go to ./test-output/."""

import pytest
from browser_app import ANSWER_TIMEOUT_MS, add_user, api_ids, call_queue, log_in
from library_docs import plan_variant

pytestmark = pytest.mark.slow

LABEL = "2027内蒙古计划"
TITLE = "2027年内蒙古自治区国民经济和社会发展计划"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("library-e2e")
    users = folder / "users.txt"
    add_user(users, "chief", "chief-office-secret", admin=True)
    add_user(users, "reviewer", "correct-horse-battery")
    upload = plan_variant(tmp_path_factory.mktemp("upload") / "2027年计划.txt", 2027)
    return folder, users, upload


@pytest.fixture(scope="module")
def server(start_app, setup):
    folder, users, _ = setup
    return start_app("app-e2e-library.log", folder / "data", users, folder / "records.sqlite3")


def choose(page, box: str, option: str) -> None:
    page.locator(f"#{box} input").click()
    page.locator(f"#{box} li", has_text=option).first.click()


def test_an_admin_adds_a_document_opens_it_and_asks_over_it(browser, server, setup, output_dir):
    folder, _, upload = setup
    context, page = log_in(browser, server, "chief", "chief-office-secret")
    page.get_by_role("tab", name="文库").click()
    listing = page.locator("#library-list")
    listing.get_by_text("文库共 1 份文件").wait_for()
    assert page.locator("#chat-scope").count() == 0 or not page.locator("#chat-scope").is_visible()

    page.locator("#library-upload input[type=file]").set_input_files(str(upload))
    page.locator("#library-form").wait_for(state="visible", timeout=60_000)
    assert page.locator("#library-title textarea, #library-title input").first.input_value() == TITLE
    assert page.locator("#library-year input, #library-year textarea").first.input_value() == "2027"
    assert LABEL in page.locator("#library-summary").inner_text()
    page.locator("#library-add").click()
    page.locator("#library-status").get_by_text(f"已加入文库：{LABEL}（d1）").wait_for(timeout=60_000)
    row = listing.locator(".library-table tr[data-doc=d1]")
    assert [c.inner_text() for c in row.locator("td").all()][:6] == ["d1", LABEL, TITLE, "内蒙古自治区", "2027", "计划"]
    assert (folder / "data" / "library" / "files" / "d1.txt").read_bytes() == upload.read_bytes()
    page.screenshot(path=str(output_dir / "e2e-library-1440.png"), full_page=True)

    # 原文: the chooser opens the added document, its refs qualified by its label
    page.get_by_role("tab", name="原文").click()
    choose(page, "source-doc", LABEL)
    section = page.locator("#section .node")
    page.wait_for_function("document.querySelector('#section .node')?.dataset.ref === '2027内蒙古计划·主要预期目标'")
    assert "粮食产量超过850亿斤" in section.inner_text()
    page.locator(f"#outline-tree .toc-item[data-ref='{LABEL}·四']").click()  # opens the part in the tree
    page.locator(f"#outline-tree .toc-item[data-ref='{LABEL}·四(三)']").click()
    page.wait_for_function(f"document.querySelector('#section .node')?.dataset.ref === '{LABEL}·四(三)'")
    assert "加强矿产资源开发利用" in section.inner_text()

    # 问答: the scope holds the plan by default; asked over the 2027 plan alone, the answer cites it
    page.get_by_role("tab", name="问答").click()
    scope = page.locator("#chat-scope")
    scope.wait_for(state="visible")
    choose(page, "chat-scope", LABEL)
    scope.locator(".token", has_text="2026内蒙古计划").locator(".token-remove").click()
    assert [t.inner_text().strip() for t in scope.locator(".token").all()] == [f"{LABEL}（2027 · 计划）"]
    box = page.locator("#question textarea")
    box.fill("粮食产量目标是多少？")
    box.press("Enter")
    page.locator("#sources section[data-answer='0']").wait_for(state="attached", timeout=ANSWER_TIMEOUT_MS)
    answer = page.locator("[data-testid=bot]").first.inner_text()
    assert "超过850亿斤" in answer and f"{LABEL}·主要预期目标" in answer and "840亿斤" not in answer
    assert page.locator(f"#sources .cite[data-ref='{LABEL}·主要预期目标']").count() == 1
    page.screenshot(path=str(output_dir / "e2e-library-chat.png"))

    # 指标: one value per document of the chosen indicator
    page.get_by_role("tab", name="指标").click()
    page.locator("#compare-box").wait_for(state="visible")
    choose(page, "compare-indicator", "地区生产总值增长（2 份文件）")
    view = page.locator("#compare-view")
    view.locator(".compare-table").wait_for()
    rows = [[c.inner_text() for c in r.locator("td").all()][:5] for r in view.locator("tbody tr").all()]
    assert rows == [["2026内蒙古计划", "2026", "内蒙古自治区", "5%左右", "[主要预期目标]"],
                    [LABEL, "2027", "内蒙古自治区", "5.5%左右", f"[{LABEL}·主要预期目标]"]]
    assert view.locator(".bar-row").count() == 2
    page.screenshot(path=str(output_dir / "e2e-library-compare.png"))
    context.close()

    # a phone: the list as cards
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(server.url)
    small.locator("input[type=text]").fill("chief")
    small.locator("input[type=password]").fill("chief-office-secret")
    small.get_by_role("button", name="登录").click()
    small.locator("#question textarea").wait_for(timeout=30_000)
    small.get_by_role("button", name="更多").click()  # a phone's tab row shows the first tabs, the rest in a menu
    small.locator(".overflow-dropdown button", has_text="文库").click()
    small.locator("#library-cards .card[data-doc=d1]").wait_for()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=str(output_dir / "e2e-library-390.png"), full_page=True)
    phone.close()


def test_a_user_sees_the_list_but_cannot_add(browser, server, setup):
    _, _, upload = setup
    context, page = log_in(browser, server, "reviewer", "correct-horse-battery")
    page.get_by_role("tab", name="文库").click()
    page.locator("#library-list").get_by_text("文库共").wait_for()
    assert page.locator("#library-upload").count() == 0 or not page.locator("#library-upload").is_visible()
    assert page.get_by_text("加入或移除文件").count() == 0 or not page.get_by_text("加入或移除文件").is_visible()
    uploaded = context.request.post(server.url + "gradio_api/upload", multipart={
        "files": {"name": "2028年计划.txt", "mimeType": "text/plain", "buffer": upload.read_bytes()}})
    file = {"path": uploaded.json()[0], "orig_name": "2028年计划.txt", "meta": {"_type": "gradio.FileData"}}
    ids = api_ids(context, server)
    for name, data in (("library_add", [file, "2028年计划", "2028", "", "plan", False]), ("library_remove", ["d1"])):
        done = [m for m in call_queue(context, server, ids[name], data) if m["msg"] == "process_completed"]
        assert len(done) == 1 and done[0]["success"] is False and "需要管理员权限" in str(done[0]["output"])
    context.close()
