"""The HTTP service through the clients other programs use: the `openai` Python client and
LangChain's ChatOpenAI, against `plan-assistant serve` started here on a free loopback port, on the
real plan and the index the session built. The only fake is the outside LLM endpoint."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
from fake_openai import FakeOpenAI
from filelock import FileLock
from service_process import Service

from assistant.cli import main
from assistant.retrieval.store import index_dir_for

TOKEN = "tok-bangongting-0001"
GRAIN = "粮食产量目标是多少？"


def ask(question: str) -> list[dict]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def index_dir(assistant):
    return assistant.config.index_path  # built once for the session by the `assistant` fixture


@pytest.fixture(scope="module")
def service(index_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("service")
    tokens = tmp / "tokens.txt"
    tokens.write_text(f"# who may call\ntests:{TOKEN}\n", encoding="utf-8")
    with Service(tmp, index_dir, "--tokens-file", str(tokens)) as svc:
        svc.wait_ready()
        yield svc


@pytest.fixture
def client(service):
    return openai.OpenAI(base_url=service.url + "/v1", api_key=TOKEN, max_retries=0)


def test_answer_carries_the_figure_its_ref_and_the_citations(client):
    reply = client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN))
    text = reply.choices[0].message.content
    assert "粮食产量超过840亿斤" in text and "[主要预期目标]" in text
    assert reply.choices[0].finish_reason == "stop"
    citations = reply.model_extra["citations"]
    assert [c["ref"] for c in citations] == ["主要预期目标"]
    assert "粮食产量超过840亿斤" in citations[0]["text"] and citations[0]["title"] == "主要预期目标"
    assert reply.model_extra["plan_assistant"]["mode"] == "extractive"


def test_streamed_answer_carries_the_figure_and_the_last_chunk_the_citations(client):
    chunks = list(client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN), stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "粮食产量超过840亿斤" in text and "[主要预期目标]" in text
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert [c["ref"] for c in chunks[-1].model_extra["citations"]] == ["主要预期目标"]
    assert all("citations" not in (c.model_extra or {}) for c in chunks[:-1])


def test_stream_ends_with_done(service):
    body = {"model": "plan-assistant", "messages": ask(GRAIN), "stream": True}
    with httpx.stream("POST", service.url + "/v1/chat/completions", json=body, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "data: [DONE]"
    assert json.loads(events[-2][6:])["citations"][0]["ref"] == "主要预期目标"


def test_history_in_messages_drives_a_follow_up(client, assistant):
    first = client.chat.completions.create(model="plan-assistant", messages=ask("电力装机目标是多少？"))
    history = ask("电力装机目标是多少？") + [{"role": "assistant", "content": first.choices[0].message.content}]
    follow = client.chat.completions.create(model="plan-assistant", messages=history + ask("那新能源呢？"))
    assert follow.model_extra["plan_assistant"]["standalone_question"] == "新能源目标是多少？"
    text = follow.choices[0].message.content
    assert "新增新能源并网装机3000万千瓦" in text and "[专栏2·新能源开发利用]" in text
    assert text == assistant.ask("那新能源呢？", history).text
    alone = client.chat.completions.create(model="plan-assistant", messages=ask("那新能源呢？"))
    assert alone.model_extra["plan_assistant"]["standalone_question"] is None


def test_system_messages_and_content_parts_are_read_like_the_web_app(client):
    messages = [{"role": "system", "content": "你是一个助手"},
                {"role": "user", "content": [{"type": "text", "text": GRAIN}]}]
    reply = client.chat.completions.create(model="plan-assistant-extractive", messages=messages)
    assert "840亿斤" in reply.choices[0].message.content


def test_models_are_listed(client):
    assert [m.id for m in client.models.list()] == ["plan-assistant", "plan-assistant-extractive"]


@pytest.mark.parametrize("kwargs, error, words", [
    ({"model": "gpt-4o", "messages": ask(GRAIN)}, openai.NotFoundError, "没有模型“gpt-4o”"),
    ({"model": "plan-assistant", "messages": []}, openai.BadRequestError, "messages"),
    ({"model": "plan-assistant", "messages": [{"role": "assistant", "content": "你好"}]}, openai.BadRequestError,
     "最后一条消息应为用户的问题"),
    ({"model": "plan-assistant", "messages": ask("   ")}, openai.BadRequestError, "问题为空"),
    ({"model": "plan-assistant", "messages": ask(GRAIN), "stream": "often"}, openai.BadRequestError, "stream"),
])
def test_bad_requests_raise_the_clients_own_errors(client, kwargs, error, words):
    with pytest.raises(error) as caught:
        client.chat.completions.create(**kwargs)
    body = caught.value.body
    assert words in body["message"] and body["type"] in ("invalid_request_error", "not_found_error")
    assert "Traceback" not in caught.value.response.text


def test_an_oversized_body_gets_413(client):
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(model="plan-assistant", messages=ask("粮" * 1_100_000))
    assert caught.value.status_code == 413 and caught.value.body["code"] == "request_too_large"


def test_a_wrong_or_missing_token_gets_401(service):
    wrong = openai.OpenAI(base_url=service.url + "/v1", api_key="tok-guess", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        wrong.chat.completions.create(model="plan-assistant", messages=ask(GRAIN))
    assert "访问令牌" in caught.value.body["message"]
    missing = httpx.get(service.url + "/v1/models")
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"
    assert TOKEN not in service.log()  # the log names the caller, never shows the token
    assert " tests POST /v1/chat/completions 200 " in service.log()


def test_health_needs_no_token_and_names_index_and_plan(service, assistant):
    health = service.health().json()
    assert health["status"] == "ok" and health["index_loaded"] is True
    assert health["embedder"] == "e5-bundled" and health["plan_sha256"] == assistant.doc.sha256
    assert health["index_built_here"] is False  # the session's index, loaded, not rebuilt


@pytest.fixture
def api(service):
    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
        yield c


def test_json_routes_do_what_the_cli_does(api, assistant):
    hits = api.get("/api/retrieve", params={"question": "稀土产业有哪些举措", "k": 3}).json()["hits"]
    assert [h["ref"] for h in hits] == [h.ref for h in assistant.retrieve("稀土产业有哪些举措", k=3)]
    shown = api.get("/api/show/四（三）").json()
    assert shown["ref"] == "四(三)" and shown["text"] == assistant.doc.get("四(三)").full_text()
    owner = api.get("/api/owner", params={"question": "防沙治沙任务由哪个部门牵头？"}).json()
    assert owner["tasks"][0]["text"] == "防沙治沙1500万亩" and owner["tasks"][0]["lead"] == ["自治区林业和草原局"]
    targets = api.get("/api/targets", params={"chapter": "专栏2"}).json()["targets"]
    assert {"ref": "专栏2·能源供应保障", "indicator": "电力装机", "value": "3.3", "unit": "亿千瓦"}.items() <= targets[0].items()
    quiz = api.get("/api/quiz", params={"n": 3, "kind": "fill", "seed": 7}).json()["questions"]
    assert len(quiz) == 3 and {q["kind"] for q in quiz} == {"fill"}
    outline = api.get("/api/outline").json()["outline"]
    assert [n["ref"] for n in outline][:3] == ["文头", "总体要求", "主要预期目标"]


def test_with_an_empty_library_there_is_the_plan_only_and_ask_answers_as_the_chat(api, client):
    docs = api.get("/api/library").json()["documents"]
    assert [(d["id"], d["label"], d["primary"]) for d in docs] == [("plan", "2026内蒙古计划", True)]
    asked = api.post("/api/ask", json={"question": "粮食产量目标是多少？"}).json()
    chat = client.chat.completions.create(model="plan-assistant", messages=[{"role": "user", "content": "粮食产量目标是多少？"}])
    assert asked["answer"] == chat.choices[0].message.content and asked["refs"] == ["主要预期目标"]
    assert api.post("/api/ask", json={"question": "粮食产量目标是多少？", "docs": ["plan"]}).json() == asked
    r = api.get("/api/show/四（三）", params={"doc": "d1"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "文库中没有“d1”。现有：plan（2026内蒙古计划）"


@pytest.mark.parametrize("path, params, status, words", [
    ("/api/show/四（九）", {}, 404, "未找到引用“四（九）”"),
    ("/api/targets", {"chapter": "专栏9"}, 404, "相近的引用"),
    ("/api/retrieve", {"question": "稀土", "k": 99}, 400, "参数 k 无效"),
    ("/api/retrieve", {}, 400, "缺少参数 question"),
    ("/api/quiz", {"kind": "essay"}, 400, "未知题型"),
    ("/api/quiz", {"n": 0}, 400, "参数 n 无效"),
    ("/no/such/route", {}, 404, "没有这个接口"),
])
def test_json_route_errors_are_openai_shaped(api, path, params, status, words):
    r = api.get(path, params=params)
    assert r.status_code == status and words in r.json()["error"]["message"]


def test_langchain_chat_openai_uses_the_service_as_its_model(service):
    from langchain_core.messages import HumanMessage
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(base_url=service.url + "/v1", api_key=TOKEN, model="plan-assistant", max_retries=0)
    reply = model.invoke([HumanMessage(GRAIN)])
    assert "粮食产量超过840亿斤" in reply.content and "[主要预期目标]" in reply.content
    streamed = "".join(c.content for c in model.stream([HumanMessage(GRAIN)]))
    assert streamed == reply.content


def test_the_extractive_model_never_calls_the_configured_llm(index_dir, tmp_path):
    with FakeOpenAI() as llm, Service(tmp_path, index_dir, PLAN_ASSISTANT_LLM_BASE_URL=llm.url + "/v1",
                                      PLAN_ASSISTANT_LLM_MODEL="fake", PLAN_ASSISTANT_LLM_TIMEOUT="5") as svc:
        assert svc.wait_ready()["mode"] == "llm"
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="unused", max_retries=0)
        plain = client.chat.completions.create(model="plan-assistant-extractive", messages=ask(GRAIN))
        assert plain.model_extra["plan_assistant"]["mode"] == "extractive" and llm.requests == []
        llm.script("粮食产量超过840亿斤 [主要预期目标]。")
        chunks = list(client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN), stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == "粮食产量超过840亿斤 [主要预期目标]。"
        assert chunks[-1].model_extra["plan_assistant"]["mode"] == "llm" and len(llm.requests) == 1


def test_503_while_the_index_is_being_built(index_dir, tmp_path, assistant):
    """Another process holding the index lock is building it: the service answers 503 until done."""
    lock = FileLock(str(index_dir_for(index_dir, assistant.embedder.id)) + ".lock")
    with lock, Service(tmp_path, index_dir) as svc:
        health = svc.health()
        assert health.status_code == 503 and health.json()["status"] == "loading"
        client = openai.OpenAI(base_url=svc.url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN))
        assert caught.value.status_code == 503 and "索引正在加载或构建" in caught.value.body["message"]
        lock.release()
        svc.wait_ready()
        assert "840亿斤" in client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN)) \
            .choices[0].message.content


@pytest.mark.parametrize("argv, words", [
    (["serve", "--host", "0.0.0.0"], "拒绝在非本机地址 0.0.0.0 上无令牌地提供服务"),
    (["serve", "--tokens-file", "/nonexistent/tokens.txt"], "无法读取令牌文件"),
    (["serve", "--workers", "0"], "--workers 应在 1 到"),
])
def test_serve_refuses_unsafe_or_bad_options(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_each_chat_answer_is_one_row_of_the_log_under_the_tokens_name(client, index_dir):
    from assistant.config import Config
    from assistant.records import Records, log_rows

    question = "煤炭产量目标是多少？（记录测试）"
    client.chat.completions.create(model="plan-assistant", messages=ask(question))
    list(client.chat.completions.create(model="plan-assistant-extractive", messages=ask(question), stream=True))
    # the service's own log: beside its index folder, as the service was started with no log setting
    records = Records.open(Config.load(index_dir=str(index_dir), log_path=str(index_dir.resolve().parent / "records.sqlite3")))
    rows = [r for r in log_rows(records) if r["question"] == question]
    assert len(rows) == 2 and {(r["source"], r["user"]) for r in rows} == {("api", "tests")}
    assert all("12.5亿吨" in r["answer"] for r in rows)


def test_a_request_retried_with_its_key_is_one_row_of_the_log(client, index_dir):
    from assistant.config import Config
    from assistant.records import Records, log_rows

    question = "煤炭产量目标是多少？（重试测试）"
    for key in ("retry-1", "retry-1", "retry-2"):  # a client's retry of retry-1, then another request
        client.chat.completions.create(model="plan-assistant", messages=ask(question),
                                       extra_headers={"Idempotency-Key": key})
    list(client.chat.completions.create(model="plan-assistant", messages=ask(question), stream=True,
                                        extra_headers={"X-Request-Id": "retry-2"}))  # a proxy's id: the same key
    records = Records.open(Config.load(index_dir=str(index_dir), log_path=str(index_dir.resolve().parent / "records.sqlite3")))
    rows = [r for r in log_rows(records) if r["question"] == question]
    assert len(rows) == 2


def test_n_other_than_1_is_refused_in_the_openai_shape(client):
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN), n=2)
    assert "参数 n 只能为 1" in caught.value.body["message"] and caught.value.body["param"] == "n"
    reply = client.chat.completions.create(model="plan-assistant", messages=ask(GRAIN), n=1)
    assert len(reply.choices) == 1 and "840亿斤" in reply.choices[0].message.content


def test_usage_is_filled_with_the_documented_estimate(client):
    # "You are helpful": 13 characters that are not spaces -> 4 tokens; the question: 10 Chinese characters
    messages = [{"role": "system", "content": "You are helpful"}, *ask(GRAIN)]
    reply = client.chat.completions.create(model="plan-assistant", messages=messages)
    used = reply.usage
    assert used.prompt_tokens == 14 and used.completion_tokens > 10
    assert used.total_tokens == used.prompt_tokens + used.completion_tokens
    chunks = list(client.chat.completions.create(model="plan-assistant", messages=messages, stream=True))
    assert chunks[-1].usage == used  # the same answer, the same estimate, on the closing chunk


def test_a_question_over_2000_characters_is_cut_and_the_notice_and_the_log_say_so(client, index_dir):
    from assistant.config import Config
    from assistant.records import Records, log_rows

    question = GRAIN + "请" * 2000  # 2,010 characters
    reply = client.chat.completions.create(model="plan-assistant", messages=ask(question))
    notice = reply.model_extra["plan_assistant"]["notice"]
    assert "问题共 2010 字" in notice and "只按前 2000 字回答" in notice
    assert "840亿斤" in reply.choices[0].message.content
    records = Records.open(Config.load(index_dir=str(index_dir), log_path=str(index_dir.resolve().parent / "records.sqlite3")))
    [row] = [r for r in log_rows(records) if r["question"].startswith(GRAIN + "请")]
    assert len(row["question"]) == 2000 and row["question_chars"] == 2010
