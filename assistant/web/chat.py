"""问答: the chat. Streaming cited answers, the sources panel beside them, example questions, 新对话,
and the answer with its sources as report text.

The conversation is `turns`, a list of dicts {question, answer, mode, notice, refused, citations}
(`turn_of`); `history_of(turns)` gives the {"role", "content"} history the core takes.
"""

from __future__ import annotations

import gradio as gr

from . import state
from .html import answer_markdown, esc, highlight, ref_label, user_markdown  # noqa: F401

MODE_LABELS = {"extractive": "原文摘录", "llm": "大模型生成"}
EXAMPLES = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "防沙治沙任务由哪个部门牵头？", "What is the GDP growth target?"]
log = state.log


def citation_html(c, open_: bool = False) -> str:
    """One source: a <details> whose summary names the ref; opened, the paragraph with the
    sentences the answer rests on in <mark>."""
    label = ref_label(c.ref, c.title)
    ref = f"[{c.ref}]"
    return (
        f'<details class="cite"{" open" if open_ else ""}>'
        f'<summary><span class="cite-ref">{esc(ref)}</span>{esc(label[len(ref):])}</summary>'
        f'<div class="cite-text">{highlight(c.text, c.quotes)}</div></details>'
    )


def sources_html(citations, notice: str | None = None, empty: str = "提问后，这里显示答案所依据的原文段落。") -> str:
    head = f'<div class="notice">注意：{esc(notice)}</div>' if notice else ""
    if not citations:
        return f'<div class="sources">{head}<p class="muted">{esc(empty)}</p></div>'
    items = "".join(citation_html(c, open_=(i == 0)) for i, c in enumerate(citations))
    return f'<div class="sources">{head}<p class="muted">共 {len(citations)} 处出处，点击展开原文：</p>{items}</div>'


def status_markdown(answer) -> str:
    """The mode badge, and the fallback notice when the LLM failed."""
    if answer is None:
        return ""
    label = MODE_LABELS.get(answer.mode, answer.mode)
    line = f"**回答方式：{label}**" + ("（计划原文未涉及）" if answer.refused else "")
    if answer.notice:
        line += f"\n\n<span class='notice'>注意：{answer_markdown(answer.notice)}</span>"
    return line


def turn_of(question: str, answer) -> dict:
    return {"question": question, "answer": answer.text, "mode": answer.mode, "notice": answer.notice,
            "refused": answer.refused, "citations": [c.to_json() for c in answer.citations]}


def history_of(turns: list[dict]) -> list[dict]:
    """What Assistant.ask takes: raw questions and answers, no markup."""
    out = []
    for t in turns:
        out += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]}]
    return out


def assistant_markdown(text: str, mode: str | None, notice: str | None) -> str:
    """The answer message: its text, the fallback notice, the mode — plain text, so that the
    chatbot's copy button gives text fit for a report."""
    body = answer_markdown(text)
    if notice:
        body += f"\n\n注意：{answer_markdown(notice)}"
    if mode:
        body += f"\n\n〔{MODE_LABELS.get(mode, mode)}〕"
    return body


def citation_message(c: dict) -> dict:
    """A collapsed message under the answer; opening it shows the cited paragraph, quote marked."""
    return {"role": "assistant", "content": highlight(c["text"], c.get("quotes") or ()),
            "metadata": {"title": f"出处 {ref_label(c['ref'], c['title'])}", "status": "done"}}


def chat_messages(turns: list[dict], pending: str | None = None, partial: str | None = None,
                  waiting: str = "正在检索原文…") -> list[dict]:
    """The chatbot's value: each turn as the question, the answer with its mode, and one collapsible
    message per citation; `pending` is a question still being answered (`partial`: its text so far;
    until the first text arrives, a spinner message titled `waiting`, metadata status "pending")."""
    out = []
    for t in turns:
        out.append({"role": "user", "content": user_markdown(t["question"])})
        out.append({"role": "assistant", "content": assistant_markdown(t["answer"], t["mode"], t.get("notice"))})
        out += [citation_message(c) for c in t["citations"]]
    if pending is not None:
        out.append({"role": "user", "content": user_markdown(pending)})
        out.append({"role": "assistant", "content": answer_markdown(partial)} if partial else
                   {"role": "assistant", "content": "", "metadata": {"title": waiting, "status": "pending"}})
    return out


# ---- callbacks and the tab ---------------------------------------------------------------------

def respond(message: str, turns: list[dict] | None):
    """Stream the answer to `message` given the earlier `turns`.

    Yields (textbox, chatbot, turns, sources panel, mode line, report text)."""
    turns = list(turns or [])
    question = (message or "").strip()
    if not question:
        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    waiting = "正在检索原文…" if state.assistant_ready() else "正在加载索引（首次运行需构建，约一两分钟）…"
    yield ("", chat_messages(turns, pending=question, waiting=waiting), turns,
           sources_html([], empty=waiting), "", "")
    final = None
    try:
        for event in state.get_assistant().ask_stream(question, history_of(turns)):
            if event.answer is not None:
                final = event.answer
                break
            yield (gr.skip(), chat_messages(turns, pending=question, partial=event.text),
                   gr.skip(), gr.skip(), gr.skip(), gr.skip())
    except Exception as exc:
        log.exception("answering %r failed", question)
        yield (question, chat_messages(turns), turns, sources_html([]), "", "")
        raise gr.Error(f"回答失败：{type(exc).__name__}: {exc}") from exc
    if final is None:
        yield (question, chat_messages(turns), turns, sources_html([]), "", "")
        raise gr.Error("回答失败：没有得到答案")
    turns = turns + [turn_of(question, final)]
    yield ("", chat_messages(turns), turns, sources_html(final.citations, final.notice),
           status_markdown(final), final.plain_text())


def new_chat():
    return "", [], [], sources_html([]), "", ""


def build_tab() -> None:
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
                sources = gr.HTML(sources_html([]), elem_id="sources")
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
