"""The service without tokens serves this machine's own clients only: a request whose Host is not a
loopback name (DNS rebinding) or whose Origin is another site (a web page posting text/plain, which
needs no CORS preflight) is refused in the OpenAI error shape and never answered or logged.
Real HTTP requests (httpx, the `openai` client) against `plan-assistant serve` on a free port."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
from service_process import Service

QUESTION = "粮食产量目标是多少？（跨站请求测试）"
BODY = json.dumps({"model": "plan-assistant", "messages": [{"role": "user", "content": QUESTION}]},
                  ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def index_dir(assistant):
    return assistant.config.index_path


@pytest.fixture(scope="module")
def service(index_dir, tmp_path_factory):
    with Service(tmp_path_factory.mktemp("open-service"), index_dir) as svc:
        svc.wait_ready()
        yield svc


def post(service, **headers) -> httpx.Response:
    """A chat request as a browser's fetch(…, {method: "POST", body}) sends it: text/plain."""
    return httpx.post(service.url + "/v1/chat/completions", content=BODY, timeout=60,
                      headers={"content-type": "text/plain;charset=UTF-8", **headers})


def logged(index_dir) -> list[dict]:
    from assistant.config import Config
    from assistant.records import Records, log_rows

    records = Records.open(Config.load(index_dir=str(index_dir),
                                       log_path=str(index_dir.resolve().parent / "records.sqlite3")))
    return [r for r in log_rows(records) if r["question"] == QUESTION]


@pytest.mark.parametrize("headers, words", [
    ({"host": "evil.example:8000", "origin": "http://evil.example:8000"}, "拒绝主机名“evil.example:8000”"),
    ({"host": "evil.example"}, "拒绝主机名“evil.example”"),
    ({"origin": "http://evil.example"}, "拒绝来自网页“http://evil.example”的跨站请求"),
    ({"origin": "null"}, "拒绝来自网页“null”"),
])
def test_a_foreign_host_or_origin_is_refused_in_the_openai_shape(service, index_dir, headers, words):
    r = post(service, **headers)
    assert r.status_code == 403
    error = r.json()["error"]
    assert words in error["message"] and error["type"] == "permission_error" and error["code"] == "cross_site_request"
    assert "粮食产量超过840亿斤" not in r.text and logged(index_dir) == []


def test_the_openai_client_gets_permission_denied_for_a_foreign_host(service):
    client = openai.OpenAI(base_url=service.url + "/v1", api_key="unused", max_retries=0,
                           default_headers={"Host": "rebound.example"})
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client.models.list()
    assert "拒绝主机名“rebound.example”" in caught.value.body["message"]


def test_local_clients_and_same_origin_pages_are_served(service, index_dir):
    port = service.url.rsplit(":", 1)[1]
    client = openai.OpenAI(base_url=service.url + "/v1", api_key="unused", max_retries=0)
    reply = client.chat.completions.create(model="plan-assistant", messages=[{"role": "user", "content": QUESTION}])
    assert "粮食产量超过840亿斤" in reply.choices[0].message.content  # no Origin: an API client
    for headers in ({"origin": service.url}, {"host": f"localhost:{port}", "origin": "http://localhost:7860"},
                    {"host": f"[::1]:{port}"}, {"host": "127.0.0.1"}):
        r = post(service, **headers)
        assert r.status_code == 200 and "粮食产量超过840亿斤" in r.json()["choices"][0]["message"]["content"], headers
    assert len(logged(index_dir)) == 5


def test_with_tokens_the_host_is_the_proxys_business(index_dir, tmp_path):
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("proxy:tok-proxy-0001\n", encoding="utf-8")
    with Service(tmp_path, index_dir, "--tokens-file", str(tokens)) as svc:
        svc.wait_ready()
        r = httpx.get(svc.url + "/v1/models", headers={"host": "assistant.intranet.example",
                                                       "authorization": "Bearer tok-proxy-0001"})
        assert r.status_code == 200 and r.json()["data"][0]["id"] == "plan-assistant"
