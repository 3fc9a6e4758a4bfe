"""One typed configuration, read from the environment or a TOML file in one place.

Per-query parameters (top_k, history) are arguments of the calls, not configuration.

    PLAN_ASSISTANT_CONFIG=/etc/plan-assistant.toml   a file with the keys below (optional)
    PLAN_ASSISTANT_PLAN        plan text file (default: the bundled 2026 plan)
    PLAN_ASSISTANT_INDEX_DIR   where built indexes go (default: ./index of the project, else ~/.cache)
    PLAN_ASSISTANT_EMBEDDER    e5-bundled | sentence-transformers:NAME_OR_PATH
    PLAN_ASSISTANT_LLM_BASE_URL, PLAN_ASSISTANT_LLM_MODEL, PLAN_ASSISTANT_LLM_API_KEY_ENV,
    PLAN_ASSISTANT_LLM_TIMEOUT   an OpenAI-compatible endpoint for LLM mode (off when no base URL)
    PLAN_ASSISTANT_LLM_DEADLINE  seconds one answer may spend with the model, all calls together (20)
    PLAN_ASSISTANT_LLM_SKIP_SECONDS  after 3 failed answers in a row the model is skipped this long (60)
    PLAN_ASSISTANT_LOG         on | off: the conversation log (off writes nothing at all)
    PLAN_ASSISTANT_LOG_PATH    the log's SQLite file (default: records.sqlite3 beside the index folder)
    PLAN_ASSISTANT_RECORDS_URL the records in a database instead (postgresql+psycopg://USER:PASSWORD@HOST/DB,
                               shared by replicas; or sqlite:///PATH); wins over LOG_PATH
    PLAN_ASSISTANT_LOG_RETENTION_DAYS   rows older than this are deleted (0 = keep everything)
    PLAN_ASSISTANT_AUTH_FILE   the accounts file (default: users.txt in the data folder)
    PLAN_ASSISTANT_LOCAL_ADMIN on | off (default off): without accounts, a browser on this machine
                               (a loopback address) gets the 管理 tab; with accounts it has no effect
    PLAN_ASSISTANT_LIBRARY_DIR the documents added beside the plan (default: library/ in the data folder)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError
from .retrieval.embedders import DEFAULT_EMBEDDER

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_FILE = "records.sqlite3"
ON_OFF = {"on": True, "true": True, "1": True, "yes": True, "off": False, "false": False, "0": False, "no": False}


def data_dir() -> Path:
    """$PLAN_ASSISTANT_DATA_DIR, else ~/.local/share/plan-assistant: data the office keeps."""
    base = os.environ.get("PLAN_ASSISTANT_DATA_DIR")
    return Path(base) if base else Path.home() / ".local" / "share" / "plan-assistant"


def default_index_dir() -> Path:
    checkout = PROJECT_ROOT / "index"
    if checkout.is_dir() and os.access(checkout, os.W_OK):
        return checkout
    return Path.home() / ".cache" / "plan-assistant" / "index"


@dataclass(frozen=True)
class Config:
    plan: str | None = None
    index_dir: str | None = None
    embedder: str = DEFAULT_EMBEDDER
    llm_base_url: str | None = None
    llm_model: str = "deepseek-chat"
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout: float = 30.0
    llm_temperature: float = 0.1
    llm_deadline: float = 20.0
    llm_skip_seconds: float = 60.0
    log: str = "on"
    log_path: str | None = None
    records_url: str | None = None
    log_retention_days: int = 365
    auth_file: str | None = None
    local_admin: str = "off"
    library_dir: str | None = None

    @property
    def index_path(self) -> Path:
        return Path(self.index_dir) if self.index_dir else default_index_dir()

    @property
    def log_enabled(self) -> bool:
        return ON_OFF[str(self.log).strip().lower()]

    @property
    def log_file(self) -> Path:
        """The conversation log: records.sqlite3 beside the index folder unless configured."""
        return Path(self.log_path) if self.log_path else self.index_path.resolve().parent / LOG_FILE

    @property
    def library_path(self) -> Path:
        """The library of added documents: library/ in the data folder unless configured."""
        return Path(self.library_dir) if self.library_dir else data_dir() / "library"

    @property
    def records_location(self) -> str | Path:
        """Where the records are: records_url when set, else the SQLite file `log_file`."""
        return self.records_url or self.log_file

    @property
    def local_admin_enabled(self) -> bool:
        return ON_OFF[str(self.local_admin).strip().lower()]

    @property
    def auth_path(self) -> Path:
        return Path(self.auth_file) if self.auth_file else data_dir() / "users.txt"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)

    @property
    def llm_api_key(self) -> str:
        # Local servers (llama.cpp, vLLM, Ollama) accept any key; the client library insists on one.
        return os.environ.get(self.llm_api_key_env) or "not-needed"

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, **overrides) -> Config:
        """File (PLAN_ASSISTANT_CONFIG or `path`), then environment, then explicit overrides."""
        values: dict = {}
        path = path or os.environ.get("PLAN_ASSISTANT_CONFIG")
        if path:
            try:
                with open(path, "rb") as f:
                    data = tomllib.load(f)
            except (OSError, tomllib.TOMLDecodeError) as e:
                raise ConfigError(f"无法读取配置文件 {path}：{e}") from e
            values.update(data.get("plan_assistant", data))
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise ConfigError(f"配置文件中有未知的键：{', '.join(sorted(unknown))}")
        for name in names:
            env = os.environ.get(f"PLAN_ASSISTANT_{name.upper()}")
            if env:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        for f in fields(cls):  # environment values arrive as strings
            if f.name in values and f.type in ("float", "int"):
                try:
                    values[f.name] = (float if f.type == "float" else int)(values[f.name])
                except (TypeError, ValueError) as e:
                    raise ConfigError(f"配置项 {f.name} 应为数字：{values[f.name]!r}") from e
        if str(values.get("log", "on")).strip().lower() not in ON_OFF:
            raise ConfigError(f"配置项 log 应为 on 或 off：{values['log']!r}")
        if str(values.get("local_admin", "off")).strip().lower() not in ON_OFF:
            raise ConfigError(f"配置项 local_admin 应为 on 或 off：{values['local_admin']!r}")
        for name in ("llm_timeout", "llm_deadline"):
            if values.get(name, 1) <= 0:
                raise ConfigError(f"配置项 {name} 应为大于 0 的秒数：{values[name]!r}")
        if values.get("llm_skip_seconds", 0) < 0:
            raise ConfigError("配置项 llm_skip_seconds 不能为负数（0 表示失败后不暂停）")
        if values.get("records_url"):
            from .records.engine import UrlError, url_of

            try:
                url_of(str(values["records_url"]))
            except UrlError as e:
                raise ConfigError(f"配置项 records_url：{e}") from None
        if values.get("log_retention_days", 0) < 0:
            raise ConfigError("配置项 log_retention_days 不能为负数（0 表示一直保留）")
        return replace(cls(), **values)
