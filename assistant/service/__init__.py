"""The assistant as a service: the same core as the web app and the CLI, behind the protocols other
tools already speak.

    http.py            the FastAPI app: OpenAI chat API (/v1/chat/completions, /v1/models), /healthz,
                       and JSON routes for what the CLI does (/api/retrieve, /api/show/{ref}, …)
    openai_format.py   OpenAI request and response shapes: messages -> (question, history),
                       Answer -> completion / stream chunks, the error body
    guard.py           bearer tokens, body size limit, one access-log line per request
    core.py            the worker's Assistant, loaded once in the background (503 until it is ready)
    worker.py          the app every worker serves (threads pinned before numpy loads)
    run.py             `plan-assistant serve`: checks, the port, the index built and loaded once
    supervise.py       N forked uvicorn workers: replaced at once when one dies, gone with the supervisor
    mcp_server.py      `plan-assistant mcp`: MCP tools over stdio (optional extra `mcp`)

Every route and tool is thin: parse input, call the core, format the result.
"""
