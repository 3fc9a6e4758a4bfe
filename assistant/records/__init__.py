"""What the assistant keeps: the conversation log, feedback on answers, saved conversations, failed
logins, and assigned quiz papers with their submissions, in a SQLite file (the default) or a
PostgreSQL database shared by replicas.

    records = Records.open(config)                 # off (writes nothing) with log=off / --no-log
    row_id = log_answer(records, answer, latency_s=0.4, history=turns, user="alice")
    set_feedback(records, row_id, "down", reason="数字不对", user="alice")
    summary(records, since="2026-03-01")           # the admin view's figures

Modules: `engine` (URLs, one SQLAlchemy engine per database and process), `schema` (tables and
migration steps for both backends), `db` (Records: transactions, retention), `log` (log rows and
feedback), `conversations`, `throttle` (failed logins), `papers` (quiz papers and submissions),
`stats` (admin queries), `export` (CSV, XLSX, eval items). Another table is another such module
plus one step appended to `schema.MIGRATIONS`.
"""

from .conversations import (
    delete_conversation,
    list_conversations,
    load_conversation,
    owner_of,
    save_conversation,
)
from .db import Records, RecordsError
from .export import eval_items, rows_csv, rows_xlsx
from .log import LogEntry, log_answer, log_rows, set_feedback, write_entry
from .papers import add_paper, add_submission, attempts_of, get_paper, list_papers, list_submissions
from .schema import REASONS
from .stats import down_rows, per_day, refused_rows, summary, users

__all__ = [
    "REASONS", "LogEntry", "Records", "RecordsError", "add_paper", "add_submission", "attempts_of",
    "delete_conversation", "get_paper", "list_papers", "list_submissions", "down_rows", "eval_items",
    "list_conversations", "load_conversation", "log_answer", "log_rows", "owner_of", "per_day", "refused_rows",
    "rows_csv", "rows_xlsx", "save_conversation", "set_feedback", "summary", "users", "write_entry",
]
