"""What privacy itself holds that may be about a citizen, declared as
every app declares its own (core/personal_data_registry.py): the record
of an erasure on request. It names no citizen, but its reason is typed
by an administrator and may; it goes with the access log, which it
documents, after the access log's period."""

from django.utils.translation import gettext_lazy as _

from skranke.core.personal_data_registry import PersonalData, Retention, register_personal_data
from skranke.privacy.models import ErasureRequest

register_personal_data(
    PersonalData(
        kind="erasure_requests",
        label=_("erasures on request"),
        model=ErasureRequest,
        order=90,
        erased=None,  # the row goes
        retention=Retention(
            setting="access_log_days", moment="at", municipality=("municipality_id",)
        ),
    ),
)
