"""The eval sets are data the eval command trusts: every gold ref must exist, every evidence and
expected string must be plan text of a gold ref, so a score never rests on a typo."""

import json
from pathlib import Path

import pytest

from assistant.evaluate import DEFAULT_SET, FURTHER_SETS

KINDS = {"number", "list", "column", "doc", "paraphrase", "english", "followup", "out_of_scope",
         "overview", "count", "cross", "multi", "ordinal", "premise", "quiz", "qualitative", "yesno"}
QUIZ_KINDS = {"fill", "choice", "truefalse", "source", "any"}
SETS = [Path(DEFAULT_SET), *FURTHER_SETS]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_eval_set_is_plan_text(doc, path):
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({it["id"] for it in items}) == len(items) >= 60
    for it in items:
        assert it["kind"] in KINDS and it["question"].strip(), it["id"]
        if not it["refs"]:  # out of scope, or a subject the plan does not mention (checked absent)
            absent = it.get("answer") == "no" and it["subject"] not in doc_text(doc)  # yes/no, or English
            assert (it["kind"] == "out_of_scope" or absent) and not it["evidence"] and not it["expect"], it["id"]
            continue
        if it["kind"] == "quiz":  # a scope to ask about, nothing to find in the answer's text
            assert it["quiz_kind"] in QUIZ_KINDS and 1 <= it["n"] <= 20, it["id"]
            assert all(ref == "*" or ref in doc.by_ref for ref in it["refs"]), it["id"]
            continue
        # a part or 专栏 is quoted with its title and children, as `show` prints it
        texts = [doc.by_ref[ref].title + "\n" + doc.by_ref[ref].full_text() for ref in it["refs"]]
        assert any(it["evidence"] in t for t in texts), it["id"]
        counted = [str(it["count"])] if it["kind"] == "count" else []
        lacks = bool(it.get("missing")) and not it["expect"]  # only says what the plan lacks
        assert (it["expect"] or lacks) and all(e in counted or any(e in t for t in texts) for e in it["expect"]), it["id"]
        if it["kind"] == "count":
            assert isinstance(it["count"], int) and it["count"] > 0, it["id"]
        if it["kind"] == "premise":
            assert it["premise"] in ("wrong", "right"), it["id"]
        if it["kind"] in ("followup", "ordinal"):
            assert [t["role"] for t in it["history"]] == ["user", "assistant"], it["id"]


def doc_text(doc) -> str:
    return "\n".join(n.full_text() for n in doc.nodes)


def test_further_sets_are_all_there():
    assert all(p.exists() for p in FURTHER_SETS)  # the eval skips a missing set without a word
