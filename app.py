"""The web app (Gradio): cited answers in a chat, the plan's text by outline and search, its
quantitative targets as a table, the task ledger with the department that owns each task, and a
quiz for trainers.

    python app.py                          # http://127.0.0.1:7860, no login
    plan-assistant users add alice --admin # accounts: salted scrypt hashes, a role each
    python app.py --host 0.0.0.0 --port 8080 --auth-file users.txt

`demo` is built at import time and launched only under __main__, so tests import it without a
server. Callbacks are thin: they call one core function and format its result with
`assistant.web`. The Assistant (index and models) loads lazily, once, shared by all sessions; the
outline, targets, task ledger and quiz need only the parsed plan, which is cheap. Each tab is one
`build_*_tab()` function: a new tab is one more function and one more line in `build_demo()`.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: it reads this on import

import argparse  # noqa: E402
import hashlib  # noqa: E402
import ipaddress  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from assistant import web  # noqa: E402
from assistant.accounts import AccountsError, LoginGuard, RememberClientAddress, load_accounts  # noqa: E402
from assistant.cli import UserError  # noqa: E402
from assistant.commands.tasks import select, task_row, write_rows  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.owners import (  # noqa: E402
    default_official_path,
    import_official,
    load_departments,
    owners_for,
    resolve_department,
    save_official,
)
from assistant.parse import load  # noqa: E402
from assistant.quiz import KIND_LABELS, KINDS, Question, QuizError, generate_quiz, grade  # noqa: E402
from assistant.records import Records, log_answer  # noqa: E402
from assistant.refs import UnknownRef  # noqa: E402
from assistant.targets import extract_targets, filter_targets, targets_csv  # noqa: E402
from assistant.tasks import build_ledger  # noqa: E402

log = logging.getLogger("plan_assistant.app")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
EXAMPLES = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "防沙治沙任务由哪个部门牵头？", "What is the GDP growth target?"]

CONFIG = Config.load()
DOC = load(CONFIG.plan)
TARGETS = extract_targets(DOC)
LEDGER = build_ledger(DOC)  # the same ledger as Assistant.ledger, without loading the index
DEPARTMENTS = load_departments()
RECORDS = Records.open(CONFIG)  # the conversation log; main() turns it off for --no-log

# ---- the shared Assistant -----------------------------------------------------------------------

_assistant = None
_assistant_lock = threading.Lock()


def get_assistant():
    """The one Assistant of this process, loaded on first use (building the index on a first run,
    with its progress bar on the console); concurrent first callers wait for the same load."""
    global _assistant
    if _assistant is None:
        with _assistant_lock:
            if _assistant is None:
                from assistant.api import Assistant

                _assistant = Assistant.load(CONFIG)
    return _assistant


def assistant_ready() -> bool:
    return _assistant is not None


def warm_up() -> None:
    """Load in the background at startup so the first question does not wait for it."""
    try:
        get_assistant()
        log.info("assistant loaded")
    except Exception:  # the first question retries and shows the error to the user
        log.exception("loading the assistant failed")


# ---- chat ---------------------------------------------------------------------------------------

def respond(message: str, turns: list[dict] | None, request: gr.Request = None):
    """Stream the answer to `message` given the earlier `turns`.

    Yields (textbox, chatbot, turns, sources panel, mode line, report text)."""
    started = time.perf_counter()
    turns = list(turns or [])
    question = (message or "").strip()
    if not question:
        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    waiting = "正在检索原文…" if assistant_ready() else "正在加载索引（首次运行需构建，约一两分钟）…"
    yield ("", web.chat_messages(turns, pending=question, waiting=waiting), turns,
           web.sources_html([], empty=waiting), "", "")
    final = None
    try:
        for event in get_assistant().ask_stream(question, web.history_of(turns)):
            if event.answer is not None:
                final = event.answer
                break
            yield (gr.skip(), web.chat_messages(turns, pending=question, partial=event.text),
                   gr.skip(), gr.skip(), gr.skip(), gr.skip())
    except Exception as exc:
        log.exception("answering %r failed", question)
        yield (question, web.chat_messages(turns), turns, web.sources_html([]), "", "")
        raise gr.Error(f"回答失败：{type(exc).__name__}: {exc}") from exc
    if final is None:
        yield (question, web.chat_messages(turns), turns, web.sources_html([]), "", "")
        raise gr.Error("回答失败：没有得到答案")
    log_answer(RECORDS, final, latency_s=time.perf_counter() - started, history=web.history_of(turns),
               question=question, user=getattr(request, "username", None), source="web")
    turns = turns + [web.turn_of(question, final)]
    yield ("", web.chat_messages(turns), turns, web.sources_html(final.citations, final.notice),
           web.status_markdown(final), final.plain_text())


def new_chat():
    return "", [], [], web.sources_html([]), "", ""


def build_chat_tab() -> None:
    with gr.Tab("问答", id="chat"):
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="对话", height=540, buttons=["copy"], sanitize_html=True,
                    latex_delimiters=[], feedback_options=None, elem_id="chatbot",
                    placeholder="向计划原文提问：答案逐句摘自原文，并注明出处。",
                )
                with gr.Row():
                    msg = gr.Textbox(show_label=False, placeholder="输入问题，回车发送，例如：粮食产量目标是多少？",
                                     max_length=2000, scale=6, autofocus=True, elem_id="question")
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80)
                with gr.Row(elem_classes="examples"):
                    gr.HTML("<span class='muted'>示例问题：</span>", elem_classes="examples-label")
                    example_buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
                    clear = gr.Button("新对话", size="sm", variant="stop", elem_id="new-chat")
            with gr.Column(scale=2):
                status = gr.Markdown(elem_id="answer-mode")
                sources = gr.HTML(web.sources_html([]), elem_id="sources")
                report = gr.Textbox(label="复制为报告文本（答案＋出处原文）", lines=8, max_lines=16,
                                    buttons=["copy"], interactive=False, elem_id="report")

        outputs = [msg, chatbot, turns, sources, status, report]
        msg.submit(respond, [msg, turns], outputs, api_name="chat")
        send.click(respond, [msg, turns], outputs, api_visibility="private")
        for button, question in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda q=question: q, None, msg, queue=False, api_visibility="private").then(
                respond, [msg, turns], outputs, api_visibility="private")
        clear.click(new_chat, None, outputs, queue=False, api_visibility="private")
        chatbot.clear(new_chat, None, outputs, queue=False, api_visibility="private")


# ---- the plan text ------------------------------------------------------------------------------

def open_section(ref: str | None, query: str | None = None) -> str:
    if not ref:
        return ""
    try:
        node = DOC.get(ref)
    except UnknownRef as e:
        raise gr.Error(str(e)) from e
    return web.node_html(node, [query.strip()] if query and query.strip() else ())


def open_match(ref: str | None, query: str | None):
    if not ref:
        return gr.skip(), gr.skip()
    return ref, open_section(ref, query)


def search(query: str):
    """(matching refs as Radio choices, a count line)."""
    hits = web.search_plan(DOC, query)
    choices = web.search_choices(hits)
    if not (query or "").strip():
        return gr.update(choices=[], value=None), ""
    if not hits:
        return gr.update(choices=[], value=None), f"原文中没有“{web.user_markdown(query.strip())}”。"
    return (gr.update(choices=choices, value=None),
            f"共 {len(hits)} 句、{len(choices)} 个段落包含“{web.user_markdown(query.strip())}”，点击打开：")


def build_source_tab() -> None:
    first = "主要预期目标" if "主要预期目标" in DOC.by_ref else DOC.nodes[0].ref
    with gr.Tab("原文", id="source"):
        with gr.Row():
            with gr.Column(scale=2, min_width=280):
                outline = gr.Dropdown(web.outline_choices(DOC), value=first, label="目录（可输入文字筛选）",
                                      filterable=True, elem_id="outline")
                query = gr.Textbox(label="全文搜索", placeholder="如：稀土、防沙治沙、840亿斤", submit_btn="搜索",
                                   elem_id="plan-search")
                found = gr.Markdown()
                matches = gr.Radio([], label="匹配的段落", elem_id="matches")
            with gr.Column(scale=5):
                section = gr.HTML(open_section(first), elem_id="section")
        outline.change(open_section, [outline, query], section, api_name="show")
        query.submit(search, query, [matches, found], api_name="search")
        # opening a match moves the outline to it too, which (re)draws the section
        matches.change(open_match, [matches, query], [outline, section], api_visibility="private")


# ---- targets ------------------------------------------------------------------------------------

_csv_dir: Path | None = None


def export_root() -> Path:
    """This process's folder for files offered for download."""
    global _csv_dir
    if _csv_dir is None:
        _csv_dir = Path(tempfile.mkdtemp(prefix="plan-assistant-"))
    return _csv_dir


def export_folder(kind: str, key, write) -> Path:
    """The folder holding the files `write(folder)` makes for `key` (anything JSON-able that
    determines their content). One folder per distinct content, written once and moved into place
    whole, so two sessions never see each other's half-written file and a repeated export costs
    nothing."""
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False, default=str).encode()).hexdigest()[:20]
    final = export_root() / f"{kind}-{digest}"
    if not final.exists():
        scratch = Path(tempfile.mkdtemp(dir=export_root()))
        write(scratch)
        try:
            scratch.rename(final)
        except OSError:  # another session made the same files meanwhile
            shutil.rmtree(scratch, ignore_errors=True)
    return final


def safe_filename_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\s]+', "_", text).strip("._")[:40]


def targets_file(chapter: str) -> str:
    """The CSV of the targets under `chapter` ("" = all), with a BOM so Excel reads the Chinese."""
    path = export_root() / f"2026计划指标-{chapter or '全部'}.csv"
    path.write_text(targets_csv(filter_targets(DOC, TARGETS, chapter or None)), encoding="utf-8-sig")
    return str(path)


def targets_table(chapter: str) -> pd.DataFrame:
    try:
        chosen = filter_targets(DOC, TARGETS, chapter or None)
    except UnknownRef as e:
        raise gr.Error(str(e)) from e
    return pd.DataFrame(web.target_rows(chosen), columns=web.TARGET_HEADERS)


def show_targets(chapter: str):
    table = targets_table(chapter)
    return table, targets_file(chapter), f"共 **{len(table)}** 项量化指标。"


def build_targets_tab() -> None:
    counts = web.targets_per_chapter(DOC, TARGETS)
    with gr.Tab("指标", id="targets"):
        with gr.Row():
            chapter = gr.Dropdown(web.chapter_choices(DOC), value="", label="按章节筛选", scale=4)
            with gr.Column(scale=1, min_width=160):
                download = gr.DownloadButton("下载 CSV", value=targets_file(""), size="md", elem_id="download-csv")
        count = gr.Markdown(f"共 **{len(TARGETS)}** 项量化指标。")
        table = gr.Dataframe(targets_table(""), interactive=False, wrap=True, max_height=520,
                             show_search="search", column_widths=["18%", "8%", "9%", "9%", "14%", "42%"],
                             elem_id="targets-table")
        gr.BarPlot(pd.DataFrame(counts, columns=["部分", "指标数"]), x="部分", y="指标数",
                   sort=[c for c, _ in counts], title="各部分的量化指标数", height=300)
        chapter.change(show_targets, chapter, [table, download, count], api_name="targets")


# ---- tasks and their owners ---------------------------------------------------------------------

def current_owners() -> dict:
    """Who owns each task: suggestions overlaid with the imported official table, read afresh so an
    import (here or by `plan-assistant owners import`) shows at once."""
    try:
        return owners_for(LEDGER)
    except (OSError, ValueError, TypeError, KeyError) as e:  # a damaged JSON file: say which
        raise gr.Error(f"无法读取已导入的分工数据 {default_official_path()}：{e}") from e


def task_files(rows: list[list[str]], label: str) -> tuple[str, str]:
    """(CSV path, XLSX path) of the ledger rows, written as `plan-assistant tasks` writes them."""
    stem = "2026计划任务台账" + (f"-{label}" if label else "")

    def write(folder: Path) -> None:
        write_rows(rows, "csv", str(folder / f"{stem}.csv"))
        write_rows(rows, "xlsx", str(folder / f"{stem}.xlsx"))

    folder = export_folder("tasks", [label, rows], write)
    return str(folder / f"{stem}.csv"), str(folder / f"{stem}.xlsx")


def show_tasks(dept: str | None, chapter: str | None, query: str | None):
    """(table, CSV file, XLSX file, count line) for the tasks of `chapter` ("" = all) that `dept`
    (full or short name, "" = any) leads or joins and whose row contains `query`."""
    dept, query = (dept or "").strip(), (query or "").strip()
    owners = current_owners()
    try:
        tasks = select(LEDGER, owners, chapter or None, dept or None)
    except UserError as e:
        raise gr.Error(str(e)) from e
    tasks = web.search_tasks(tasks, owners, query, DEPARTMENTS)
    rows = [task_row(t, owners[t.id]) for t in tasks]
    found = resolve_department(dept, DEPARTMENTS) if dept else None
    label = "-".join(safe_filename_part(p) for p in (chapter or "", found.name if found else dept) if p)
    csv_path, xlsx_path = task_files(rows, label)
    official = sum(owners[t.id].basis == "official" for t in tasks)
    line = f"共 **{len(tasks)}** 条任务"
    if chapter:
        line += f"（{web.user_markdown(chapter)}）"
    if found:
        line += f"，{web.user_markdown(found.name)}牵头或配合"
    line += f"；其中 {official} 条依据分工方案，其余依据部门职能推断。" if official else "；均依据部门职能推断（尚未导入分工方案）。"
    table = pd.DataFrame(web.task_table_rows(rows), columns=web.TASK_HEADERS)
    return table, csv_path, xlsx_path, line


def initial_tasks():
    """The tab's first view; a damaged import file must not stop the app from starting."""
    try:
        return show_tasks("", "", "")
    except gr.Error as e:
        log.error("%s", e.message)
        return pd.DataFrame([], columns=web.TASK_HEADERS), None, None, web.user_markdown(e.message)


def import_owners(path: str | None, dept: str | None, chapter: str | None, query: str | None):
    """Import an official 分工方案 table (CSV/XLSX) in place of the one imported before; report its
    bad rows by line number; redraw the table. Returns (report, table, CSV, XLSX, count line)."""
    if not path:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    name = Path(path).name
    try:
        report = import_official(path, LEDGER, DEPARTMENTS)
    except Exception as e:  # an unreadable or unsupported file is the user's input, not our bug
        log.warning("importing %s failed: %s", name, e)
        raise gr.Error(f"无法读取《{name}》：{type(e).__name__}: {e}") from e
    saved = None
    if report.imported:
        try:
            saved = str(save_official(report.entries, default_official_path(), source=name))
        except OSError as e:
            raise gr.Error(f"无法保存分工数据到 {default_official_path()}：{e}") from e
        gr.Info(f"已导入 {report.imported} 行分工")
    else:
        gr.Warning("没有可导入的行，原有分工未改动")
    if report.errors:
        gr.Warning(f"{len(report.errors)} 行有误已跳过：" + "；".join(f"第{n}行" for n, _ in report.errors[:8])
                   + ("…" if len(report.errors) > 8 else ""))
    return (web.import_report_html(report, name, saved), *show_tasks(dept, chapter, query))


def build_tasks_tab() -> None:
    table0, csv0, xlsx0, line0 = initial_tasks()
    with gr.Tab("任务", id="tasks") as tab:
        with gr.Row(equal_height=True):
            dept = gr.Dropdown(web.department_choices(DEPARTMENTS), value="", label="按部门筛选（可输入简称，如 林草局）",
                               filterable=True, allow_custom_value=True, scale=3, elem_id="task-dept")
            chapter = gr.Dropdown(web.task_chapter_choices(DOC, LEDGER), value="", label="按章节筛选", scale=3,
                                  elem_id="task-chapter")
            query = gr.Textbox(label="搜索任务", placeholder="如：防沙治沙、稀土、年底前、林草局", submit_btn="搜索",
                               scale=3, elem_id="task-search")
        with gr.Row(equal_height=True):
            count = gr.Markdown(line0, elem_id="task-count")
            download_csv = gr.DownloadButton("下载 CSV", value=csv0, size="md", scale=0, min_width=120,
                                             elem_id="tasks-csv")
            download_xlsx = gr.DownloadButton("下载 Excel", value=xlsx0, size="md", scale=0, min_width=120,
                                              elem_id="tasks-xlsx")
        table = gr.Dataframe(table0, interactive=False, wrap=True, max_height=560,
                             column_widths=["12%", "9%", "31%", "8%", "6%", "12%", "10%", "12%"],
                             elem_id="tasks-table")
        with gr.Accordion("导入官方分工方案（CSV / Excel）", open=False, elem_id="import-box"):
            gr.Markdown("表头需要 **任务**（或 **引用**、**编号**）列和 **牵头单位** 列，可有 **配合单位** 列；"
                        "多个单位用顿号分隔。导入后替换此前导入的分工，表中依据变为“依据分工方案”。"
                        f"<br><span class='muted'>保存位置：{web.esc(default_official_path())}"
                        "（可用环境变量 PLAN_ASSISTANT_DATA_DIR 指定目录）</span>")
            upload = gr.File(label="选择分工方案文件", file_types=[".csv", ".xlsx"], type="filepath",
                             elem_id="import-file")
            report = gr.HTML(elem_id="import-report")

        filters = [dept, chapter, query]
        shown = [table, download_csv, download_xlsx, count]
        dept.change(show_tasks, filters, shown, api_name="tasks")
        chapter.change(show_tasks, filters, shown, api_visibility="private")
        query.submit(show_tasks, filters, shown, api_visibility="private")
        tab.select(show_tasks, filters, shown, api_visibility="private")  # an import elsewhere shows
        upload.upload(import_owners, [upload, *filters], [report, *shown], api_visibility="private")


# ---- quiz ---------------------------------------------------------------------------------------

QUIZ_SLOTS = 20  # the most questions one quiz shows: Gradio needs its components up front
DEFAULT_SEED = 7
DIFFICULTIES = [("不限", 0), ("1 · 判断、出处", 1), ("2 · 单选", 2), ("3 · 填空", 3)]
SLOT_OUTPUTS = 5  # per slot: box, prompt, radio, textbox, feedback


def source_label(ref: str) -> str:
    try:
        return web.ref_label(ref, DOC.get(ref).title)
    except UnknownRef:
        return f"[{ref}]"


def quiz_files(quiz) -> list[str]:
    """The quiz and its answer key, each as Markdown and as CSV (BOM, for Excel)."""
    files = {"测验试题.md": (quiz.to_markdown(with_answers=False), "utf-8"),
             "测验试题与答案.md": (quiz.to_markdown(with_answers=True), "utf-8"),
             "测验试题.csv": (quiz.to_csv(with_answers=False), "utf-8-sig"),
             "测验试题与答案.csv": (quiz.to_csv(with_answers=True), "utf-8-sig")}

    def write(folder: Path) -> None:
        for name, (text, encoding) in files.items():
            (folder / name).write_text(text, encoding=encoding)

    folder = export_folder("quiz", quiz.to_json(), write)
    return [str(folder / name) for name in files]


def make_quiz(chapter: str | None, kinds: list[str] | None, n, difficulty, seed):
    """Generate a quiz. Returns [quiz state, status line, export box, export files, submit button, score]
    followed by SLOT_OUTPUTS updates per question slot (box, prompt, radio, textbox, feedback)."""
    try:
        n = int(n)
        seed = DEFAULT_SEED if seed is None or seed == "" else int(seed)
        difficulty = int(difficulty or 0) or None
    except (TypeError, ValueError) as e:
        raise gr.Error("题目数、难度和随机种子须为整数") from e
    if not 1 <= n <= QUIZ_SLOTS:
        raise gr.Error(f"题目数须在 1 到 {QUIZ_SLOTS} 之间")
    try:
        quiz = generate_quiz(DOC, n, chapter or None, list(kinds or []) or None, seed, difficulty)
    except (QuizError, UnknownRef) as e:
        raise gr.Error(str(e)) from e
    questions = quiz.questions
    status = f"共 **{len(questions)}** 题（随机种子 {quiz.seed}）"
    if len(questions) < n:
        status += f"：所选范围内只能出 {len(questions)} 题"
    status += "。作答后点“提交答案”查看得分与解析。"
    slots = []
    for i in range(QUIZ_SLOTS):
        if i < len(questions):
            q = questions[i]
            slots += [gr.update(visible=True), web.quiz_prompt_html(i + 1, q, f"【{KIND_LABELS[q.kind]}】"),
                      gr.update(choices=web.quiz_choices(q), value=None, visible=q.kind != "fill"),
                      gr.update(value="", visible=q.kind == "fill"), ""]
        else:
            slots += [gr.update(visible=False), "", gr.update(choices=[], value=None), gr.update(value=""), ""]
    state = quiz.to_json() | {"seed": quiz.seed}
    return [state, status, gr.update(visible=True), quiz_files(quiz), gr.update(visible=True), "", *slots]


def submit_quiz(state: dict | None, *values):
    """Grade the answers: `values` are the QUIZ_SLOTS radio values, then the QUIZ_SLOTS textbox
    values. Returns [score] + one feedback per slot."""
    if not state or not state.get("questions"):
        gr.Warning("请先生成测验")
        return [gr.skip()] * (1 + QUIZ_SLOTS)
    questions = [Question(**q) for q in state["questions"]][:QUIZ_SLOTS]
    radios, texts = values[:QUIZ_SLOTS], values[QUIZ_SLOTS:]
    right, feedback = 0, []
    for i, q in enumerate(questions):
        response = str((texts[i] if q.kind == "fill" else radios[i]) or "").strip()
        ok = bool(response) and grade(q, response)
        right += ok
        feedback.append(web.quiz_feedback_html(q, response, ok, source_label(q.ref)))
    return [web.quiz_score_html(right, len(questions)), *feedback, *[""] * (QUIZ_SLOTS - len(questions))]


def build_quiz_tab() -> None:
    with gr.Tab("测验", id="quiz"):
        state = gr.State(None)
        with gr.Row(equal_height=True):
            chapter = gr.Dropdown(web.chapter_choices(DOC), value="", label="出题范围", scale=3, elem_id="quiz-chapter")
            kinds = gr.CheckboxGroup([(KIND_LABELS[k], k) for k in KINDS], value=[], label="题型（不选为全部）",
                                     scale=4, elem_id="quiz-kinds")
            difficulty = gr.Dropdown(DIFFICULTIES, value=0, label="难度", scale=2, elem_id="quiz-difficulty")
            n = gr.Slider(1, QUIZ_SLOTS, value=10, step=1, label="题目数", scale=2, elem_id="quiz-n")
            seed = gr.Number(DEFAULT_SEED, precision=0, minimum=0, label="随机种子", scale=1,
                             elem_id="quiz-seed")
        with gr.Row(equal_height=True):
            generate = gr.Button("生成测验", variant="primary", scale=0, min_width=160, elem_id="quiz-generate")
            status = gr.Markdown("选择范围、题型和难度后点“生成测验”。", elem_id="quiz-status")
        with gr.Accordion("导出试题与答案（Markdown、CSV）", open=False, visible=False, elem_id="quiz-export") as export:
            files = gr.File(show_label=False, file_count="multiple", interactive=False, elem_id="quiz-files")
        slots = []
        for i in range(QUIZ_SLOTS):
            with gr.Column(visible=False, variant="panel", elem_classes=["q-slot", f"q-slot-{i + 1}"]) as box:
                prompt = gr.HTML(padding=False)
                radio = gr.Radio([], show_label=False, container=False, elem_classes="q-choices")
                text = gr.Textbox(show_label=False, container=False, max_length=50,
                                  placeholder="填写数值和单位，如 1500万亩", elem_classes="q-fill")
                feedback = gr.HTML(padding=False)
            slots.append((box, prompt, radio, text, feedback))
        submit = gr.Button("提交答案", variant="primary", visible=False, elem_id="quiz-submit")
        score = gr.HTML(elem_id="quiz-score")

        radios, texts = [s[2] for s in slots], [s[3] for s in slots]
        generate.click(make_quiz, [chapter, kinds, n, difficulty, seed],
                       [state, status, export, files, submit, score, *[c for s in slots for c in s]],
                       api_visibility="private")
        submit.click(submit_quiz, [state, *radios, *texts], [score, *[s[4] for s in slots]],
                     api_visibility="private")


# ---- the app ------------------------------------------------------------------------------------

THEME = gr.themes.Default(
    primary_hue="red", neutral_hue="slate",
    font=[gr.themes.LocalFont("Source Sans Pro"), "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
          "PingFang SC", "ui-sans-serif", "system-ui", "sans-serif"],
)
CSS = """
.sources details.cite { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 6px 10px; margin: 6px 0; background: var(--background-fill-secondary); }
.sources summary { cursor: pointer; font-weight: 600; }
.sources blockquote { margin: 6px 0; padding: 2px 8px; border-left: 3px solid #f0b400; }
.sources .cite-text { line-height: 1.7; margin-top: 4px; }
.cite-ref { color: var(--color-accent); }
mark { background: #ffe58f; color: #000; padding: 0 1px; border-radius: 2px; }
.notice { background: #fff4e5; color: #7a4100; border: 1px solid #f0a020; border-radius: 6px;
  padding: 6px 10px; margin-bottom: 8px; }
.muted { color: var(--body-text-color-subdued); }
#section .node p { line-height: 1.8; margin: 0 0 .6em; }
table.column { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
table.column th, table.column td { border: 1px solid var(--border-color-primary); padding: 6px 10px;
  vertical-align: top; text-align: left; }
table.column th[scope=row] { width: 11em; background: var(--background-fill-secondary); }
table.column td p { margin: 0 0 .3em; }
.examples { align-items: center; gap: 6px; }
.examples > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.examples-label { align-self: center; }
.q-slot { gap: 6px !important; }
.q-prompt { font-size: var(--text-lg); line-height: 1.7; }
.q-num { font-weight: 700; }
.q-kind { color: var(--color-accent); font-weight: 600; }
.q-feedback { padding: 8px 12px; border-radius: 6px; background: var(--background-fill-primary);
  border: 1px solid var(--border-color-primary); line-height: 1.7; }
.q-verdict { font-weight: 600; }
.q-verdict.ok { color: #237804; }
.q-verdict.bad { color: #a8071a; }
.q-score { font-size: 1.25em; padding: 10px 14px; border: 2px solid var(--color-accent); border-radius: 8px; }
.import-report ul { margin: .3em 0 0 1.2em; }
.import-report .bad { color: #a8071a; }
.import-report .warn { color: #7a4100; }
"""


def build_demo() -> gr.Blocks:
    header = DOC.header.get("number", "")
    with gr.Blocks(title="计划助手", analytics_enabled=False) as demo:
        gr.Markdown(f"## 计划助手 · {web.esc(DOC.title)}\n"
                    f"<span class='muted'>{web.esc(header)}　答案摘自计划原文并注明出处；离线运行。</span>")
        with gr.Tabs():
            build_chat_tab()
            build_source_tab()
            build_targets_tab()
            build_tasks_tab()
            build_quiz_tab()
    # From scripts/load_test.py on 2 cores: limits 1–8 give about the same throughput (the embedder
    # serves one question at a time); a queue of 64 turned away a burst of 100 users, 256 did not.
    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo


demo = build_demo()


# ---- launching ----------------------------------------------------------------------------------

class LaunchError(Exception):
    """The app must not start as asked; the message (Chinese) says what to do instead."""


def is_loopback(host: str) -> bool:
    """Only this machine can reach `host`: 127.0.0.0/8, ::1 or localhost."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_file_of(args) -> Path | None:
    """--auth-file, else the configured auth_file, else the default accounts file when it exists."""
    if args.auth_file:
        return Path(args.auth_file)
    if CONFIG.auth_file:
        return CONFIG.auth_path
    return CONFIG.auth_path if CONFIG.auth_path.exists() else None


def login_guard(args) -> LoginGuard | None:
    """The login check of the accounts file, or None for no login. Refuses (LaunchError) plain-text
    accounts, and an address other machines can reach (or --share) without accounts unless
    --insecure-no-auth says so."""
    if os.environ.get("PLAN_ASSISTANT_AUTH"):
        raise LaunchError("环境变量 PLAN_ASSISTANT_AUTH 中的明文账号已不再支持。请用 plan-assistant users add 用户名 "
                          "创建账号文件，再以 --auth-file 或 PLAN_ASSISTANT_AUTH_FILE 指定。")
    path = auth_file_of(args)
    try:
        accounts = load_accounts(path) if path else {}
    except AccountsError as e:
        raise LaunchError(str(e)) from None
    exposed = args.share or not is_loopback(args.host)
    if not accounts and exposed and not args.insecure_no_auth:
        where = "公网分享链接" if args.share else f"地址 {args.host}"
        raise LaunchError(f"没有登录账号时不能在{where}上运行（其他机器上的任何人都能使用）。请先用 "
                          "plan-assistant users add 用户名 --admin 创建账号；确需无登录运行请加 --insecure-no-auth。")
    if path and not accounts:
        log.warning("the accounts file has no users: no login")
    return LoginGuard(accounts) if accounts else None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="计划助手网页版（Gradio）")
    p.add_argument("--host", default=os.environ.get("PLAN_ASSISTANT_HOST", DEFAULT_HOST),
                   help="监听地址（默认 127.0.0.1，仅本机；环境变量 PLAN_ASSISTANT_HOST）")
    p.add_argument("--port", type=int, default=int(os.environ.get("PLAN_ASSISTANT_PORT", DEFAULT_PORT)),
                   help="端口（默认 7860；环境变量 PLAN_ASSISTANT_PORT）")
    p.add_argument("--auth-file", help="登录账号文件（由 plan-assistant users add 创建；或配置项 auth_file）")
    p.add_argument("--insecure-no-auth", action="store_true",
                   help="允许在非本机地址上无登录运行（不建议）")
    p.add_argument("--no-log", action="store_true", help="不写问答记录（同 PLAN_ASSISTANT_LOG=off）")
    p.add_argument("--share", action="store_true", help="生成 Gradio 公网分享链接（需联网；默认不生成）")
    return p


def main(argv: list[str] | None = None) -> int:
    global RECORDS
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup probes
    args = build_parser().parse_args(argv)
    try:
        guard = login_guard(args)
    except LaunchError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if args.no_log:
        RECORDS = Records.open(CONFIG, enabled=False)
    log.info("login: %s; conversation log: %s", "on" if guard else "off",
             "on" if RECORDS.enabled else "off")
    threading.Thread(target=warm_up, name="load-assistant", daemon=True).start()
    from starlette.middleware import Middleware

    demo.launch(
        server_name=args.host, server_port=args.port, share=args.share,
        auth=guard, auth_message="请输入分配给您的账号和密码",
        app_kwargs={"middleware": [Middleware(RememberClientAddress)]},
        theme=THEME, css=CSS, footer_links=["api", "settings"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
