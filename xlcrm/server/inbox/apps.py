"""App configuration."""

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "xlcrm.server.inbox"
    label = "inbox"
    verbose_name = "提交收件箱"
    default_auto_field = "django.db.models.BigAutoField"
