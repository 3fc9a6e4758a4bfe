"""The core one service process works on: the parsed plan at once (cheap), the Assistant (index,
embedder, BM25) loaded once in a background thread, so the port answers from the start: with 503
while the index is loading or building, with answers once it is ready.

The supervisor of `plan-assistant serve` calls `preload()` before it forks its workers: when the
index is ready, it is loaded there once, and every worker, a replacement too, starts with it."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace
from functools import cached_property

from ..config import Config
from ..documents.parse import load
from ..errors import ConfigError, EmbedderUnavailable, IndexWriteError, StaleIndex

log = logging.getLogger("plan_assistant.service")

# asked once, extractively, when the Assistant is loaded: an overview and a figure question take the
# paths with lazy set-ups
WARM_UP = ("主要预期目标有哪些？", "地区生产总值增长目标是多少？")


def cut_notice(question: str, answer):
    """`answer` with a notice that says so when `question` was longer than the part answered."""
    from ..api import MAX_QUESTION_CHARS
    from ..retrieval.hybrid import normalize_query

    length = len(normalize_query(question))
    if length <= MAX_QUESTION_CHARS:
        return answer
    cut = f"问题共 {length} 字，超过 {MAX_QUESTION_CHARS} 字，只按前 {MAX_QUESTION_CHARS} 字回答"
    return replace(answer, notice=f"{answer.notice}；{cut}" if answer.notice else cut)


class NotReady(Exception):
    """The Assistant is still loading (or failed to load); the message says which, for a 503."""


class Core:
    def __init__(self, config: Config | None = None):
        self.config = config or Config.load()
        self.doc = load(self.config.plan)
        self._assistant = None
        self._extractive = None
        self.error: str | None = None
        self._loaded = threading.Event()
        self._lock = threading.Lock()
        self._started = False
        self._announced = 0  # the pid that has said "ready": a worker forked after preload() says it too

    def start(self) -> Core:
        """Begin loading in the background (once; later calls only say "ready" in a worker forked
        from a process that had loaded it)."""
        with self._lock:
            if not self._started:
                self._started = True
                threading.Thread(target=self._load, name="load-assistant", daemon=True).start()
        if self._assistant is not None:
            self._announce()
        return self

    def preload(self) -> bool:
        """Load the Assistant now, in this thread, if its index is ready (never build it here): no
        thread is left running, so the process may fork workers that start with it loaded. False
        when the index needs building or another process is building it: each worker loads it then."""
        from ..api import Assistant

        with self._lock:
            if self._started:
                return self.ready
            try:
                self._set(Assistant.load(self.config, progress=False, build=False))
            except StaleIndex as e:
                log.info("index not preloaded (%s): each worker loads it", e)
                return False
            except Exception as e:  # the workers meet it again and report it (503 with the reason)
                log.warning("index not preloaded: %s", e)
                return False
            self._started = True
            self._loaded.set()
            return True

    def _set(self, a) -> None:
        a.context, a.ledger  # noqa: B018 - built now, not on the first question
        # the extractive model shares everything but the LLM setting
        self._extractive = replace(a, config=replace(a.config, llm_base_url=None)) if a.config.llm_enabled else a
        try:  # the first question pays for lazy set-ups (jieba's default dictionary, about 1 s): paid here
            for question in WARM_UP:
                self._extractive.ask(question)
        except Exception:
            log.exception("the warm-up question failed")
        self._assistant = a

    def _announce(self) -> None:
        if self._announced != os.getpid():
            self._announced = os.getpid()
            a = self._assistant
            log.info("worker %s ready: %d passages, index %s", os.getpid(), len(a.passages),
                     "built" if a.dense.built else "loaded")

    def _load(self) -> None:
        from ..api import Assistant

        try:
            self._set(Assistant.load(self.config, progress=False))
            self._announce()
        except (ConfigError, EmbedderUnavailable, IndexWriteError) as e:
            self.error = f"索引无法加载：{e}"
            log.error("loading the assistant failed: %s", e)
        except Exception:
            self.error = "索引无法加载（详见服务日志）"
            log.exception("loading the assistant failed")
        finally:
            self._loaded.set()

    def wait_loaded(self) -> None:
        """Block until loading has finished, well or not."""
        self.start()
        self._loaded.wait()

    @property
    def ready(self) -> bool:
        return self._assistant is not None

    def assistant(self, extractive: bool = False, wait: float = 0.0):
        """The loaded Assistant (its extractive twin with `extractive`); NotReady while loading,
        after waiting up to `wait` seconds."""
        if not self.ready:
            self.start()
            self._loaded.wait(wait)
        if self._assistant is None:
            raise NotReady(self.error or "索引正在加载或构建，请稍后再试")
        return self._extractive if extractive else self._assistant

    def library(self):
        """The library: the loaded Assistant's (re-read when changed on disk), else read from its folder."""
        if self._assistant is not None:
            return self._assistant.library
        from ..documents.intake import primary_entry
        from ..documents.library import Library

        return Library.open(self.config.library_path, primary_entry(self.doc))

    @cached_property
    def targets(self):
        from ..documents.targets import extract_targets

        return extract_targets(self.doc)

    def health(self) -> dict:
        a = self._assistant
        out = {"status": "ok" if a else ("error" if self.error else "loading"), "index_loaded": a is not None,
               "embedder": a.embedder.id if a else self.config.embedder, "plan_sha256": self.doc.sha256,
               "mode": "llm" if self.config.llm_enabled else "extractive", "worker_pid": os.getpid()}
        if a:
            import faiss  # loaded with the index

            # threads the OpenMP runtime was set up with in this process: 1 when pinned before it loaded
            out |= {"passages": len(a.passages), "index_built_at": a.dense.manifest.get("built_at"),
                    "index_built_here": a.dense.built, "compute_threads": faiss.omp_get_max_threads()}
        if self.error:
            out["message"] = self.error
        return out
