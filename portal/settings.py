"""The portal's one settings module. Production differs from the demo only by environment variables.

Every variable is listed, with its default, in README.md. A malformed value stops start-up with one line
naming the variable.
"""

import datetime
import sys
from pathlib import Path

from portal.env import (
    SettingError,
    database_from_url,
    env_base_url,
    env_bool,
    env_dotted_path,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    redis_url,
    secret_key_check,
    secret_key_file,
    stop_on_bad_setting,
)

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_STATE_DIR = BASE_DIR / "var"  # untracked: SQLite file, generated secret key, Redis data of `make run`

try:
    DEBUG = env_bool("DEBUG", False)

    SECRET_KEY = env_str("SECRET_KEY")
    if not SECRET_KEY:
        if not DEBUG:
            raise SettingError("SECRET_KEY", "must be set when DEBUG is off")
        SECRET_KEY = secret_key_file(LOCAL_STATE_DIR / "secret_key")
    elif not DEBUG:
        secret_key_check("SECRET_KEY", SECRET_KEY)

    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
    if not ALLOWED_HOSTS:
        raise SettingError("ALLOWED_HOSTS", "must name the site's host names when DEBUG is off")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

    DATABASES = {
        "default": database_from_url(
            "DATABASE_URL", env_str("DATABASE_URL", "sqlite:///var/portal.sqlite3"), base_dir=BASE_DIR
        )
    }
    REDIS_URL = redis_url("REDIS_URL", "redis://127.0.0.1:6379/0")

    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)
    # The sender's name shows on lock screens, so it names no condition (see reminders/messages.py).
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rehab portal <portal@localhost>")
    if EMAIL_HOST:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    elif DEBUG:
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    else:
        raise SettingError("EMAIL_HOST", "must be set when DEBUG is off, or password reset emails go nowhere")
    # Links in reminder emails and texts are absolute. In production they default to the first host name.
    PORTAL_BASE_URL = env_base_url(
        "PORTAL_BASE_URL",
        "http://localhost:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}",
        require_https=not DEBUG,
    )
    # Text messages: off until the clinic has a provider; SMS_BACKEND names its class (reminders/channels.py).
    SMS_ENABLED = env_bool("SMS_ENABLED", False)
    SMS_BACKEND = env_dotted_path("SMS_BACKEND", "reminders.channels.ConsoleSMSBackend")

    CLINIC_TIME_ZONE = env_time_zone("CLINIC_TIME_ZONE", "Europe/London")
    CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 2, minimum=1, maximum=64)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
    BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
    # Serve the hashed, compressed copies that `collectstatic` writes to STATIC_ROOT (production, `make run`).
    COLLECTED_STATIC = env_bool("COLLECTED_STATIC", not DEBUG)
    # Staff reads' audit rows commit without waiting for the disk unless this is on (accounts/audit.py).
    AUDIT_READS_WAIT_FOR_DISK = env_bool("AUDIT_READS_WAIT_FOR_DISK", False)
    LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
    if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingError("LOG_LEVEL", f"expected DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}")
except SettingError as error:
    stop_on_bad_setting(error)

# Dates are stored in UTC and shown in each person's own time zone.
TIME_ZONE = "UTC"
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en-gb"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "pgtrigger",
    "common",
    "accounts",
    "careteam",
    "conditions",
    "rehab",
    "reminders",
    "portal",
]

MIDDLEWARE = [
    # First, so that every response carries it: HTTPS redirects, static files, 404 and 500 pages.
    "portal.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Above sessions and authentication: it sees who is signed in and every response below, errors included.
    "portal.middleware.NoStoreForPrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one, with one query for both.
    "accounts.middleware.AuthenticationMiddleware",
    # Staff (and patients who turned it on) pass the second factor before any other page opens.
    "accounts.middleware.TwoFactorMiddleware",
    "portal.middleware.ActivateTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, which tell a person signed out for inactivity why they are back on the sign-in page.
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page (accounts/lockouts.py).
    "axes.middleware.AxesMiddleware",
]

# In the test suite, django-zeal (requirements-dev.txt) makes a page that loads a relation once per row (an
# N+1 query) fail its test with the line that did it; tests/portal/test_query_caps.py caps each page's count.
if "pytest" in sys.modules:
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.insert(0, "zeal.middleware.zeal_middleware")
    ZEAL_RAISE = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "portal.context_processors.navigation",
                "reminders.context_processors.notifications",  # the navbar bell's unread count
            ],
        },
    },
]

CACHES = {
    "default": {
        "BACKEND": "common.redis_cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# How long a page kept for a signed-in person (common/private_page_cache.py) is served while what it shows is
# unchanged: how far behind the clock "due now" and other time-of-day text may be. 0 keeps nothing.
PRIVATE_PAGE_SECONDS = 60
# Public pages kept whole for visitors who are not signed in (common/page_cache.py) are forgotten whenever a
# row of one of these models is saved or deleted.
PUBLIC_PAGE_SOURCES = [
    "conditions.Condition",
    "conditions.Section",
    "conditions.FAQ",
    "conditions.RedFlag",
    "conditions.RelatedCondition",
    "conditions.Reference",
    "rehab.Exercise",
]

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Two-factor sign-in (accounts/two_factor.py): the name authenticator apps show, and django-otp's admin
# pages without the secret keys. Each wrong code doubles the wait before the next one (1 s, 2 s, 4 s, ...).
OTP_TOTP_ISSUER = "Hamstring rehab portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.MaximumLengthValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# A session ends 15 minutes after the last request for staff, 30 for patients, and 12 hours after signing in
# for everyone (accounts/middleware.py SessionTimeoutMiddleware); the cookie lasts no longer than the last.
# Activity is written to the session at most once a minute, not on every request.
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_SAVE_EVERY_REQUEST = False
# Read from Redis, written through to the database: a page reads its session without a query, and a Redis
# restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_LIMIT_STAFF = datetime.timedelta(minutes=15)
SESSION_IDLE_LIMIT_PATIENT = datetime.timedelta(minutes=30)

# Sign-in lockout (django-axes, accounts/lockouts.py), for the portal's and the admin's sign-in: 5 failures
# within 15 minutes lock the address typed and, separately, throttle the client's IP address, until 15
# minutes after the last failure. Attempts are kept in the database, so admins can list and lift lockouts.
# A successful sign-in does not clear the count, or one account of their own would let an attacker go on
# guessing other people's passwords from the same address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockouts.typed_address"
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockouts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log
AXES_ENABLE_ADMIN = False  # accounts/lockouts.py has the admin's page of lockouts
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /health/ is probed over plain HTTP by load balancers and process managers.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "portal.static_storage.HashedNamesStaticFilesStorage"
        if COLLECTED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# With COLLECTED_STATIC, WhiteNoise serves STATIC_ROOT as `collectstatic` left it: every file name carries a
# hash of its content, so it is cached for a year and more (`immutable`), and each text file has a gzip and a
# Brotli copy beside it. Otherwise (the tests, a bare runserver) it serves static/ as it is, uncompressed.
WHITENOISE_AUTOREFRESH = not COLLECTED_STATIC
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The append-only triggers (portal/apps.py) are installed after every `migrate` rather than written into the
# migrations of each app; on SQLite pgtrigger does nothing.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

# Celery: JSON only; a task is acknowledged after it ran, so a killed worker's task runs again
# (every task is written to be safe to run twice).
CELERY_BROKER_URL = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a task that was taken but not acknowledged once this many seconds have passed. It must
# be longer than the longest task (90 s) and than any countdown or ETA we set (retry backoff stays under
# 30 minutes), or a task still waiting or running is delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
