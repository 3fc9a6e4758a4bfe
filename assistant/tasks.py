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

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from .documents.parse import Document, Node
from .documents.targets import stated_quantities
from .retrieval.lexical import BM25, JiebaTokenizer, plan_terms

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
BIGRAM_WEIGHT = 0.3  # jieba tokens lead; pairs break ties and rescue mis-cut words


@dataclass(frozen=True)
class Target:
    value: float
    unit: str  # magnitude and unit as written: 万亩, 亿千瓦时, %; "" for a bare coefficient
    qualifier: str = ""  # 以上 | 以下 | 左右 | 以内

    @property
    def number(self) -> int | float:
        return int(self.value) if self.value == int(self.value) else self.value

    def to_json(self) -> dict:
        return {"value": self.number, "unit": self.unit, "qualifier": self.qualifier}

    def __str__(self) -> str:
        return f"{self.number}{self.unit}{self.qualifier}"


@dataclass(frozen=True)
class Task:
    id: str  # "<ref>-NN", NN counting from 01 within the node
    ref: str
    text: str  # the clause, verbatim from the node text (row numbering and end punctuation dropped)
    chapter: str | None  # the part ref (None for the opening targets)
    title: str  # the node's title: context for ownership and search
    heading: str = ""  # the part's title, wider context
    targets: tuple[Target, ...] = ()
    timing: tuple[str, ...] = ()  # 3月底前, 汛期前, 上半年 … in order of appearance

    @property
    def deadline(self) -> str | None:
        return "、".join(self.timing) or None

    def to_json(self) -> dict:
        return {"id": self.id, "ref": self.ref, "chapter": self.chapter, "title": self.title,
                "text": self.text, "targets": [t.to_json() for t in self.targets],
                "deadline": self.deadline}


@dataclass
class Ledger:
    tasks: list[Task]
    doc_sha256: str = ""
    _index: tuple | None = field(default=None, repr=False, compare=False)

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    @cached_property
    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    @property
    def refs(self) -> list[str]:
        return list(dict.fromkeys(t.ref for t in self.tasks))

    def of_ref(self, ref: str) -> list[Task]:
        """Tasks of one node; a column ref (专栏2) gives the tasks of all its rows."""
        return [t for t in self.tasks if t.ref == ref or t.ref.startswith(ref + "·")]

    def search(self, query: str, k: int = 3, drop: frozenset[str] = frozenset()) -> list[tuple[Task, float]]:
        """Tasks by BM25 over jieba tokens of title + text, best first; tokens in `drop` are ignored.
        Ties (equal scores) keep the plan's order; tasks with no shared word are left out."""
        if self._index is None:
            terms = plan_terms([t.text for t in self.tasks], [t.title for t in self.tasks])
            tokenize = JiebaTokenizer(terms | registry_terms())
            docs = [f"{t.title} {t.text}" for t in self.tasks]
            self._index = (tokenize, BM25([tokenize(d) for d in docs]), BM25([bigrams(d) for d in docs]))
        tokenize, words, pairs = self._index
        scores = words.scores([t for t in tokenize(query) if t not in drop]) + BIGRAM_WEIGHT * pairs.scores(
            bigrams(query))
        order = sorted(range(len(self.tasks)), key=lambda i: (-scores[i], i))
        return [(self.tasks[i], float(scores[i])) for i in order[:k] if scores[i] > 0]


def bigrams(text: str) -> list[str]:
    """Character pairs inside runs of letters and digits: a second opinion where jieba's cut differs."""
    return [run[i : i + 2] for run in re.findall(r"\w+", text) for i in range(len(run) - 1)]


def registry_terms() -> set[str]:
    """Department function keywords (林长制, 河湖长制 …) kept whole by jieba, so that a question and
    the task it names are cut the same way (jieba alone cuts 推深做实林长制 as 实林/长制)."""
    raw = resources.files("assistant.data").joinpath("departments.json").read_text(encoding="utf-8")
    return {kw for d in json.loads(raw) for kw in d.get("keywords", ()) if 2 <= len(kw) <= 12}


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




# ---- questions about ownership ------------------------------------------------------------------

_WHO = r"(?:哪个|哪一个|哪些|哪家|什么|哪)(?:部门|单位|厅局|厅|局|委|机构)|谁"
_OWNER_VERBS = r"(?:来|去)?(?:牵头|负责|主管|主抓|分管|管理|归口|落实|推进|制定|编制|完善|承担|抓|管)*"
_OWNERSHIP = re.compile(
    rf"(?:{_WHO})(?:来)?(?:牵头|负责|主管|主抓|分管|归口|管)|(?:由|归|是|找)(?:{_WHO})(?![都也])|哪个(?:部门|单位|厅|局)"
    r"|牵头(?:单位|部门)|责任(?:单位|部门)|主管部门|配合(?:单位|部门)|归口|归谁|分工"
)
_STRIP = re.compile(
    rf"(?:这个|这项|该|此|这一)?(?:目标|任务|指标|工作|事项)?(?:是|应|应该|该)?(?:由|归|找)?"
    rf"(?:自治区层面)?(?:{_WHO}){_OWNER_VERBS}|牵头(?:单位|部门)|责任(?:单位|部门)|主管部门|配合(?:单位|部门)"
    r"|归口|分工|[？?。！!，,]"
)
QUERY_DROP = frozenset("部门 单位 牵头 负责 主管 归口 谁 厅 局 委 层面 自治区 管 分工".split())


def is_ownership_question(text: str) -> bool:
    """Does the question ask who owns a task? For the chat router.

    >>> is_ownership_question("防沙治沙任务由哪个部门牵头？"), is_ownership_question("稀土产业有哪些举措？")
    (True, False)
    """
    return bool(_OWNERSHIP.search(text))


def strip_ownership(query: str) -> str:
    """'防沙治沙任务由哪个部门牵头？' -> '防沙治沙任务': what is left names the task."""
    return _STRIP.sub(" ", query).strip()


@dataclass(frozen=True)
class OwnerAnswer:
    id: str
    ref: str
    text: str
    lead: tuple[str, ...]
    co: tuple[str, ...]
    basis: str  # inferred | official
    reason: str
    score: float = 0.0

    def to_json(self) -> dict:
        return {"id": self.id, "ref": self.ref, "text": self.text, "lead": list(self.lead),
                "co": list(self.co), "basis": self.basis, "reason": self.reason}


def find_owner(query: str, ledger: Ledger, owners: dict, k: int = 3) -> list[OwnerAnswer]:
    """The k tasks the question is about, best first, each with its owner (`owners`: task id ->
    `assistant.owners.Assignment`, from `owners_for(ledger)`)."""
    answers = []
    for task, score in ledger.search(strip_ownership(query), k, drop=QUERY_DROP):
        a = owners[task.id]
        answers.append(OwnerAnswer(task.id, task.ref, task.text, tuple(a.lead), tuple(a.co), a.basis, a.reason,
                                   score))
    return answers


def owner_json(query: str, answers: list[OwnerAnswer]) -> dict:
    return {"query": query, "tasks": [a.to_json() for a in answers]}


def ownership_eval(items: list[dict], ledger: Ledger, owners: dict) -> dict:
    """Lead accuracy on eval/ownership.jsonl items: the top task of find_owner(item["query"]) is
    right when its lead departments meet the item's accepted leads."""
    misses = []
    for item in items:
        top = find_owner(item["query"], ledger, owners, k=1)
        if not top or not set(top[0].lead) & set(item["lead"]):
            misses.append({"id": item.get("id"), "query": item["query"], "expected": item["lead"],
                           "task": top[0].text if top else None, "lead": list(top[0].lead) if top else []})
    n = len(items)
    return {"accuracy": (n - len(misses)) / n if n else 0.0, "n": n, "misses": misses}


__all__ = ["Ledger", "OwnerAnswer", "Target", "Task", "build_ledger", "filter_tasks", "find_owner",
           "find_targets", "find_timing", "is_ownership_question", "owner_json", "ownership_eval",
           "split_clauses", "strip_ownership"]
