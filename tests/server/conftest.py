"""Inbox test setup: Django settings for pytest-django, workbooks, a PostgreSQL cluster and a real
``xlcrm serve`` process.

The pytest-django tests use SQLite; with ``XLCRM_TEST_DB=postgresql`` they use a throwaway
PostgreSQL cluster instead. The tests that start ``xlcrm serve`` run against both databases in
every run (the PostgreSQL ones are skipped, with the reason, only when no server binaries exist).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("django", reason='the inbox needs the server extra: pip install -e ".[server,test]"')
pytest.importorskip("pytest_django", reason="pytest-django is part of the test extra")

from . import pg  # noqa: E402

_DATA_DIR = tempfile.mkdtemp(prefix="xlcrm-inbox-test-")
os.environ["XLCRM_DATA_DIR"] = _DATA_DIR
os.environ["DJANGO_SETTINGS_MODULE"] = "xlcrm.server.settings"
os.environ.pop("XLCRM_DATABASE_URL", None)

_PG_BIN = pg.bindir()
_NO_PG = "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql package"
_SUITE_CLUSTER: pg.Cluster | None = None
if os.environ.get("XLCRM_TEST_DB") == "postgresql" and _PG_BIN is not None:
    _SUITE_CLUSTER = pg.Cluster(_PG_BIN).start()
    atexit.register(_SUITE_CLUSTER.stop)
    os.environ["XLCRM_DATABASE_URL"] = _SUITE_CLUSTER.url

import django  # noqa: E402

django.setup()


@pytest.fixture(autouse=True)
def _postgres_requested_but_missing() -> None:
    if os.environ.get("XLCRM_TEST_DB") == "postgresql" and _PG_BIN is None:
        pytest.skip(_NO_PG)


@pytest.fixture(autouse=True)
def _chinese_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    from xlcrm import i18n

    monkeypatch.delenv("XLCRM_LANG", raising=False)
    i18n.set_lang(None)


# ------------------------------------------------------------------ workbooks


def workbook(
    seed: int = 3,
    n: int = 8,
    broken: bool = False,
    as_of: date | None = None,
    edit: Callable[[dict[str, list[dict[str, Any]]]], None] | None = None,
) -> bytes:
    """A standard workbook with sample rows, valid as of today; ``broken`` puts text into the 4th
    follow-up's 跟进时间 (cell 跟进记录!D5, an error)."""
    from xlcrm.sample import generate_sample
    from xlcrm.writing.template import write_standard_workbook

    rows = generate_sample(n, seed=seed, as_of=as_of or date.today())
    if broken:
        rows["followups"][3]["at"] = '<script>alert("上周三")</script>'
    if edit:
        edit(rows)
    with tempfile.TemporaryDirectory() as folder:
        return write_standard_workbook(Path(folder) / "book.xlsx", rows).read_bytes()


@pytest.fixture(scope="session")
def good_book() -> bytes:
    return workbook()


@pytest.fixture(scope="session")
def broken_book() -> bytes:
    return workbook(broken=True)


@pytest.fixture(scope="session")
def bad_files(good_book: bytes) -> dict[str, tuple[str, bytes]]:
    """Unusable uploads: (file name, bytes) by case."""
    import io
    import zipfile

    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(good_book)).encrypt("密码123", encrypted)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(4):  # 64 MiB of zeros in about 64 KB
                member.write(bytes(16 * 1024**2))
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096)
    return {
        "xls": ("客户.xls", ole),
        "csv": ("客户.xlsx", "客户编号,客户名称\nHXKJ20240001,华信科技\n".encode()),
        "bomb": ("炸弹.xlsx", bomb.getvalue()),
        "encrypted": ("加密.xlsx", encrypted.getvalue()),
    }


EXPECTED_WORDS = {"xls": "97-2003", "csv": "CSV", "bomb": "", "encrypted": "密码"}


# ------------------------------------------------------------------ accounts (pytest-django)


@pytest.fixture
def make_user(db: Any) -> Callable[..., tuple[Any, str]]:
    """``make_user("zhang", "staff", "张三")`` → (user, API token)."""
    from xlcrm.server import accounts

    def make(name: str, role: str = "staff", display: str = "") -> tuple[Any, str]:
        user = accounts.add(name, role, display, "secret-pass-123")
        return user, accounts.token(name)

    return make


# ------------------------------------------------------------------ PostgreSQL and a real server


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (skipped only when the binaries are missing)."""
    if _SUITE_CLUSTER is not None:
        yield _SUITE_CLUSTER.url
        return
    if _PG_BIN is None:
        pytest.skip(_NO_PG)
    cluster = pg.Cluster(_PG_BIN).start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


def xlcrm(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m xlcrm`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "xlcrm", *args], capture_output=True, text=True, env=env, input=stdin, timeout=300
    )


class Server:
    """A running ``xlcrm serve`` (waitress + report worker) with a data folder and accounts."""

    def __init__(self, folder: Path, database_url: str | None) -> None:
        self.folder = folder
        self.port = pg.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("XLCRM_", "DJANGO_"))}
        self.options = ["--data-dir", str(folder)] + (["--database-url", database_url] if database_url else [])
        self.tokens: dict[str, str] = {}
        self.passwords: dict[str, str] = {}
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    def user(self, name: str, role: str, display: str) -> str:
        password = f"pw-{name}-12345"
        done = xlcrm(
            "user",
            "add",
            name,
            "--role",
            role,
            "--display",
            display,
            "--password-stdin",
            *self.options,
            env=self.env,
            stdin=password + "\n",
        )
        assert done.returncode == 0, done.stderr
        token = xlcrm("user", "token", name, *self.options, env=self.env)
        assert token.returncode == 0, token.stderr
        self.tokens[name] = token.stdout.strip()
        self.passwords[name] = password
        return self.tokens[name]

    def start(self, *extra: str) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xlcrm", "serve", "--port", str(self.port), *self.options, *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if "提交收件箱已启动" in line:
                return self
        raise AssertionError("server did not start:\n" + "".join(self.output))

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/login/", timeout=30) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(params=["postgresql" if os.environ.get("XLCRM_TEST_DB") == "postgresql" else "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """The real server's database: SQLite, or PostgreSQL with ``XLCRM_TEST_DB=postgresql`` (CI runs
    every inbox test both ways: the README's test command on SQLite, then again on PostgreSQL)."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url")).rsplit("/", 1)[0] + f"/{_fresh_database(request)}"


def _fresh_database(request: pytest.FixtureRequest) -> str:
    """A new database in the session's cluster, so every server starts empty."""
    import psycopg

    url = str(request.getfixturevalue("pg_url"))
    name = f"inbox_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


@pytest.fixture
def server_factory(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def make(name: str = "inbox") -> Server:
        server = Server(tmp_path / name, database_url)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
