"""Settings read from the environment; defaults give a one-machine SQLite install that needs nothing else."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("XIETONG_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


TESTING = "pytest" in sys.modules or os.environ.get("XIETONG_TESTING") == "1"
DEBUG = _env_bool("DEBUG", default=True)
_DEV_SECRET = "django-insecure-xietong-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "生产模式（DEBUG=false）必须设置 SECRET_KEY 环境变量 / SECRET_KEY is required when DEBUG is off"
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY 过短或为开发默认值 / SECRET_KEY must be a real secret of at least 32 characters"
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
if TESTING:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "xietong.core",
    "xietong.regions",
    "xietong.orgs",
    "xietong.resources",
    "xietong.ledger",
    "xietong.vouchers",
    "xietong.transfer",
    "xietong.evaluation",
    "xietong.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xietong.core.middleware.ChineseFirstLocaleMiddleware",
    "xietong.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xietong.core.middleware.ActorMiddleware",
    "xietong.core.middleware.OutOfRangeIdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xietong.urls"
WSGI_APPLICATION = "xietong.wsgi.application"
ASGI_APPLICATION = "xietong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xietong.core.context_processors.actor",
            ],
        },
    }
]

# Huey's queue, uploads and matching indexes live here whichever database is used.
VAR_DIR.mkdir(parents=True, exist_ok=True)
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # psycopg prepares a statement once it has run this many times on a connection: only core.hotsql's
        # statements (they bind on the server; the ORM's bind on the client and are never prepared). Planning the
        # voucher path's joins cost PostgreSQL more than running them. "off" for a transaction-mode pooler.
        _prepare = os.environ.get("XIETONG_PG_PREPARE_THRESHOLD", "2").strip().lower()
        if _prepare not in {"off", "none", ""}:
            DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(_prepare)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("XIETONG_SQLITE_PATH", str(VAR_DIR / "xietong.sqlite3")),
            "OPTIONS": {
                # WAL for concurrent readers; IMMEDIATE so a write transaction takes the lock up front
                # instead of failing later with "database is locked" on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("XIETONG_SQLITE_TEST_PATH") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
XIETONG_MAX_IMPORT_BYTES = int(os.environ.get("XIETONG_MAX_IMPORT_BYTES", 10 * 1024 * 1024))
XIETONG_MAX_IMPORT_ROWS = int(os.environ.get("XIETONG_MAX_IMPORT_ROWS", 50_000))

if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("XIETONG_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _env_bool("XIETONG_SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# On-disk matching indexes (one directory per kind of listing); empty means var/matching.
XIETONG_MATCHING_DIR = os.environ.get("XIETONG_MATCHING_DIR", "")

HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "xietong",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": TESTING or _env_bool("XIETONG_HUEY_IMMEDIATE", False),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIETONG_LOG_LEVEL", "WARNING")},
}

# --- sec-accounts ---
# Login throttling (django-axes): a username (canonical form) failing from one address is locked for a
# cool-off; the login page says so in Chinese. API tokens never pass through `authenticate`, so scripts
# are not locked out. Behind a proxy set AXES_IPWARE_PROXY_COUNT / AXES_IPWARE_META_PRECEDENCE_ORDER.
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xietong.core.auth.CanonicalUsernameBackend",
    "django.contrib.auth.backends.ModelBackend",  # accounts stored before usernames were canonical
]
AXES_FAILURE_LIMIT = int(os.environ.get("XIETONG_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("XIETONG_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "xietong.core.auth.throttle_username"
AXES_LOCKOUT_CALLABLE = "xietong.web.account_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# E-mail (password reset): printed to the console in development; SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get("XIETONG_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "协同创新平台 <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("XIETONG_PASSWORD_RESET_SECONDS", 24 * 3600))

# 公示 objections: at most this many per account within one publicity period (one open per redemption).
XIETONG_OBJECTIONS_PER_PERIOD = int(os.environ.get("XIETONG_OBJECTIONS_PER_PERIOD", 3))
