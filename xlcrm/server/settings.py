"""Django settings, built from the options of ``xlcrm serve`` / ``xlcrm user``.

The command functions put their options into ``XLCRM_*`` environment variables before Django
starts (the worker process inherits them), so one settings module serves the server, the report
worker, the ``user`` commands and the tests:

- ``XLCRM_DATA_DIR``: the inbox folder (database, stored files, reports, secret key);
- ``XLCRM_DATABASE_URL``: ``postgresql://…`` (default: SQLite ``inbox.sqlite3`` in the folder);
- ``XLCRM_MAX_UPLOAD_MB``: the upload limit (default 20);
- ``XLCRM_TIME_ZONE``: the team's time zone (default Asia/Shanghai).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

DATA_DIR = Path(os.environ.get("XLCRM_DATA_DIR") or "xlcrm-inbox").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
FILES_DIR = DATA_DIR / "files"
REPORTS_DIR = DATA_DIR / "reports"


def _secret_key() -> str:
    """A random key kept in the data folder (readable by its owner only), made on first start."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


try:
    SECRET_KEY = _secret_key()
except FileExistsError:  # another process created it at the same instant
    SECRET_KEY = (DATA_DIR / "secret_key").read_text().strip()

DEBUG = False
# An intranet server is reached by IP address or a local name nobody configures in advance.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "xlcrm.server.inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xlcrm.server.inbox.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xlcrm.server.inbox.middleware.ProfileMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xlcrm.server.urls"
WSGI_APPLICATION = "xlcrm.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xlcrm.server.inbox.context.inbox",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("XLCRM_DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=0))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "inbox.sqlite3"),
        # WAL lets readers work while one upload writes; IMMEDIATE takes the write lock at the
        # start of a transaction, so concurrent uploads wait (timeout) instead of failing.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": str(DATA_DIR / "test-inbox.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("XLCRM_TIME_ZONE") or "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = None  # no collectstatic: WhiteNoise serves the app folders (below)
# Serve the package's own static files (htmx, css) straight from the app folder: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

MAX_UPLOAD_BYTES = int(float(os.environ.get("XLCRM_MAX_UPLOAD_MB") or 20) * 1024 * 1024)
# Room for the multipart envelope and the other form fields around the file.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
CSRF_FAILURE_VIEW = "xlcrm.server.inbox.views.csrf_failure"
