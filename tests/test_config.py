"""Configuration: file, then environment, then explicit overrides."""

import pytest

from assistant.config import Config


def test_file_env_and_overrides(tmp_path, monkeypatch):
    cfg = tmp_path / "plan-assistant.toml"
    cfg.write_text('embedder = "e5-bundled"\nllm_base_url = "http://127.0.0.1:9/v1"\nllm_timeout = 5\n',
                   encoding="utf-8")
    monkeypatch.setenv("PLAN_ASSISTANT_CONFIG", str(cfg))
    monkeypatch.setenv("PLAN_ASSISTANT_LLM_MODEL", "qwen-plus")
    c = Config.load()
    assert c.llm_enabled and c.llm_model == "qwen-plus" and c.llm_timeout == 5.0
    monkeypatch.setenv("PLAN_ASSISTANT_LLM_TIMEOUT", "7.5")
    assert Config.load().llm_timeout == 7.5
    assert Config.load(llm_model="deepseek-chat").llm_model == "deepseek-chat"


def test_unknown_key_is_reported(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('embeder = "typo"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="embeder"):
        Config.load(cfg)


def test_llm_off_by_default(monkeypatch):
    for name in ("PLAN_ASSISTANT_CONFIG", "PLAN_ASSISTANT_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert not Config.load().llm_enabled
