"""Hybrid retrieval on the real plan: a textbook case, the index on disk, the LangChain seams."""

import json
import subprocess
import sys

import numpy as np
import pytest

from assistant.documents.chunk import passages_of
from assistant.retrieval.lexical import BM25
from assistant.retrieval.store import (
    MANIFEST,
    VECTORS,
    StaleIndex,
    expected_manifest,
    index_dir_for,
    load_index,
    open_index,
)

# question -> the ref that must come first (read off the plan by hand)
TEXTBOOK = {
    "居民消费价格涨幅目标": "主要预期目标",
    "设立稀土产业基金": "四(三)",
    "防沙治沙任务是多少万亩？": "专栏1·“三北”工程攻坚战",
    "新型储能项目布局建设规模": "专栏2·新能源开发利用",
    "家庭养老床位建成多少张？": "专栏3·基本养老服务体系优化工程",
    "这份通知的文号": "文头",
    "红山文化遗址申遗": "十二(一)",
}


@pytest.mark.parametrize("question,ref", TEXTBOOK.items())
def test_textbook_top1(assistant, question, ref):
    assert assistant.retrieve(question, k=3)[0].ref == ref


def test_hits_are_distinct_refs_with_text(assistant):
    hits = assistant.retrieve("稀土产业有哪些举措？", k=5)
    assert len(hits) == 5 and len({h.ref for h in hits}) == 5
    assert all(h.text in assistant.doc.by_ref[h.ref].text for h in hits)


def test_english_question_finds_the_targets(assistant):
    refs = [h.ref for h in assistant.retrieve("What is the grain output target?", k=3)]
    assert "主要预期目标" in refs or "五(一)" in refs


def test_bm25_by_hand():
    # docs "ab", "bb"; query "a": only doc 0 scores; query "b": doc 1 (two b's, same length) wins
    bm = BM25([list("ab"), list("bb")], k1=1.5, b=0.75)
    assert bm.scores(["a"])[1] == 0 and bm.scores(["a"])[0] > 0
    s = bm.scores(["b"])
    idf_b = np.log(1 + (2 - 2 + 0.5) / (2 + 0.5))
    assert s[0] == pytest.approx(idf_b * 1 * 2.5 / (1 + 1.5))
    assert s[1] == pytest.approx(idf_b * 2 * 2.5 / (2 + 1.5))


def test_save_load_gives_identical_hits(tmp_path, first_parts_plan):
    from assistant.api import Assistant
    from assistant.config import Config

    config = Config.load(index_dir=str(tmp_path / "index"), plan=str(first_parts_plan))
    first = Assistant.load(config, progress=False)
    assert first.dense.built
    second = Assistant.load(config, progress=False)
    assert not second.dense.built
    for q in ["地区生产总值增长目标是多少？", "稀土产业基金", "安全生产"]:
        assert [(h.ref, round(h.score, 6)) for h in first.retrieve(q)] == \
               [(h.ref, round(h.score, 6)) for h in second.retrieve(q)]


def test_stale_or_corrupt_index_is_rebuilt(assistant, tmp_path):
    passages = assistant.passages[:24]  # the store logic is the same for a few passages; builds stay quick
    emb, sha = assistant.embedder, assistant.doc.sha256
    built = open_index(passages, emb, sha, tmp_path, progress=False)
    folder = index_dir_for(tmp_path, emb.id)
    # a manifest from another corpus -> stale -> rebuilt
    manifest = json.loads((folder / MANIFEST).read_text())
    (folder / MANIFEST).write_text(json.dumps(dict(manifest, corpus_sha256="0" * 64)))
    with pytest.raises(StaleIndex):
        load_index(folder, expected_manifest(passages, emb, sha))
    assert open_index(passages, emb, sha, tmp_path, progress=False).built
    # a truncated vectors file never loads
    data = (folder / VECTORS).read_bytes()
    (folder / VECTORS).write_bytes(data[: len(data) // 2])
    with pytest.raises(StaleIndex):
        load_index(folder, expected_manifest(passages, emb, sha))
    rebuilt = open_index(passages, emb, sha, tmp_path, progress=False)
    assert rebuilt.built and rebuilt.index.ntotal == built.index.ntotal == len(passages)


def test_passages_cover_chunks(chunks):
    passages = passages_of(chunks)
    assert {p.chunk for p in passages} == set(range(len(chunks)))
    for p in passages:
        assert p.text in chunks[p.chunk].text


def test_langchain_retriever_and_embeddings(assistant):
    from assistant.retrieval.lc import PlanRetriever

    docs = PlanRetriever(assistant=assistant, k=2).invoke("煤炭产量")
    assert len(docs) == 2 and docs[0].metadata["ref"]
    vec = assistant.embedder.embed_query("煤炭")
    assert len(vec) == assistant.embedder.dim


def test_import_does_not_load_torch():
    code = "import sys, assistant, assistant.api, assistant.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_retrieve_json(assistant, capsys, monkeypatch):
    from assistant.cli import main

    monkeypatch.setenv("PLAN_ASSISTANT_INDEX_DIR", assistant.config.index_dir)
    assert main(["retrieve", "防沙治沙", "-k", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["question"] == "防沙治沙" and len(out["hits"]) == 3
    assert {"ref", "title", "text", "score"} <= set(out["hits"][0])
