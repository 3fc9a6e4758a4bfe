"""Questions about ownership: who leads the task a question names, found in the ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ledger import Ledger

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
