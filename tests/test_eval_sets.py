"""The eval sets are data the eval command trusts: every gold ref must exist, every evidence and
expected string must be plan text of a gold ref, so a score never rests on a typo."""

import json
from pathlib import Path

import pytest

from assistant.evaluate import DEFAULT_SET, FURTHER_SETS

KINDS = {"number", "list", "column", "doc", "paraphrase", "english", "followup", "out_of_scope"}
SETS = [Path(DEFAULT_SET), *FURTHER_SETS]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_eval_set_is_plan_text(doc, path):
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({it["id"] for it in items}) == len(items) >= 60
    for it in items:
        assert it["kind"] in KINDS and it["question"].strip(), it["id"]
        if not it["refs"]:
            assert it["kind"] == "out_of_scope" and not it["evidence"] and not it["expect"], it["id"]
            continue
        texts = [doc.by_ref[ref].text for ref in it["refs"]]  # KeyError: a gold ref the plan lacks
        assert any(it["evidence"] in t for t in texts), it["id"]
        assert it["expect"] and all(any(e in t for t in texts) for e in it["expect"]), it["id"]
        if it["kind"] == "followup":
            assert [t["role"] for t in it["history"]] == ["user", "assistant"], it["id"]


def test_further_sets_are_all_there():
    assert all(p.exists() for p in FURTHER_SETS)  # the eval skips a missing set without a word
