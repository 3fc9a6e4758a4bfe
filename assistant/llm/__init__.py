"""LLM mode: an OpenAI-compatible chat model writes the answer from the Evidence paragraphs, within
one deadline per answer, and the answer is checked before anyone relies on it.

    client.py   prompts, the chat model, calls that end by the deadline (`within`)
    budget.py   the answer's deadline and the per-endpoint breaker (skip the model after failures)
    write.py    the streamed answer and the follow-up rewrite, with their fallbacks
    check.py    markup, instructions, citations, numbers, support, quotes
    support.py  the character-overlap support score and its threshold
    notices.py  every line shown when the extractive answer replaces the model's

Importing this package loads no LLM client: langchain_openai is imported when a call is made.
"""

from .budget import Budget, reset_breakers
from .check import check, numbers, states
from .notices import EMPTY as NOTICE_EMPTY
from .notices import NO_CITATION as NOTICE_NO_CITATION
from .notices import NO_QUOTE as NOTICE_NO_QUOTE
from .notices import NUMBERS as NOTICE_NUMBERS
from .notices import PROMPT as NOTICE_PROMPT
from .notices import UNSUPPORTED as NOTICE_UNSUPPORTED
from .notices import unavailable
from .write import condense_with_llm, llm_stream

__all__ = ["Budget", "reset_breakers", "check", "numbers", "states", "condense_with_llm", "llm_stream",
           "unavailable", "NOTICE_EMPTY", "NOTICE_NO_CITATION", "NOTICE_NO_QUOTE", "NOTICE_NUMBERS",
           "NOTICE_PROMPT", "NOTICE_UNSUPPORTED"]
