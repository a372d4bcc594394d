"""The portal's one settings module. Production differs from the demo only by environment variables.

Every variable is listed, with its default, in README.md. A malformed value stops start-up with one line
naming the variable.
"""

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
    elif len(SECRET_KEY) < 32 and not DEBUG:
        raise SettingError("SECRET_KEY", "must be at least 32 characters long")

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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.ActivateTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# A session ends after an hour without activity; every request pushes the end back.
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
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
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In demo mode WhiteNoise serves straight from static/ (no collectstatic); in production from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

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
