"""The staff and manager pages through Django's test client (CSRF enforced, real database)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xlcrm.server.inbox.models import ReportJob, Submission

from .conftest import EXPECTED_WORDS, workbook

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


def csrf_client(username: str) -> Client:
    """A browser-like client: CSRF checks on, logged in through the log-in form."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    response = client.post(
        "/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token_of(page)}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def token_of(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "form without a CSRF token"
    return match.group(1)


def post_upload(client: Client, data: bytes, name: str = "客户维护.xlsx", period: str = "2026-11", csrf: bool = True):
    page = client.get("/mine/")
    fields = {"period": period, "file": SimpleUploadedFile(name, data)}
    if csrf:
        fields["csrfmiddlewaretoken"] = token_of(page)
    return client.post("/mine/", fields)


def test_every_page_needs_a_login():
    client = Client()
    for url in (
        "/",
        "/mine/",
        "/submissions/1/",
        "/submissions/1/file/",
        "/agenda/",
        "/team/",
        "/reports/1/",
        "/reports/1/zip/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_log_in_is_chinese_and_refuses_a_wrong_password(make_user):
    make_user("zhang", "staff", "张三")
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    assert "登录" in page.content.decode()
    wrong = client.post("/login/", {"username": "zhang", "password": "nope", "csrfmiddlewaretoken": token_of(page)})
    assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.content.decode()


def test_cookies_are_httponly_and_samesite(make_user):
    make_user("zhang")
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    response = client.post(
        "/login/", {"username": "zhang", "password": PASSWORD, "csrfmiddlewaretoken": token_of(page)}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["httponly"] and client.cookies["csrftoken"]["samesite"] == "Lax"


def test_forms_without_the_csrf_token_are_refused(make_user, good_book):
    make_user("zhang")
    client = csrf_client("zhang")
    response = post_upload(client, good_book, csrf=False)
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert Submission.objects.count() == 0
    assert client.post("/logout/").status_code == 403


def test_staff_upload_result_fix_and_submit(make_user, broken_book, good_book):
    make_user("zhang", "staff", "张三")
    client = csrf_client("zhang")
    home = client.get("/mine/")
    from xlcrm.server.inbox.periods import current_period

    assert f'value="{current_period()}"' in home.content.decode()  # the month defaults to the current one
    result = client.get(post_upload(client, broken_book)["Location"])
    html = result.content.decode()
    assert "跟进记录!D5" in html and "value.type" in html and 'id="n-errors">1<' in html
    assert "下载标注副本" in html and ">提交</button>" not in html
    # workbook text is escaped, never markup
    assert "&lt;script&gt;alert(&quot;上周三&quot;)&lt;/script&gt;" in html and '<script>alert("' not in html
    broken = Submission.objects.get()
    refused = client.post(f"/submissions/{broken.pk}/submit/", {"csrfmiddlewaretoken": token_of(result)})
    assert refused.status_code == 409 and "不能提交" in refused.content.decode()
    annotated = client.get(f"/submissions/{broken.pk}/annotated/")
    assert annotated.status_code == 200 and annotated.getvalue()[:2] == b"PK"
    fixed_page = client.get(post_upload(client, good_book)["Location"])
    fixed = Submission.objects.get(version=2)
    assert ">提交</button>" in fixed_page.content.decode() and not fixed.submitted
    done = client.post(f"/submissions/{fixed.pk}/submit/", {"csrfmiddlewaretoken": token_of(fixed_page)})
    assert done.status_code == 302
    fixed.refresh_from_db()
    assert fixed.submitted and Submission.objects.count() == 2  # the broken version is kept
    history = client.get("/mine/").content.decode()
    assert "第 1 版" in history and "第 2 版" in history and "已提交" in history and "有错误" in history


@pytest.mark.parametrize("case", ["xls", "csv", "bomb", "encrypted"])
def test_unusable_uploads_show_the_message_on_the_page(make_user, bad_files, case):
    make_user("zhang")
    client = csrf_client("zhang")
    name, data = bad_files[case]
    response = post_upload(client, data, name=name)
    assert response.status_code == 422
    assert EXPECTED_WORDS[case] in response.content.decode() and Submission.objects.count() == 0


def test_staff_cannot_see_others_or_manager_pages(make_user, good_book):
    make_user("zhang")
    make_user("li")
    make_user("boss", "manager", "王主管")
    other = csrf_client("li")
    post_upload(other, good_book)
    theirs = Submission.objects.get()
    client = csrf_client("zhang")
    for url in (
        f"/submissions/{theirs.pk}/",
        f"/submissions/{theirs.pk}/file/",
        f"/submissions/{theirs.pk}/annotated/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "找不到" in response.content.decode()
    for url in ("/team/", "/reports/1/", "/admin/"):
        assert client.get(url).status_code in (403, 302), url
    assert client.get("/team/").status_code == 403
    page = client.get("/mine/")
    assert (
        client.post(
            "/reports/", {"kind": "monthly", "period": "2026-11", "csrfmiddlewaretoken": token_of(page)}
        ).status_code
        == 403
    )
    assert ReportJob.objects.count() == 0


def test_manager_period_table_and_report_form(make_user, good_book, broken_book):
    make_user("zhang", "staff", "张三")
    make_user("li", "staff", "李四")
    make_user("wang", "staff", "王五")
    make_user("boss", "manager", "王主管")
    post_upload(csrf_client("zhang"), good_book)
    post_upload(csrf_client("li"), broken_book)
    zhang = Submission.objects.get(user__username="zhang")
    boss = csrf_client("boss")
    page = boss.get("/team/?period=2026-11")
    html = page.content.decode()
    rows = {name: re.search(name + r".*?</tr>", html, re.S).group(0) for name in ("张三", "李四", "王五")}
    assert "未提交" in rows["张三"] and "有错误" in rows["李四"] and "未提交" in rows["王五"]
    assert "—" in rows["王五"]
    boss.post(
        f"/submissions/{zhang.pk}/submit/", {"csrfmiddlewaretoken": token_of(page)}
    )  # not the manager's to submit
    zhang.refresh_from_db()
    assert not zhang.submitted
    job = boss.post(
        "/reports/", {"kind": "monthly", "period": "2026-11", "formats": ["md"], "csrfmiddlewaretoken": token_of(page)}
    )
    assert job.status_code == 302
    progress = boss.get(job["Location"])
    assert "排队中" in progress.content.decode() and 'hx-trigger="every 1s"' in progress.content.decode()
    partial = boss.get(job["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="progress"') and "<html" not in partial


def test_agenda_page_lists_my_items(make_user):
    from datetime import date

    make_user("zhang", "staff", "张三")
    client = csrf_client("zhang")
    html = client.get("/agenda/").content.decode()
    assert "我的待办" in html and "没有待办事项" in html  # nothing submitted yet

    def mine(rows):
        for customer in rows["customers"]:
            customer["manager"] = "张三"

    result = client.get(
        post_upload(client, workbook(edit=mine), name="我的.xlsx", period=date.today().strftime("%Y-%m"))["Location"]
    )
    mine_sub = Submission.objects.get()
    assert (
        client.post(f"/submissions/{mine_sub.pk}/submit/", {"csrfmiddlewaretoken": token_of(result)}).status_code == 302
    )
    html = client.get("/agenda/").content.decode()
    assert "我的待办" in html and "<table" in html and "客户编号" in html


def test_too_large_upload_page_is_413(make_user):
    make_user("zhang")
    client = csrf_client("zhang")
    response = post_upload(client, bytes(25 * 1024 * 1024), name="大.xlsx")
    assert response.status_code == 413 and "文件太大" in response.content.decode()


def test_an_account_made_without_a_profile_works_as_staff(db):
    from django.contrib.auth.models import User

    User.objects.create_user("admin-made", password=PASSWORD)
    page = csrf_client("admin-made").get("/mine/")
    assert page.status_code == 200 and "admin-made（员工）" in page.content.decode()


def test_managers_manage_accounts_in_the_chinese_admin(make_user):
    make_user("zhang", "staff", "张三")
    make_user("boss", "manager", "王主管")
    boss = csrf_client("boss")
    html = boss.get("/admin/auth/user/").content.decode()
    assert "显示名" in html and "张三" in html and "员工" in html and "选择" in html  # Django's own zh-hans text
    assert boss.get("/admin/auth/user/1/delete/").status_code == 403  # disable, never delete
    assert csrf_client("zhang").get("/admin/auth/user/").status_code == 302  # staff: not the admin


def test_finished_report_page_counts_reports_not_files(make_user, good_book):
    """A report written as Markdown and Word is one report in two files."""
    from xlcrm.server import worker

    make_user("zhang", "staff", "张三")
    make_user("boss", "manager", "王主管")
    zhang = csrf_client("zhang")
    result = zhang.get(post_upload(zhang, good_book)["Location"])
    mine = Submission.objects.get(user__username="zhang")
    zhang.post(f"/submissions/{mine.pk}/submit/", {"csrfmiddlewaretoken": token_of(result)})
    boss = csrf_client("boss")
    page = boss.get("/team/?period=2026-11")
    job = boss.post(
        "/reports/",
        {"kind": "monthly", "period": "2026-11", "formats": ["md", "docx"], "csrfmiddlewaretoken": token_of(page)},
    )
    assert worker.run_pending() == 1
    html = boss.get(job["Location"]).content.decode()
    assert "共 1 份报告（2 个文件" in html, html
