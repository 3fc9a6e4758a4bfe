"""Every line LLM mode shows the user about its own answer: why the extractive answer is shown instead."""

from __future__ import annotations

NUMBERS = "大模型回答中含有原文没有的数字，已改用原文摘录"
UNSUPPORTED = "大模型回答中有原文不支持的说法，已改用原文摘录"
NO_CITATION = "大模型回答没有引用检索到的原文，已改用原文摘录"
NO_QUOTE = "大模型回答引用的段落找不到对应的原文句子，已改用原文摘录"
EMPTY = "大模型没有返回内容，已改用原文摘录"
PROMPT = "大模型回答复述了提示词，已改用原文摘录"


def unavailable(reason: str) -> str:
    return f"大模型服务不可用（{reason}），已改用原文摘录"


def deadline(seconds: float) -> str:
    return f"大模型在{seconds:g}秒内没有答完，已改用原文摘录"


def skipped(failures: int, seconds: float) -> str:
    """The breaker is open: the model is not asked for the next `seconds` (rounded up)."""
    return f"大模型服务连续{failures}次失败，暂停调用（约{max(1, round(seconds + 0.49))}秒后重试），已改用原文摘录"
