"""Who leads each task: a suggestion from the department registry, overridden by an official table.

The plan names no departments. A suggestion scores each department of `data/departments.json` by
its function keywords found in the task text (a longer keyword, and one that few tasks and few
departments share, weighs more; a keyword inside a longer matched one does not count), with the
node's title and the part's title as weaker context; a department named in the text wins. It is
labelled basis "inferred" (依据部门职能推断). An imported division-of-tasks table (`import_official`,
kept as JSON by `save_official` outside the index folder) overrides it with basis "official"
(依据分工方案). `find_owner` answers "防沙治沙任务由哪个部门牵头？" from the ledger.

    >>> from assistant.documents.parse import load
    >>> from assistant.tasks import build_ledger
    >>> owners = suggest_owners(build_ledger(load()))
    >>> owners["专栏1·“三北”工程攻坚战-01"].lead
    ('自治区林业和草原局',)
"""

# the question side (find_owner …) lives beside the ledger search in assistant.tasks; re-exported here
from ..tasks import (  # noqa: F401
    Ledger,
    OwnerAnswer,
    Task,
    find_owner,
    is_ownership_question,
    owner_json,
    ownership_eval,
)
from .departments import BASIS_LABELS, Assignment, Department, load_departments, resolve_department  # noqa: F401
from .official import (  # noqa: F401
    CO_HEADERS,
    FUZZY_CUTOFF,
    ID_HEADERS,
    LEAD_HEADERS,
    REF_HEADERS,
    TASK_HEADERS,
    ImportReport,
    OfficialEntry,
    apply_official,
    default_official_path,
    import_official,
    load_official,
    match_tasks,
    owners_for,
    save_official,
    split_names,
)
from .suggest import (  # noqa: F401
    CO_SHARE,
    FALLBACK_LEAD,
    HEADING_WEIGHT,
    MAX_CO,
    NAMED_BONUS,
    TITLE_WEIGHT,
    infer_owner,
    keyword_weights,
    suggest_owners,
)
from .tables import TableError, decode_table_text, read_table  # noqa: F401

__all__ = ["Assignment", "Department", "ImportReport", "OfficialEntry", "OwnerAnswer", "TableError", "apply_official",
           "default_official_path", "find_owner", "import_official", "is_ownership_question",
           "load_departments", "load_official", "owner_json", "owners_for", "ownership_eval",
           "resolve_department", "save_official", "suggest_owners"]
