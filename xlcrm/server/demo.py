"""``xlcrm serve --demo``: demo accounts and two staff members' sample submissions."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from ..sample import generate_sample
from ..writing.template import write_standard_workbook
from . import accounts
from .inbox import services
from .inbox.models import Submission
from .inbox.periods import current_period, today

MANAGER_LOGIN = "manager"
STAFF_LOGINS = ("staff1", "staff2", "staff3")


def _split(rows: dict[str, list[dict[str, Any]]], managers: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The part of the sample one staff member keeps: their customers with their follow-ups and
    feedback; campaigns and tasks are shared (identical in every copy, so no conflict)."""
    customers = [c for c in rows["customers"] if c.get("manager") in managers]
    ids = {c.get("customer_id") for c in customers}
    return {
        "customers": customers,
        "followups": [r for r in rows["followups"] if r.get("customer_id") in ids],
        "feedback": [r for r in rows["feedback"] if r.get("customer_id") in ids],
        "campaigns": rows["campaigns"],
        "tasks": rows["tasks"],
    }


def _password() -> str:
    return "demo-" + secrets.token_hex(4)


def _account(login: str, role: str, display: str) -> tuple[User, str]:
    password = _password()
    user = User.objects.filter(username=login).first()
    if user is None:
        user = accounts.add(login, role, display, password, check_password=False)
    else:  # a second --demo run: same accounts, fresh passwords printed again
        user.set_password(password)
        user.is_active = True
        user.save()
    return user, password


def create_demo() -> str:
    """Create (or refresh) the demo accounts and submissions; the text to print."""
    as_of = today()
    rows = generate_sample(60, seed=1, as_of=as_of)
    managers = list(dict.fromkeys(c["manager"] for c in rows["customers"] if c.get("manager")))
    groups = [set(managers[0::2]), set(managers[1::2])]
    lines = ["演示账户（仅供试用，正式使用请用 xlcrm user add 创建账户）："]
    _, password = _account(MANAGER_LOGIN, "manager", "演示主管")
    lines.append(f"  主管  {MANAGER_LOGIN:<8} 密码 {password}")
    period = current_period()
    for index, login in enumerate(STAFF_LOGINS):
        display = sorted(groups[index])[0] if index < len(groups) else "演示员工"
        user, password = _account(login, "staff", display)
        note = ""
        if index < len(groups):
            if not Submission.objects.filter(user=user).exists():
                _submit_sample(user, _split(rows, groups[index]), period, as_of, f"{display}_客户维护.xlsx")
            note = f"（已提交 {period} 的示例工作簿）"
        else:
            note = "（尚未提交）"
        lines.append(f"  员工  {login:<8} 密码 {password}  显示名 {display}{note}")
    return "\n".join(lines)


def _submit_sample(user: User, rows: dict[str, list[dict[str, Any]]], period: str, as_of: Any, name: str) -> None:
    with tempfile.TemporaryDirectory(prefix="xlcrm-demo-") as folder:
        path = write_standard_workbook(Path(folder) / "sample.xlsx", rows)
        data = path.read_bytes()
    services.create_submission(user, data, name, period, as_of, auto_submit=True)
