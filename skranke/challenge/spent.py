"""One use per proof. Spending inserts the proof's digest; the unique key
refuses a second insert of it, in whichever app process it comes, so a
replayed solution loses even when two copies arrive at once. The rows
are kept only until the proof would have expired anyway."""

from datetime import datetime

from django.db import IntegrityError, transaction

from skranke.challenge.models import SpentProof
from skranke.core import clock
from skranke.database.deleting import delete_found


def spend_proof(*, digest: str, expires_at: datetime) -> bool:
    """Mark the proof `digest` as used; False if it already was."""
    try:
        # A savepoint, so that a refused insert leaves a surrounding
        # transaction usable.
        with transaction.atomic():
            SpentProof.objects.create(digest=digest, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def forget_spent_proofs() -> int:
    """The worker's job: delete the proofs that have expired; how many."""
    return delete_found(SpentProof.objects.filter(expires_at__lte=clock.now()))
