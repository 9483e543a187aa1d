"""What both front ends of the inbox do (the JSON API and the pages call the same functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from . import library, storage
from .models import STAFF, Profile, Submission


def visible_submissions(user: User) -> QuerySet[Submission]:
    """A manager sees everyone's versions, a staff member only their own."""
    qs = Submission.objects.select_related("user", "user__profile")
    return qs if user.profile.is_manager else qs.filter(user=user)


def create_submission(user: User, data: bytes, name: str, period: str, as_of: date, auto_submit: bool) -> Submission:
    """Store the upload, validate it, record a new version; raises ``library.Unusable``.

    The file is stored before parsing, so even a file that crashes the checks is kept."""
    digest = storage.store(data)
    checked = library.check(data, name, as_of)
    annotated = storage.store(checked.annotated) if checked.annotated is not None else ""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # Lock this person's profile row so two simultaneous uploads get distinct versions.
                Profile.objects.select_for_update().get(user=user)
                last = Submission.objects.filter(user=user, period=period).aggregate(v=Max("version"))["v"] or 0
                submitted = auto_submit and checked.errors == 0
                return Submission.objects.create(
                    user=user,
                    period=period,
                    version=last + 1,
                    original_name=name[:255],
                    sha256=digest,
                    size=len(data),
                    as_of=as_of,
                    errors=checked.errors,
                    warnings=checked.warnings,
                    report=checked.report,
                    annotated_sha256=annotated,
                    submitted=submitted,
                    submitted_at=timezone.now() if submitted else None,
                )
        except IntegrityError:  # a concurrent upload took the number (databases without row locks)
            continue
    raise RuntimeError("could not number the upload")


def submit(submission: Submission) -> bool:
    """Mark a version with no errors as submitted; False when it has errors."""
    if submission.errors:
        return False
    if not submission.submitted:
        submission.submitted = True
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["submitted", "submitted_at"])
    return True


@dataclass(frozen=True)
class PeriodRow:
    """One staff member's line in the manager's period table."""

    profile: Profile
    latest: Submission | None
    latest_submitted: Submission | None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else "未提交"


def period_table(period: str) -> list[PeriodRow]:
    """Every active staff member with their latest version of ``period`` (SPEC §9 manager page)."""
    rows = []
    staff = Profile.objects.select_related("user").filter(role=STAFF, user__is_active=True)
    for profile in sorted(staff, key=lambda p: p.name):
        versions = Submission.objects.filter(user=profile.user, period=period).order_by("-version")
        rows.append(PeriodRow(profile, versions.first(), versions.filter(submitted=True).first()))
    return rows


def latest_submitted(period: str, user: User | None = None) -> list[Submission]:
    """The latest submitted version of each staff member (or of ``user``) for ``period``."""
    qs = Submission.objects.filter(period=period, submitted=True).order_by("user_id", "-version")
    if user is not None:
        qs = qs.filter(user=user)
    latest: dict[int, Submission] = {}
    for sub in qs.select_related("user"):
        latest.setdefault(sub.user_id, sub)
    return list(latest.values())


def grouped_issues(report: dict) -> list[dict]:
    """Problems grouped by sheet, then code: ``[{sheet, codes: [{code, severity, issues}]}]``."""
    sheets: dict[str, dict[str, dict]] = {}
    for issue in report.get("issues", []):
        sheet = issue.get("sheet") or "（整个工作簿）"
        code = sheets.setdefault(sheet, {}).setdefault(
            issue["code"], {"code": issue["code"], "severity": issue["severity"], "issues": []}
        )
        code["issues"].append(issue)
    order = {"error": 0, "warning": 1, "info": 2}
    return [
        {"sheet": sheet, "codes": sorted(codes.values(), key=lambda c: (order.get(c["severity"], 3), c["code"]))}
        for sheet, codes in sheets.items()
    ]
