import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from portal.env import (
    SettingError,
    database_from_url,
    env_bool,
    env_int,
    secret_key_check,
    secret_key_file,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("EMAIL_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/portal"),
        ("DATABASE_URL", "postgres://db.example.org:port/portal"),
        ("DATABASE_URL", "postgres://db.example.org:5432"),
        ("REDIS_URL", "http://localhost:6379"),
        ("EMAIL_PORT", "twenty-five"),
        ("EMAIL_PORT", "70000"),
        ("CLINIC_TIME_ZONE", "Mars/Olympus_Mons"),
        ("LOG_LEVEL", "LOUD"),
        ("SECRET_KEY", ""),
        ("ALLOWED_HOSTS", ""),
    ],
)
def test_a_malformed_setting_stops_start_up_with_one_line_naming_it(name, value):
    result = run_manage("check", **{**PRODUCTION_ENV, name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {name}: ")
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    strong_key = secrets.token_urlsafe(50)
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_ENV, "SECRET_KEY": strong_key}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "weak_key",
    [
        "short",
        "x" * 32,  # the audit's example: long enough for the old rule, one character repeated
        "0123456789abcdef0123456789abcdef0123456789abcdef0",  # 49 characters
        "abcd" * 20,  # 80 characters, only four different ones
    ],
)
def test_a_weak_secret_key_stops_start_up_in_production(weak_key):
    result = run_manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": weak_key})
    assert result.returncode == 2
    assert result.stderr.startswith(
        "Configuration error: SECRET_KEY: must be at least 50 characters long with at least 5 different ones"
    )


def test_djangos_development_key_stops_start_up_in_production():
    key = "django-insecure-" + secrets.token_urlsafe(50)
    result = run_manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": key})
    assert result.returncode == 2
    assert "SECRET_KEY: is a development key" in result.stderr


def test_demo_mode_accepts_any_secret_key():
    result = run_manage("check", DEBUG="true", SECRET_KEY="x")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "strong"),
    [
        ("a" * 46 + "bcde", True),  # exactly 50 characters, five different ones: the least accepted
        ("a" * 45 + "bcde", False),  # 49
        ("ab" * 40, False),
        ("abcd" * 13, False),  # 52 characters, four different ones
        ("abcde" * 10, True),  # 50 characters, five different ones
    ],
)
def test_secret_key_check_uses_djangos_own_thresholds(key, strong):
    if strong:
        assert secret_key_check("SECRET_KEY", key) == key
    else:
        with pytest.raises(SettingError, match="^SECRET_KEY: must be at least 50 characters long"):
            secret_key_check("SECRET_KEY", key)


def test_without_secret_key_debug_generates_one_once_into_a_private_file(tmp_path):
    key_file = tmp_path / "state" / "secret_key"
    first = secret_key_file(key_file)
    second = secret_key_file(key_file)
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]


def test_without_database_url_the_portal_uses_a_sqlite_file(tmp_path):
    entry = database_from_url("DATABASE_URL", "sqlite:///var/portal.sqlite3", base_dir=tmp_path)
    assert entry["ENGINE"] == "django.db.backends.sqlite3"
    assert entry["NAME"] == str(tmp_path / "var" / "portal.sqlite3")
    # tests get a file beside it, so the live server's threads each have their own connection
    assert entry["TEST"]["NAME"] == str(tmp_path / "var" / f"portal.sqlite3.{os.getpid()}.test")
    absolute = database_from_url("DATABASE_URL", f"sqlite:///{tmp_path}/other.db", base_dir=Path("/nowhere"))
    assert absolute["NAME"] == f"{tmp_path}/other.db"


def test_a_postgres_url_becomes_a_database_entry_with_its_options():
    entry = database_from_url(
        "DATABASE_URL", "postgres://app:p%40ss@db.internal:6543/rehab?sslmode=require", base_dir=Path("/")
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["USER"], entry["PASSWORD"], entry["HOST"], entry["PORT"], entry["NAME"]) == (
        "app",
        "p@ss",
        "db.internal",
        "6543",
        "rehab",
    )
    assert entry["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)])
def test_boolean_settings_accept_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_number_settings_outside_their_range_name_the_variable(monkeypatch):
    monkeypatch.setenv("WORKERS", "0")
    with pytest.raises(SettingError, match="^WORKERS: expected a number from 1 to 64, got 0$"):
        env_int("WORKERS", 2, minimum=1, maximum=64)
