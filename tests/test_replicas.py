"""Replicas behind nginx: two `plan-assistant serve` and two web app processes on their own ports,
sharing one PostgreSQL database (the session's throwaway cluster) and one index folder built before
(which none of them changes), behind nginx with the README's config. What one replica writes the
other reads: a saved conversation, a login's failures; and a replica SIGKILLed under load costs no
answer and no log row, none twice."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import uuid
from types import SimpleNamespace

import httpx
import openai
import pytest
from browser_app import Server, add_user, ask, log_in
from concurrent_clients import run_clients
from nginx_proxy import REQUIRE, Nginx, nginx_binary
from service_process import Service
from sqlalchemy import text

from assistant.logins import FREE_FAILURES
from assistant.records import Records, log_rows
from assistant.records.engine import engine_for

PASSWORD = "correct-horse-battery"
TOKEN = "replica-test-token-0123"
GRAIN = "粮食产量目标是多少？"
QUESTIONS = ["粮食产量目标是多少？", "稀土产业有哪些举措？", "煤炭产量目标是多少？", "新能源装机目标是多少？",
             "地区生产总值增长目标是多少？", "城镇新增就业目标是多少？", "居民消费价格涨幅控制在多少？",
             "明天呼和浩特天气怎么样？", "如何推进黄河流域生态保护？", "农牧民收入增长目标是多少？"]
CLIENTS, PER_CLIENT = 20, 20


def snapshot(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def replicas(assistant, pg_cluster, tmp_path_factory):
    if nginx_binary() is None:
        reason = "nginx is not installed (apt-get install -y nginx)"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{reason} and {REQUIRE}=1")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("replicas")
    url = pg_cluster.new_database()
    index_dir = assistant.config.index_path  # built once for the session
    before = snapshot(index_dir)
    tokens = folder / "tokens.txt"
    tokens.write_text(f"tests:{TOKEN}\n")
    users = folder / "users.txt"
    for name in ("alice", "bob"):
        add_user(users, name, PASSWORD)
    shared = {"PLAN_ASSISTANT_RECORDS_URL": url, "PLAN_ASSISTANT_INDEX_DIR": str(index_dir)}
    services = [Service(folder, index_dir, "--tokens-file", str(tokens), **shared) for _ in range(2)]
    webs = []
    try:
        for service in services:
            service.__enter__()
        for service in services:
            service.wait_ready()
        for n in range(2):
            webs.append(Server(folder / f"web{n}.log", env=shared | {"PLAN_ASSISTANT_AUTH_FILE": str(users)}))
        with Nginx(folder, api=[s.url.removeprefix("http://") for s in services],
                   web=[f"127.0.0.1:{w.port}" for w in webs]) as proxy:
            yield SimpleNamespace(url=url, services=services, webs=webs, proxy=proxy)
    finally:
        for web in webs:
            web.stop()
        for service in services:
            if service.process is not None:
                service.__exit__(None, None, None)
        engine_for(Records(url).url).dispose()
    assert snapshot(index_dir) == before  # read only: no replica rebuilt or touched the index


def test_a_conversation_saved_on_one_web_replica_reopens_on_the_other(replicas, browser):
    one, other = replicas.webs
    context, page = log_in(browser, one, "bob", PASSWORD)
    ask(page, GRAIN, 0)
    page.locator("#conversation-list label", has_text=GRAIN).wait_for(timeout=30_000)  # saved after the answer
    context.close()

    context, page = log_in(browser, other, "bob", PASSWORD)  # say the first replica went away
    page.locator("#conversation-list label", has_text=GRAIN).click()
    page.locator("#chatbot").get_by_text("840亿斤").first.wait_for(timeout=30_000)
    context.close()
    [row] = log_rows(Records(replicas.url), user="bob")
    assert (row["question"], row["source"]) == (GRAIN, "web")


def login(url: str, password: str, client: httpx.Client | None = None) -> httpx.Response:
    post = client.post if client else httpx.post
    return post(url + "login", data={"username": "alice", "password": password}, timeout=30)


def test_a_login_throttled_on_one_web_replica_is_throttled_on_the_other(replicas):
    one, other = replicas.webs
    for n in range(FREE_FAILURES + 3):  # 6 failures, heard in turn by each replica: an 8 s wait
        replica = (one, other)[n % 2]
        reply = login(replica.url, "wrong password")
        while reply.status_code == 429:  # the wait the failures so far set, on either replica
            time.sleep(int(reply.headers["retry-after"]))
            reply = login(replica.url, "wrong password")
        assert reply.status_code == 400
    refused = login(other.url, PASSWORD)  # the right password, refused unheard
    assert refused.status_code == 429 and "登录尝试过多" in refused.json()["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 8
    # through nginx from another address of this machine: that address's own count, so nginx passes
    # the browser's address (X-Forwarded-For) and the replicas count per browser, not per proxy
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as elsewhere:
        assert login(replicas.proxy.web_url, PASSWORD, elsewhere).status_code == 200
    assert login(replicas.proxy.web_url, PASSWORD).status_code == 429
    failures = Records(replicas.url)
    with engine_for(failures.url).connect() as conn:
        rows = conn.execute(text('SELECT "user", address, failures FROM login_failures')).all()
    assert [tuple(r) for r in rows] == [("alice", "127.0.0.1", FREE_FAILURES + 3)]


def test_a_replica_killed_under_load_costs_no_answer_and_no_log_row(replicas):
    client = openai.OpenAI(base_url=replicas.proxy.api_url + "/v1", api_key=TOKEN, max_retries=0, timeout=120)
    first, second = replicas.services
    first_workers = first.workers()
    done, lock, killed = [], threading.Lock(), threading.Event()
    answered = {}  # key -> (the worker pid that answered, whether the request was sent after the kill)
    retried, failed = [], []

    def one_request(question: str, key: str):
        """(the worker that answered, whether the request was sent after the kill, the reply)"""
        after = killed.is_set()
        reply = client.chat.completions.with_raw_response.create(
            model="plan-assistant", messages=[{"role": "user", "content": question}],
            extra_headers={"Idempotency-Key": key})
        return (int(reply.headers["x-plan-assistant-worker"]), after), reply.parse()

    def run(n: int):
        for i in range(PER_CLIENT):
            key = f"c{n}-q{i}-{uuid.uuid4().hex[:6]}"
            question = QUESTIONS[(n + i) % len(QUESTIONS)]
            try:
                worker, reply = one_request(question, key)
            except (openai.APIConnectionError, openai.APIStatusError):
                retried.append(key)
                try:  # the client's one retry, with the same key
                    worker, reply = one_request(question, key)
                except (openai.APIConnectionError, openai.APIStatusError) as e:
                    failed.append((key, repr(e)))
                    continue
            assert reply.choices[0].message.content
            with lock:
                answered[key] = worker
                done.append(key)
                if len(done) == CLIENTS * PER_CLIENT // 2 and not killed.is_set():
                    # the whole replica at once, as a machine that fails: its supervisor, then its
                    # workers (which would otherwise finish their requests under the SIGTERM they get)
                    for pid in (first.process.pid, *first_workers):
                        os.kill(pid, signal.SIGKILL)
                    killed.set()

    elapsed = run_clients(run, CLIENTS, 600)
    first.process.wait(30)
    cut = replicas.proxy.errors().count("upstream prematurely closed") + replicas.proxy.errors().count("(104:")
    print(f"\n{CLIENTS} clients x {PER_CLIENT} questions through nginx, one of 2 replicas killed halfway: "
          f"{len(answered)} answered in {elapsed:.1f} s, {cut} cut off by the kill and sent on by nginx, "
          f"{len(retried)} retried by the client, {len(failed)} failed")

    assert killed.is_set() and failed == [] and len(answered) == CLIENTS * PER_CLIENT
    before = {w for w, after in answered.values() if not after}
    assert before & first_workers and before - first_workers  # both replicas answered before the kill
    late = [w for w, after in answered.values() if after]
    assert late and not set(late) & first_workers  # none sent after it, as the killed one was gone
    with engine_for(Records(replicas.url).url).connect() as conn:
        logged = conn.execute(text("SELECT request_id, count(*) FROM answers WHERE source = 'api'"
                                   " GROUP BY request_id")).all()
    assert sorted(r[0] for r in logged) == sorted(f"tests:{k}" for k in answered)  # none lost
    assert {r[1] for r in logged} == {1}  # none twice, retried ones included
