"""Chains: three-step chains run with persistence against SpiffWorkflow in memory, and the
"my tasks" query among a million open tasks.

Runs INSTANCES instances of `tests/chains/three_step.bpmn` from start to completion through the
services (`services.start`, then `services.complete` by the grid worker, the township officer and
the county officer), each step a transaction that writes the workflow, the task table, the
timeline, the audit log and the notices; and, in the same run, MEMORY_INSTANCES instances of the
same model parsed once and run by SpiffWorkflow in memory with the same form data. The ratio is
persisted instances/s over in-memory instances/s.

Then it loads OPEN_TASKS open tasks (most of them other people's: other assignees, other
candidate groups; 50 assigned to the township officer and 50 in his candidate group), analyzes
the table and times the "my tasks" query (the first 50 by due date, the actor's grants read
afresh each time) against a full count of the open tasks timed the same way, as the same-run
baseline; medians of 20 runs. The query plan is printed so index use can be seen.

The benchmark makes its own throw-away database and data folder: a fresh SQLite file in a
temporary folder by default, or, given a PostgreSQL URL, that database dropped and created anew
(and dropped again at the end):

    python -m bench.chains [--instances 10000] [--memory-instances 10000] [--open-tasks 1000000]
    python -m bench.chains --database-url postgresql://postgres@127.0.0.1:5432/kuaiji_bench
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django

from bench.results import Figure, add_figures_option, write_figures

REPO_DIR = Path(__file__).resolve().parents[1]
THREE_STEP = REPO_DIR / "tests" / "chains" / "three_step.bpmn"
GRID = "330602001001001"
FORMS = {
    "report": {"opinion": "东街井盖缺失"},
    "accept": {"decision": "accept"},
    "close": {"result": "已补装"},
}
STEP_ROLES = {"report": "grid_worker", "accept": "township_officer", "close": "county_officer"}
PAGE = 50
MINE = 50  # open tasks assigned to the township officer, and as many in his candidate group
BATCH = 10_000


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    vendor: str
    instances: int
    persisted_per_second: float
    memory_instances: int
    memory_per_second: float
    open_tasks: int
    load_seconds: float
    my_tasks_rows: int
    my_tasks_ms: float
    count_ms: float
    plan: str

    @property
    def ratio(self) -> float:
        """Persisted instances/s over in-memory instances/s."""
        return self.persisted_per_second / self.memory_per_second

    @property
    def query_ratio(self) -> float:
        """The "my tasks" median over the full count's median."""
        return self.my_tasks_ms / self.count_ms


# ---------------------------------------------------------------------------------------------
# The throw-away database (main() only; the tests run on pytest-django's database).


def _maintenance_url(url: str) -> tuple[str, str]:
    """The URL of the `postgres` maintenance database on the same server, and the name of the
    database of `url`."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("The PostgreSQL URL must name the benchmark database.")
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit(parts._replace(scheme=scheme, path="/postgres")), name


def _postgres(url: str, statements: list[str]) -> None:
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        for statement in statements:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def prepare_database(url: str | None) -> Callable[[], None]:
    """Point Django at a fresh database (a SQLite file in a temporary folder, or the PostgreSQL
    database of `url` dropped and created anew), set Django up and migrate. Returns the cleanup
    that drops it again."""
    folder = tempfile.mkdtemp(prefix="kuaiji-bench-chains-")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url takes a postgresql:// URL (SQLite is the default).")
        _postgres(url, ["DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}"])
    os.environ["DATABASE_URL"] = url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["KUAIJI_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuaiji.config.settings"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        if url:
            _postgres(url, ["DROP DATABASE IF EXISTS {} WITH (FORCE)"])
        shutil.rmtree(folder, ignore_errors=True)

    return cleanup


# ---------------------------------------------------------------------------------------------
# The fixtures the chain needs, made if the database lacks them.


def _set_up() -> dict[str, Any]:
    """Publish the calendar, build the tiny city and upload the three-step model if missing;
    return the three people of the chain by role."""
    from django.utils import timezone

    from kuaiji.platform.chains.models import ChainDefinition
    from kuaiji.platform.chains.versions import upload_model
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.directory.models import Region
    from kuaiji.platform.identity.models import User
    from kuaiji.platform.workdays.models import PublishedYear
    from kuaiji.platform.workdays.services import (
        library_years,
        publish_from_library,
        publish_year,
    )
    from tests.directory.city import build_tiny_city

    publish_from_library(actor=SYSTEM, years=library_years())
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if not PublishedYear.objects.filter(year=year).exists():
            publish_year(actor=SYSTEM, year=year, days=[])
    if not Region.objects.filter(code="330600").exists():
        build_tiny_city()
    if not ChainDefinition.objects.filter(key="three_step").exists():
        upload_model(actor=SYSTEM, source=THREE_STEP.read_bytes())
    return {role: User.objects.get(username=f"u_{role}") for role in STEP_ROLES.values()}


def _start(people: dict[str, Any], grid: Any, n: int, business_type: str) -> Any:
    from kuaiji.platform.chains import services

    return services.start(
        actor=people["grid_worker"],
        definition="three_step",
        title=f"井盖缺失 {n}",
        business_type=business_type,
        business_id=f"B{n}",
        grid=grid,
    )


# ---------------------------------------------------------------------------------------------
# Start to completion: persisted, and in memory.


def _persisted(people: dict[str, Any], instances: int) -> float:
    """Seconds to run `instances` chains from start to completion through the services."""
    from kuaiji.platform.chains import services
    from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, TaskStatus, WorkTask
    from kuaiji.platform.directory.models import Grid

    grid = Grid.objects.get(code=GRID)
    started = time.perf_counter()
    ids = []
    for n in range(instances):
        instance = _start(people, grid, n, "bench.chain")
        ids.append(instance.pk)
        for step, role in STEP_ROLES.items():
            task, name = (
                WorkTask.objects.filter(instance_id=instance.pk, status=TaskStatus.OPEN)
                .values_list("pk", "step")
                .get()
            )
            assert name == step, (name, step)
            services.complete(actor=people[role], task=task, form=FORMS[step])
    seconds = time.perf_counter() - started
    completed = ChainInstance.objects.filter(pk__in=ids, status=InstanceStatus.COMPLETED).count()
    assert completed == instances, f"{instances - completed} instances did not complete"
    return seconds


def _in_memory(instances: int) -> float:
    """Seconds to run `instances` workflows of the same model in SpiffWorkflow's memory, with
    the same start and form data (the model parsed once, outside the timing)."""
    from lxml import etree
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

    from kuaiji.platform.chains.engine import ready_user_tasks

    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_xml(etree.fromstring(THREE_STEP.read_bytes()), filename="three_step.bpmn")
    spec = parser.get_spec("three_step")
    subprocess_specs = parser.get_subprocess_specs("three_step")
    started = time.perf_counter()
    for n in range(instances):
        workflow = BpmnWorkflow(spec, subprocess_specs)
        workflow.task_tree.data.update({"title": f"井盖缺失 {n}"})
        workflow.do_engine_steps()
        for step in STEP_ROLES:
            [task] = ready_user_tasks(workflow)
            assert task.task_spec.name == step, (task.task_spec.name, step)
            task.data.update(FORMS[step])
            task.run()
            workflow.do_engine_steps()
        assert workflow.completed
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# A million open tasks, and "my tasks" among them.


def _other_people(count: int) -> list[int]:
    """Ids of `count` staff accounts the bulk tasks belong to."""
    from django.contrib.auth.hashers import make_password

    from kuaiji.platform.identity.models import User

    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"bench_{n}", password=unusable, is_staff=True) for n in range(count)],
        ignore_conflicts=True,
    )
    return list(
        User.objects.filter(username__startswith="bench_").values_list("pk", flat=True)[:count]
    )


def _task_rows(
    open_tasks: int, instance_ids: list[int], officer: Any, officer_key: str, seed: int
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns of the task table and `open_tasks` rows for them, prepared for the
    database: MINE assigned to the officer, MINE in his candidate group, the rest other
    people's (half assigned, half in one of many candidate groups)."""
    from django.db import connection
    from django.utils import timezone

    from kuaiji.platform.chains.models import TaskStatus, WorkTask

    rng = random.Random(seed)
    mine = min(MINE, open_tasks // 4)
    owners: list[tuple[int | None, str]] = [(officer.pk, "")] * mine
    owners += [(None, officer_key)] * mine
    others = _other_people(max(10, min(2_000, open_tasks // 500)))
    groups = max(10, open_tasks // 50)
    for n in range(open_tasks - 2 * mine):
        if n % 2:
            owners.append((rng.choice(others), ""))
        else:
            owners.append((None, f"bench_role@region:{rng.randrange(groups) + 1_000_000}"))
    rng.shuffle(owners)

    now = timezone.now()
    template = WorkTask(
        instance_id=instance_ids[0],
        spiff_id=uuid.uuid4(),
        step="accept",
        step_name="受理",
        step_name_en="Accept",
        lane="乡镇",
        title="井盖缺失",
        business_type="bench.load",
        business_id="L",
        unit_label="测试",
        region_path="330600/330602/330602001",
        status=TaskStatus.OPEN,
        time_limit="1d",
        due_at=now,
        created_at=now,
    )
    fields = [field for field in WorkTask._meta.concrete_fields if not field.primary_key]
    columns = [str(field.column) for field in fields]
    base = [
        field.get_db_prep_save(getattr(template, field.attname), connection) for field in fields
    ]
    spiff, due = (next(f for f in fields if f.name == name) for name in ("spiff_id", "due_at"))
    dues = [
        due.get_db_prep_save(now + timedelta(minutes=minutes), connection)
        for minutes in range(0, 365 * 24 * 60, 37)
    ]
    position = {name: index for index, name in enumerate(columns)}

    def rows() -> Iterator[tuple[Any, ...]]:
        row = list(base)
        for assignee, key in owners:
            row[position["instance_id"]] = rng.choice(instance_ids)
            row[position["spiff_id"]] = spiff.get_db_prep_save(uuid.uuid4(), connection)
            row[position["assignee_id"]] = assignee
            row[position["candidate_key"]] = key
            row[position["due_at"]] = rng.choice(dues)
            yield tuple(row)

    return columns, rows()


def _load(columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    """Insert the rows fast: COPY on PostgreSQL, batches of executemany elsewhere; then analyze
    the table."""
    from django.db import connection, transaction

    table = "chains_worktask"
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            insert = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(insert, batch)
                    batch.clear()
            if batch:
                cursor.executemany(insert, batch)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE")


def _first_page(found: Any) -> list[Any]:
    return list(found[:PAGE])


def _median_ms(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    answer = work()  # warm the caches once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answer


# ---------------------------------------------------------------------------------------------


def run(
    instances: int = 10_000,
    memory_instances: int | None = None,
    open_tasks: int = 1_000_000,
    runs: int = 20,
    seed: int = 2026,
) -> Result:
    """Measure on the database Django is connected to (setting up what the chain needs)."""
    from django.db import connection

    from kuaiji.platform.access.scoping import forget_grants
    from kuaiji.platform.chains.assignment import keys_of
    from kuaiji.platform.chains.models import WorkTask
    from kuaiji.platform.chains.selectors import my_tasks
    from kuaiji.platform.directory.models import Grid

    memory_instances = instances if memory_instances is None else memory_instances
    people = _set_up()
    persisted_seconds = _persisted(people, instances)
    memory_seconds = _in_memory(memory_instances)

    grid = Grid.objects.get(code=GRID)
    holders = [_start(people, grid, n, "bench.holder").pk for n in range(3)]
    officer = people["township_officer"]
    [officer_key] = keys_of(officer)
    started = time.perf_counter()
    _load(*_task_rows(open_tasks, holders, officer, officer_key, seed))
    load_seconds = time.perf_counter() - started

    def mine() -> list[Any]:
        forget_grants(officer)  # each request reads the actor's grants afresh
        return _first_page(my_tasks(officer))

    my_tasks_ms, rows = _median_ms(mine, runs)
    count_ms, counted = _median_ms(lambda: WorkTask.objects.filter(status="open").count(), runs)
    expected = min(PAGE, 2 * min(MINE, open_tasks // 4))
    assert len(rows) == expected, (len(rows), expected)
    assert all(task.assignee_id == officer.pk or task.candidate_key == officer_key for task in rows)
    assert counted == open_tasks + len(holders), (counted, open_tasks)
    plan = my_tasks(officer)[:PAGE].explain()
    return Result(
        vendor=connection.vendor,
        instances=instances,
        persisted_per_second=instances / persisted_seconds,
        memory_instances=memory_instances,
        memory_per_second=memory_instances / memory_seconds,
        open_tasks=counted,
        load_seconds=load_seconds,
        my_tasks_rows=len(rows),
        my_tasks_ms=my_tasks_ms,
        count_ms=count_ms,
        plan=plan,
    )


def report(result: Result) -> str:
    """The figures as printed."""
    return "\n".join(
        [
            f"chains on {result.vendor} ({platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} cores)",
            f"  persisted: {result.instances:,} three-step instances, start to completion, "
            f"{result.persisted_per_second:,.1f} instances/s",
            f"  in memory: {result.memory_instances:,} instances, "
            f"{result.memory_per_second:,.1f} instances/s",
            f"  ratio: {result.ratio:.3f} (persisted / in memory; "
            f"{1 / result.ratio:,.1f}x slower with persistence)",
            f"  open tasks: {result.open_tasks:,} (loaded in {result.load_seconds:.1f} s)",
            f"  my tasks (selectors.my_tasks): first {result.my_tasks_rows} rows, "
            f"median {result.my_tasks_ms:.2f} ms",
            f"  full count of open tasks: median {result.count_ms:.2f} ms",
            f"  ratio: {result.query_ratio:.3f} (my tasks / full count)",
            "  plan of my tasks:",
            *(f"    {line}" for line in result.plan.splitlines()),
        ]
    )


def figures(result: Result) -> list[Figure]:
    """The two figures of the run: persisted instances/s against SpiffWorkflow in memory, and
    the "my tasks" query against the full count of open tasks."""
    return [
        Figure(
            benchmark="chains",
            label="three-step chain persisted, start to completion",
            value=result.persisted_per_second,
            unit="instances/s",
            baseline_label="SpiffWorkflow in memory",
            baseline_value=result.memory_per_second,
            details={
                "vendor": result.vendor,
                "instances": result.instances,
                "memory_instances": result.memory_instances,
            },
        ),
        Figure(
            benchmark="chains",
            label=f"my tasks, first {result.my_tasks_rows} rows (median)",
            value=result.my_tasks_ms,
            unit="ms",
            baseline_label="full count of open tasks",
            baseline_value=result.count_ms,
            better="lower",
            details={
                "vendor": result.vendor,
                "open_tasks": result.open_tasks,
                "load_seconds": result.load_seconds,
                "plan": result.plan,
            },
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument(
        "--memory-instances", type=int, default=None, help="default: as many as --instances"
    )
    parser.add_argument("--open-tasks", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL database to drop and create anew"
    )
    add_figures_option(parser)
    arguments = parser.parse_args()
    cleanup = prepare_database(arguments.database_url or None)
    try:
        result = run(arguments.instances, arguments.memory_instances, arguments.open_tasks)
    finally:
        cleanup()
    print(report(result))
    write_figures(arguments, figures(result))


if __name__ == "__main__":
    main()
