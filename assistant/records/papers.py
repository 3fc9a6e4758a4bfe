"""Quiz papers a trainer assigns, and each trainee's submissions of them.

    add_paper(records, 123456, creator="wang", title="能源测验", options={…}, questions=[…],
              due="2026-03-31T23:59:59+08:00", attempts=1)      # False: that id is taken
    get_paper(records, 123456)          # {"id", "creator", "title", "created", "due", "attempts",
                                        #  "options", "questions"}, or None
    list_papers(records, creator="wang")                        # newest first; creator None: all
    add_submission(records, 123456, "alice", answers=["B", ""], results=["right", "blank"],
                   seconds=312.4, late=False)   # -> 1, the attempt; None once the attempts are used
    list_submissions(records, paper_ids=[123456])               # oldest first

Rows are plain dicts; what they mean (grading, lateness, the figures) is `assistant.training`'s.
Papers and submissions are not subject to the log's retention: a trainee's results stay until the
records are deleted.
"""

from __future__ import annotations

import json

from sqlalchemy import text

from .db import Records, RecordsError, storable

RESULTS = ("right", "wrong", "blank")
MAX_RESPONSE = 200  # characters of one response kept (the page's fill-in box takes 50)


def _json(value) -> str:
    return storable(json.dumps(value, ensure_ascii=False))


def paper_of(r) -> dict:
    return {"id": r["id"], "creator": r["creator"], "title": r["title"], "created": r["created"], "due": r["due"],
            "attempts": r["attempts"], "options": json.loads(r["options"]), "questions": json.loads(r["questions"])}


def add_paper(records: Records, paper_id: int, *, creator: str, title: str, options: dict, questions: list[dict],
              due: str | None = None, attempts: int = 1) -> bool:
    """Store a paper under `paper_id`; False when a paper has that id already (nothing written)."""
    if attempts < 1:
        raise RecordsError("允许提交的次数至少为 1")
    values = {"id": int(paper_id), "creator": creator, "title": storable(title), "created": records.now(),
              "due": due, "attempts": int(attempts), "options": _json(options), "questions": _json(questions)}
    with records.transaction(write=True) as conn:
        new = conn.execute(text("INSERT INTO papers (id, creator, title, created, due, attempts, options, questions)"
                                " VALUES (:id, :creator, :title, :created, :due, :attempts, :options, :questions)"
                                " ON CONFLICT (id) DO NOTHING RETURNING id"), values).scalar()
    return new is not None


def get_paper(records: Records, paper_id: int) -> dict | None:
    if not records.readable:
        return None
    with records.transaction() as conn:
        r = conn.execute(text("SELECT * FROM papers WHERE id = :id"), {"id": int(paper_id)}).mappings().first()
    return paper_of(r) if r else None


def list_papers(records: Records, creator: str | None = None) -> list[dict]:
    """The papers `creator` made (everyone's when None), newest first."""
    if not records.readable:
        return []
    where, params = ("WHERE creator = :creator", {"creator": creator}) if creator is not None else ("", {})
    with records.transaction() as conn:
        rows = conn.execute(text(f"SELECT * FROM papers {where} ORDER BY created DESC, id"), params).mappings()
        return [paper_of(r) for r in rows]


def add_submission(records: Records, paper_id: int, trainee: str, *, answers: list[str], results: list[str],
                   seconds: float | None, late: bool) -> int | None:
    """Store `trainee`'s submission of the paper: its attempt number (1, 2 …), or None when the
    trainee has submitted it as often as the paper allows (also when a second submission sent at the
    same moment took the last attempt). The score is the number of right results."""
    if len(answers) != len(results) or any(r not in RESULTS for r in results):
        raise RecordsError("提交的答案与评分结果不对应")
    values = {"paper": int(paper_id), "trainee": trainee, "time": records.now(),
              "seconds": None if seconds is None else round(float(seconds), 1),
              "answers": _json([str(a or "")[:MAX_RESPONSE] for a in answers]), "results": _json(list(results)),
              "score": sum(r == "right" for r in results), "total": len(results), "late": int(bool(late))}
    with records.transaction(write=True) as conn:
        allowed = conn.execute(text("SELECT attempts FROM papers WHERE id = :paper"), values).scalar()
        if allowed is None:
            raise RecordsError(f"没有编号为 {paper_id} 的布置试卷")
        done = conn.execute(text("SELECT COUNT(*) FROM submissions WHERE paper_id = :paper AND trainee = :trainee"),
                            values).scalar_one()
        if done >= allowed:
            return None
        values["attempt"] = done + 1
        new = conn.execute(text("INSERT INTO submissions (paper_id, trainee, attempt, time, seconds, answers, results,"
                                " score, total, late) VALUES (:paper, :trainee, :attempt, :time, :seconds, :answers,"
                                " :results, :score, :total, :late)"
                                " ON CONFLICT (paper_id, trainee, attempt) DO NOTHING RETURNING id"), values).scalar()
    return values["attempt"] if new is not None else None


def attempts_of(records: Records, paper_id: int, trainee: str) -> int:
    """How many times `trainee` has submitted the paper."""
    if not records.readable:
        return 0
    with records.transaction() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM submissions WHERE paper_id = :paper AND trainee = :trainee"),
                            {"paper": int(paper_id), "trainee": trainee}).scalar_one()


def list_submissions(records: Records, paper_ids: list[int] | None = None, trainee: str | None = None) -> list[dict]:
    """Submissions, oldest first: of these papers (all when None), of this trainee (all when None)."""
    if not records.readable or paper_ids == []:
        return []
    conds, params = [], {}
    if paper_ids is not None:
        names = [f"p{i}" for i in range(len(paper_ids))]
        conds.append(f"paper_id IN ({', '.join(':' + n for n in names)})")
        params |= {n: int(p) for n, p in zip(names, paper_ids, strict=True)}
    if trainee is not None:
        conds.append("trainee = :trainee")
        params["trainee"] = trainee
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    with records.transaction() as conn:
        rows = conn.execute(text(f"SELECT * FROM submissions{where} ORDER BY time, id"), params).mappings()
        return [{"id": r["id"], "paper_id": r["paper_id"], "trainee": r["trainee"], "attempt": r["attempt"],
                 "time": r["time"], "seconds": r["seconds"], "answers": json.loads(r["answers"]),
                 "results": json.loads(r["results"]), "score": r["score"], "total": r["total"],
                 "late": bool(r["late"])} for r in rows]
