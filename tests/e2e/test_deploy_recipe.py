"""The production recipe in deploy/ (issue 21, item 6), as far as it runs here: the nginx
site that setup-local.sh renders is valid for Debian's nginx and, run for real, sends
the webhook path and the console round-robin to the bot processes, goes on to the next
process when one is gone, keeps /metrics and /readyz to the machine itself and refuses
everything else; the systemd units pass systemd-analyze; every step of the script is in
the README's production section and the other way round. (The whole script on a fresh
machine is the two-process e2e test's set-up: tests/e2e/two_process_world.py.)"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "setup-local.sh"


def _needs(program: str) -> None:
    if shutil.which(program) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed: .ci/run installs it")
        pytest.skip(f"{program} is not installed (outside CI only)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Bot(BaseHTTPRequestHandler):
    """A bot process stand-in: answers with its port."""

    def _answer(self) -> None:
        body = str(self.connection.getsockname()[1]).encode()  # the port it listens on
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        return None


def _steps_in_readme() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\d+\. \*\*`(\w+)`\*\*", section, re.MULTILINE)


def test_every_step_of_the_script_is_in_the_readme_in_order() -> None:
    listed = subprocess.run(
        ["bash", str(SCRIPT), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed and listed == _steps_in_readme()


def test_the_systemd_units_pass_systemd_analyze(tmp_path: Path) -> None:
    _needs("systemd-analyze")
    python = tmp_path / "python"  # the units' interpreter, here a stand-in
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    for unit in (ROOT / "deploy" / "systemd").iterdir():
        text = unit.read_text().replace("/opt/lotse/venv/bin/python", str(python))
        (tmp_path / unit.name).write_text(text)
    (tmp_path / "lotse-bot@8091.service").symlink_to(tmp_path / "lotse-bot@.service")
    result = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            *(str(tmp_path / n) for n in ("lotse-bot@8091.service", "lotse-worker.service")),
        ],
        capture_output=True,
        text=True,
    )
    problems = [
        line
        for line in result.stderr.splitlines()
        # No systemd running here, and no user `lotse` / folders on this machine.
        if line.strip()
        and not re.search(r"System has not been booted|Failed to connect|lotse|/var/lib", line)
    ]
    assert problems == []


@pytest.fixture
def nginx_site(tmp_path: Path) -> Iterator[tuple[int, list[int], list[ThreadingHTTPServer]]]:
    _needs("nginx")
    _needs("openssl")
    (tmp_path / "tls").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=lotse.test", "-keyout", str(tmp_path / "tls" / "privkey.pem")]
        + ["-out", str(tmp_path / "tls" / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    bots = [ThreadingHTTPServer(("127.0.0.1", 0), _Bot) for _ in range(2)]
    for bot in bots:
        Thread(target=bot.serve_forever, daemon=True).start()
    ports = [bot.server_address[1] for bot in bots]
    https, http = _free_port(), _free_port()
    env = {
        **os.environ,
        "LOTSE_ETC": str(tmp_path),
        "LOTSE_BOT_PORTS": " ".join(map(str, ports)),
        "LOTSE_HTTPS_PORT": str(https),
        "LOTSE_HTTP_PORT": str(http),
        "LOTSE_SERVER_NAME": "lotse.test",
    }
    site = subprocess.run(
        ["bash", str(SCRIPT), "--render-nginx"], env=env, capture_output=True, text=True, check=True
    ).stdout
    site = site.replace("/var/log/nginx/lotse.access.log", str(tmp_path / "access.log"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n"
    )
    nginx = ["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    server = subprocess.Popen([*nginx, "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield https, ports, bots
    finally:
        server.terminate()
        server.wait(timeout=10)
        for bot in bots:
            bot.shutdown()


def _request(port: int, path: str, *, method: str = "GET") -> tuple[int, str]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}{path}", method=method, data=b"{}" if method == "POST" else None
    )
    request.add_header("Host", "lotse.test")
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, ""


def test_nginx_spreads_the_webhook_and_console_over_the_bots(
    nginx_site: tuple[int, list[int], list[ThreadingHTTPServer]],
) -> None:
    https, ports, bots = nginx_site
    answered = [_request(https, "/telegram/webhook", method="POST") for _ in range(4)]
    assert {status for status, _ in answered} == {200}
    assert {int(body) for _, body in answered} == set(ports)  # round-robin over both
    assert _request(https, "/console/login")[0] == 200
    assert _request(https, "/telegram/webhook")[0] == 403  # Telegram only POSTs
    assert _request(https, "/metrics")[0] == 200  # from this machine
    assert _request(https, "/etc/passwd")[0] == 404
    # One bot process gone (killed): every request still reaches the other.
    bots[0].shutdown()
    bots[0].server_close()
    answered = [_request(https, "/telegram/webhook", method="POST") for _ in range(4)]
    assert answered == [(200, str(ports[1]))] * 4


def test_metrics_and_readiness_stay_inside() -> None:
    site = (ROOT / "deploy" / "nginx" / "lotse.conf").read_text()
    for path in ("/metrics", "/readyz"):
        block = site.split(f"location = {path} {{", 1)[1].split("}", 1)[0]
        assert "allow 127.0.0.1;" in block and "deny all;" in block
