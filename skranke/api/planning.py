"""Planning over the API: how many agents the telephones need in an
interval (docs/planning.md). For a signed-in manager or administrator, or
an integration token; targets left out are the municipality's contact
centre targets, patience left out is estimated from its last 90 days of
call records."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from skranke.accounts.models import IntegrationToken, User
from skranke.api.errors import ApiError
from skranke.api.statistics import Bearer, ManagerSession
from skranke.contact_centre.models import KpiTargets
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.planning.phones.call_history import read_call_history
from skranke.planning.phones.erlang import (
    ImpossibleLoad,
    Load,
    Targets,
    plan_erlang_a,
    plan_erlang_c,
)

router = Router(tags=["planning"])

PATIENCE_HISTORY = timedelta(days=90)


class ErlangQuery(Schema):
    calls: float = Field(ge=0, le=100_000, description="Calls offered in the interval.")
    interval_minutes: float = Field(default=30, gt=0, le=24 * 60)
    aht_seconds: float = Field(gt=0, le=24 * 3600, description="Average handling time.")
    target_seconds: float | None = Field(default=None, ge=1, le=3600)
    service_level: float | None = Field(
        default=None, gt=0, lt=1, description="Share of offered calls answered in time, 0–1."
    )
    abandoned: float | None = Field(
        default=None, gt=0, le=1, description="Share of calls hung up after the target time."
    )
    abandoned_total: float | None = Field(
        default=None, gt=0, le=1, description="Share of calls hung up at all, 0–1."
    )
    max_occupancy: float = Field(default=0.85, gt=0, le=1)
    shrinkage: float = Field(default=0.30, ge=0, lt=1)
    patience_seconds: float | None = Field(default=None, ge=1, le=24 * 3600)


def _municipality(request: HttpRequest) -> Municipality:
    """The token's municipality, or the manager's (ManagerSession lets in
    only staff of a municipality)."""
    holder: IntegrationToken | User = request.auth  # type: ignore[attr-defined]
    municipality = holder.municipality
    if municipality is None:  # a superuser of the installation: no centre
        raise ApiError(403, "forbidden", _("Only staff of a municipality may plan."))
    return municipality


@router.get(
    "/planning/erlang",
    auth=[Bearer(), ManagerSession()],
    url_name="planning_erlang",
    summary="Agents needed in an interval (Erlang C and Erlang A)",
)
def erlang(request: HttpRequest, query: Query[ErlangQuery]) -> dict[str, object]:
    """Erlang C (callers wait for ever) and Erlang A (callers hang up, with
    exponential patience): the fewest agents meeting the service level,
    the abandoned share (Erlang A) and the maximum occupancy, and how many
    to put on the rota with shrinkage. 422 when no number of agents can."""
    municipality = _municipality(request)
    kept = KpiTargets.objects.filter(municipality=municipality).first() or KpiTargets()
    patience = query.patience_seconds
    if patience is None:
        now = clock.now()
        patience = read_call_history(
            municipality=municipality, starts=now - PATIENCE_HISTORY, ends=now
        ).patience_seconds
    try:
        load = Load(
            calls=query.calls,
            interval_seconds=query.interval_minutes * 60,
            handling_seconds=query.aht_seconds,
        )
        targets = Targets(
            answer_seconds=query.target_seconds
            if query.target_seconds is not None
            else kept.answer_seconds,
            service_level=query.service_level
            if query.service_level is not None
            else kept.service_level_percent / 100,
            abandoned=query.abandoned
            if query.abandoned is not None
            else kept.abandoned_percent / 100,
            abandoned_total=query.abandoned_total
            if query.abandoned_total is not None
            else kept.abandoned_total_percent / 100,
            max_occupancy=query.max_occupancy,
            shrinkage=query.shrinkage,
        )
        plan_c = plan_erlang_c(load=load, targets=targets)
        plan_a = (
            None
            if patience is None
            else plan_erlang_a(load=load, targets=targets, patience_seconds=patience)
        )
    except ImpossibleLoad as error:
        raise ApiError(
            422, "impossible", _("No number of agents can take this load: %(why)s") % {"why": error}
        ) from error
    return {
        "erlangs": round(load.erlangs, 4),
        "patience_seconds": None if patience is None else round(patience, 1),
        "erlang_c": {
            "agents": plan_c.agents,
            "service_level": round(plan_c.service_level, 4),
            "asa_seconds": round(plan_c.asa_seconds, 2),
            "occupancy": round(plan_c.occupancy, 4),
            "agents_with_shrinkage": plan_c.agents_with_shrinkage,
        },
        "erlang_a": None
        if plan_a is None
        else {
            "agents": plan_a.agents,
            "service_level": round(plan_a.service_level, 4),
            "abandoned_share": round(plan_a.abandoned_share, 4),
            "abandoned_total": round(plan_a.abandoned_total, 4),
            "occupancy": round(plan_a.occupancy, 4),
            "agents_with_shrinkage": plan_a.agents_with_shrinkage,
        },
    }
