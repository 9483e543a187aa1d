"""The inbox in a real browser (Debian's chromium through Playwright) against ``xlcrm serve``.

Screenshots are saved into the test's temporary folder (``shots/``)."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from .conftest import workbook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is part of the test extra")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def log_in(page, server, name: str) -> None:
    page.goto(server.url + "/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", server.passwords[name])
    page.click("button[type=submit]")


def test_staff_fixes_and_submits_and_the_manager_gets_the_zip(server_factory, browser, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()
    server = server_factory()
    server.user("zhang", "staff", "张三")
    server.user("boss", "manager", "王主管")
    server.start()
    broken, fixed = tmp_path / "张三_本月.xlsx", tmp_path / "张三_本月_改好.xlsx"
    broken.write_bytes(workbook(seed=7, n=6, broken=True))
    fixed.write_bytes(workbook(seed=7, n=6))

    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "zhang")
    page.wait_for_selector("text=上传工作簿")
    assert page.input_value("input[name=period]") == date.today().strftime("%Y-%m")
    page.set_input_files("input[name=file]", str(broken))
    page.screenshot(path=str(shots / "1-upload.png"))
    page.click("text=上传并校验")
    page.wait_for_selector("text=校验结果")
    page.screenshot(path=str(shots / "2-result-errors.png"), full_page=True)
    assert page.inner_text("#n-errors") == "1"
    assert page.locator("td.cell", has_text="跟进记录!D5").count() == 1
    assert page.locator("button", has_text="提交").count() == 0
    with page.expect_download() as download_info:
        page.click("text=下载标注副本")
    download = download_info.value
    assert download.suggested_filename == "张三_本月.校验标注.xlsx"
    annotated = tmp_path / download.suggested_filename
    download.save_as(annotated)
    from openpyxl import load_workbook

    assert load_workbook(annotated).sheetnames[0] == "校验结果"

    page.click("text=上传新版本")
    page.set_input_files("input[name=file]", str(fixed))
    page.click("text=上传并校验")
    page.wait_for_selector("text=第 2 版")
    assert page.inner_text("#n-errors") == "0"
    page.click("button:has-text('提交')")
    page.wait_for_selector("text=已于")
    page.screenshot(path=str(shots / "3-submitted.png"), full_page=True)
    page.goto(server.url + "/mine/")
    page.screenshot(path=str(shots / "4-history.png"), full_page=True)
    assert page.locator("tr", has_text="第 1 版").locator(".status").inner_text() == "有错误"
    assert page.locator("tr", has_text="第 2 版").locator(".status").inner_text() == "已提交"
    context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "boss")
    page.wait_for_selector("text=团队提交")
    row = page.locator("tr", has_text="张三")
    assert row.locator(".status").inner_text() == "已提交"
    page.screenshot(path=str(shots / "5-team.png"), full_page=True)
    page.check("input[name=by_manager]")
    page.click("button:has-text('生成报告')")
    page.wait_for_selector("#zip", timeout=300_000)  # HTMX polls the job until the worker is done
    page.screenshot(path=str(shots / "6-report-done.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("#zip")
    names = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes())).namelist()
    period = date.today().strftime("%Y-%m")
    assert f"月度复盘_{period}.docx" in names and f"月度复盘_{period}.md" in names
    assert len([n for n in names if "/" not in n]) >= 4  # the team report and one per 客户经理, in both formats
    assert any(n.endswith(".png") for n in names)  # with the charts the Markdown reports link to
    context.close()
    assert len(list(shots.glob("*.png"))) == 6
