"""The values the core returns to every edge (CLI, web app, eval)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .retrieval.hybrid import Hit


@dataclass(frozen=True)
class Citation:
    ref: str
    title: str
    text: str  # the full text of the cited paragraph (section, row, lead paragraph)
    quotes: tuple[str, ...] = ()  # the sentences of `text` the answer rests on, verbatim

    def to_json(self) -> dict:
        return {"ref": self.ref, "title": self.title, "text": self.text, "quotes": list(self.quotes)}


@dataclass
class Answer:
    question: str
    text: str  # each statement ends with its ref, e.g. "…完成生态建设任务4000万亩。[二(一)]"
    citations: list[Citation]
    refused: bool
    mode: str  # "extractive" | "llm"
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None  # e.g. the LLM failed and the answer fell back to extractive
    standalone_question: str | None = None  # a follow-up rewritten in the frame of its history

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "mode": self.mode,
            "refused": self.refused,
            "notice": self.notice,
            "standalone_question": self.standalone_question,
            "citations": [c.to_json() for c in self.citations],
            "hits": [{"ref": h.ref, "score": round(h.score, 4)} for h in self.hits],
        }

    def plain_text(self) -> str:
        """The answer with its sources spelled out, for pasting into a report."""
        sources = "\n".join(f"[{c.ref}] " + (f"{c.title}：" if c.title not in c.ref else "") + c.text
                            for c in self.citations)
        return f"{self.text}\n\n出处：\n{sources}" if sources else self.text


@dataclass(frozen=True)
class StreamEvent:
    """What `Assistant.ask_stream` yields: the answer text so far; the last event carries the Answer."""

    text: str
    answer: Answer | None = None
