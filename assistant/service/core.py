"""The core one service process works on: the parsed plan at once (cheap), the Assistant (index,
embedder, BM25) loaded once in a background thread, so the port answers from the start: with 503
while the index is loading or building, with answers once it is ready."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace
from functools import cached_property

from ..config import Config
from ..errors import ConfigError, EmbedderUnavailable, IndexWriteError
from ..parse import load

log = logging.getLogger("plan_assistant.service")


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

    def start(self) -> Core:
        """Begin loading in the background (once; later calls do nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                threading.Thread(target=self._load, name="load-assistant", daemon=True).start()
        return self

    def _load(self) -> None:
        from ..api import Assistant

        try:
            a = Assistant.load(self.config, progress=False)
            a.context, a.ledger  # noqa: B018 - built now, not on the first question
            # the extractive model shares everything but the LLM setting
            self._extractive = replace(a, config=replace(a.config, llm_base_url=None)) if a.config.llm_enabled else a
            self._assistant = a
            log.info("worker %s ready: %d passages, index %s", os.getpid(), len(a.passages),
                     "built" if a.dense.built else "loaded")
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

    @cached_property
    def targets(self):
        from ..targets import extract_targets

        return extract_targets(self.doc)

    def health(self) -> dict:
        a = self._assistant
        out = {"status": "ok" if a else ("error" if self.error else "loading"), "index_loaded": a is not None,
               "embedder": a.embedder.id if a else self.config.embedder, "plan_sha256": self.doc.sha256,
               "mode": "llm" if self.config.llm_enabled else "extractive", "worker_pid": os.getpid()}
        if a:
            out |= {"passages": len(a.passages), "index_built_at": a.dense.manifest.get("built_at"),
                    "index_built_here": a.dense.built}
        if self.error:
            out["message"] = self.error
        return out
