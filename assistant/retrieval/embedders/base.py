"""The embedder interface every backend implements.

Every embedder is a LangChain `Embeddings` (embed_documents / embed_query return lists) and also gives
float32 numpy matrices through `encode`, which the FAISS store uses.
"""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings


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
