"""The model behind LLM mode: prompts from files, an OpenAI-compatible chat model through LangChain,
and calls that end by a deadline whatever the endpoint does. langchain_openai is imported only here,
only when a call is made."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterator
from functools import cache
from importlib.resources import files

from . import notices

GRACE = 1.0  # seconds an abandoned call may outlive the deadline before its own timeout ends it


class DeadlineExceeded(TimeoutError):
    """The answer's deadline passed before the model finished."""

    def __init__(self, seconds: float):
        super().__init__(f"no complete reply within {seconds:g} s")
        self.seconds = seconds


@cache
def load_prompt(name: str):
    """prompts/NAME.txt as a ChatPromptTemplate: sections start with "### system" / "### human"."""
    from langchain_core.prompts import ChatPromptTemplate

    text = files("assistant.prompts").joinpath(f"{name}.txt").read_text("utf-8")
    parts = re.split(r"^### (system|human)[ \t]*$", text, flags=re.M)
    return ChatPromptTemplate.from_messages([(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2],
                                                                                        strict=True)])


def system_text(name: str) -> str:
    return load_prompt(name).messages[0].prompt.template


def chat_model(config, temperature: float | None = None):
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=config.llm_base_url, model=config.llm_model, api_key=config.llm_api_key,
                      timeout=config.llm_timeout, max_retries=0, stream_usage=False,
                      temperature=config.llm_temperature if temperature is None else temperature)


def stream_texts(model, messages, timeout: float) -> Iterator[str]:
    """The streamed reply of `model` (a chat_model), piece by piece; no read waits longer than `timeout`."""
    for chunk in model.stream(messages, timeout=timeout):
        if chunk.text:
            yield chunk.text


def invoke_text(model, messages, timeout: float) -> Iterator[str]:
    """The whole reply of a plain (not streamed) call, as one piece."""
    yield model.invoke(messages, timeout=timeout).text


def warm_up(config) -> None:
    """Import the client and read the prompts now (seconds on a busy machine), not in the first answer."""
    load_prompt("answer")
    load_prompt("condense")
    chat_model(config)


def within(budget, call: Callable[[float], Iterator[str]]) -> Iterator[str]:
    """The pieces `call(timeout)` yields, as long as the budget's deadline has not passed; then
    DeadlineExceeded, at once, even while a read is still waiting. The call runs in a thread of its
    own that stops at its next piece (or when its own read timeout, the time that was left plus GRACE,
    fires); its exceptions are raised here. Build the model before: the clock runs from here, and a
    thread still importing the client at the deadline would send its request afterwards.

    A deadline checked only between pieces would not do: an endpoint sending a piece every 4 s keeps
    the caller waiting however long the reply is."""
    if budget.remaining() <= 0:
        raise DeadlineExceeded(budget.seconds)
    pieces: queue.Queue = queue.Queue()
    stop = threading.Event()
    end = object()

    def run(timeout: float) -> None:
        if stop.is_set():  # the caller gave up before this thread ran: send nothing
            return
        it = call(timeout)
        try:
            for piece in it:
                if stop.is_set():
                    return
                pieces.put((piece, None))
            pieces.put((end, None))
        except BaseException as exc:  # handed to the caller, whatever it is
            pieces.put((None, exc))
        finally:
            close = getattr(it, "close", None)
            if close:
                close()  # a stream left early closes its connection

    # the call's own timeout a little past the deadline: the deadline, not a read timeout, decides
    threading.Thread(target=run, args=(budget.remaining() + GRACE,), name="llm-call", daemon=True).start()
    try:
        while True:
            try:
                piece, exc = pieces.get(timeout=budget.remaining())
            except queue.Empty:
                raise DeadlineExceeded(budget.seconds) from None
            if exc is not None:
                raise exc
            if piece is end:
                return
            yield piece
    finally:
        stop.set()


def failure_reason(exc: BaseException) -> str:
    """The notice for a failed call: the deadline, or why the endpoint failed."""
    if isinstance(exc, DeadlineExceeded):  # before importing: the abandoned call may still be importing them
        return notices.deadline(exc.seconds)
    import httpx
    import openai

    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return notices.unavailable("超时")
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return notices.unavailable("连接失败")
    if isinstance(exc, openai.APIStatusError):
        return notices.unavailable(f"HTTP {exc.status_code}")
    if isinstance(exc, ValueError | TypeError | KeyError | AttributeError):  # JSON that is not a chat reply
        return notices.unavailable("返回内容无法解析")
    return notices.unavailable(f"出错：{type(exc).__name__}")
