"""Settings for the portal, read from the environment (see README, "Settings").

Development is the default: SQLite, local-memory cache, DEBUG on. DJANGO_ENV=production
turns on every secure default and refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs the SECRET_KEY environment variable."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated host names)."
        )
else:
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as its documentation asks
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "lib",
    "education",
    "journal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 for a client that has the answer already, from its ETag or Last-Modified; 412 for one
    # whose If-Match or If-Unmodified-Since names another version (JSON under /api/).
    "portal.middleware.ConditionalGetMiddleware",
    # Cross-origin headers depend on each request's Origin, so they go on after the cache.
    "corsheaders.middleware.CorsMiddleware",
    # English or Spanish, from the address, else the reader's choice or browser (lib/i18n.py);
    # it needs no session, and the anonymous cache below keys on the language it activates.
    "lib.i18n.LanguageMiddleware",
    # Anonymous readers' public pages from the cache; every other answer private, no-store.
    # Signed-in requests go through all of what follows (lib/caching.py).
    "lib.caching.CacheRulesMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff need a second factor verified in this session for the admin and the clinician
    # pages (lib/two_factor.py); django-otp's middleware reads it from the session.
    "django_otp.middleware.OTPMiddleware",
    "lib.two_factor.StaffTwoFactorMiddleware",
    # The signed-in patient's time zone, from their session (no query); anonymous: TIME_ZONE.
    "lib.timezones.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {
                "error_summary": "lib.templatetags.error_summary",
                "languages": "lib.templatetags.languages",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A connection attempt to a PostgreSQL that is down or unreachable gives up after 3 seconds, so
# the request gets its 503 quickly instead of hanging until the operating system's TCP timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Queries run often (loading the signed-in user, say) are prepared once per connection,
    # after their fifth run, so PostgreSQL stops parsing and planning them. A pooler in transaction
    # mode (PgBouncer) can't keep prepared statements: DATABASE_PREPARED_STATEMENTS=off there.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
# `make run`'s web server, worker and scheduler share the file: readers never wait for a writer
# (WAL), and a transaction takes the write lock when it begins (IMMEDIATE), so a second writer
# waits up to 20 s for it; a transaction that read first and wrote later would otherwise fail
# at once with "database is locked" when another had written in between.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    # django-redis keeps one client per process; Django's own Redis cache makes one per call,
    # which costs more than the round trip (measured: 240 against 100 µs of CPU per get).
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis away: every read misses and every write is dropped (and logged), so pages
            # are built afresh and sessions read from the database; the site stays up.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # With a shared cache, each process also keeps the pages it has fetched from it: a page's
    # key holds everything it was built from, so a copy under that key is never out of date.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
# Whether every process (and machine) sees the same cache; see lib/caching.py.
CACHE_IS_SHARED = bool(REDIS_URL)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in the database and, when there is a shared cache, are read from it first.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_IS_SHARED
    else "django.contrib.sessions.backends.db"
)
# Without a shared cache, the stamp of the public content lives in this file, which every
# process serving the site must be able to read and write.
CONTENT_STAMP_FILE = Path(os.environ.get("CONTENT_STAMP_FILE", BASE_DIR / ".content-stamp"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "journal:dashboard"
LOGOUT_REDIRECT_URL = "/"

# How many load balancers stand in front of the portal, each appending the address it saw to
# X-Forwarded-For: 0 when clients connect directly, 1 behind one balancer. Sign-in lockouts and
# the API's rate limits count by the client's address read this way (lib/clients.py); with too
# low a number every client shares the balancer's address, with too high a one a client can
# choose its own.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Login guessing: after 5 failures for one username from one address, that pair waits an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lib.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Staff two-factor sign-in (lib/two_factor.py): the name authenticator apps show for the account,
# and the wrong-code slow-down: after n wrong codes in a row, 2**(n-1) seconds times the factor.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Clinic portal")
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 1

# Background work: Django's Tasks API through the django-tasks backport (Django 6 has it as
# django.tasks). The queue is the database (django-tasks-db) by default, and RQ on Redis
# (django-tasks-rq) when REDIS_URL is set. `manage.py run_worker` runs the configured one's
# worker; `manage.py run_scheduler` finds due work (lib/scheduler.py).
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# RQ borrows the cache's pool of Redis connections (django-redis) instead of opening a new
# connection for every task it queues (measured: 10,000 reminders queued in 32 s, then in 9.7 s).
RQ_QUEUES = {"default": {"USE_REDIS_CACHE": "default", "DEFAULT_TIMEOUT": 300}}
SCHEDULER_SECONDS = float(os.environ.get("SCHEDULER_SECONDS", "60"))
# The portal's address, for links in e-mails, which are sent with no request to ask.
PORTAL_URL = os.environ.get(
    "PORTAL_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
)

# E-mail (password resets, reminders, editorial notices): printed to the console in
# development, kept in the outbox in tests, sent by SMTP in production.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif os.environ.get("EMAIL_FILE_PATH"):
    # Each e-mail a file in this folder: a staging site, or the tests of the real workers.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

LANGUAGE_CODE = "en"
# English at the unprefixed addresses, Spanish under /es/ (portal/urls.py); lib/catalogues.py
# builds the interface's catalogues and django-modeltranslation keeps each content text's Spanish.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Widgets' templates come from templates/ like every other (the 0–10 rating's row of buttons).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # Token first, so an anonymous request gets 401 with WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["portal.api.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "portal.api.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "portal.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "portal.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.AnonThrottle", "portal.api.UserThrottle"],
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
# Requests a minute; read on every request, so they can change without a restart in tests.
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_ANON_RATE", "120/minute"),
    "user": os.environ.get("API_USER_RATE", "600/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic patient portal API",
    "DESCRIPTION": (
        "Public, read-only patient-education content (FAQs, articles, questions to ask, side "
        "effects) and, for an authenticated patient, their own journal and checklists. "
        "Authenticate with a session (and CSRF token) or with `Authorization: Token <key>`; "
        "patients create tokens at /accounts/api-token/. Information, not medical advice."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Cross-origin reads only for the public content; private routes stay same-origin.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/v1/(faqs|articles|questions|side-effects)/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# A medical reviewer may approve changes they made themselves only if this is on (for a clinic
# with a single reviewer). Off by default, for superusers too.
ALLOW_SELF_APPROVAL = env_bool("ALLOW_SELF_APPROVAL", False)

# Where the clinic's source article lives; the structured seed built from it is in education/seed/.
SEED_CONTENT_FILE = BASE_DIR / "education" / "seed" / "ketamine-adhd.toml"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Health data: a session ends after 12 hours (or SESSION_COOKIE_AGE seconds) even if left open.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere: every script is a file from this site (django-csp 4). Inline
# style attributes stay allowed for the admin and Swagger UI; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features the portal never uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
        "payment", "usb", "interest-cohort",
    ]
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "hide_secrets": {
            "()": "lib.log_filters.HideSecretsInPaths",
            "paths": [
                # A share link's signed token (portal/urls.py).
                "/share/<secret>",
                # A reminder e-mail's signed unsubscribe link (portal/urls.py).
                "/reminders/<secret>",
                # A password-reset link's token (django.contrib.auth.urls under /accounts/); the
                # page the link forwards to, .../set-password/, holds none.
                "/accounts/reset/<segment>/(?!set-password/)<secret>",
            ],
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["hide_secrets"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        **{name: {"level": "WARNING"} for name in ["axes", "weasyprint", "fontTools"]},
        # Django's other loggers print paths too (django.security.csrf), so they write through
        # the root's console only: Django's default handlers for them, a console in DEBUG and
        # e-mail to ADMINS (not set), have no filter.
        "django": {"handlers": [], "level": "INFO"},
        # Django's request and development-server loggers print paths, secrets included.
        **{
            name: {
                "handlers": ["console"],
                "filters": ["hide_secrets"],
                "level": "INFO",
                "propagate": False,
            }
            for name in ["django.request", "django.server"]
        },
    },
}
