"""One Chinese line for the first problem pydantic found in a request's arguments, so that the HTTP
routes (400) and the MCP tools (a tool error) say the same thing, and never pydantic's English.

    >>> invalid_message([{"type": "less_than_equal", "loc": ("query", "k"), "ctx": {"le": 50}}])
    ('参数 k 无效：不能大于 50', 'k')
    >>> invalid_message([{"type": "int_parsing", "loc": ("k",)}])
    ('参数 k 无效：应为整数', 'k')
"""

from __future__ import annotations

_BOUNDS = {"greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}",
           "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}"}
_WHY = {"too_short": "不能为空", "too_long": "过长", "int": "应为整数", "float": "应为数字",
        "bool": "应为 true 或 false", "string": "应为字符串", "list": "应为列表", "dict": "应为对象",
        "model": "应为对象"}
WHERE_SKIPPED = ("body", "query", "path")  # FastAPI's prefixes of a location


def invalid_message(errors: list[dict]) -> tuple[str, str | None]:
    """(message, parameter) for the first of pydantic's `errors()`."""
    first = (errors or [{}])[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in WHERE_SKIPPED)
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return "请求体不是有效的 JSON", None
    if kind == "missing":
        return f"缺少参数 {where}", where or None
    if kind in _BOUNDS:
        try:
            why = _BOUNDS[kind].format(**(first.get("ctx") or {}))
        except KeyError:
            why = "超出范围"
    else:
        why = next((text for part, text in _WHY.items() if part in kind), "取值不符合要求")
    return (f"参数 {where} 无效：{why}" if where else f"请求体无效：{why}"), where or None
