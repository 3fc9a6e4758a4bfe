"""What stands before the first part: a notice's header (a plan as issued) or a report's title block
(title, source, date and meeting, speaker, "各位代表："), then the opening paragraphs.

    >>> header_fields(["2025年某省政府工作报告", "来源：某省日报", "——2025年1月20日在某省第十四届人民代表大会第三次会议上",
    ...                "某省省长 张三", "各位代表："])["speaker"]
    '张三'
"""

from __future__ import annotations

import re

from .headings import document_words, ends_sentence, title_like
from .refs import HEADER_REF

_NOTICE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_DOC_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
_SESSION = re.compile(r"在(.{4,40}?会议)上")
_SOURCE = re.compile(r"^来源[：:]\s*(.+)$")
HEADER_SCAN = 12  # a title block is a handful of lines; an addressee further down is body text


def addressee(line: str) -> str | None:
    """ "各位代表：" -> "各位代表": a short salutation line that ends with a colon."""
    s = line.strip()
    if s.endswith(("：", ":")) and 2 <= len(s) <= 16 and not any(c in s[:-1] for c in "，。；：:、"):
        return s[:-1]
    return None


def header_end(paras: list[str]) -> int:
    """Where a report's title block ends: after its salutation ("各位代表："), else before the first
    line that is neither a title nor a date, source or speaker line."""
    for i, p in enumerate(paras[:HEADER_SCAN]):
        if addressee(p):
            return i + 1
    i = 0
    while i < len(paras) and _header_line(paras[i]):
        i += 1
    return i


def _header_line(p: str) -> bool:
    return (
        title_like(p, 40)
        or p.startswith(("——", "—", "来源"))
        or bool(_SOURCE.match(p))
        or (bool(DATE.search(p)) and len(p) <= 80)
    )


def parse_preamble(lines: list[str]) -> tuple[str, dict[str, str], list]:
    from .parse import Node  # the tree's node type; parse imports this module

    paras = [ln.strip() for ln in lines if ln.strip()]
    date_at = next((i for i, p in enumerate(paras) if _NOTICE_DATE.match(p)), None)
    if date_at is not None:
        return _notice_preamble(paras, date_at, Node)
    end = header_end(paras)
    head, rest = paras[:end], paras[end:]
    header = header_fields(head) if head else {}
    nodes = [Node(HEADER_REF, "header", header.get("title", "文头"), "\n".join(head))] if head else []
    return header.get("title", ""), header, nodes + openings(rest, Node)


def _notice_preamble(paras: list[str], date_at: int, Node) -> tuple[str, dict[str, str], list]:
    """A plan as issued: the notice (up to its date line and a note such as （此件公开发布）), the plan's
    title over lines that end without 。, its opening paragraphs."""
    header_paras, rest = paras[: date_at + 1], paras[date_at + 1 :]
    while rest and rest[0].startswith("（") and rest[0].endswith("）"):  # e.g. （此件公开发布）
        header_paras.append(rest.pop(0))
    header = notice_fields(header_paras)
    body = header_paras[header_paras.index(header["number"]) :] if "number" in header else header_paras
    text = "\n".join(([header["title"]] if "title" in header else []) + body)
    nodes = [Node(HEADER_REF, "header", header.get("title", "文头"), text)]
    title_lines = [p for p in rest if not p.endswith(("。", "；"))]
    return "".join(title_lines), header, nodes + openings([p for p in rest if p.endswith(("。", "；"))], Node)


def openings(paras: list[str], Node) -> list:
    """One node per opening paragraph, named for what it states when it says so (总体要求, 主要预期目标)."""
    nodes, used = [], set()
    for i, para in enumerate(paras, 1):
        if "总体要求" in para:
            ref = title = "总体要求"
        elif "预期目标" in para:
            ref = title = "主要预期目标"
        else:
            ref, title = f"导言{i}", "导言"
        if ref in used:
            ref, title = f"导言{i}", "导言"
        used.add(ref)
        nodes.append(Node(ref, "opening", title, para))
    return nodes


def notice_fields(paras: list[str]) -> dict[str, str]:
    number_at = next((i for i, p in enumerate(paras) if _DOC_NUMBER.fullmatch(p)), None)
    fields = {}
    if number_at is not None:
        fields["title"] = "".join(paras[:number_at])
        fields["number"] = paras[number_at]
    m = re.match(r"^(.+?(?:人民政府|办公厅|委员会))关于", fields.get("title", ""))
    if m:
        fields["issuer"] = m.group(1)
    dates = [p for p in paras if _NOTICE_DATE.match(p)]
    if dates:
        fields["date"] = dates[-1]
    session = re.search(r"已经(.+?会议)审议通过", "".join(paras))
    if session:
        fields["session"] = session.group(1)
    after = paras[number_at + 1 :] if number_at is not None else paras
    addressees = next((p for p in after if p.endswith(("：", ":")) and len(p) <= 120), None)
    if addressees:
        fields["addressees"] = addressees.rstrip("：:")  # 各盟行政公署、市人民政府，自治区各委、办、厅、局…
    return fields


def header_fields(paras: list[str]) -> dict[str, str]:
    """A report's title block: title (the lines before the first source, date or speaker line), source,
    date, session (the meeting it was delivered at), speaker and speaker_office, addressees."""
    fields: dict[str, str] = {}
    title = []
    for p in paras:
        if not title_like(p, 40) or DATE.search(p) or _speaker(p) or addressee(p):
            break
        title.append(p)
    if title:
        fields["title"] = "".join(title)
    for p in paras[len(title) :]:
        if (m := _SOURCE.match(p)) and "source" not in fields:
            fields["source"] = m.group(1).strip()
            continue
        if (salutation := addressee(p)) and "addressees" not in fields:
            fields["addressees"] = salutation
            continue
        if (m := DATE.search(p)) and "date" not in fields:
            fields["date"] = m.group()
        if (m := _SESSION.search(p)) and "session" not in fields:
            fields["session"] = m.group(1)
        if (who := _speaker(p)) and "speaker" not in fields:
            fields["speaker_office"], fields["speaker"] = who
    return fields


def _speaker(line: str) -> tuple[str, str] | None:
    """("江西省省长", "张三") from "…会议上江西省省长 张三同志作政府工作报告。"; the office must end in a
    title of the genre (省长, 市长, 主席…), the name is two to four characters."""
    s = DATE.sub("", _SESSION.sub("", line.strip().lstrip("—－- ")))
    if ends_sentence(s):
        s = s[:-1]
    offices = "|".join(map(re.escape, document_words("speaker_titles")))
    m = re.search(
        rf"([^\s，、]*?(?:{offices}))\s*([\u4e00-\u9fff·]{{2,4}}?)(?:同志)?(?:作.*|的讲话|的报告)?$", s
    )
    return (m.group(1), m.group(2)) if m else None
