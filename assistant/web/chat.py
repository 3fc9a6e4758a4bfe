"""问答: the chat. Streaming cited answers, the sources panel beside them, example questions, 新对话,
and the answer with its sources as report text.

The conversation is a list of {"role", "content"} messages, the history format of the core; an
answer also carries its "citations" (ref, title, text, quotes), "mode", "notice" and "refused"
(`messages_of`). The sources panel holds every answer's sources, so an earlier answer's can be shown
again in the page (`assistant/web/page.js`).
"""

from __future__ import annotations

import time

import gradio as gr

from ..records import REASONS, log_answer
from . import history, shelf, state
from .feedback import answers_of, feedback_of, hide_reason, on_like, submit_reason
from .html import answer_markdown, esc, highlight, ref_label, user_markdown

MODE_LABELS = {"extractive": "原文摘录", "llm": "大模型生成"}
EXAMPLES = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "防沙治沙任务由哪个部门牵头？", "地区生产总值增长目标是多少？"]
log = state.log
MAX_QUESTION_CHARS = 2000  # what Assistant.prepare keeps of a question (api.MAX_QUESTION_CHARS)


def citation_html(c, open_: bool = False) -> str:
    """One source: a <details> whose summary names the ref; opened, the paragraph with the
    sentences the answer rests on in <mark>. `c` is a Citation or its JSON dict."""
    c = c if isinstance(c, dict) else c.to_json()
    label = ref_label(c["ref"], c["title"])
    ref = f"[{c['ref']}]"
    return (
        f'<details class="cite" data-ref="{esc(c["ref"])}"{" open" if open_ else ""}>'
        f'<summary><span class="cite-ref">{esc(ref)}</span>{esc(label[len(ref):])}</summary>'
        f'<div class="cite-text">{highlight(c["text"], c.get("quotes") or ())}</div></details>'
    )


def mode_badge(message: dict) -> str:
    """The small badge naming how an answer was written (原文摘录 / 大模型生成), never part of its text."""
    label = MODE_LABELS.get(message.get("mode"), message.get("mode") or "")
    extra = "（计划原文未涉及）" if message.get("refused") else ""
    return f'<span class="mode-badge">{esc(label)}{esc(extra)}</span>' if label else ""


def sources_html(conversation: list[dict] | None = None, current: int | None = None,
                 empty: str = "提问后，这里显示答案所依据的原文段落。") -> str:
    """The sources panel: one section per answer of the conversation (its question, mode badge,
    notice and cited paragraphs), all in the page; only the `current` one (default: the latest) is
    shown. The page script shows another when its answer, or one of its [ref] markers, is clicked."""
    answers = answers_of(conversation or [])
    if not answers:
        return f'<div class="sources"><p class="muted">{esc(empty)}</p></div>'
    current = len(answers) - 1 if current is None else current
    questions = [m["content"] for m in conversation or [] if m.get("role") == "user"]
    sections = []
    for k, a in enumerate(answers):
        cites = a.get("citations") or []
        head = (f'<div class="turn-head"><span class="turn-no">第 {k + 1} 问</span>{mode_badge(a)}'
                f'<span class="turn-q">{esc(questions[k] if k < len(questions) else "")}</span></div>')
        notice = f'<div class="notice">注意：{esc(a["notice"])}</div>' if a.get("notice") else ""
        items = "".join(citation_html(c, open_=(i == 0)) for i, c in enumerate(cites))
        count = (f'<p class="muted">共 {len(cites)} 处出处，点击展开原文：</p>' if cites
                 else '<p class="muted">这一回答没有引用原文。</p>')
        sections.append(f'<section class="turn-sources{" shown" if k == current else ""}" data-answer="{k}" '
                        f'data-mode="{esc(MODE_LABELS.get(a.get("mode"), ""))}">{head}{notice}{count}{items}</section>')
    return f'<div class="sources">{"".join(sections)}</div>'


def status_markdown(answer) -> str:
    """The latest answer's mode badge, and the fallback notice when the LLM failed."""
    if answer is None:
        return ""
    line = "回答方式：" + mode_badge({"mode": answer.mode, "refused": answer.refused})
    if answer.notice:
        line += f"\n\n<span class='notice'>注意：{answer_markdown(answer.notice)}</span>"
    return line


def messages_of(question: str, answer, log_id: int | None = None) -> list[dict]:
    """The two messages one question adds to the conversation: the user's, and the answer with
    its citations (and how it was written, and `log_id`, its row of the conversation log, which
    👍/👎 on it is stored against). This is the history format the core takes, so a store can save
    and reload the conversation as it is."""
    return [{"role": "user", "content": question},
            {"role": "assistant", "content": answer.text, "citations": [c.to_json() for c in answer.citations],
             "mode": answer.mode, "notice": answer.notice, "refused": answer.refused, "log_id": log_id}]


def history_of(conversation: list[dict]) -> list[dict]:
    """What Assistant.ask takes: raw questions and answers, no markup; answers keep their citations."""
    out = []
    for m in conversation:
        turn = {"role": m["role"], "content": m["content"]}
        if m["role"] == "assistant" and m.get("citations"):
            turn["citations"] = [{k: c[k] for k in ("ref", "title", "text") if k in c} for c in m["citations"]]
        out.append(turn)
    return out


def assistant_markdown(text: str, notice: str | None) -> str:
    """The answer message: its text and the fallback notice, plain text, so that the chatbot's copy
    button gives text fit for a report (the mode is a badge beside it, not in it)."""
    body = answer_markdown(text)
    if notice:
        body += f"\n\n注意：{answer_markdown(notice)}"
    return body


def citation_message(c: dict) -> dict:
    """A collapsed message under the answer; opening it shows the cited paragraph, quote marked."""
    return {"role": "assistant", "content": highlight(c["text"], c.get("quotes") or ()),
            "metadata": {"title": f"出处 {ref_label(c['ref'], c['title'])}", "status": "done"}}


def chat_messages(conversation: list[dict], pending: str | None = None, partial: str | None = None,
                  waiting: str = "正在检索原文…") -> list[dict]:
    """The chatbot's value: each question, its answer, and one collapsible message per citation;
    `pending` is a question still being answered (`partial`: its text so far; until the first text
    arrives, a spinner message titled `waiting`, metadata status "pending")."""
    out = []
    for m in conversation:
        if m["role"] == "user":
            out.append({"role": "user", "content": user_markdown(m["content"])})
        else:
            out.append({"role": "assistant", "content": assistant_markdown(m["content"], m.get("notice"))})
            out += [citation_message(c) for c in m.get("citations") or []]
    if pending is not None:
        out.append({"role": "user", "content": user_markdown(pending)})
        out.append({"role": "assistant", "content": answer_markdown(partial)} if partial else
                   {"role": "assistant", "content": "", "metadata": {"title": waiting, "status": "pending"}})
    return out


# ---- callbacks and the tab ---------------------------------------------------------------------

def respond(message: str, conversation: list[dict] | None, request: gr.Request = None, scope: list[str] | None = None):
    """Stream the answer to `message` given the earlier `conversation`, over the documents of `scope`
    (问答范围; none or the default: as the core chooses); the answer is logged once.

    Yields (textbox, chatbot, conversation, sources panel, mode line, report text)."""
    conversation = list(conversation or [])
    question = (message or "").strip()
    if not question:
        gr.Warning("请先输入问题")
        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    if len(question) > MAX_QUESTION_CHARS:
        gr.Warning(f"问题有 {len(question)} 字，超过 {MAX_QUESTION_CHARS} 字：只按前 {MAX_QUESTION_CHARS} 字作答")
    waiting = "正在检索原文…" if state.assistant_ready() else "正在加载索引（首次运行需构建，约一两分钟）…"
    yield ("", chat_messages(conversation, pending=question, waiting=waiting), conversation,
           sources_html([], empty=waiting), "", "")
    final, started = None, time.perf_counter()
    try:
        docs = shelf.chosen_docs(scope)
        for event in state.get_assistant().ask_stream(question, history_of(conversation), docs=docs):
            if event.answer is not None:
                final = event.answer
                break
            yield (gr.skip(), chat_messages(conversation, pending=question, partial=event.text),
                   gr.skip(), gr.skip(), gr.skip(), gr.skip())
    except Exception as exc:
        log.exception("answering %r failed", question[:200])
        yield (question, chat_messages(conversation), conversation, sources_html(conversation), "", "")
        raise gr.Error("回答失败：服务内部出错，请稍后重试或换个问法") from exc
    if final is None:
        yield (question, chat_messages(conversation), conversation, sources_html(conversation), "", "")
        raise gr.Error("回答失败：没有得到答案")
    log_id = log_answer(state.RECORDS, final, latency_s=time.perf_counter() - started,
                        history=history_of(conversation), question=question,
                        user=getattr(request, "username", None), source="web")
    conversation = conversation + messages_of(question, final, log_id)
    yield ("", chat_messages(conversation), conversation, sources_html(conversation),
           status_markdown(final), final.plain_text())


def chatbot_of(conversation: list[dict]):
    """The chatbot showing `conversation`, with the 👍/👎 given to its answers."""
    return gr.update(value=chat_messages(conversation), feedback_value=feedback_of(conversation))


def new_chat():
    """新对话: an empty chat and no current conversation id; the old one stays in the list."""
    return "", chatbot_of([]), [], sources_html([]), "", "", None


def show_conversation(turns: list[dict] | None):
    """A reopened conversation on screen, its 👍/👎 marks too: (textbox, chatbot, conversation,
    sources, mode line, report)."""
    turns = list(turns or [])
    return "", chatbot_of(turns), turns, sources_html(turns), "", ""


def scope_update(scope: list[str] | None = None):
    """问答范围 as the library now is: shown once there is more than the plan; the choice kept where its
    documents are still there, else the default (the plan and its companions)."""
    lib = shelf.library()
    ids = {e.id for e in lib.entries}
    kept = [d for d in scope or [] if d in ids]
    return gr.update(choices=shelf.document_choices(lib), value=kept or shelf.default_scope(lib),
                     visible=len(lib.entries) > 1)


def build_tab():
    """The tab; returns what app.py calls with the Blocks to load the conversation list on page load."""
    with gr.Tab("问答", id="chat") as tab:
        # the current conversation, as the history the core takes (see messages_of); a store of
        # earlier conversations saves and reloads this value
        conversation = gr.State([])
        conversation_id = gr.State(None)  # its id in the saved conversations (history), None: not saved yet
        browser_id = gr.Textbox(visible=False, elem_id="browser-id")  # set by the page (history.BROWSER_ID_JS)
        with gr.Row():
            with gr.Column(scale=1, min_width=180, elem_id="conversation-col"):
                gr.HTML("<h3 class='list-title'>对话记录</h3>", padding=False)
                saved = gr.Radio([], label="对话记录", show_label=False, elem_id="conversation-list",
                                 info=history.EMPTY)
            with gr.Column(scale=3, elem_id="chat-col"):
                with gr.Row(elem_classes="chat-head"):
                    gr.HTML("<h3 class='chat-title'>对话</h3>", padding=False)
                    clear = gr.Button("＋ 新对话", size="sm", variant="secondary", scale=0, min_width=90,
                                      elem_id="new-chat")
                chatbot = gr.Chatbot(
                    label="对话", show_label=False, height=540, buttons=["copy"], sanitize_html=True,
                    latex_delimiters=[], feedback_options=("Like", "Dislike"), elem_id="chatbot",
                    placeholder="向计划原文提问：答案逐句摘自原文，并注明出处。点击答案中的 [出处] 查看原文。",
                )
                with gr.Row(elem_classes="ask-row"):
                    # focused by page.js on a wide screen only: autofocus would scroll a phone's page past the tabs
                    msg = gr.Textbox(label="问题", show_label=False, placeholder="输入问题，回车发送，例如：粮食产量目标是多少？",
                                     scale=6, elem_id="question")
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
                with gr.Column(visible=False, variant="panel", elem_id="feedback-reason") as reason_box:
                    reason = gr.Radio(list(REASONS), label="👎 这条回答哪里不对？", elem_id="feedback-choice")
                    comment = gr.Textbox(label="补充说明（可选）", lines=1, max_lines=4, elem_id="feedback-comment")
                    with gr.Row():
                        reason_send = gr.Button("提交原因", size="sm", variant="primary", scale=0, min_width=90,
                                                elem_id="feedback-send")
                        reason_skip = gr.Button("不填了", size="sm", variant="secondary", scale=0, min_width=90,
                                                elem_id="feedback-skip")
                reason_row = gr.State(None)  # the log row the open reason form is about
                scope = gr.Dropdown([], value=[], multiselect=True, label="问答范围（文库中的文件，默认为计划及随附文件）",
                                    visible=False, allow_custom_value=True, elem_id="chat-scope")
                gr.HTML(f"<div id='question-counter' class='muted' data-max='{MAX_QUESTION_CHARS}'>"
                        f"0 / {MAX_QUESTION_CHARS}</div>", padding=False)
                with gr.Row(elem_classes="examples"):
                    gr.HTML("<span class='muted'>示例问题：</span>", elem_classes="examples-label")
                    example_buttons = [gr.Button(q, size="sm", variant="secondary", elem_classes="example")
                                       for q in EXAMPLES]
            with gr.Column(scale=2, elem_id="sources-col"):
                status = gr.Markdown(elem_id="answer-mode")
                sources = gr.HTML(sources_html([]), elem_id="sources")
                report = gr.Textbox(label="复制为报告文本（答案＋出处原文）", lines=8, max_lines=16,
                                    buttons=["copy"], interactive=False, elem_id="report")

        outputs = [msg, chatbot, conversation, sources, status, report]
        save = (history.save_current, [conversation, conversation_id, browser_id], [conversation_id, saved])
        asked = [msg, conversation, scope]
        msg.submit(respond, asked, outputs, api_name="chat").then(*save, api_visibility="private")
        send.click(respond, asked, outputs, api_visibility="private").then(
            *save, api_visibility="private")
        for button, question in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda q=question: q, None, msg, queue=False, api_visibility="private").then(
                respond, asked, outputs, api_visibility="private").then(*save, api_visibility="private")
        saved.input(history.open_conversation, [saved, browser_id], [conversation, conversation_id],
                    api_visibility="private").then(show_conversation, [conversation], outputs,
                                                   api_visibility="private")
        feedback = [reason_box, reason_row, reason, comment]
        chatbot.like(on_like, [conversation], [*feedback, conversation, chatbot], show_progress="hidden",
                     api_visibility="private").then(*save, api_visibility="private")
        reason_send.click(submit_reason, [reason_row, reason, comment], feedback, api_visibility="private")
        reason_skip.click(hide_reason, None, feedback, queue=False, api_visibility="private")
        cleared = [*outputs, conversation_id]
        clear.click(new_chat, None, cleared, queue=False, api_visibility="private").then(
            lambda: gr.update(value=None), None, saved, queue=False, api_visibility="private")
        chatbot.clear(new_chat, None, cleared, queue=False, api_visibility="private")
        tab.select(scope_update, scope, scope, queue=False, api_visibility="private")

    # on page load: this browser's id from localStorage, the list of its (or the user's) conversations,
    # the documents to ask over
    def on_load(demo):
        demo.load(history.show_list, [browser_id], [browser_id, saved], js=history.BROWSER_ID_JS,
                  api_visibility="private")
        demo.load(scope_update, None, scope, queue=False, api_visibility="private")

    return on_load
