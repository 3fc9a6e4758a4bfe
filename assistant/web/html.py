"""Formatting every tab shares: escaping, highlighting and ref labels. Pure functions, no Gradio
import, so they are tested without a server.

Everything taken from outside our own markup (the plan text, a question, an LLM reply) passes
through `html.escape` before it reaches the page; the only tags on the page are the ones written
here (<details>, <mark>, <table>…).

    >>> highlight("粮食产量超过840亿斤；油料产量…", ["粮食产量超过840亿斤；"])
    '<mark>粮食产量超过840亿斤；</mark>油料产量…'
"""

from __future__ import annotations

import html
import re

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


def chapter_choices(doc) -> list[tuple[str, str]]:
    """Filter choices for the 指标 tab: everything, then the opening targets, parts and 专栏."""
    out = [("全部", "")]
    for n in doc.walk():
        if n.kind in ("opening", "part", "column"):
            out.append(("　" * (n.kind == "column") + ref_label(n.ref, n.title), n.ref))
    return out


def table(headers: list[str], rows: list[list[str]], elem_class: str) -> str:
    """A table of already escaped cells, styled as the 管理 tab's."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="admin-table {elem_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def percent(x: float | None) -> str:
    """
    >>> percent(2 / 3), percent(None)
    ('67%', '—')
    """
    return "—" if x is None else f"{100 * x:.0f}%"


def duration(seconds: float | None) -> str:
    """
    >>> duration(192.4), duration(45), duration(None)
    ('3分12秒', '45秒', '—')
    """
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}分{secs}秒" if minutes else f"{secs}秒"
