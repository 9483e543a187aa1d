"""A real ``xlcrm serve`` (waitress + report worker process) on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from .conftest import EXPECTED_WORDS, Server, workbook, xlcrm


def request(
    server: Server,
    method: str,
    path: str,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(server.url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=300) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(
    server: Server, token: str, data: bytes, name: str = "客户.xlsx", path: str = "/api/v1/submissions", **fields: str
) -> tuple[int, Any]:
    body, content_type = multipart(fields, name, data)
    status, _, payload = request(server, "POST", path, token, body, content_type)
    return status, json.loads(payload)


def test_twenty_simultaneous_uploads_are_all_stored_and_answered(server_factory):
    server = server_factory()
    staff = [server.user(f"staff{i}", "staff", f"员工{i}") for i in range(4)]
    boss = server.user("boss", "manager", "主管")
    server.start()
    books = [workbook(seed=10 + i, n=3) for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda i: upload(server, staff[i % 4], books[i], period="2026-11"), range(20)))
    assert [status for status, _ in answers] == [201] * 20
    status, _, payload = request(server, "GET", "/api/v1/submissions?period=2026-11", boss)
    listed = json.loads(payload)["submissions"]
    assert len(listed) == 20 and len({s["id"] for s in listed}) == 20
    for i in range(4):  # each person's versions are numbered 1..5 without gaps or duplicates
        assert sorted(s["version"] for s in listed if s["user"] == f"staff{i}") == [1, 2, 3, 4, 5]
    assert sorted(s["sha256"] for s in listed) == sorted(hashlib.sha256(b).hexdigest() for b in books)
    for book in books:
        digest = hashlib.sha256(book).hexdigest()
        assert (server.folder / "files" / digest[:2] / digest).read_bytes() == book
    assert server.alive()


def test_bad_uploads_get_chinese_4xx_and_the_server_keeps_serving(server_factory, bad_files, good_book):
    server = server_factory()
    token = server.user("zhang", "staff", "张三")
    server.start()
    for case, (name, data) in bad_files.items():
        status, body = upload(server, token, data, name=name, path="/api/v1/validate")
        assert status == 422 and EXPECTED_WORDS[case] in body["error"]["message"], case
    status, body = upload(server, token, bytes(25 * 1024 * 1024), name="大.xlsx")
    assert status == 413 and "20 MB" in body["error"]["message"]
    status, body = upload(server, token, good_book)
    assert status == 201 and body["submitted"] is True
    assert server.alive()


def test_reports_run_in_the_worker_process_and_zip(server_factory):
    server = server_factory()
    staff = server.user("zhang", "staff", "张三")
    boss = server.user("boss", "manager", "主管")
    server.start()
    period = date.today().strftime("%Y-%m")
    assert upload(server, staff, workbook(seed=5, n=6), period=period)[0] == 201
    status, _, payload = request(
        server,
        "POST",
        "/api/v1/reports",
        boss,
        json.dumps({"kind": "monthly", "period": period, "by_manager": True, "formats": ["md", "docx"]}).encode(),
        "application/json",
    )
    assert status == 202
    job = json.loads(payload)["id"]
    for _ in range(300):  # bounded: at most about five minutes on a loaded machine
        state = json.loads(request(server, "GET", f"/api/v1/reports/{job}", boss)[2])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(1)
    assert state["status"] == "done", state
    assert state["done"] == state["total"] and state["total"] >= 2
    assert f"月度复盘_{period}.docx" in state["files"] and f"月度复盘_{period}.md" in state["files"]
    status, headers, data = request(server, "GET", f"/api/v1/reports/{job}/zip", boss)
    assert status == 200 and headers["Content-Type"] == "application/zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == sorted(state["files"])


def test_user_commands(server_factory):
    server = server_factory()
    server.user("zhang", "staff", "张三")
    listed = xlcrm("user", "list", *server.options, env=server.env)
    assert "zhang\t张三\t员工\t正常\t有" in listed.stdout
    again = xlcrm(
        "user",
        "add",
        "zhang",
        "--role",
        "staff",
        "--password-stdin",
        *server.options,
        env=server.env,
        stdin="another-pass-1\n",
    )
    assert again.returncode == 2 and "账户 zhang 已存在" in again.stderr
    short = xlcrm(
        "user", "add", "li", "--role", "staff", "--password-stdin", *server.options, env=server.env, stdin="123\n"
    )
    assert short.returncode == 2 and "密码不符合要求" in short.stderr
    assert xlcrm("user", "disable", "zhang", *server.options, env=server.env).returncode == 0
    assert "已停用" in xlcrm("user", "list", *server.options, env=server.env).stdout
    missing = xlcrm("user", "token", "nobody", *server.options, env=server.env)
    assert missing.returncode == 2 and "找不到账户 nobody" in missing.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = xlcrm("serve", "--port", str(taken.getsockname()[1]), *server.options, env=server.env)
    assert busy.returncode == 2 and "端口可能已被占用" in busy.stderr and "Traceback" not in busy.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_prints_accounts_and_has_two_submissions(server_factory):
    server = server_factory()
    server.start("--demo")
    text = "".join(server.output)
    assert "主管  manager" in text and "员工  staff1" in text and "已提交" in text
    password = text.split("manager  密码 ")[1].split()[0]
    boss = xlcrm("user", "token", "manager", *server.options, env=server.env).stdout.strip()
    listed = json.loads(request(server, "GET", "/api/v1/submissions", boss)[2])["submissions"]
    assert sorted(s["user"] for s in listed) == ["staff1", "staff2"] and all(s["submitted"] for s in listed)
    assert len(password) >= 8
