"""Document tree -> task ledger: every concrete task of the plan with its targets and deadline.

A task is one clause of a node's text that says what is to be done ("设立稀土产业基金") or what is
to be reached ("防沙治沙1500万亩"). Sentences split at 。； (and at line ends in 专栏 rows); a sentence
splits again at ， where the next clause starts a new action: it opens with an action verb, with a
timing ("汛期前完成…"), or carries a quantitative target of its own. Task ids are the node ref and
the task's place in it ("四(三)-03"), so they are stable while the plan text is.

    >>> split_clauses("抓好农牧业节水增效，推进大中型灌区现代化改造")
    ['抓好农牧业节水增效', '推进大中型灌区现代化改造']
    >>> split_clauses("地区生产总值增长5%左右，在实际工作中努力争取更好结果")
    ['地区生产总值增长5%左右，在实际工作中努力争取更好结果']
    >>> find_targets("力争电力装机达到3.3亿千瓦以上")
    [Target(value=3.3, unit='亿千瓦', qualifier='以上')]
"""

from __future__ import annotations

import re

from ..documents.parse import Document, Node
from ..documents.targets import stated_quantities
from .ledger import Ledger, Target, Task

TASK_KINDS = ("opening", "part", "section", "row")
TASK_OPENINGS = ("主要预期目标",)  # 总体要求 and other openings state direction, not tasks

# Words a task clause opens with: action verbs and the adverbs the plan puts before them.
ACTION_STARTS = tuple(
    """实施 制定 完成 推进 推动 加快 加强 加大 建设 建立 建成 健全 完善 开展 出台 设立 打造 培育 发展
    支持 提升 提高 深化 落实 强化 持续 稳步 统筹 扎实 积极 深入 全面 大力 全力 严格 坚决 依法 鼓励
    引导 优化 拓展 扩大 促进 新建 新增 新改建 改造 研究 谋划 争取 力争 编制 编写 承办 办好 举办 组建
    引进 规范 清理 严禁 严防 严肃 严厉 防范 巩固 贯彻 继续 用好 用足 构建 开工 实现 做好 做大 抓好
    确保 探索 推行 推广 公布 命名 推选 修订 启动 提级 分类 稳定 坚持 聚焦 依托 赋予 发挥 充分 着力
    有序 稳妥 推深 压减 实行 加装 发放 投入 保障 升级 集中 系统 逐步 优先 及时 常态化 高标准 高质量
    进一步 更深层次 深度 因城施策 因地制宜 多渠道 分步 加力 整治 防治 化解 处置 保持 达到 开拓
    提振 激发 打通 补齐 召开 申报 建好 运营 拓宽 深刻 认真 切实 不断 合理 增加 减少 削减 配置 打击
    查处 治理 严守 确立 成立 设置 组织 部署 启用 创建 争创 参与 融入 承接 招引 提供 壮大 严密 打响 增强
    广泛 科学 自觉 突出 树立 遏制 汲取 执行 兜牢 破除 解决 修复 更新 收购 推出 瞄准""".split()
)
_TIMING = re.compile(
    r"\d{1,2}月(?:底|末|中旬|上旬|下旬)?前|(?:\d{4}年)?年底前|\d{4}年底前|年内(?!蒙古)|年度|上半年|下半年|第?[一二三四]季度"
    r"|汛期前|春节前|年中"
)
_ITEM_NUMBER = re.compile(r"^\d+[.．、]\s*")
_LEAD_IN = re.compile(r"^[^，。；]{0,40}?(?:是|为)：")  # "…主要预期目标是：" before a list of targets
_OPEN, _CLOSE = "“（《(「", "”）》)」"


def split_top_level(text: str, seps: str) -> list[str]:
    """Split after each separator outside quotes and brackets, keeping the separator.

    >>> split_top_level("开展“放心消费，安心购物”活动，建成7个中心", "，")
    ['开展“放心消费，安心购物”活动，', '建成7个中心']
    """
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in _OPEN) - (ch in _CLOSE and depth > 0)
        if ch in seps and depth == 0:
            pieces.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


def starts_action(clause: str) -> bool:
    """Does the clause open a new task: a timing, an action word, or a target of its own?"""
    m = _TIMING.match(clause)
    rest = clause[m.end() :] if m else clause
    return bool(m) or rest.startswith(ACTION_STARTS) or bool(find_targets(clause))


def split_clauses(sentence: str) -> list[str]:
    clauses: list[str] = []
    for piece in split_top_level(sentence, "，"):
        if clauses and starts_action(piece):
            clauses.append(piece)
        elif clauses:
            clauses[-1] += piece
        else:
            clauses.append(piece)
    return [c.rstrip("，") for c in clauses]


def find_targets(text: str) -> list[Target]:
    """The amounts a clause states (the rule of `assistant.documents.targets`: units, bare numbers after a verb of
    reaching, voltages and other modifiers left out)."""
    return [Target(float(m.group("value").replace(",", "")), m.group("unit") or "", m.group("qual") or "")
            for m in stated_quantities(text)]


def find_timing(text: str) -> list[str]:
    return list(dict.fromkeys(_TIMING.findall(text)))


def task_sentences(node: Node) -> list[str]:
    """The node's own sentences that can hold tasks: a section's heading sentence (its title) and
    a target list's lead-in ("…预期目标是：") are dropped, row numbering "1." is removed."""
    text = node.text
    if node.kind == "section":
        text = text.split("。", 1)[1] if "。" in text else ""
    sentences = []
    for line in text.split("\n"):
        line = _ITEM_NUMBER.sub("", line.strip())
        for s in split_top_level(line, "。；"):
            s = _LEAD_IN.sub("", s.strip()).rstrip("。；")
            if s:
                sentences.append(s)
    return sentences


def node_tasks(node: Node, heading: str = "") -> list[Task]:
    tasks = []
    for sentence in task_sentences(node):
        for clause in split_clauses(sentence):
            n = len(tasks) + 1
            tasks.append(Task(f"{node.ref}-{n:02d}", node.ref, clause, node.part, node.title, heading,
                              tuple(find_targets(clause)), tuple(find_timing(clause))))
    return tasks


def build_ledger(doc: Document) -> Ledger:
    """Every task of every section, part lead paragraph, 专栏 row and the opening targets."""
    tasks = []
    for node in doc.walk():
        if node.kind in TASK_KINDS and (node.kind != "opening" or node.ref in TASK_OPENINGS):
            heading = doc.by_ref[node.part].title if node.part and node.kind != "part" else ""
            tasks += node_tasks(node, heading)
    return Ledger(tasks, doc.sha256)


def filter_tasks(ledger: Ledger, chapter: str | None = None) -> list[Task]:
    """Tasks of a part (四), a node (四(三), 专栏2·新能源开发利用) or a whole column (专栏2)."""
    if chapter is None:
        return list(ledger)
    return [t for t in ledger if chapter in (t.chapter, t.ref) or t.ref.startswith(chapter + "·")]
