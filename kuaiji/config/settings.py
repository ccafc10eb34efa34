"""Django settings for Kuaiji, derived from the environment declared in `kuaiji.config.env`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kuaiji.config import env as environment
from kuaiji.platform.identity.oidc.keys import lazy_private_key

django_stubs_ext.monkeypatch()  # lets generic Django classes (ModelAdmin[M]...) be subscripted

ENV = environment.load()
PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = ENV.data_dir
PRODUCTION = ENV.KUAIJI_PRODUCTION
DEBUG = ENV.KUAIJI_DEBUG and not PRODUCTION


SECRET_KEY = environment.secret_key(ENV)

if PRODUCTION and "ALLOWED_HOSTS" not in ENV.model_fields_set:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production mode.")
ALLOWED_HOSTS = ENV.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = ENV.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from local static files
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kuaiji.platform.core",
    "kuaiji.platform.identity",
    "kuaiji.platform.access",
    "kuaiji.platform.directory",
    "kuaiji.platform.audit",
    "kuaiji.platform.workdays",
    "kuaiji.platform.messaging",
    "kuaiji.platform.chains",
    "kuaiji.platform.data",
    "kuaiji.platform.metrics",
    "kuaiji.apps.grassroots",
    "kuaiji.apps.government",
    "kuaiji.apps.command",
    "kuaiji.platform.apikeys",
    "kuaiji.fronts.shell",
    "kuaiji.fronts.portal",
    "kuaiji.fronts.workbench",
    "kuaiji.fronts.cockpit",
    "oauth2_provider",  # last, so the work front's consent page overrides its template
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kuaiji.platform.core.middleware.RequestIdMiddleware",
    "kuaiji.platform.apikeys.middleware.ApiKeyUseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kuaiji.platform.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kuaiji.fronts.shell.middleware.ErrorFormatMiddleware",
    "kuaiji.fronts.shell.middleware.AnonymousRateLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kuaiji.config.urls"
WSGI_APPLICATION = "kuaiji.config.wsgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

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
                "kuaiji.fronts.shell.context.branding",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        ENV.DATABASE_URL or f"sqlite:///{DATA_DIR / 'kuaiji.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while one writer commits; the busy timeout queues writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kuaiji.platform.identity.passwords.CharacterClassesValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kuaiji.platform.identity.backends.PhoneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: five failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "workbench/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if PRODUCTION else 0
OTP_TOTP_ISSUER = ENV.KUAIJI_CITY.work_front
# Idle sessions end after KUAIJI_SESSION_IDLE_MINUTES: every request renews the cookie.
SESSION_COOKIE_AGE = ENV.KUAIJI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

LANGUAGE_CODE = ENV.LANGUAGE_CODE
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kuaiji_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = ENV.TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kuaiji.platform.core.assets.VendorFinder",
]
NODE_MODULES_DIR = ENV.KUAIJI_NODE_MODULES
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION

# Content-Security-Policy: pages run only the platform's own scripts and styles (no inline
# code). Swagger UI at /api/v1/docs and Django's admin carry inline scripts of their own.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs", "/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

KUAIJI_CITY = ENV.KUAIJI_CITY
KUAIJI_KEYS_FILE = ENV.KUAIJI_KEYS_FILE or DATA_DIR / "keys.json"
KUAIJI_RATE_ANONYMOUS_PER_MINUTE = ENV.KUAIJI_RATE_ANONYMOUS_PER_MINUTE
KUAIJI_RATE_SENSITIVE_PER_MINUTE = ENV.KUAIJI_RATE_SENSITIVE_PER_MINUTE
KUAIJI_WORKING_HOURS = ENV.KUAIJI_WORKING_HOURS
KUAIJI_SLA_YELLOW_SHARE = ENV.KUAIJI_SLA_YELLOW_SHARE
KUAIJI_SUPERVISION_SECONDS = ENV.KUAIJI_SUPERVISION_SECONDS
KUAIJI_TRIAGE_MIN_CONFIDENCE = ENV.KUAIJI_TRIAGE_MIN_CONFIDENCE
KUAIJI_DUPLICATE_METRES = ENV.KUAIJI_DUPLICATE_METRES
KUAIJI_DUPLICATE_HOURS = ENV.KUAIJI_DUPLICATE_HOURS
KUAIJI_IMPORT_MAX_BYTES = ENV.KUAIJI_IMPORT_MAX_BYTES
KUAIJI_IMPORT_MAX_ROWS = ENV.KUAIJI_IMPORT_MAX_ROWS
KUAIJI_DATA_QUALITY_THRESHOLD = ENV.KUAIJI_DATA_QUALITY_THRESHOLD
KUAIJI_DATA_API_RATE_PER_MINUTE = ENV.KUAIJI_DATA_API_RATE_PER_MINUTE
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
REDIS_URL = ENV.REDIS_URL

# The cache (API-key rate counters...): Redis when REDIS_URL is set, shared by every process;
# otherwise each process's memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kuaiji",
            "TIMEOUT": 300,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kuaiji",
            "TIMEOUT": 300,
        }
    )
}

# OpenID Connect provider for integrated applications (django-oauth-toolkit): authorization
# code with PKCE (S256) only, ID tokens signed RS256 with a key kept outside the database.
KUAIJI_OIDC_KEY_FILE = ENV.KUAIJI_OIDC_KEY_FILE or DATA_DIR / "oidc-rsa.pem"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": lazy_private_key(KUAIJI_OIDC_KEY_FILE, generate=not PRODUCTION),
    "OAUTH2_VALIDATOR_CLASS": "kuaiji.platform.identity.oidc.validator.KuaijiValidator",
    "APPLICATION_ADMIN_CLASS": "kuaiji.platform.identity.oidc.admin.ApplicationAdmin",
    "SCOPES": {
        "openid": _("Sign you in with your staff account"),
        "profile": _("Your name and user name"),
        "kuaiji": _("Your department, your roles and the regions they cover"),
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",  # public clients (PKCE only)
    ],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 8 * 3600,  # a working day after the last access token
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
    # RFC 9700 (OAuth 2.0 security best current practice), adopted now.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": PRODUCTION,
}

# Celery: a Redis broker in production; without REDIS_URL the same task functions run
# in-process (eagerly), and periodic jobs run from kuaiji.platform.core.scheduler.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": ENV.KUAIJI_LOG_LEVEL},
    # SpiffWorkflow logs every task state change at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "spiff": {"level": "WARNING"}},
}

CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "core.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "clear-expired-tokens": {
        "task": "identity.clear_expired_tokens",
        "schedule": crontab(hour=3, minute=37),
    },
    "supervise-chains": {
        "task": "chains.supervise",
        "schedule": float(KUAIJI_SUPERVISION_SECONDS),
    },
    "pull-data-sources": {
        "task": "data.pull_sources",
        "schedule": 60.0,
    },
    "assess-data-quality": {
        "task": "data.assess_quality",
        "schedule": crontab(hour=4, minute=7),
    },
    "deliver-data-flowback": {
        "task": "data.deliver_flowback",
        "schedule": 300.0,
    },
    "refresh-metrics": {
        "task": "metrics.refresh",
        "schedule": 900.0,
    },
    "remind-directives": {
        "task": "command.remind_directives",
        "schedule": 900.0,
    },
    "remind-due-tasks": {
        "task": "command.remind_due_tasks",
        "schedule": crontab(hour=8, minute=30),
    },
}
