"""Settings read from the environment. Without any, they are production settings (DEBUG off) for one
machine on SQLite; `xietong serve --dev` turns DEBUG on. Tests use tests/settings.py, which imports these."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xietong import instance

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = instance.PROJECT_DIR
VAR_DIR = instance.var_dir()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", default=False)
# Environment first; else the random key `xietong setup`/`serve` keep in var/ (a development checkout
# makes one on first use). Never a key written in the code.
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (
    instance.ensure_secret_key(VAR_DIR) if DEBUG else instance.read_secret_key(VAR_DIR)
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "生产模式必须设置 SECRET_KEY 环境变量（或先运行 xietong setup 在 var/ 下生成随机密钥）"
        " / SECRET_KEY is required: set it, or run `xietong setup` to keep a random key in var/"
    )
if not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY 过短或为开发默认值 / SECRET_KEY must be a real secret of at least 32 characters"
    )

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

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
    "xietong.talent",
    "xietong.chains",
    "xietong.cockpit",
    "xietong.coordination",
    "xietong.sharing",
    "xietong.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
LOGIN_REDIRECT_URL = "core:landing"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise reads it at start-up, before any collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
XIETONG_MAX_IMPORT_BYTES = int(os.environ.get("XIETONG_MAX_IMPORT_BYTES", 10 * 1024 * 1024))
XIETONG_MAX_IMPORT_ROWS = int(os.environ.get("XIETONG_MAX_IMPORT_ROWS", 50_000))

# Static files are served by whitenoise from STATIC_ROOT (`collectstatic`, run by `xietong setup`/`serve`):
# content-hashed names cached for a year, gzip/brotli versions made at collect time.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "xietong.core.static_storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG  # `serve --dev` needs no collectstatic
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS. On by default in production: the platform sits behind a TLS proxy (nginx) that sets
# X-Forwarded-Proto; XIETONG_HTTPS=false only for a plain-HTTP demo on 127.0.0.1 (`make demo`).
_https = not DEBUG and _env_bool("XIETONG_HTTPS", True)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = int(os.environ.get("XIETONG_HSTS_SECONDS", 31_536_000)) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("XIETONG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("XIETONG_HSTS_PRELOAD", True)
# Trust the proxy's scheme header only when the operator names it (e.g. HTTP_X_FORWARDED_PROTO): a header
# a client could set itself must not be believed by default.
if _proxy_header := os.environ.get("XIETONG_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# On-disk matching indexes (one directory per kind of listing); empty means var/matching.
XIETONG_MATCHING_DIR = os.environ.get("XIETONG_MATCHING_DIR", "")

# The task queue: Redis when REDIS_URL is set (several app servers, one queue), else a SQLite file in var/.
_redis_url = os.environ.get("REDIS_URL", "").strip()
HUEY = {
    "name": "xietong",
    "immediate": _env_bool("XIETONG_HUEY_IMMEDIATE", False),
    **(
        {
            "huey_class": "huey.RedisHuey",
            # RedisHuey builds one redis.ConnectionPool from the URL, shared by the process's threads;
            # its size is the URL's `?max_connections=N` (redis-py reads it), unbounded otherwise.
            "connection": {"url": _redis_url},
        }
        if _redis_url
        else {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIETONG_LOG_LEVEL", "WARNING")},
}

# Other branches append their settings below, each in a block headed `# --- <branch> ---`.

# --- house-layers ---
# Who builds `request.actor` from a Django user: the app that owns memberships (core does not import it).
XIETONG_ACTOR_BUILDER = "xietong.orgs.selectors.actor_build"
# A DomainError raised by a page view is shown as its Chinese message with its status (last = innermost,
# so it sees the view's exception before any other middleware).
MIDDLEWARE = [*MIDDLEWARE, "xietong.core.middleware.DomainErrorPageMiddleware"]

# --- house-money ---
# Voucher codes carry an HMAC check made with their own keys, never SECRET_KEY (rotating that must not void
# printed vouchers): comma-separated, newest first; codes are signed with the first, any of them verifies.
XIETONG_VOUCHER_CODE_KEYS = [
    key.strip() for key in os.environ.get("XIETONG_VOUCHER_CODE_KEYS", "").split(",") if key.strip()
]
if not XIETONG_VOUCHER_CODE_KEYS:
    # Else the random key `xietong setup`/`serve` keep in var/ beside SECRET_KEY (a development checkout makes
    # one on first use), like SECRET_KEY never a key written in the code.
    _kept = (instance.ensure_secret_key if DEBUG else instance.read_secret_key)(
        VAR_DIR, instance.VOUCHER_KEY_FILE
    )
    XIETONG_VOUCHER_CODE_KEYS = [_kept] if _kept else []
    if DEBUG:
        # development only: codes signed on a developer's database before the kept key (derived from, or
        # signed with, SECRET_KEY) still verify
        import hashlib as _hashlib

        XIETONG_VOUCHER_CODE_KEYS += [
            _hashlib.sha256(f"xietong-voucher-codes:{SECRET_KEY}".encode()).hexdigest(),
            SECRET_KEY,
        ]
    if not XIETONG_VOUCHER_CODE_KEYS:
        raise ImproperlyConfigured(
            "生产模式必须设置 XIETONG_VOUCHER_CODE_KEYS 环境变量（或先运行 xietong setup 在 var/ 下生成随机密钥）/ "
            "XIETONG_VOUCHER_CODE_KEYS is required: set it, or run `xietong setup` to keep a random key in var/"
        )
elif not DEBUG and any(len(key) < 32 for key in XIETONG_VOUCHER_CODE_KEYS):
    raise ImproperlyConfigured(
        "XIETONG_VOUCHER_CODE_KEYS 中的每个密钥至少 32 个字符 / every voucher code key needs 32 characters or more"
    )
# Keep the matching indexes in memory only (a throwaway instance, the test suite), unless
# XIETONG_MATCHING_DIR names a directory.
XIETONG_MATCHING_IN_MEMORY = _env_bool("XIETONG_MATCHING_IN_MEMORY", False)
# --- sec-files ---
# Private files (voucher evidence, order reports) have no URL: they live outside MEDIA_ROOT and leave the
# server only through views that ask the policy. In production nginx sends them (X-Accel-Redirect to an
# `internal` location at XIETONG_PRIVATE_ACCEL_PREFIX) or Apache/lighttpd (X-Sendfile); "" streams them.
XIETONG_PRIVATE_ROOT = os.environ.get("XIETONG_PRIVATE_ROOT", "") or str(VAR_DIR / "private")
XIETONG_PRIVATE_SENDFILE = os.environ.get("XIETONG_PRIVATE_SENDFILE", "").strip().lower()
if XIETONG_PRIVATE_SENDFILE not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        "XIETONG_PRIVATE_SENDFILE 只能为空、x-accel-redirect 或 x-sendfile / must be '', x-accel-redirect or x-sendfile"
    )
XIETONG_PRIVATE_ACCEL_PREFIX = os.environ.get("XIETONG_PRIVATE_ACCEL_PREFIX", "/_private/")
# Public media (resource photos) through Django when no proxy serves MEDIA_URL; off behind nginx.
XIETONG_SERVE_PUBLIC_MEDIA = _env_bool("XIETONG_SERVE_PUBLIC_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    **globals().get("STORAGES", {}),
    "private": {"BACKEND": "xietong.core.files.PrivateStorage"},
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every page (django-csp): scripts only from this origin or with the request's
# nonce; inline style attributes stay allowed (ECharts' tooltips and Bootstrap use them), script never.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["csp", "ninja"]  # ninja: the API docs page uses its bundled swagger-ui, not a CDN
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("csp.context_processors.nonce")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }
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
