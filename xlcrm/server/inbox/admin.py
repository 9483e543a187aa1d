"""Accounts in Django admin: the user with its inbox profile (role, display name)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("role", "display_name")


class InboxUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "profile_name", "profile_role", "is_active", "last_login")

    @admin.display(description="显示名")
    def profile_name(self, obj: User) -> str:
        return getattr(getattr(obj, "profile", None), "display_name", "")

    @admin.display(description="角色")
    def profile_role(self, obj: User) -> str:
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else ""

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # disable accounts instead: their submissions stay


admin.site.unregister(User)
admin.site.register(User, InboxUserAdmin)
