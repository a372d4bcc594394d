"""A real Celery worker, started as its own process against the test database and the test Redis."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def closed_port_url() -> str:
    """A redis:// URL on a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_celery(command: str, *args: str) -> subprocess.Popen:
    """Run `celery -A portal COMMAND` as a separate process on the test database and the test Redis."""
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "REDIS_URL": settings.REDIS_URL}
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would block the process
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", command, "--loglevel", "INFO", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def stop_process(process: subprocess.Popen) -> str:
    """Stop it warmly, then firmly; return what it printed."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.log.seek(0)  # type: ignore[attr-defined]
    output = process.log.read()  # type: ignore[attr-defined]
    process.log.close()  # type: ignore[attr-defined]
    return output


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    """A real worker; the fixture waits until it answers a ping and stops it after the module."""
    if connection.vendor != "postgresql":
        pytest.fail("the integration tests need PostgreSQL: run them with `make test`")
    worker = start_celery(
        "worker",
        "--concurrency",
        "1",
        "--hostname",
        f"test-{os.getpid()}@%h",
        "--without-mingle",
        "--without-gossip",
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not come up:\n{stop_process(worker)}")
        yield worker
    finally:
        if worker.poll() is None:
            stop_process(worker)
