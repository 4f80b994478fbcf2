"""/healthz and /readyz, for the load balancer, the service manager and
monitoring.

/healthz says only that the process answers: it reads no database, so a
restart is never triggered by a database that is down. /readyz says whether
this installation can serve citizens right now: the database answers, every
migration is applied, and a worker went round its loop within the last two
minutes (otherwise messages to citizens are not going out). Neither needs a
login, neither is cached, and neither tells more than which check failed."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from skranke.core import clock
from skranke.worker.heartbeat import is_silent, last_heartbeat

OK = "ok"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


def check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return OK


def check_migrations() -> str:
    """Whether every migration on disk is applied (a few ms: the migration
    modules are imported once per process)."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"{len(plan)} unapplied" if plan else OK


def check_worker() -> str:
    last = last_heartbeat()
    if last is None:
        return "never reported"
    if is_silent(last=last):
        return f"silent for {int((clock.now() - last).total_seconds())} s"
    return OK


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database()}
    if checks["database"] == OK:
        try:
            checks["migrations"] = check_migrations()
            checks["worker"] = check_worker()
        except DatabaseError:
            # The database went away between the checks.
            checks["database"] = "unreachable"
    failing = sorted(name for name, result in checks.items() if result != OK)
    return JsonResponse(
        {"status": "unavailable" if failing else "ready", "failing": failing, "checks": checks},
        status=503 if failing else 200,
    )
