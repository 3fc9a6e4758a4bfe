"""sentence-transformers backend for stronger models (e.g. BAAI/bge-small-zh-v1.5) where the
machine has them. Imported lazily: loading it pulls torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import EmbedderUnavailable
from .base import Embedder

# Retrieval instructions the model families were trained with.
_BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："


def _prefixes(name: str) -> tuple[str, str]:
    low = name.lower()
    if "e5" in low:
        return "query: ", "passage: "
    if "bge" in low and "zh" in low:
        return _BGE_ZH_QUERY, ""
    return "", ""


def _local_folder(name_or_path: str) -> str:
    """The model's folder on this machine: the path itself, or a hub name's copy in the local cache
    (HF_HOME). Never a model hub: an intranet machine has none, and a download attempt there only waits
    for its timeouts (whatever HF_HUB_OFFLINE said when huggingface_hub was first imported)."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        return str(path)
    from huggingface_hub import snapshot_download

    return snapshot_download(name_or_path, local_files_only=True)


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name_or_path: str):
        self.id = f"sentence-transformers:{name_or_path}"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EmbedderUnavailable(
                "未安装 sentence-transformers：请运行 pip install 'plan-assistant[st]'"
                "（先 pip install torch 的 CPU 版本以免下载 CUDA 版）"
            ) from e
        try:
            self._model = SentenceTransformer(_local_folder(name_or_path), device="cpu")
        except Exception as e:  # noqa: BLE001 - any loading failure means "not available here"
            raise EmbedderUnavailable(
                f"本机找不到向量模型“{name_or_path}”（离线环境无法下载）。请在有网络的机器上下载该模型文件夹"
                f"（例如 huggingface-cli download {name_or_path} --local-dir ./models/xxx），拷贝到本机后使用 "
                f"--embedder sentence-transformers:/本地/模型/路径；或设置 HF_HOME 指向已有的模型缓存。"
                f"原因：{type(e).__name__}"
            ) from e
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension  # renamed in sentence-transformers 6
        self.dim = int(dimension())
        self._query_prefix, self._passage_prefix = _prefixes(name_or_path)

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        prefix = self._query_prefix if kind == "query" else self._passage_prefix
        vecs = self._model.encode(
            [prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True, batch_size=16
        )
        return np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)
