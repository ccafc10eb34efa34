"""The `kuaiji` console command: demo, serve, migrate, load-demo, worker, beat, config, manage,
the imports (import-directory, import-hotline, load-data), refresh-metrics and the administration
groups (audit, keys, oidc-client)."""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click

import kuaiji

SETTINGS_MODULE = "kuaiji.config.settings"


def _setup_django() -> None:
    """Load the settings and apps, turning configuration mistakes into one clear line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.core.exceptions import ImproperlyConfigured
    from pydantic import ValidationError

    try:
        django.setup()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise click.ClickException(f"Invalid configuration: {problems}") from exc
    except ImproperlyConfigured as exc:
        raise click.ClickException(f"Invalid configuration: {exc}") from exc


def _database_label() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite file {settings['NAME']}"
    host = settings.get("HOST") or "local socket"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"{connection.vendor} database {settings['NAME']!r} at {host}{port}"


def _require_database() -> None:
    """Connect to the database or stop with a message saying which one and why."""
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise click.ClickException(
            f"Cannot reach the {_database_label()}: {reason}. "
            "Start the database server or correct DATABASE_URL."
        ) from exc


def _require_free_port(host: str, port: int) -> None:
    """Stop early, with advice, when another program already listens on the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"Port {port} on {host} is already in use. Stop the program using it "
                    f"or choose another port with --port."
                ) from exc
            raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}.") from exc


def _pending_migrations() -> list[Any]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _migrate() -> None:
    """Apply every pending migration with a progress bar."""
    from django.core.management.commands.migrate import Command as MigrateCommand

    pending = _pending_migrations()
    if not pending:
        click.echo("Database schema is up to date.")
        return
    with click.progressbar(length=len(pending), label="Migrating database") as bar:

        class ProgressMigrate(MigrateCommand):
            def migration_progress_callback(
                self, action: str, migration: Any = None, fake: bool = False
            ) -> None:
                if action in ("apply_success", "unapply_success"):
                    bar.update(1)

        ProgressMigrate().run_from_argv(["kuaiji", "migrate", "--no-input", "--verbosity=0"])


def _load_demo(size: str) -> None:
    from kuaiji.platform.core.demo_loader import demo_steps

    if _pending_migrations():
        raise click.ClickException("The database schema is not up to date: run `kuaiji migrate`.")
    steps = demo_steps()
    summaries: list[str] = []
    with click.progressbar(steps, label=f"Loading demo data ({size})") as bar:
        for step in bar:
            summaries.append(f"  {step.name}: {step.run(size)}")  # type: ignore[arg-type]
    click.echo("\n".join(summaries))


@contextmanager
def _in_process_scheduler() -> Iterator[None]:
    """Run periodic jobs in this process when there is no broker (the embedded default)."""
    from django.conf import settings

    if settings.REDIS_URL:
        yield
        return
    from kuaiji.config.celery import app
    from kuaiji.platform.core.scheduler import InProcessScheduler

    scheduler = InProcessScheduler(app)
    scheduler.start()
    try:
        yield
    finally:
        scheduler.stop()


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from kuaiji.config.wsgi import application

    if _pending_migrations():
        click.secho(
            "Warning: the database schema is not up to date: run `kuaiji migrate`.",
            fg="yellow",
            err=True,
        )
    with _in_process_scheduler():
        waitress_serve(application, host=host, port=port, threads=threads, ident="kuaiji")


host_option = click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
port_option = click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
size_option = click.option(
    "--size",
    type=click.Choice(["small", "default", "large"]),
    default="default",
    show_default=True,
    help="How much demo data to generate.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kuaiji.__version__, prog_name="kuaiji")
def main() -> None:
    """Kuaiji, the city digital-governance platform."""


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _setup_django()
    _require_database()
    _migrate()


@main.command("load-demo")
@size_option
def load_demo(size: str) -> None:
    """Load the demo city's data (idempotent: running it again changes nothing)."""
    _setup_django()
    from django.conf import settings

    if settings.PRODUCTION:
        raise click.ClickException("Refusing to load demo data in production mode.")
    _require_database()
    _load_demo(size)


@main.command()
@host_option
@port_option
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web application (single process; use gunicorn behind nginx in production)."""
    _setup_django()
    _require_free_port(host, port)
    _require_database()
    click.echo(f"Kuaiji serving on http://{host}:{port}/ (Ctrl+C to stop)")
    _serve(host, port, threads)


@main.command()
@host_option
@port_option
@size_option
def demo(host: str, port: int, size: str) -> None:
    """Migrate, load the demo data and serve it: the quickest way to see Kuaiji."""
    _setup_django()
    from django.conf import settings

    from kuaiji.platform.core.demo_loader import demo_accounts

    if settings.PRODUCTION:
        raise click.ClickException("The demo does not run in production mode.")
    _require_free_port(host, port)
    _require_database()
    _migrate()
    _load_demo(size)
    base = f"http://{host}:{port}"
    lines = [
        "",
        click.style("Kuaiji demo is ready", bold=True),
        f"  Service front (citizens, enterprises): {base}/",
        f"  Work front (staff):                    {base}/work/",
        f"  Cockpit (leaders):                     {base}/cockpit/",
        f"  Admin console:                         {base}/admin/",
        f"  API docs:                              {base}/api/v1/docs",
        "  Demo accounts:",
        *(f"    {a.username} / {a.password}  ({a.purpose})" for a in demo_accounts()),
        "",
    ]
    click.echo("\n".join(lines))
    _serve(host, port, threads=8)


def _celery(argv: list[str]) -> None:
    _setup_django()
    from django.conf import settings

    if not settings.REDIS_URL:
        raise click.ClickException(
            "REDIS_URL is not set: without a broker, background tasks and periodic jobs run "
            "inside `kuaiji serve`, so no separate worker or beat is needed."
        )
    from kuaiji.config.celery import app

    app.start(argv)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (needs REDIS_URL); extra arguments go to `celery worker`."""
    _celery(["worker", "--loglevel=INFO", *celery_args])


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def beat(celery_args: tuple[str, ...]) -> None:
    """Run Celery beat, the periodic job sender (needs REDIS_URL)."""
    from kuaiji.config import env

    schedule = env.load().data_dir / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    _celery(["beat", "--loglevel=INFO", f"--schedule={schedule}", *celery_args])


@main.command("import-directory")
@click.argument(
    "kind",
    type=click.Choice(["regions", "departments", "grids", "staff", "grid-members", "grants"]),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--apply",
    "apply_import",
    is_flag=True,
    help="Import the file (all or nothing); without it, only check it.",
)
def import_directory(kind: str, file: str, apply_import: bool) -> None:
    """Check, or with --apply import, a directory file: regions, departments, staff,
    grid-members or grants from CSV/XLSX, grids from GeoJSON.

    Without --apply every bad row is listed with its line and reason, and the exit status is
    1 if there is any. Importing the same file again changes nothing.
    """
    _setup_django()
    _require_database()
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import KuaijiError
    from kuaiji.platform.directory.imports import (
        ImportFile,
        ImportRejected,
        apply,
        dry_run,
    )

    if _pending_migrations():
        raise click.ClickException("The database schema is not up to date: run `kuaiji migrate`.")
    try:
        source = ImportFile.from_path(file)
        run = apply if apply_import else dry_run
        report = run(kind, source, actor=SYSTEM)
    except ImportRejected as exc:
        report = exc.report
    except KuaijiError as exc:
        raise click.ClickException(str(exc.message)) from exc
    for problem in report.sorted_problems():
        click.echo(str(problem))
    if report.problems:
        raise click.ClickException(
            f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was imported."
        )
    if report.applied:
        click.echo(f"Imported {report.rows} row(s): {report.counts()}.")
    else:
        click.echo(
            f"Checked {report.rows} row(s), no problems; importing would give: "
            f"{report.counts()}. Run again with --apply to import."
        )


@main.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Check every entry of the audit chain; exit 1 naming the first one that fails."""
    _setup_django()
    _require_database()
    from kuaiji.platform.audit.verify import verify_chain

    verdict = verify_chain()
    if not verdict.intact:
        raise click.ClickException(
            f"Audit chain broken after {verdict.checked} good entries: {verdict.problem}."
        )
    click.echo(f"Audit chain intact: {verdict.checked} entries verified.")


@main.command("import-hotline")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_hotline(file: str) -> None:
    """Import 12345 hotline tickets from the hotline system's CSV export (all or nothing)."""
    _setup_django()
    _require_database()
    from kuaiji.apps.grassroots.hotline import import_hotline as run_import
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import InvalidInput

    try:
        done = run_import(actor=SYSTEM, data=Path(file).read_bytes())
    except InvalidInput as refused:
        problems = "\n".join(f"  {where}: {what}" for where, what in refused.fields.items())
        raise click.ClickException(f"{refused.message}\n{problems}") from refused
    click.echo(f"{len(done.created)} tickets imported, {len(done.skipped)} imported before.")


@main.command("load-data")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--on-bad-rows",
    type=click.Choice(["reject", "quarantine"]),
    default="reject",
    show_default=True,
    help="Reject the whole file, or load the good rows and quarantine the bad ones.",
)
@click.option("--user", "username", help="Load as this user (default: the platform itself).")
def load_data(code: str, file: str, on_bad_rows: str, username: str | None) -> None:
    """Load a CSV or XLSX FILE into the rows of the data resource CODE (upsert by key)."""
    _setup_django()
    _require_database()
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import KuaijiError
    from kuaiji.platform.data.ingest.loading import load_file
    from kuaiji.platform.data.models import DataResource, LoadStatus
    from kuaiji.platform.identity.models import User

    actor: Any = SYSTEM
    if username:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise click.ClickException(f"No active user {username!r}.")
    resource = DataResource.objects.select_related("department").filter(code=code).first()
    if resource is None:
        raise click.ClickException(f"No data resource {code!r}.")
    try:
        done = load_file(
            actor=actor,
            resource=resource,
            content=Path(file).read_bytes(),
            file_name=Path(file).name,
            on_bad_rows=on_bad_rows,
        )
    except KuaijiError as exc:
        raise click.ClickException(str(exc.message)) from exc
    for problem in done.problems:
        where = f"line {problem['line']}" if problem.get("line") else "file"
        field = f" {problem['field']}" if problem.get("field") else ""
        click.echo(f"  {where}{field}: {problem['reason']}")
    click.echo(
        f"Load {done.pk} {done.status}: {done.rows_read} read, {done.rows_inserted} new, "
        f"{done.rows_updated} changed, {done.rows_unchanged} unchanged, {done.rows_bad} bad; "
        f"{done.validate_seconds:.2f} s checking, {done.write_seconds:.2f} s writing; "
        f"data version {resource.data_version if done.data_version is None else done.data_version}."
    )
    if done.status != LoadStatus.APPLIED:
        raise click.ClickException(done.message or "The file was not loaded.")


@main.command("retrain-classifier")
def retrain_classifier() -> None:
    """Retrain the grid events' triage model on the shipped corpus and the handled events."""
    _setup_django()
    _require_database()
    from kuaiji.apps.grassroots.learning import retrain_classifier as retrain
    from kuaiji.platform.core.actors import SYSTEM

    done = retrain(actor=SYSTEM)
    click.echo(
        f"Triage model retrained on {done.samples} samples ({done.events} handled events); "
        f"held-out accuracy {done.accuracy:.3f}."
    )


@main.command("refresh-metrics")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Compute this day (default: yesterday and today).",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    help="Backfill this many days, ending with --day (default: today).",
)
def refresh_metrics(day: datetime | None, days: int | None) -> None:
    """Compute and store the indicators' values for the city, counties and townships."""
    _setup_django()
    _require_database()
    from django.utils import timezone

    from kuaiji.platform.metrics.refresh import refresh

    if day is None and days is None:
        stored = refresh()
        click.echo(f"{stored} indicator values stored for yesterday and today.")
        return
    last = day.date() if day is not None else timezone.localdate()
    count = days or 1
    stored = refresh(days=[last - timedelta(days=back) for back in range(count - 1, -1, -1)])
    click.echo(f"{stored} indicator values stored for {count} days up to {last.isoformat()}.")


@main.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Archive to write (default: kuaiji-backup-<date>-<time>.zip here).",
)
def backup(output: str | None) -> None:
    """Back up the database and the uploaded files into one zip archive with a checksummed
    manifest. The key file is not included: back it up apart."""
    _setup_django()
    _require_database()
    from django.utils import timezone

    from kuaiji.platform.backup.create import create_backup
    from kuaiji.platform.core.errors import KuaijiError
    from kuaiji.platform.core.keys import keys_file

    if _pending_migrations():
        raise click.ClickException("The database schema is not up to date: run `kuaiji migrate`.")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(output or f"kuaiji-backup-{stamp}.zip").resolve()
    try:
        done = create_backup(output=target)
    except KuaijiError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(
        f"Backed up {done.rows} rows of {done.tables} tables and {done.files} files "
        f"({done.file_bytes} bytes) to {done.path} ({done.archive_bytes} bytes)."
    )
    keys_needed = ", ".join(done.data_keys) or "none"
    click.echo(
        f"The key file {keys_file()} is NOT in the archive (data keys needed: {keys_needed}): "
        "keep a copy of it apart, through your key custody."
    )


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--force",
    is_flag=True,
    help="Erase every row of the database (and overwrite files in MEDIA_ROOT) first, "
    "even if it holds data.",
)
def restore(file: str, force: bool) -> None:
    """Restore an archive made by `kuaiji backup` into an empty database migrated to the same
    schema, then verify every table and file against its manifest (exit 1 on any mismatch)."""
    _setup_django()
    _require_database()
    from kuaiji.platform.backup.restore import restore_backup
    from kuaiji.platform.core.errors import KuaijiError

    try:
        report = restore_backup(archive=Path(file), force=force)
    except KuaijiError as exc:
        raise click.ClickException(str(exc.message)) from exc
    for check in report.tables:
        if not check.ok:
            click.echo(
                f"  MISMATCH table {check.table}: {check.rows} rows (expected "
                f"{check.expected_rows}), checksum {check.checksum[:16]}… (expected "
                f"{check.expected_checksum[:16]}…)"
            )
    for file_check in report.files:
        if not file_check.ok:
            click.echo(f"  MISMATCH file {file_check.path}")
    if not report.restored:
        raise click.ClickException(
            "The loaded data did not match the archive: the database was rolled back and "
            "nothing was restored."
        )
    if report.other_files:
        click.echo(f"{report.other_files} files in MEDIA_ROOT not in the archive were left.")
    summary = (
        f"{report.rows} rows in {len(report.tables)} tables and {len(report.files)} files "
        f"from the backup of {report.created_at} (Kuaiji {report.kuaiji_version})"
    )
    if not report.ok:
        raise click.ClickException(f"Restored {summary}, but some files do not match.")
    click.echo(f"Restored and verified {summary}: every count and checksum matches.")


@main.group("keys")
def keys_group() -> None:
    """The keys of personal data at rest."""


@keys_group.command("init")
def keys_init() -> None:
    """Create the key file and the OpenID Connect signing key where they are missing
    (production never creates them on its own); existing keys are never replaced."""
    _setup_django()
    from django.conf import settings

    from kuaiji.platform.core import keys
    from kuaiji.platform.identity.oidc.keys import generate_pem, write_pem

    data_keys = keys.keys_file()
    if data_keys.exists():
        click.echo(f"Kept the existing key file {data_keys}.")
    else:
        keys.write(keys.generate(), data_keys)
        click.echo(f"Created the key file {data_keys} (back it up apart from the database).")
    signing = Path(settings.KUAIJI_OIDC_KEY_FILE)
    if signing.exists():
        click.echo(f"Kept the existing signing key {signing}.")
    else:
        write_pem(signing, generate_pem())
        click.echo(f"Created the OpenID Connect signing key {signing}.")


@keys_group.command("status")
def keys_status() -> None:
    """Show the data keys and how many stored values each one seals."""
    _setup_django()
    _require_database()
    from kuaiji.platform.core.keys import keyring
    from kuaiji.platform.core.rotation import values_by_key

    counts = values_by_key()
    for key_id in sorted(keyring().data_keys):
        current = " (current)" if key_id == keyring().current else ""
        click.echo(f"{key_id}{current}: {counts.get(key_id, 0)} values")


@keys_group.command("rotate")
@click.option("--retire", is_flag=True, help="Afterwards remove the keys no value uses.")
def keys_rotate(retire: bool) -> None:
    """Seal every personal value again under a new data key (old keys stay until retired)."""
    _setup_django()
    _require_database()
    from kuaiji.platform.audit.services import record
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.rotation import retire_unused, rotate

    report = rotate()
    retired = retire_unused() if retire else []
    record(
        actor=SYSTEM,
        action="core.keys.rotate",
        object_type="core.keys",
        object_id=report.new_key,
        changes={"retired": [None, retired]},
    )
    click.echo(
        f"Re-sealed {report.rows} rows under {report.new_key}; values by key: "
        f"{report.values_by_key}" + (f"; retired {', '.join(retired)}" if retired else "")
    )


@main.group("oidc-client")
def oidc_client() -> None:
    """Applications that sign staff in through Kuaiji (OpenID Connect)."""


@oidc_client.command("create")
@click.option("--name", required=True, help="Name shown to staff on the consent page.")
@click.option(
    "--redirect-uri",
    "redirect_uris",
    required=True,
    multiple=True,
    help="Exact callback URL of the application (https; repeat for several).",
)
@click.option(
    "--public", is_flag=True, help="A public client (no secret; single-page or native app)."
)
def oidc_client_create(name: str, redirect_uris: tuple[str, ...], public: bool) -> None:
    """Register an application (authorization code with PKCE, RS256 ID tokens); print its
    client id and, this once only, its client secret."""
    _setup_django()
    _require_database()
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import KuaijiError
    from kuaiji.platform.identity.oidc.services import register_client

    try:
        client = register_client(
            actor=SYSTEM, name=name, redirect_uris=list(redirect_uris), public=public
        )
    except KuaijiError as exc:
        details = "; ".join(f"{field}: {text}" for field, text in exc.fields.items())
        raise click.ClickException(f"{exc.message}" + (f" {details}" if details else "")) from exc
    click.echo(f"client_id: {client.client_id}")
    if client.client_secret:
        click.echo(f"client_secret: {client.client_secret}")
        click.echo("Store the secret now: it is kept only as a hash and cannot be shown again.")


@main.group("api-key")
def api_key_group() -> None:
    """API keys of machine clients: shown once, stored hashed, revocable."""


@api_key_group.command("create")
@click.option("--name", required=True, help="What the key is for, e.g. the client's name.")
@click.option("--owner", required=True, help="Username of the person the key acts for.")
@click.option(
    "--permission",
    "codes",
    multiple=True,
    required=True,
    help="A permission code the key may use (repeat for several); the owner must hold it.",
)
@click.option("--rate", default=60, show_default=True, help="Requests per minute.")
@click.option("--expires-days", type=click.IntRange(min=1), help="Expire after this many days.")
def api_key_create(
    name: str, owner: str, codes: tuple[str, ...], rate: int, expires_days: int | None
) -> None:
    """Create a key and print it, this once: only its hash is kept."""
    _setup_django()
    _require_database()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kuaiji.platform.apikeys.services import create_key
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import KuaijiError

    person = get_user_model().objects.filter(username=owner).first()
    if person is None:
        raise click.ClickException(f"No user is named {owner!r}.")
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    try:
        key, plaintext = create_key(
            actor=SYSTEM,
            owner=person,
            name=name,
            permissions=list(codes),
            rate_per_minute=rate,
            expires_at=expires_at,
        )
    except KuaijiError as exc:
        problems = "; ".join(f"{field}: {text}" for field, text in exc.fields.items())
        raise click.ClickException(problems or str(exc.message)) from exc
    click.echo(f"Created API key {key.label} {key.name!r} acting for {person.get_username()}.")
    click.echo("Copy it now; it is shown this once and cannot be shown again:")
    click.echo(plaintext)


@api_key_group.command("revoke")
@click.argument("prefix")
def api_key_revoke(prefix: str) -> None:
    """Revoke the key with this prefix (as shown by `kuaiji api-key list`)."""
    _setup_django()
    _require_database()
    from kuaiji.platform.apikeys import tokens
    from kuaiji.platform.apikeys.models import ApiKey
    from kuaiji.platform.apikeys.services import revoke_key
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.core.errors import KuaijiError

    key = ApiKey.objects.filter(prefix=tokens.prefix_of(prefix)).first()
    if key is None:
        raise click.ClickException(f"No API key has the prefix {prefix!r}.")
    try:
        revoke_key(actor=SYSTEM, key=key)
    except KuaijiError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Revoked API key {key.label} {key.name!r}.")


@api_key_group.command("list")
def api_key_list() -> None:
    """List every key: prefix, state, owner, rate, codes, last use (never the key)."""
    _setup_django()
    _require_database()
    from django.utils import timezone

    from kuaiji.platform.apikeys.models import ApiKey

    now = timezone.now()
    for key in ApiKey.objects.select_related("owner").order_by("created_at"):
        state = "revoked" if key.revoked_at else "expired" if key.is_expired(now) else "active"
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        click.echo(
            f"{key.label}  {state:<7}  {key.name}  owner={key.owner.get_username()}  "
            f"rate={key.rate_per_minute}/min  used={used}  codes={','.join(key.permissions)}"
        )


@main.command()
@click.option("--doc", is_flag=True, help="Print the configuration reference as Markdown.")
def config(doc: bool) -> None:
    """Show the effective configuration (secrets hidden)."""
    from pydantic import ValidationError

    from kuaiji.config import env

    if doc:
        click.echo(env.markdown(), nl=False)
        return
    try:
        values = env.load().model_dump()
    except ValidationError as exc:
        raise click.ClickException(f"Invalid configuration: {exc}") from exc
    for name, value in values.items():
        shown = "(set)" if name in env.SECRET_FIELDS and value else value
        if name == "DATABASE_URL" and value:
            shown = env.hide_password(value)
        click.echo(f"{name} = {shown}")


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `kuaiji manage createsuperuser`."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kuaiji manage", *args])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
