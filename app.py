"""The web app (Gradio): cited answers in a chat, the plan's text by outline and search, its
quantitative targets as a table.

    python app.py                          # http://127.0.0.1:7860, no login
    python app.py --host 0.0.0.0 --port 8080 --auth-file users.txt
    PLAN_ASSISTANT_AUTH="user:pass,user2:pass2" python app.py

`demo` is built at import time and launched only under __main__, so tests import it without a
server. Callbacks are thin: they call one core function and format its result with
`assistant.web`. The Assistant (index and models) loads lazily, once, shared by all sessions; the
outline and targets need only the parsed plan, which is cheap. Each tab is one `build_*_tab()`
function: a new tab is one more function and one more line in `build_demo()`.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: it reads this on import

import argparse  # noqa: E402
import hmac  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from assistant import web  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.parse import load  # noqa: E402
from assistant.refs import UnknownRef  # noqa: E402
from assistant.targets import extract_targets, filter_targets, targets_csv  # noqa: E402

log = logging.getLogger("plan_assistant.app")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
EXAMPLES = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "防沙治沙任务由哪个部门牵头？", "What is the GDP growth target?"]

CONFIG = Config.load()
DOC = load(CONFIG.plan)
TARGETS = extract_targets(DOC)

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

def respond(message: str, turns: list[dict] | None):
    """Stream the answer to `message` given the earlier `turns`.

    Yields (textbox, chatbot, turns, sources panel, mode line, report text)."""
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


def targets_file(chapter: str) -> str:
    """The CSV of the targets under `chapter` ("" = all), with a BOM so Excel reads the Chinese."""
    global _csv_dir
    if _csv_dir is None:
        _csv_dir = Path(tempfile.mkdtemp(prefix="plan-assistant-"))
    path = _csv_dir / f"2026计划指标-{chapter or '全部'}.csv"
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
    demo.queue(default_concurrency_limit=4, max_size=64)
    return demo


demo = build_demo()


# ---- launching ----------------------------------------------------------------------------------

def parse_users(text: str) -> dict[str, str]:
    """"user:pass" entries, one per line or comma-separated; blank lines and # comments skipped.
    The password may contain ':' (only the first one splits)."""
    users = {}
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(f"登录账号格式应为 用户名:密码，而不是“{entry[:20]}”")
        users[user.strip()] = password
    return users


def auth_checker(users: dict[str, str]):
    def check(username: str, password: str) -> bool:
        expected = users.get(username or "")
        # compare even for an unknown user, so timing does not tell which users exist
        ok = hmac.compare_digest((expected or "\0").encode(), (password or "").encode())
        return expected is not None and ok

    return check


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="计划助手网页版（Gradio）")
    p.add_argument("--host", default=os.environ.get("PLAN_ASSISTANT_HOST", DEFAULT_HOST),
                   help="监听地址（默认 127.0.0.1，仅本机；环境变量 PLAN_ASSISTANT_HOST）")
    p.add_argument("--port", type=int, default=int(os.environ.get("PLAN_ASSISTANT_PORT", DEFAULT_PORT)),
                   help="端口（默认 7860；环境变量 PLAN_ASSISTANT_PORT）")
    p.add_argument("--auth-file", help="登录账号文件，每行 用户名:密码（或环境变量 PLAN_ASSISTANT_AUTH=\"u:p,u2:p2\"）")
    p.add_argument("--share", action="store_true", help="生成 Gradio 公网分享链接（需联网；默认不生成）")
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup probes
    args = build_parser().parse_args(argv)
    try:
        users = parse_users(os.environ.get("PLAN_ASSISTANT_AUTH", ""))
        if args.auth_file:
            users.update(parse_users(Path(args.auth_file).read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    threading.Thread(target=warm_up, name="load-assistant", daemon=True).start()
    demo.launch(
        server_name=args.host, server_port=args.port, share=args.share,
        auth=auth_checker(users) if users else None, auth_message="请输入分配给您的账号和密码",
        theme=THEME, css=CSS, footer_links=["api", "settings"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
