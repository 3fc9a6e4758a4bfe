"""The library through the HTTP service: `plan-assistant serve` on a data folder whose library holds a
2027 plan beside the bundled 2026 one (conftest.library_data), asked with the `openai` client (the
`docs` field) and httpx (the `doc` parameter of the JSON routes, GET /api/library)."""

from __future__ import annotations

import httpx
import openai
import pytest
from service_process import Service

LABEL = "2027内蒙古计划"
GRAIN = [{"role": "user", "content": "粮食产量目标是多少？"}]


@pytest.fixture(scope="module")
def service(assistant, library_data, tmp_path_factory):
    with Service(tmp_path_factory.mktemp("service-library"), assistant.config.index_path,
                 PLAN_ASSISTANT_DATA_DIR=str(library_data)) as svc:
        svc.wait_ready()
        yield svc


@pytest.fixture
def client(service):
    return openai.OpenAI(base_url=service.url + "/v1", api_key="unused", max_retries=0)


@pytest.fixture
def api(service):
    with httpx.Client(base_url=service.url, timeout=120) as c:
        yield c


def test_the_library_is_listed(api):
    docs = api.get("/api/library").json()["documents"]
    assert [(d["id"], d["label"], d["year"], d["kind"], d["primary"]) for d in docs] == [
        ("plan", "2026内蒙古计划", 2026, "plan", True), ("d1", LABEL, 2027, "plan", False)]
    assert docs[1]["title"] == "2027年内蒙古自治区国民经济和社会发展计划" and docs[1]["added"]


@pytest.mark.parametrize("docs", [["d1"], [LABEL]])
def test_docs_answers_over_the_documents_named(client, docs):
    reply = client.chat.completions.create(model="plan-assistant", messages=GRAIN, extra_body={"docs": docs})
    assert "超过850亿斤" in reply.choices[0].message.content
    assert [c["ref"] for c in reply.model_extra["citations"]] == [f"{LABEL}·主要预期目标"]


def test_without_docs_the_question_chooses_and_both_documents_are_cited(client):
    plain = client.chat.completions.create(model="plan-assistant", messages=GRAIN)
    assert [c["ref"] for c in plain.model_extra["citations"]] == ["主要预期目标"]
    both = client.chat.completions.create(model="plan-assistant", messages=[
        {"role": "user", "content": "2026年的地区生产总值增长目标是多少，2027年计划呢？"}])
    text = both.choices[0].message.content
    assert f"5.5%左右 [{LABEL}·主要预期目标]" in text and "5%左右 [主要预期目标]" in text


def test_a_streamed_answer_over_docs_carries_qualified_citations(client):
    chunks = list(client.chat.completions.create(model="plan-assistant", messages=GRAIN, stream=True,
                                                 extra_body={"docs": ["plan", "d1"]}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "超过850亿斤" in text and "超过840亿斤" in text
    assert {c["ref"] for c in chunks[-1].model_extra["citations"]} == {"主要预期目标", f"{LABEL}·主要预期目标"}


def test_unknown_or_malformed_docs_are_a_400_in_the_openai_shape(client):
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="plan-assistant", messages=GRAIN, extra_body={"docs": ["d9"]})
    error = e.value.body
    assert error["code"] == "unknown_document" and error["param"] == "docs"
    assert error["message"].startswith("文库中没有“d9”") and "d1（2027内蒙古计划）" in error["message"]
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="plan-assistant", messages=GRAIN, extra_body={"docs": "d1"})
    assert e.value.body["message"] == "参数 docs 无效：应为列表"


def test_retrieve_within_documents(api):
    hits = api.get("/api/retrieve", params={"question": "稀土产业有哪些举措", "k": 3, "doc": "d1"}).json()["hits"]
    assert hits[0]["ref"] == f"{LABEL}·四(三)" and all(h["ref"].startswith(LABEL + "·") for h in hits)
    both = api.get("/api/retrieve", params=[("question", "粮食产量目标"), ("k", 10), ("doc", "plan"), ("doc", "d1")])
    refs = [h["ref"] for h in both.json()["hits"]]
    assert "主要预期目标" in refs and f"{LABEL}·主要预期目标" in refs


def test_show_resolves_qualified_refs_and_refs_by_document(api, assistant):
    shown = api.get(f"/api/show/{LABEL}·四（三）").json()
    assert shown["ref"] == f"{LABEL}·四(三)" and shown["title"] == "加强矿产资源开发利用"
    assert shown["text"] == assistant.doc.get("四(三)").full_text()  # the 2027 plan kept this section as it was
    assert api.get("/api/show/四(三)", params={"doc": "d1"}).json() == shown
    assert api.get("/api/show/四(三)", params={"doc": LABEL}).json() == shown
    assert "超过850亿斤" in api.get(f"/api/show/{LABEL}·主要预期目标").json()["text"]
    assert api.get("/api/show/四(三)").json()["ref"] == "四(三)"


def test_targets_and_outline_of_a_document(api):
    targets = api.get("/api/targets", params={"doc": "d1"}).json()["targets"]
    gdp = next(t for t in targets if t["indicator"] == "地区生产总值增长")
    assert gdp["value"] == "5.5" and gdp["ref"] == f"{LABEL}·主要预期目标"
    four = api.get("/api/targets", params={"doc": "d1", "chapter": "专栏二"}).json()["targets"]
    assert four and all(t["ref"].startswith(f"{LABEL}·专栏2") for t in four)
    outline = api.get("/api/outline", params={"doc": "d1"}).json()
    assert outline["title"] == "2027年内蒙古自治区国民经济和社会发展计划"
    assert [n["ref"] for n in outline["outline"]] == [f"{LABEL}·{r}" for r in ("文头", "总体要求", "主要预期目标",
                                                                              "一", "二", "三", "四")]


@pytest.mark.parametrize("path, params", [
    ("/api/show/四(三)", {"doc": "d9"}),
    ("/api/targets", {"doc": "d9"}),
    ("/api/outline", {"doc": "d9"}),
    ("/api/retrieve", {"question": "稀土", "doc": "d9"}),
])
def test_an_unknown_document_is_a_400_that_names_those_the_library_has(api, path, params):
    r = api.get(path, params=params)
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", "unknown_document", "doc")
    assert "\n" not in error["message"] and error["message"].startswith("文库中没有“d9”")
    assert "d1（2027内蒙古计划）" in error["message"]


@pytest.mark.parametrize("path, params, param", [
    (f"/api/show/{LABEL}·五(一)", {}, "ref"),
    ("/api/show/五(一)", {"doc": "d1"}, "ref"),
    ("/api/targets", {"doc": "d1", "chapter": "五"}, "chapter"),
])
def test_an_unknown_ref_of_a_document_is_a_404_in_the_openai_shape(api, path, params, param):
    r = api.get(path, params=params)
    assert r.status_code == 404
    error = r.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("not_found_error", "unknown_ref", param)
    assert "\n" not in error["message"] and error["message"].startswith("未找到引用")


def test_ask_answers_over_the_documents_named(api):
    chosen = api.post("/api/ask", json={"question": "粮食产量目标是多少？", "docs": [LABEL]}).json()
    assert "超过850亿斤" in chosen["answer"] and chosen["refs"] == [f"{LABEL}·主要预期目标"]
    assert chosen["refused"] is False and chosen["citations"][0]["ref"] == f"{LABEL}·主要预期目标"
    plain = api.post("/api/ask", json={"question": "粮食产量目标是多少？"}).json()
    assert "超过840亿斤" in plain["answer"] and plain["refs"] == ["主要预期目标"]


def test_ask_takes_the_history_for_a_follow_up(api):
    history = [{"role": "user", "content": "电力装机目标是多少？"},
               {"role": "assistant", "content": "电力装机达到3.3亿千瓦 [专栏2·能源供应保障]。"}]
    a = api.post("/api/ask", json={"question": "那新能源呢？", "history": history, "docs": ["d1"]}).json()
    assert a["refs"] and all(r.startswith(f"{LABEL}·") for r in a["refs"]) and "新能源" in a["answer"]


@pytest.mark.parametrize("body, message, param", [
    ({"question": "粮食产量目标是多少？", "docs": ["d9"]}, "文库中没有“d9”", "docs"),
    ({"question": "粮食产量目标是多少？", "docs": "d1"}, "参数 docs 无效：应为列表", "docs"),
    ({"question": "  "}, "问题为空：请给出要查询的问题", "question"),
    ({}, "缺少参数 question", "question"),
])
def test_ask_says_what_is_wrong_in_one_line(api, body, message, param):
    r = api.post("/api/ask", json=body)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["message"].startswith(message) and error["param"] == param and "\n" not in error["message"]
