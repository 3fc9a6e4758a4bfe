"""The task ledger of the plan, and questions about who owns a task.

Modules: `build` (node text split into task clauses, with their targets and timing), `ledger` (the
ledger and its search), `ownership` (questions like "防沙治沙任务由哪个部门牵头？" answered from it).
"""

from .build import (  # noqa: F401  (the splitting helpers, importable from here as before)
    ACTION_STARTS,
    TASK_KINDS,
    TASK_OPENINGS,
    build_ledger,
    filter_tasks,
    find_targets,
    find_timing,
    node_tasks,
    split_clauses,
    split_top_level,
    starts_action,
    task_sentences,
)
from .ledger import BIGRAM_WEIGHT, Ledger, Target, Task, bigrams, registry_terms  # noqa: F401
from .ownership import (  # noqa: F401
    QUERY_DROP,
    OwnerAnswer,
    find_owner,
    is_ownership_question,
    owner_json,
    ownership_eval,
    strip_ownership,
)

__all__ = ["Ledger", "OwnerAnswer", "Target", "Task", "build_ledger", "filter_tasks", "find_owner",
           "find_targets", "find_timing", "is_ownership_question", "owner_json", "ownership_eval",
           "split_clauses", "strip_ownership"]
