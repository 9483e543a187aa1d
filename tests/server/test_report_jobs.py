"""A report job runs ``xlcrm.report`` on the stored submissions: progress in report files as the
batch goes, the workbooks named as staff know them, nothing copied."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

import pytest

import xlcrm

from .test_api import auth, upload


@pytest.mark.django_db
def test_report_job_shows_progress_and_names_the_submissions(
    client, make_user, good_book, monkeypatch, settings, tmp_path
):
    from xlcrm.server import worker
    from xlcrm.server.inbox.models import ReportJob

    _, staff = make_user("zhang", "staff", "张三")
    _, boss = make_user("boss", "manager")
    period = date.today().strftime("%Y-%m")
    upload(client, "/api/v1/submissions", staff, good_book, period=period)
    body = {"kind": "monthly", "period": period, "by_manager": True, "formats": ["md", "docx"]}
    job_id = client.post("/api/v1/reports", json.dumps(body), content_type="application/json", **auth(boss)).json()[
        "id"
    ]

    seen: list[tuple[int, int | None]] = []
    real_report = xlcrm.report

    def watched_report(*args: Any, on_progress: Any = None, **kwargs: Any) -> Any:
        def tell(done: int, total: int) -> None:
            on_progress(done, total)
            job = ReportJob.objects.get(pk=job_id)
            seen.append((job.done, job.total))

        return real_report(*args, on_progress=tell, **kwargs)

    monkeypatch.setattr(xlcrm, "report", watched_report)
    reports_dir = tmp_path / "reports"  # this job's own folder of reports (other tests' jobs stay out)
    settings.REPORTS_DIR = reports_dir
    assert worker.run_pending() == 1
    status = client.get(f"/api/v1/reports/{job_id}", **auth(boss)).json()
    assert status["status"] == "done"
    files = status["total"]
    assert files >= 4 and seen[0] == (0, files) and seen[-1] == (files, files)  # md + docx per report
    assert [done for done, _ in seen] == list(range(0, files + 1, 2))
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/reports/{job_id}/zip", **auth(boss)).getvalue()))
    team = archive.read(f"月度复盘_{period}.md").decode("utf-8")
    assert f"本报告汇总了 1 个工作簿：张三\\_{period}\\_v1.xlsx。" in team  # named as staff know it (Markdown-escaped)
    assert {p.name for p in reports_dir.iterdir()} == {str(job_id), f"{job_id}.zip"}  # no copies of submissions
