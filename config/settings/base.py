"""Settings shared by every environment.

Read from the environment with django-environ (`config/env.py`). With nothing set, the product runs on
its embedded defaults: SQLite in the project folder and Celery tasks run in-process. `DATABASE_URL`
(PostgreSQL) and `CELERY_BROKER_URL` (Redis) switch to the real engines; the code path is the same.
"""
from datetime import timedelta

from config.env import BASE_DIR, env, throttle_rate

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "clauses",
    "procurement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.FileDecryptionErrorMiddleware",
    # Last, as django-axes requires: it turns a flagged lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses locked-out credentials before ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# --- Celery -----------------------------------------------------------------------------------------
# No broker configured = the embedded default: tasks run in-process, eagerly, through the same code.
_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _BROKER_URL
# Eager mode never sends to a broker, but Celery still builds a kombu connection; an in-memory URL *with*
# a host keeps kombu from warning "No hostname was supplied. Reverting to default 'localhost'".
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# spaCy's vocabulary keeps every word a process has seen (about +30 MB per 500 real contracts, much more on
# text full of unique codes): a worker child past this resident size (KiB) is replaced after its current
# task, so nothing is lost (Celery worker_max_memory_per_child); 0 turns it off.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_KB", default=1_000_000) or None
CELERY_TASK_SOFT_TIME_LIMIT = env.int("SCAN_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("SCAN_HARD_TIME_LIMIT", default=360)
# Above the hard time limit, so a long scan is never redelivered while still running (celery #2599).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Worker failures (procurement/reliability.py, README "Security"): a scan `running` past the staleness
# window belongs to a dead worker; the reaper requeues it up to SCAN_MAX_ATTEMPTS claims, then fails it.
SCAN_STALE_AFTER_SECONDS = env.int("SCAN_STALE_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
SCAN_MAX_ATTEMPTS = env.int("SCAN_MAX_ATTEMPTS", default=3)
SCAN_REAPER_INTERVAL_SECONDS = env.int("SCAN_REAPER_INTERVAL_SECONDS", default=300)
# Data retention (procurement/retention.py): uploaded files and extracted text are deleted this many days
# after the review closes (approved/rejected); findings and the audit trail are kept.
RETENTION_DAYS_AFTER_CLOSE = env.int("RETENTION_DAYS_AFTER_CLOSE", default=90)
# `celery -A config beat` (or `worker -B` on one worker) runs these; without a broker use cron with
# `manage.py reap_stale_scans` and `manage.py purge_expired`.
CELERY_BEAT_SCHEDULE = {
    "reap-stale-scans": {"task": "procurement.scans_requeue_stale", "schedule": float(SCAN_REAPER_INTERVAL_SECONDS)},
    "purge-expired-documents": {"task": "procurement.purge_expired", "schedule": 6 * 60 * 60.0},
}

# --- Django REST Framework --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # {"error": {"code", "message", "fields"}} for every error (procurement/api/errors.py, README "REST API").
    "EXCEPTION_HANDLER": "procurement.api.errors.exception_handler",
    # 429 with Retry-After over these rates (procurement/api/throttles.py; counts kept in CACHES["default"]).
    # Every API endpoint needs a token or session (401 before any throttle), so counts are per user.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": throttle_rate("API_THROTTLE_USER", default="600/min"),
        "uploads": throttle_rate("API_THROTTLE_UPLOADS", default="120/hour"),
    },
}
# The embedded default keeps cache entries (API rate counts) per process; CACHE_URL=redis://... shares them.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI procurement contracts API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a field called "status"; name each choice set (issue 5: schema without warnings).
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "procurement.statuses.ContractStatus",
        "ScanStatusEnum": "procurement.statuses.ScanStatus",
        "DecisionEnum": "procurement.statuses.Decision",
        "ClauseVersionStatusEnum": ["draft", "approved"],
        "TopicStatusEnum": ["present", "conflict", "missing"],
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Path ids are integers (config/converters.py bounds them to 18 digits).
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
        "topic": {"type": "string", "pattern": "^[a-z0-9_.-]{1,64}$"},
    },
}

# --- Uploads and extraction limits (safe defaults; see procurement/extraction.py) -------------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
EXTRACT_MAX_PDF_PAGES = env.int("EXTRACT_MAX_PDF_PAGES", default=500)
EXTRACT_MAX_UNZIPPED_BYTES = env.int("EXTRACT_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)
EXTRACT_MAX_ZIP_RATIO = env.int("EXTRACT_MAX_ZIP_RATIO", default=200)
EXTRACT_MAX_TEXT_CHARS = env.int("EXTRACT_MAX_TEXT_CHARS", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Playbook (topics.md defaults; an organisation can change them) ---------------------------------
PLAYBOOK = {
    "max_retention_days": env.int("PLAYBOOK_MAX_RETENTION_DAYS", default=30),
    "max_breach_notice_hours": env.int("PLAYBOOK_MAX_BREACH_NOTICE_HOURS", default=72),
    "min_price_change_notice_days": env.int("PLAYBOOK_MIN_PRICE_CHANGE_NOTICE_DAYS", default=90),
    "accepted_governing_laws": env.list("PLAYBOOK_ACCEPTED_GOVERNING_LAWS", default=[]),
}

# --- Security (issue 6; README "Security") --------------------------------------------------------
# Content-Security-Policy for every response (django-csp 4): no inline scripts or styles anywhere.
# The only exception is the Swagger UI page, which gets a per-view `csp_update` (see README).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 60 * 60)  # seconds: one working day
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): 5 failures for one username from one IP lock that pair for 15 minutes.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy set AXES_IPWARE_PROXY_COUNT so the client address (not the proxy's) is counted.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)

# Encryption at rest (procurement/storage.py): comma-separated Fernet keys, the first encrypts, all decrypt.
# Empty = files are stored as they are.
FILE_ENCRYPTION_KEYS = env.list("FILE_ENCRYPTION_KEYS", default=[])
STORAGES = {
    "default": {"BACKEND": "procurement.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Logs carry ids and counts, never document text or answers (config/logging.py redacts and truncates).
LOGGING_CONFIG = "config.logging.configure"
# Workers keep these handlers (and their redacting filter) instead of Celery replacing the root handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.logging.RedactSensitiveFilter"},
                "no_4xx_traceback": {"()": "config.logging.DropClientErrorTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default "django" handlers (console when DEBUG, mail_admins) would print each record a
        # second time next to the root handler: let "django" records go only through the root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403/404 is logged as one warning line, without the PermissionDenied/Http404 traceback.
        "django.request": {"filters": ["no_4xx_traceback"], "propagate": True},
        # django-axes announces "AXES: BEGIN …" at INFO on every manage.py command.
        "axes": {"level": "WARNING", "propagate": True},
    },
}
