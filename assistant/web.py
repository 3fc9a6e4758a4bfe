"""Formatting for the web app: core values (Answer, Citation, Node, Target) -> HTML, markdown and
table rows. Pure functions, no Gradio import, so they are tested without a server.

Everything taken from outside our own markup (the plan text, a question, an LLM reply) passes
through `html.escape` before it reaches the page; the only tags on the page are the ones written
here (<details>, <mark>, <table>…).

    >>> highlight("粮食产量超过840亿斤；油料产量…", ["粮食产量超过840亿斤；"])
    '<mark>粮食产量超过840亿斤；</mark>油料产量…'
"""

from __future__ import annotations

import html
import re
from collections import Counter

MODE_LABELS = {"extractive": "原文摘录", "llm": "大模型生成"}
SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")
# characters the chatbot's markdown would act on; `&<>` are taken care of by html.escape first
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#!|~${}])")


def esc(text: object) -> str:
    return html.escape(str(text or ""), quote=True)


def user_markdown(text: str) -> str:
    """A question as the chatbot shows it: literal text, never markup.

    >>> user_markdown("<b>粮食*</b>")
    '&lt;b&gt;粮食\\\\*&lt;/b&gt;'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text or ""), quote=False))


def answer_markdown(text: str) -> str:
    """An answer's text for the chatbot: HTML escaped (an LLM reply cannot inject tags) while the
    markdown the answerer writes ("- " bullets, line breaks) still renders. No markup of our own
    either: the chatbot's copy button copies this string as it is."""
    return html.escape(str(text or ""), quote=False)


def spans(text: str, needles, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Merged (start, end) of every occurrence of every needle in text."""
    flags = re.IGNORECASE if ignore_case else 0
    found = sorted(
        (m.start(), m.end())
        for needle in needles if needle and needle.strip()
        for m in re.finditer(re.escape(needle.strip() if ignore_case else needle), text, flags)
    )
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles, ignore_case: bool = False) -> str:
    """Escaped text with each occurrence of a needle wrapped in <mark>; line breaks -> <br>."""
    out, pos = [], 0
    for start, end in spans(text, needles, ignore_case):
        out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def ref_label(ref: str, title: str) -> str:
    """"[四(三)] 加强矿产资源开发利用"; a ref that already says its title is shown alone:
    "[总体要求]", "[专栏2·新能源开发利用]"."""
    return f"[{ref}]" if not title or ref.endswith(title) else f"[{ref}] {title}"


# ---- chat ---------------------------------------------------------------------------------------

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


# ---- the plan text ------------------------------------------------------------------------------

_DEPTH = {"section": 1, "column": 1, "row": 2}


def outline_choices(doc) -> list[tuple[str, str]]:
    """(label, ref) for every node in reading order, indented by depth:
    ("　[四(三)] 加强矿产资源开发利用", "四(三)")."""
    return [("　" * _DEPTH.get(n.kind, 0) + ref_label(n.ref, n.title), n.ref) for n in doc.walk()]


def paragraphs_html(text: str, needles=()) -> str:
    return "".join(f"<p>{highlight(p, needles, ignore_case=True)}</p>" for p in text.split("\n") if p.strip())


def column_table(rows, needles=()) -> str:
    """专栏 rows as a table: area label | its targets, one per line."""
    body = "".join(
        f'<tr><th scope="row">{highlight(r.title, needles, True)}</th>'
        f"<td>{paragraphs_html(r.text, needles)}</td></tr>"
        for r in rows
    )
    return f'<table class="column"><thead><tr><th>领域</th><th>重点任务目标</th></tr></thead><tbody>{body}</tbody></table>'


def node_html(node, needles=()) -> str:
    """A node as the 原文 tab shows it: heading, paragraphs; a part with its sections and 专栏;
    a 专栏 (or one of its rows) as a table."""
    head = f'<h3 class="node-title">{esc(ref_label(node.ref, node.title))}</h3>'
    if node.kind == "column":
        return head + column_table(node.children, needles)
    if node.kind == "row":
        return head + column_table([node], needles)
    body = paragraphs_html(node.text, needles)
    for child in node.children:
        title = f'<h4>{esc(ref_label(child.ref, child.title))}</h4>'
        if child.kind == "column":
            body += title + column_table(child.children, needles)
        else:
            body += title + paragraphs_html(child.full_text(), needles)
    return f'<div class="node">{head}{body}</div>'


def search_plan(doc, query: str, limit: int = 100) -> list[tuple[str, str, str]]:
    """(ref, title, sentence) for each sentence of the plan containing `query` (case-insensitive),
    in reading order; a 专栏 row's label counts as its first sentence."""
    q = (query or "").strip().casefold()
    if not q:
        return []
    hits = []
    for node in doc.walk():
        text = f"{node.title}\n{node.text}" if node.kind == "row" else node.text
        for m in SENTENCE.finditer(text or ""):
            sentence = m.group().strip()
            if q in sentence.casefold():
                hits.append((node.ref, node.title, sentence))
                if len(hits) >= limit:
                    return hits
    return hits


def search_choices(hits, width: int = 70) -> list[tuple[str, str]]:
    """Search hits as Radio choices: ("[四(三)] 持续推动矿产资源综合利用…", "四(三)"), one per ref."""
    seen, out = set(), []
    for ref, _title, sentence in hits:
        if ref in seen:
            continue
        seen.add(ref)
        short = sentence if len(sentence) <= width else sentence[: width - 1] + "…"
        out.append((f"[{ref}] {short}", ref))
    return out


# ---- targets ------------------------------------------------------------------------------------

TARGET_HEADERS = ["指标", "数值", "单位", "类型", "引用", "原文"]


def target_rows(targets) -> list[list[str]]:
    return [[t.indicator, t.value, t.unit, t.kind_text, t.ref, t.text] for t in targets]


def chapter_choices(doc) -> list[tuple[str, str]]:
    """Filter choices for the 指标 tab: everything, then the opening targets, parts and 专栏."""
    out = [("全部", "")]
    for n in doc.walk():
        if n.kind in ("opening", "part", "column"):
            out.append(("　" * (n.kind == "column") + ref_label(n.ref, n.title), n.ref))
    return out


def chapter_of(target) -> str:
    """The bar a target counts under: its part (一…十四), or its own ref before part 一."""
    return target.part or target.ref


def targets_per_chapter(doc, targets) -> list[tuple[str, int]]:
    """(chapter, number of targets), chapters in reading order, empty ones left out."""
    counts = Counter(chapter_of(t) for t in targets)
    order = [n.ref for n in doc.nodes]
    return [(ref, counts[ref]) for ref in order if counts[ref]]


# ---- tasks --------------------------------------------------------------------------------------

TASK_HEADERS = ["编号", "引用", "任务", "指标", "时限", "牵头单位", "配合单位", "依据"]
# the columns of `commands.tasks.task_row` the table shows; 篇章 and 理由 are in the exports
_TASK_COLUMNS = (0, 1, 3, 4, 5, 6, 7, 8)


def task_table_rows(rows: list[list[str]]) -> list[list[str]]:
    """Exported ledger rows (编号 引用 篇章 任务 指标 时限 牵头 配合 依据 理由) -> the table's columns."""
    return [[row[i] for i in _TASK_COLUMNS] for row in rows]


def department_choices(departments) -> list[tuple[str, str]]:
    """("自治区林业和草原局（林草局、林业草原局）", "自治区林业和草原局"): short names in the label, so
    that typing one in the dropdown's filter finds the department. A short name the label already
    contains (林业和草原局, or 自治区发改委 beside 发改委) is left out."""
    out = [("全部部门", "")]
    for d in departments:
        short = [s for s in d.short if s not in d.name]
        short = [s for s in short if not any(o != s and o in s for o in short)]
        out.append((d.name + (f"（{'、'.join(short)}）" if short else ""), d.name))
    return out


def task_chapter_choices(doc, ledger) -> list[tuple[str, str]]:
    """The 指标 tab's chapter choices that hold tasks (总体要求 sets direction, no tasks)."""
    def holds_tasks(ref: str) -> bool:  # as tasks.filter_tasks selects them
        return any(ref in (t.chapter, t.ref) or t.ref.startswith(ref + "·") for t in ledger)

    return [(label, ref) for label, ref in chapter_choices(doc) if not ref or holds_tasks(ref)]


def search_tasks(tasks, owners, query: str, departments=()) -> list:
    """Tasks whose id, ref, title, text, targets, timing or departments contain `query`
    (case-insensitive); a department's short name finds the tasks it leads or joins:
    search_tasks(…, "林草局") ⊇ the tasks of 自治区林业和草原局."""
    q = (query or "").strip()
    if not q:
        return list(tasks)
    dept = next((d.name for d in departments if q in d.names or q == d.name.removeprefix("自治区")), None)
    key = q.casefold()

    def hit(t) -> bool:
        a = owners[t.id]
        if dept and (dept in a.lead or dept in a.co):
            return True
        fields = (t.id, t.ref, t.title, t.text, *map(str, t.targets), *t.timing, *a.lead, *a.co)
        return any(key in f.casefold() for f in fields)

    return [t for t in tasks if hit(t)]


def import_report_html(report, name: str, saved: str | None = None) -> str:
    """What an import did: how many rows, and each skipped row and warning by its line number."""
    head = (f"已从《{esc(name)}》导入 <b>{report.imported}</b> 行分工"
            + (f"，保存到 <code>{esc(saved)}</code>" if saved else "") + "。"
            if report.imported else f"《{esc(name)}》中没有可导入的行，原有分工未改动。")
    if report.errors:
        head += f" {len(report.errors)} 行有误，已跳过："
    items = [f'<li class="bad">第{line}行：{esc(msg)}（已跳过）</li>' for line, msg in report.errors]
    items += [f'<li class="warn">第{line}行：{esc(msg)}</li>' for line, msg in report.warnings]
    listing = f"<ul>{''.join(items)}</ul>" if items else ""
    return f'<div class="import-report"><p>{head}</p>{listing}</div>'


# ---- quiz ---------------------------------------------------------------------------------------

QUIZ_LETTERS = "ABCDEFGH"


def quiz_choices(question) -> list[tuple[str, str]]:
    """Radio choices: ("B. 1500万亩", "1500万亩"), lettered as the answer key letters them; 对/错 as is."""
    if question.kind == "truefalse":
        return [(c, c) for c in question.choices]
    return [(f"{QUIZ_LETTERS[i]}. {c}", c) for i, c in enumerate(question.choices)]


def quiz_prompt_html(number: int, question, kind_label: str) -> str:
    return (f'<div class="q-prompt"><span class="q-num">{number}.</span> '
            f'<span class="q-kind">{esc(kind_label)}</span> {esc(question.prompt)}</div>')


def quiz_feedback_html(question, response, ok: bool, source: str) -> str:
    """Right or wrong, the right answer, the explanation (it quotes the plan) and where it is."""
    given = str(response or "").strip()
    if given in question.choices and question.kind != "truefalse":
        given = f"{QUIZ_LETTERS[question.choices.index(given)]}. {given}"  # as the choice was shown
    if ok:
        verdict = '<div class="q-verdict ok">✓ 回答正确</div>'
    else:
        yours = f"你的答案：{esc(given)}；" if given else "未作答；"
        verdict = (f'<div class="q-verdict bad">✗ 回答错误　{yours}正确答案：'
                   f'<b>{esc(question.keyed_answer)}</b></div>')
    return (f'<div class="q-feedback">{verdict}<div class="q-expl">解析：{esc(question.explanation)}</div>'
            f'<div class="q-ref muted">出处：{esc(source)}</div></div>')


def quiz_score_html(right: int, total: int) -> str:
    pct = round(100 * right / total) if total else 0
    return (f'<div class="q-score">得分：<b>{right}</b> / {total}（{pct}%）'
            f'<span class="muted">　每题下方显示对错、正确答案与原文出处。</span></div>')
