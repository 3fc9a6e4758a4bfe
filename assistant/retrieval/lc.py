"""LangChain adapters: the hybrid retriever as a `BaseRetriever`, hits as `Document`s."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .hybrid import Hit


def hit_to_document(hit: Hit) -> Document:
    return Document(page_content=hit.text, metadata={"ref": hit.ref, "title": hit.title, "score": hit.score})


class PlanRetriever(BaseRetriever):
    """`PlanRetriever(assistant=Assistant.load(), k=5).invoke("粮食产量目标")` -> Documents with refs."""

    assistant: Any
    k: int = 5
    mode: str = "hybrid"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(h) for h in self.assistant.retrieve(query, k=self.k, mode=self.mode)]
