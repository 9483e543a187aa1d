"""What the inbox stores: who is who, every uploaded version, every report job.

Rows are only ever added or updated (a submission's ``submitted`` flag, a job's progress);
nothing is deleted, and uploaded files live unchanged in the file store under their SHA-256.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

STAFF = "staff"
MANAGER = "manager"
ROLES = [(STAFF, "员工"), (MANAGER, "主管")]


class Profile(models.Model):
    """The inbox side of an account: role, display name (matched with 客户经理 etc.), API token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile")
    role = models.CharField("角色", max_length=16, choices=ROLES, default=STAFF)
    display_name = models.CharField("显示名", max_length=100, blank=True)
    token_hash = models.CharField("API 令牌摘要", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "账户资料"
        verbose_name_plural = "账户资料"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name shown in pages: the display name, else the login name."""
        return self.display_name or self.user.get_username()

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER


class Submission(models.Model):
    """One uploaded version of a staff member's workbook for a period (YYYY-MM)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("月份", max_length=7, db_index=True)
    version = models.PositiveIntegerField("版本")
    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    as_of = models.DateField("统计日")
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    report = models.JSONField("校验结果", default=dict)
    annotated_sha256 = models.CharField(max_length=64, blank=True)
    submitted = models.BooleanField("已提交", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "提交版本"
        verbose_name_plural = "提交版本"
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "period", "version"], name="one_version_number")]

    @property
    def status(self) -> str:
        """已提交 / 有错误 / 未提交 (passed validation but not submitted yet)."""
        if self.submitted:
            return "已提交"
        return "有错误" if self.errors else "未提交"

    def to_dict(self) -> dict[str, Any]:
        """The API's view of this version (SPEC §9)."""
        return {
            "id": self.pk,
            "version": self.version,
            "period": self.period,
            "status": {"已提交": "submitted", "有错误": "errors", "未提交": "pending"}[self.status],
            "errors": self.errors,
            "warnings": self.warnings,
            "submitted": self.submitted,
            "user": self.user.get_username(),
            "display_name": self.user.profile.name,
            "file_name": self.original_name,
            "sha256": self.sha256,
            "uploaded_at": self.uploaded_at.isoformat(),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
        }


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = [(QUEUED, "排队中"), (RUNNING, "生成中"), (DONE, "已完成"), (FAILED, "失败")]
KINDS = [("monthly", "月度复盘"), ("campaign", "活动复盘")]


class ReportJob(models.Model):
    """A report batch over a period's submitted workbooks, run by the worker process."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs")
    kind = models.CharField("报告类型", max_length=16, choices=KINDS)
    period = models.CharField("月份", max_length=7)
    by_manager = models.BooleanField("按客户经理", default=False)
    formats = models.CharField("格式", max_length=16, default="md,docx")
    status = models.CharField("状态", max_length=16, choices=JOB_STATES, default=QUEUED, db_index=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    files = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    log = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "报告任务"
        verbose_name_plural = "报告任务"
        ordering = ["-created_at", "-id"]

    def to_dict(self) -> dict[str, Any]:
        """The API's view of this job (SPEC §9)."""
        return {
            "id": self.pk,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "files": list(self.files),
            "kind": self.kind,
            "period": self.period,
            "by_manager": self.by_manager,
            "formats": self.formats.split(","),
            "message": self.log,
        }
