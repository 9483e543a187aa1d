"""Account operations behind ``xlcrm user`` and the demo (Django must be set up)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ..errors import UsageError
from .inbox import tokens
from .inbox.models import MANAGER, Profile


def add(name: str, role: str, display: str | None, password: str, *, check_password: bool = True) -> User:
    """A new account; a manager may also use Django admin (staff + superuser flags)."""
    name = name.strip()
    if not name or len(name) > 150:
        raise UsageError(detail="登录名不能为空，且不超过 150 个字符")
    if User.objects.filter(username=name).exists():
        raise UsageError(detail=f"账户 {name} 已存在")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise UsageError(detail="密码不符合要求：" + "；".join(exc.messages)) from None
    with transaction.atomic():
        user = User.objects.create_user(name, password=password)
        if role == MANAGER:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        Profile.objects.create(user=user, role=role, display_name=(display or "").strip())
    return user


def _profile(name: str) -> Profile:
    profile = Profile.objects.select_related("user").filter(user__username=name).first()
    if profile is None:
        raise UsageError(detail=f"找不到账户 {name}（用 xlcrm user list 查看）")
    return profile


def token(name: str) -> str:
    """A new API token for ``name`` (printed once; the previous one stops working)."""
    profile = _profile(name)
    if not profile.user.is_active:
        raise UsageError(detail=f"账户 {name} 已停用")
    return tokens.new_token(profile)


def disable(name: str) -> None:
    """Disable the account and its token; its submissions are kept."""
    profile = _profile(name)
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    profile.token_hash = ""
    profile.save(update_fields=["token_hash"])


def listing() -> str:
    """A plain table of accounts."""
    lines = ["登录名\t显示名\t角色\t状态\tAPI 令牌"]
    for profile in Profile.objects.select_related("user").order_by("user__username"):
        lines.append(
            "\t".join(
                [
                    profile.user.username,
                    profile.display_name or "-",
                    profile.get_role_display(),
                    "正常" if profile.user.is_active else "已停用",
                    "有" if profile.token_hash else "无",
                ]
            )
        )
    return "\n".join(lines)
