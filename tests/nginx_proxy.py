"""nginx (Debian's package) in front of replicas, as a test or a benchmark runs it: a generated config
on free loopback ports, its logs and temp files in a folder of its own, `nginx -s stop` by its own
config at the end. The config is the one the README shows, with the ports filled in.

    with Nginx(folder, api=["127.0.0.1:8001", "127.0.0.1:8002"], web=["127.0.0.1:7861"]) as proxy:
        proxy.api_url, proxy.web_url

Skipped when nginx is not installed, failed instead under PLAN_ASSISTANT_REQUIRE_NGINX=1 (as in CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

REQUIRE = "PLAN_ASSISTANT_REQUIRE_NGINX"

# upstreams: the HTTP service's replicas (any of them may answer any request: they keep no state), and
# the web app's (a browser stays on one: its login session and Gradio's queue live in that process)
CONFIG = """\
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;

    upstream plan_assistant_api {{
{api}
        keepalive 32;
    }}
    upstream plan_assistant_web {{
        ip_hash;
{web}
    }}
    server {{
        listen 127.0.0.1:{api_port};
        location / {{
            proxy_pass http://plan_assistant_api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 120s;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
        }}
    }}
    server {{
        listen 127.0.0.1:{web_port};
        location / {{
            proxy_pass http://plan_assistant_web;
            proxy_http_version 1.1;
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def servers(addresses: list[str]) -> str:
    # one failure takes a replica out for 30 s: a killed one is not tried again for every request
    return "\n".join(f"        server {a} max_fails=1 fail_timeout=30s;" for a in addresses)


class Nginx:
    def __init__(self, root: Path, api: list[str], web: list[str]):
        self.binary = nginx_binary()
        if self.binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install -y nginx)")
        self.root = root
        self.api_port, self.web_port = free_port(), free_port()
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.web_url = f"http://127.0.0.1:{self.web_port}/"
        self.conf = root / "nginx.conf"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
            os.chmod(root / "tmp" / sub, 0o777)  # nginx's workers run as nobody under root
        self.conf.write_text(CONFIG.format(root=root, api=servers(api), web=servers(web) if web else
                                           "        server 127.0.0.1:9 down;", api_port=self.api_port,
                                           web_port=self.web_port))
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen([self.binary, "-e", str(self.root / "error.log"), "-c", str(self.conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped:\n{self.errors()}")
            try:
                with socket.create_connection(("127.0.0.1", self.api_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not listen:\n{self.errors()}")

    def errors(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __exit__(self, *exc) -> None:
        subprocess.run([self.binary, "-e", str(self.root / "error.log"), "-c", str(self.conf), "-s", "stop"],
                       capture_output=True, timeout=30)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
