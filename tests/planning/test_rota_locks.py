"""Applying a rota behind a stuck holder of its day, on PostgreSQL: the
day's lock is given up after the lock timeout, and the manager is told the
rota was refused, with nothing written. Real threads on real connections,
as in tests/booking/test_locking.py (SQLite never waits for a lock: its
writers queue for the whole database; test_rota.py makes the lock raise
there instead)."""

import pytest
from django.db import connection
from django.test import override_settings

from skranke.accounts.models import Role
from skranke.booking.locking import lock_days
from skranke.core.models import DeskShift, Location
from skranke.planning.rota.apply import RotaRefused, apply_rota
from tests.booking.test_locking import held_elsewhere
from tests.booking.test_staff_booking import member
from tests.planning.test_rota import LOCK_TIMEOUT_REFUSAL, TUESDAY, one_forenoon_on_tuesday

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@override_settings(BOOKING_LOCK_TIMEOUT_SECONDS=0.2)
def test_a_rota_behind_a_stuck_holder_of_its_day_is_refused_and_changes_nothing(
    postgresql: None, centre: Location
) -> None:
    manager = member(Role.MANAGER, centre)
    with held_elsewhere(
        lambda: lock_days(location=centre, days=[TUESDAY])  # as a booking of that day does
    ) as holder:
        with pytest.raises(RotaRefused) as refused:
            apply_rota(location=centre, rota=one_forenoon_on_tuesday(), user=manager)
        assert holder.is_alive()  # refused while the holder still held the day
    assert LOCK_TIMEOUT_REFUSAL in refused.value.message
    assert not DeskShift.objects.filter(date__isnull=False).exists()
    # The day free again, the rota goes.
    assert apply_rota(location=centre, rota=one_forenoon_on_tuesday(), user=manager).days == [
        TUESDAY
    ]
