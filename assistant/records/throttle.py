"""Failed logins per (user, address), kept with the records so that every process of the web app —
replicas on other machines too, with PostgreSQL — slows down the same guesser (`logins.LoginGuard`).

    add_failure(records, "alice", "10.0.0.8", when=1000.0)   # -> 1, then 2, 3 …
    failures_of(records, "alice", "10.0.0.8")                # -> (3, 1002.5): count, time of the last
    clear_failures(records, "alice", "10.0.0.8")             # a successful login

Times are seconds since the epoch (every process must read the same clock). One statement per call,
so two replicas counting the same failure at once both count it.
"""

from __future__ import annotations

from sqlalchemy import text

from .db import Records

MAX_TRACKED = 10_000  # (user, address) pairs kept; the ones failed longest ago are forgotten past this


def failures_of(records: Records, user: str, address: str) -> tuple[int, float]:
    with records.transaction() as conn:
        row = conn.execute(text('SELECT failures, last FROM login_failures WHERE "user" = :user AND address = :address'),
                           {"user": user, "address": address}).first()
    return (row.failures, row.last) if row else (0, 0.0)


def add_failure(records: Records, user: str, address: str, when: float) -> int:
    """One more failure; how many in a row now."""
    with records.transaction(write=True) as conn:
        count = conn.execute(text('INSERT INTO login_failures ("user", address, failures, last)'
                                  " VALUES (:user, :address, 1, :when) ON CONFLICT (\"user\", address)"
                                  " DO UPDATE SET failures = login_failures.failures + 1, last = excluded.last"
                                  " RETURNING failures"), {"user": user, "address": address, "when": when}).scalar_one()
        conn.execute(text("DELETE FROM login_failures WHERE last < (SELECT last FROM login_failures"
                          " ORDER BY last DESC LIMIT 1 OFFSET :keep)"), {"keep": MAX_TRACKED})
    return count


def clear_failures(records: Records, user: str, address: str) -> None:
    with records.transaction(write=True) as conn:
        conn.execute(text('DELETE FROM login_failures WHERE "user" = :user AND address = :address'),
                     {"user": user, "address": address})
