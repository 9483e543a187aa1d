"""``xlcrm serve`` and ``xlcrm user …`` (SPEC §9): options → settings → Django, waitress, worker."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from ..errors import UsageError
from ..i18n import tr

DEFAULT_DATA_DIR = "xlcrm-inbox"


def add_parsers(sub: Any) -> None:
    """Register ``serve`` and ``user`` on the CLI's sub-command parser."""
    q = sub.add_parser(
        "serve",
        help=tr("启动提交收件箱（网页版校验、提交和批量报告）", "run the submission inbox"),
        description=tr(
            '在内网启动提交收件箱：员工在浏览器中上传、校验、提交工作簿，主管查看提交情况并生成报告。需要 pip install "xlcrm[server]"。',
            "Serve the submission inbox (needs the server extra).",
        ),
    )
    _common(q)
    q.add_argument(
        "--host",
        default="127.0.0.1",
        help=tr("监听地址（默认 127.0.0.1；团队使用时设为 0.0.0.0）", "address to listen on"),
    )
    q.add_argument("--port", type=int, default=8000, help=tr("端口（默认 8000）", "port (default 8000)"))
    q.add_argument("--threads", type=int, default=8, help=tr("处理请求的线程数（默认 8）", "request threads"))
    q.add_argument(
        "--demo",
        action="store_true",
        help=tr("创建演示账户和示例提交，并打印账户和密码", "add demo accounts and submissions"),
    )

    q = sub.add_parser(
        "user",
        help=tr("管理收件箱账户", "manage inbox accounts"),
        description=tr(
            "添加、停用账户，生成 API 令牌，列出账户。", "Add or disable accounts, make API tokens, list accounts."
        ),
    )
    users = q.add_subparsers(dest="user_command", metavar="ACTION", parser_class=type(q))
    a = users.add_parser("add", help=tr("添加账户", "add an account"))
    a.add_argument("name", help=tr("登录名", "login name"))
    a.add_argument("--role", choices=["staff", "manager"], required=True, help=tr("staff 员工 / manager 主管", "role"))
    a.add_argument("--display", help=tr("显示名（与工作簿中的客户经理、跟进人等姓名一致，如 张三）", "display name"))
    a.add_argument(
        "--password-stdin", action="store_true", help=tr("从标准输入读取密码", "read the password from stdin")
    )
    _common(a)
    for action, text in (
        ("token", tr("生成新的 API 令牌（旧令牌作废）", "print a new API token")),
        ("disable", tr("停用账户（其提交记录保留）", "disable an account")),
    ):
        t = users.add_parser(action, help=text)
        t.add_argument("name", help=tr("登录名", "login name"))
        _common(t)
    _common(users.add_parser("list", help=tr("列出账户", "list accounts")))


def _common(q: argparse.ArgumentParser) -> None:
    q.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=tr("收件箱数据文件夹（默认 ./xlcrm-inbox）", "inbox folder (default ./xlcrm-inbox)"),
    )
    q.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help=tr(
            "数据库，如 postgresql://用户:密码@主机/库名（默认数据文件夹中的 SQLite）",
            "database URL (default SQLite in the folder)",
        ),
    )


def run(args: argparse.Namespace) -> int:
    """Dispatch ``serve`` / ``user``; returns the exit code."""
    if args.command == "user" and not args.user_command:
        raise UsageError(detail=tr("请指定操作：add / token / list / disable", "choose add / token / list / disable"))
    _setup(getattr(args, "data_dir", None), getattr(args, "database_url", None))
    if args.command == "serve":
        return serve(args)
    from . import accounts

    if args.user_command == "add":
        password = _read_password(args.password_stdin)
        accounts.add(args.name, args.role, args.display, password)
        print(tr("已添加账户 {n}（{r}）", "Added {n} ({r})", n=args.name, r=args.role))
    elif args.user_command == "token":
        print(accounts.token(args.name))
    elif args.user_command == "disable":
        accounts.disable(args.name)
        print(tr("已停用账户 {n}（提交记录保留）", "Disabled {n}", n=args.name))
    else:
        print(accounts.listing())
    return 0


def _setup(data_dir: Path | None, database_url: str | None) -> None:
    """Settings from the options (environment for this process and the worker), Django, migrate."""
    try:
        import django
        import waitress  # noqa: F401
    except ImportError:
        raise UsageError(
            detail=tr(
                '收件箱需要安装 server 扩展：pip install "xlcrm[server]"',
                'the inbox needs the server extra: pip install "xlcrm[server]"',
            )
        ) from None
    folder = Path(data_dir or os.environ.get("XLCRM_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            detail=tr("无法创建数据文件夹 {p}：{e}", "cannot create {p}: {e}", p=folder, e=exc.strerror)
        ) from None
    os.environ["XLCRM_DATA_DIR"] = str(folder)
    if database_url:
        if not database_url.startswith(("postgresql://", "postgres://", "sqlite://")):
            raise UsageError(
                detail=tr(
                    "--database-url 应以 postgresql:// 开头（收到 {u}）",
                    "--database-url must start with postgresql:// (got {u})",
                    u=database_url.split("@")[-1],
                )
            )
        os.environ["XLCRM_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "xlcrm.server.settings"
    django.setup()
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as exc:
        raise UsageError(
            detail=tr("无法连接数据库：{e}", "cannot reach the database: {e}", e=str(exc).strip().splitlines()[0])
        ) from None


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError(
            detail=tr("请在终端中输入密码，或加 --password-stdin 从标准输入读取", "use a terminal or --password-stdin")
        )
    first = getpass.getpass(tr("密码：", "Password: "))
    if first != getpass.getpass(tr("再次输入密码：", "Password again: ")):
        raise UsageError(detail=tr("两次输入的密码不一致", "the passwords differ"))
    return first


class Worker:
    """The report worker process, restarted if it dies, stopped with the server."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "xlcrm.server.worker"], env=os.environ.copy())
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while not self.stopping.wait(2):
            if self.process is not None and self.process.poll() is not None:
                sys.stderr.write(tr("报告后台进程已退出，正在重启。\n", "The report worker exited; restarting.\n"))
                self.process = subprocess.Popen([sys.executable, "-m", "xlcrm.server.worker"], env=os.environ.copy())

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def serve(args: argparse.Namespace) -> int:
    """Start the worker and waitress; print the address; serve until stopped."""
    from django.conf import settings
    from waitress import create_server

    from .wsgi import application

    if args.demo:
        from .demo import create_demo

        print(create_demo())
    try:
        server = create_server(
            application,
            host=args.host,
            port=args.port,
            threads=max(1, args.threads),
            # waitress buffers a body before the app sees it: cut absurd ones early;
            # anything up to this gets the inbox's own Chinese 413 answer.
            max_request_body_size=2 * settings.MAX_REQUEST_BYTES,
            ident="xlcrm",
        )
    except OSError as exc:
        raise UsageError(
            detail=tr(
                "无法在 {h}:{p} 上启动（{e}）：端口可能已被占用，请用 --port 换一个端口",
                "cannot listen on {h}:{p} ({e}); the port may be in use, try another --port",
                h=args.host,
                p=args.port,
                e=exc.strerror or exc,
            )
        ) from None
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    port = server.effective_port  # type: ignore[union-attr]
    worker = Worker()
    worker.start()
    signal.signal(signal.SIGTERM, _raise_exit)
    print(
        tr(
            "提交收件箱已启动：http://{h}:{p}/  （数据文件夹：{d}；按 Ctrl+C 停止）",
            "Inbox running at http://{h}:{p}/ (data folder: {d}; Ctrl+C to stop)",
            h=host,
            p=port,
            d=settings.DATA_DIR,
        ),
        flush=True,
    )
    if args.host in ("0.0.0.0", "::"):
        print(
            tr(
                "已在所有网卡上监听：同事请用本机的局域网 IP 访问，例如 http://192.168.x.x:{p}/",
                "Listening on every interface: colleagues use this machine's LAN address.",
                p=port,
            ),
            flush=True,
        )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        server.close()
    print(tr("提交收件箱已停止。", "Inbox stopped."), flush=True)
    return 0
