"""Every API endpoint and permission (SPEC §9), through Django's test client on a real database."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from urllib.parse import quote, unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xlcrm.server.inbox import storage
from xlcrm.server.inbox.models import Submission

from .conftest import EXPECTED_WORDS, workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def upload(client: Client, url: str, token: str, data: bytes, name: str = "张三的客户.xlsx", **fields: str):
    return client.post(url, {"file": SimpleUploadedFile(name, data, XLSX), **fields}, **auth(token))


def test_validate_returns_the_cli_json_object(client, make_user, broken_book):
    _, token = make_user("zhang", "staff", "张三")
    response = upload(client, "/api/v1/validate", token, broken_book, as_of=date.today().isoformat())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"path", "ok", "errors", "warnings", "issues"}
    assert body["path"] == "张三的客户.xlsx" and body["ok"] is False and body["errors"] == 1
    assert ("跟进记录", "D5", "value.type") in [(i["sheet"], i["cell"], i["code"]) for i in body["issues"]]
    assert set(body["issues"][0]) == {"severity", "code", "sheet", "cell", "row", "column", "field", "value", "message"}
    assert Submission.objects.count() == 0  # validate stores nothing


@pytest.mark.parametrize("case", ["xls", "csv", "bomb", "encrypted"])
def test_unusable_files_are_422_with_the_chinese_message(client, make_user, bad_files, case):
    _, token = make_user("zhang")
    name, data = bad_files[case]
    for url in ("/api/v1/validate", "/api/v1/submissions"):
        response = upload(client, url, token, data, name=name)
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "file.unusable"
        assert name in error["message"] and EXPECTED_WORDS[case] in error["message"]
        assert "Traceback" not in error["message"] and "/xlcrm-" not in error["message"]
    assert Submission.objects.count() == 0


def test_too_large_is_413(client, make_user):
    _, token = make_user("zhang")
    response = upload(client, "/api/v1/submissions", token, bytes(25 * 1024 * 1024), name="大文件.xlsx")
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("文件太大：上传上限为 20 MB")


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer xlcrm_wrong", "Token abc", "Basic emhhbmc6eA=="])
def test_no_or_bad_token_is_401(client, make_user, header):
    make_user("zhang")
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    for method, url in (
        ("post", "/api/v1/validate"),
        ("get", "/api/v1/submissions"),
        ("post", "/api/v1/submissions"),
        ("get", "/api/v1/submissions/1/file"),
        ("get", "/api/v1/submissions/1/annotated"),
        ("post", "/api/v1/reports"),
        ("get", "/api/v1/reports/1"),
        ("get", "/api/v1/reports/1/zip"),
        ("get", "/api/v1/agenda"),
    ):
        response = getattr(client, method)(url, **extra)
        assert response.status_code == 401, url
        assert "Authorization: Bearer" in response.json()["error"]["message"]


def test_a_disabled_account_or_replaced_token_is_401(client, make_user):
    from xlcrm.server import accounts

    _, old = make_user("zhang")
    new = accounts.token("zhang")
    assert client.get("/api/v1/submissions", **auth(old)).status_code == 401
    assert client.get("/api/v1/submissions", **auth(new)).status_code == 200
    accounts.disable("zhang")
    assert client.get("/api/v1/submissions", **auth(new)).status_code == 401


def test_tokens_and_passwords_are_stored_hashed(make_user):
    user, token = make_user("zhang")
    user.refresh_from_db()
    assert user.profile.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in user.profile.token_hash and user.password.startswith(("pbkdf2_", "argon2", "bcrypt"))


def test_submissions_versions_and_stored_files(client, make_user, broken_book, good_book):
    _, token = make_user("zhang", "staff", "张三")
    first = upload(client, "/api/v1/submissions", token, broken_book, period="2026-10")
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"id", "version", "period", "status", "errors", "warnings", "submitted"}
    assert (body["version"], body["period"], body["errors"], body["submitted"]) == (1, "2026-10", 1, False)
    second = upload(client, "/api/v1/submissions", token, good_book, period="2026-10").json()
    assert (second["version"], second["errors"], second["submitted"], second["status"]) == (2, 0, True, "submitted")
    # both versions are kept, files stored unchanged under their SHA-256
    for data in (broken_book, good_book):
        digest = hashlib.sha256(data).hexdigest()
        assert storage.file_path(digest).read_bytes() == data
    assert client.get(f"/api/v1/submissions/{body['id']}/file", **auth(token)).getvalue() == broken_book
    annotated = client.get(f"/api/v1/submissions/{body['id']}/annotated", **auth(token))
    assert annotated.status_code == 200 and annotated["Content-Type"] == XLSX
    assert quote("张三的客户.校验标注.xlsx") in annotated["Content-Disposition"]
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(annotated.getvalue()))
    assert book.sheetnames[0] == "校验结果" and book["跟进记录"]["D5"].comment is not None


def test_period_defaults_to_the_current_month_and_is_checked(client, make_user, good_book):
    from xlcrm.server.inbox.periods import current_period

    _, token = make_user("zhang")
    assert upload(client, "/api/v1/submissions", token, good_book).json()["period"] == current_period()
    bad = upload(client, "/api/v1/submissions", token, good_book, period="2026-13")
    assert bad.status_code == 400 and "YYYY-MM" in bad.json()["error"]["message"]
    assert client.get("/api/v1/submissions?period=11月", **auth(token)).status_code == 400


def test_staff_see_only_their_own(client, make_user, good_book, broken_book):
    _, a = make_user("zhang", "staff", "张三")
    _, b = make_user("li", "staff", "李四")
    _, boss = make_user("boss", "manager", "王主管")
    mine = upload(client, "/api/v1/submissions", a, broken_book, period="2026-11").json()["id"]
    theirs = upload(client, "/api/v1/submissions", b, good_book, period="2026-11").json()["id"]
    listed = client.get("/api/v1/submissions", **auth(a)).json()["submissions"]
    assert [s["id"] for s in listed] == [mine]
    for suffix in ("file", "annotated"):
        denied = client.get(f"/api/v1/submissions/{theirs}/{suffix}", **auth(a))
        assert denied.status_code == 404 and denied.json()["error"]["code"] == "not_found"
        assert client.get(f"/api/v1/submissions/{mine}/{suffix}", **auth(b)).status_code == 404
    everyone = client.get("/api/v1/submissions?period=2026-11", **auth(boss)).json()["submissions"]
    assert sorted(s["user"] for s in everyone) == ["li", "zhang"]
    assert client.get(f"/api/v1/submissions/{theirs}/file", **auth(boss)).getvalue() == good_book
    assert client.get("/api/v1/submissions?period=2026-10", **auth(boss)).json()["submissions"] == []


def test_staff_cannot_use_report_endpoints(client, make_user):
    _, staff = make_user("zhang")
    _, boss = make_user("boss", "manager")
    job = client.post(
        "/api/v1/reports",
        json.dumps({"kind": "monthly", "period": "2026-11"}),
        content_type="application/json",
        **auth(boss),
    ).json()["id"]
    for method, url in (
        ("post", "/api/v1/reports"),
        ("get", f"/api/v1/reports/{job}"),
        ("get", f"/api/v1/reports/{job}/zip"),
    ):
        response = getattr(client, method)(url, **auth(staff))
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "没有权限：只有主管可以使用此功能。"


@pytest.mark.parametrize(
    "body, words",
    [
        ({"kind": "weekly", "period": "2026-11"}, "monthly"),
        ({"kind": "monthly", "period": "2026/11"}, "YYYY-MM"),
        ({"kind": "monthly", "period": "2026-11", "formats": ["pdf"]}, "md、docx"),
        ({"kind": "campaign", "period": "2026-11", "by_manager": True}, "月度复盘"),
        ("not json", "JSON"),
    ],
)
def test_bad_report_requests_are_400_in_chinese(client, make_user, body, words):
    _, boss = make_user("boss", "manager")
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/api/v1/reports", data, content_type="application/json", **auth(boss))
    assert response.status_code == 400 and words in response.json()["error"]["message"]


@pytest.mark.django_db(transaction=True)  # the worker's progress thread needs its own connection
def test_report_job_runs_and_zips(client, make_user, good_book):
    """The worker's own function runs the queued job (the process around it is tested live)."""
    import io
    import zipfile

    from xlcrm.server import worker

    _, staff = make_user("zhang", "staff", "张三")
    _, boss = make_user("boss", "manager")
    upload(client, "/api/v1/submissions", staff, good_book, period=date.today().strftime("%Y-%m"))
    job = client.post(
        "/api/v1/reports",
        json.dumps({"kind": "monthly", "period": date.today().strftime("%Y-%m"), "formats": ["md"]}),
        content_type="application/json",
        **auth(boss),
    )
    assert job.status_code == 202
    job_id = job.json()["id"]
    assert client.get(f"/api/v1/reports/{job_id}", **auth(boss)).json()["status"] == "queued"
    assert client.get(f"/api/v1/reports/{job_id}/zip", **auth(boss)).status_code == 404  # not done yet
    assert worker.run_pending() == 1
    status = client.get(f"/api/v1/reports/{job_id}", **auth(boss)).json()
    assert status["status"] == "done" and status["done"] == status["total"] >= 1
    assert any(f.startswith("月度复盘_") and f.endswith(".md") for f in status["files"])
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/reports/{job_id}/zip", **auth(boss)).getvalue()))
    assert sorted(archive.namelist()) == sorted(status["files"])
    report = next(f for f in status["files"] if f.endswith(".md"))
    images = re.findall(r"\]\(<?([^)>]+\.png)>?\)", archive.read(report).decode())
    assert images and all(unquote(i) in archive.namelist() for i in images)  # the Markdown's charts come along


def test_a_report_of_a_period_without_submissions_fails_clearly(client, make_user):
    from xlcrm.server import worker

    _, boss = make_user("boss", "manager")
    job = client.post(
        "/api/v1/reports",
        json.dumps({"kind": "monthly", "period": "2020-01"}),
        content_type="application/json",
        **auth(boss),
    ).json()["id"]
    worker.run_pending()
    status = client.get(f"/api/v1/reports/{job}", **auth(boss)).json()
    assert status["status"] == "failed" and "2020-01 还没有员工提交工作簿" in status["message"]


def _all_mine(rows):
    for customer in rows["customers"]:
        customer["manager"] = "张 三"  # typed with a space, as staff often do: still 张三


def test_agenda_is_the_callers_own_from_the_latest_submitted_workbook(client, make_user):
    import xlcrm

    _, staff = make_user("zhang", "staff", "张三")
    _, other = make_user("li", "staff", "李四")
    _, boss = make_user("boss", "manager", "王经理")
    book = workbook(edit=_all_mine)
    period = date.today().strftime("%Y-%m")
    assert upload(client, "/api/v1/submissions", staff, book, period=period).json()["submitted"]

    mine = client.get("/api/v1/agenda", **auth(staff))
    assert mine.status_code == 200
    body = mine.json()
    assert [p["name"] for p in body["people"]] == ["张三"]
    expected = xlcrm.agenda(book, as_of=date.today(), person="张三")
    assert body == json.loads(json.dumps(expected))  # exactly what the library computes for that person
    assert sum(len(items) for items in body["people"][0]["sections"].values()) > 0

    assert client.get("/api/v1/agenda", **auth(other)).json()["people"] == []  # nothing submitted
    team = client.get("/api/v1/agenda", **auth(boss)).json()
    assert "张三" in [p["name"] for p in team["people"]]
    assert client.get("/api/v1/agenda?as_of=昨天", **auth(staff)).status_code == 400


def test_wrong_method_and_unknown_paths_answer_in_chinese(client, make_user):
    _, staff = make_user("zhang")
    assert client.get("/api/v1/validate", **auth(staff)).status_code == 405
    missing = client.get("/api/v1/nothing", **auth(staff))
    assert missing.status_code == 404 and "找不到" in missing.json()["error"]["message"]
    assert client.get("/api/v1/submissions/99999/file", **auth(staff)).status_code == 404
