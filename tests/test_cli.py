"""The `kuaiji` command, run as a user runs it: in a separate process, on a fresh database."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from click.testing import CliRunner

from kuaiji.cli import main
from kuaiji.config import env

TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment with its own data folder and an empty database of the suite's kind."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KUAIJI_")}
    environ["KUAIJI_DATA_DIR"] = str(tmp_path / "data")
    environ.pop("REDIS_URL", None)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        environ.pop("DATABASE_URL", None)
        yield environ
        return
    name = f"kuaiji_cli_{os.getpid()}"
    admin = dj_database_url.parse(url)
    conninfo = dict(
        host=admin["HOST"],
        port=admin["PORT"] or 5432,
        user=admin["USER"],
        password=admin["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**conninfo) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
    yield environ
    with psycopg.connect(**conninfo) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kuaiji(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kuaiji", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _count_users(environ: dict[str, str]) -> int:
    if "DATABASE_URL" in environ:
        with psycopg.connect(environ["DATABASE_URL"]) as connection:
            row = connection.execute("SELECT count(*) FROM identity_user").fetchone()
    else:
        database = Path(environ["KUAIJI_DATA_DIR"]) / "kuaiji.sqlite3"
        with sqlite3.connect(database) as connection:
            row = connection.execute("SELECT count(*) FROM identity_user").fetchone()
    assert row is not None
    return int(row[0])


def test_version_and_help() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.startswith("kuaiji, version ")
    help_text = runner.invoke(main, ["--help"]).output
    for command in ["demo", "serve", "migrate", "load-demo", "manage", "worker", "beat", "config"]:
        assert command in help_text


def test_config_doc_prints_the_reference() -> None:
    assert CliRunner().invoke(main, ["config", "--doc"]).output == env.markdown()


def test_config_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "do-not-print-me")
    monkeypatch.setenv("DATABASE_URL", "postgresql://kuaiji:pa55word@db.example:5432/kuaiji")
    output = CliRunner().invoke(main, ["config"]).output
    assert "do-not-print-me" not in output and "pa55word" not in output
    assert "SECRET_KEY = (set)" in output


def test_migrate_and_load_demo_are_idempotent(cli_env: dict[str, str]) -> None:
    before = kuaiji(cli_env, "load-demo")
    assert before.returncode == 1
    assert "kuaiji migrate" in before.stderr
    first = kuaiji(cli_env, "migrate")
    assert first.returncode == 0, first.stderr
    again = kuaiji(cli_env, "migrate")
    assert "up to date" in again.stdout
    loaded = kuaiji(cli_env, "load-demo", "--size", "small")
    assert loaded.returncode == 0, loaded.stderr
    assert re.search(r"administrator: 1 created", loaded.stdout)
    assert re.search(r"grids: \d{3} created", loaded.stdout), loaded.stdout
    users = _count_users(cli_env)
    reloaded = kuaiji(cli_env, "load-demo", "--size", "small")
    assert reloaded.returncode == 0, reloaded.stderr
    assert not re.search(r"[1-9]\d* (created|updated)", reloaded.stdout), reloaded.stdout
    assert _count_users(cli_env) == users


def test_demo_serves_the_three_fronts(cli_env: dict[str, str]) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kuaiji", "demo", "--port", str(port), "--size", "small"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = ""
        deadline = time.monotonic() + TIMEOUT
        while "Serving on" not in printed and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            printed += line
        for path in ["/", "/work/", "/cockpit/", "/admin/"]:
            assert f"http://127.0.0.1:{port}{path}" in printed
        assert re.search(r"admin / \S+", printed)
        assert "gridworker / " in printed and "township / " in printed
        body = _get_when_up(f"http://127.0.0.1:{port}/healthz")
        assert '"status": "ok"' in body
        assert "欢迎使用" in _get_when_up(f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get_when_up(url: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_taken_port_is_a_clear_error(cli_env: dict[str, str]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = kuaiji(cli_env, "serve", "--port", str(port))
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_a_clear_error(cli_env: dict[str, str]) -> None:
    cli_env["DATABASE_URL"] = f"postgresql://kuaiji:secret@127.0.0.1:{_free_port()}/kuaiji"
    result = kuaiji(cli_env, "migrate")
    assert result.returncode == 1
    assert "Cannot reach the postgresql database 'kuaiji' at 127.0.0.1" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_bad_configuration_is_a_clear_error(cli_env: dict[str, str]) -> None:
    cli_env["KUAIJI_PRODUCTION"] = "perhaps"
    result = kuaiji(cli_env, "migrate")
    assert result.returncode == 1
    assert "Invalid configuration: KUAIJI_PRODUCTION" in result.stderr


def test_demo_data_is_refused_in_production(cli_env: dict[str, str]) -> None:
    cli_env.update(KUAIJI_PRODUCTION="1", SECRET_KEY="s" * 60, ALLOWED_HOSTS="gov.example.cn")
    result = kuaiji(cli_env, "load-demo")
    assert result.returncode == 1
    assert "Refusing to load demo data in production mode" in result.stderr


def test_worker_needs_a_broker(cli_env: dict[str, str]) -> None:
    result = kuaiji(cli_env, "worker")
    assert result.returncode == 1
    assert "REDIS_URL is not set" in result.stderr


def test_manage_runs_django_commands(cli_env: dict[str, str]) -> None:
    result = kuaiji(cli_env, "manage", "check", "--deploy", "--fail-level", "CRITICAL")
    assert result.returncode == 0, result.stderr


def test_worker_runs_tasks_sent_through_redis(cli_env: dict[str, str]) -> None:
    from celery import Celery

    redis_url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    assert kuaiji(cli_env, "migrate").returncode == 0
    cli_env["REDIS_URL"] = redis_url
    worker = subprocess.Popen(
        [sys.executable, "-m", "kuaiji", "worker", "--pool=solo", "--concurrency=1"],
        env=cli_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = Celery("cli-test", broker=redis_url, backend=redis_url)
    try:
        result = client.send_task("core.clear_expired_sessions")
        assert result.get(timeout=120) == 0
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        client.close()


def test_production_collects_static_files_with_a_manifest(cli_env: dict[str, str]) -> None:
    cli_env.update(KUAIJI_PRODUCTION="1", SECRET_KEY="s" * 60, ALLOWED_HOSTS="gov.example.cn")
    result = kuaiji(cli_env, "manage", "collectstatic", "--no-input", "--verbosity=0")
    assert result.returncode == 0, result.stderr
    static = Path(cli_env["KUAIJI_DATA_DIR"]) / "static"
    assert (static / "staticfiles.json").exists()
    assert list(static.glob("vendor/echarts/echarts.min.*.js"))
    assert not (static / "vendor/echarts/echarts.js").exists()


def test_keys_init_provisions_production_keys_once(cli_env: dict[str, str]) -> None:
    cli_env.update(KUAIJI_PRODUCTION="1", SECRET_KEY="s" * 60, ALLOWED_HOSTS="gov.example.cn")
    first = kuaiji(cli_env, "keys", "init")
    assert first.returncode == 0, first.stderr
    data = Path(cli_env["KUAIJI_DATA_DIR"])
    keys_file, signing = data / "keys.json", data / "oidc-rsa.pem"
    assert keys_file.stat().st_mode & 0o077 == 0 and signing.stat().st_mode & 0o077 == 0
    before = keys_file.read_text(), signing.read_text()
    again = kuaiji(cli_env, "keys", "init")
    assert "Kept the existing key file" in again.stdout
    assert (keys_file.read_text(), signing.read_text()) == before
