"""The telephones' need as the rota takes it: agents with shrinkage per
half hour of the days asked for, from the Erlang A plan (plan.py).

The contact centre's agents answer from wherever they sit, so unlike the
counter's need there is no desk limit and nothing to simulate here: the
Erlang A plan already says what each half hour's staff achieves.
"""

from collections.abc import Sequence
from datetime import date

from skranke.core.models import Municipality
from skranke.planning.phones.plan import plan_phones
from skranke.planning.rota.rota import NeedByDay


def plan_phone_need(
    *,
    municipality: Municipality,
    today: date,
    days: Sequence[date],
    max_occupancy: float,
    shrinkage: float,
) -> NeedByDay | None:
    """Agents needed per half hour on those of `days` the telephones are
    answered and forecast; None without enough call history, or when none
    of the days is one. Raises PhonePlanRefused as plan_phones does."""
    if not days:
        return None
    plan = plan_phones(
        municipality=municipality,
        today=today,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        # The forecast reaches as far as the rota's last day, which may lie
        # beyond the telephones page's two weeks.
        days_ahead=max((max(days) - today).days, 0),
    )
    if plan is None:
        return None
    wanted = set(days)
    need = {day: counts for day, counts in plan.need_by_day().items() if day in wanted}
    return need or None
