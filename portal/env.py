"""Typed readers for the environment variables that configure the portal.

Each reader either returns a value of the right type or raises `SettingError` naming the variable, so that
`settings.py` can stop start-up with one clear line instead of a traceback.
"""

import os
import re
import sys
import zoneinfo
from pathlib import Path
from typing import NoReturn
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingError(Exception):
    def __init__(self, name: str, problem: str):
        self.name = name
        super().__init__(f"{name}: {problem}")


def stop_on_bad_setting(error: SettingError) -> NoReturn:
    """Print the one-line reason and exit; a traceback would bury the variable's name."""
    sys.stderr.write(f"Configuration error: {error}\n")
    raise SystemExit(2)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(name, f"expected true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(name, f"expected a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise SettingError(name, f"expected a number from {minimum} to {maximum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingError(name, f"{value!r} is not an IANA time zone such as Europe/London") from None
    return value


def env_base_url(name: str, default: str, *, require_https: bool) -> str:
    """An absolute site address such as `https://portal.example.org`, without a path or a trailing slash:
    the start of every link the portal puts in an email or a text message."""
    value = env_str(name, default).rstrip("/")
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host or host[0] in ".*" or parts.path or parts.query:
        raise SettingError(name, f"expected an address such as https://portal.example.org, got {value!r}")
    if require_https and parts.scheme != "https":
        raise SettingError(name, f"must start with https:// when DEBUG is off, got {value!r}")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise SettingError(name, "the port is not a number") from None
    return value


def env_dotted_path(name: str, default: str) -> str:
    """A Python dotted path such as `reminders.channels.ConsoleSMSBackend`; imported when first used."""
    value = env_str(name, default)
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", value):
        raise SettingError(name, f"expected a dotted Python path such as package.module.Class, got {value!r}")
    return value


def database_from_url(name: str, url: str, *, base_dir: Path) -> dict:
    """Turn `postgres://user:pass@host:port/db?sslmode=require` or `sqlite:///path` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):  # sqlite:////absolute/path
            path = path[1:]
        elif path.startswith("/"):  # sqlite:///relative/path
            path = str(base_dir / path.lstrip("/"))
        if not path:
            raise SettingError(name, "a sqlite URL needs a file name, e.g. sqlite:///db.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # Web, worker and beat share the file: wait for locks, write-ahead log, take write locks up front.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # The test database is a file beside it too, not Django's in-memory one: with that, the browser
            # tests' live server shares one connection between all its threads, and two requests at once
            # (a search and an "Add") could commit while the other was still reading. With a file each thread
            # has its own connection and the locks above, as the web server's threads do in `make run`. One
            # file per test process, so that two test runs at once in one checkout never share one.
            "TEST": {"NAME": f"{path}.{os.getpid()}.test"},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise SettingError(name, "a PostgreSQL URL needs a database name after the host, e.g. /portal")
        try:
            port = parts.port
        except ValueError:
            raise SettingError(name, "the port is not a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise SettingError(name, f"expected a postgres:// or sqlite:/// URL, got scheme {parts.scheme!r}")


def redis_url(name: str, default: str) -> str:
    value = env_str(name, default)
    parts = urlsplit(value)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise SettingError(name, f"expected a redis:// URL, got {value!r}")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise SettingError(name, "the port is not a number") from None
    return value


# The thresholds of Django's own deployment check (security.W009), enforced at start-up instead of warned of
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 5
DJANGO_INSECURE_KEY_PREFIX = "django-insecure-"
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_check(name: str, value: str) -> str:
    """Refuse a production key an attacker could guess: sessions, password reset links and reminder links are
    all signed with it."""
    if value.startswith(DJANGO_INSECURE_KEY_PREFIX):
        raise SettingError(
            name, f"is a development key ({DJANGO_INSECURE_KEY_PREFIX}...); make one with {MAKE_A_KEY}"
        )
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS:
        raise SettingError(
            name,
            f"must be at least {SECRET_KEY_MIN_LENGTH} characters long with at least "
            f"{SECRET_KEY_MIN_DISTINCT_CHARACTERS} different ones; make one with {MAKE_A_KEY}",
        )
    return value


def secret_key_file(path: Path) -> str:
    """Generate a secret key once into an untracked file, for DEBUG runs without SECRET_KEY."""
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(get_random_secret_key() + "\n")
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: if web, worker and beat race, exactly one key wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
