"""What the access log notes of a visit's end (access_log/recording.py)."""

from skranke.access_log.recording import Action, record_access
from skranke.core.models import Desk
from skranke.queueing.models import Visit


def record_visit_outcome(*, actor: object, visit: Visit, outcome: str, desk: Desk) -> int:
    """A visit ended at `desk`: a no-show changes the citizen's booking,
    so it is noted with who marked it; the other outcomes are not."""
    if outcome != Visit.Outcome.NO_SHOW:
        return 0
    return record_access(actor=actor, action=Action.NO_SHOW, visit=visit, location=desk.location)
