"""The contact centre over the API: the phone system posts its call records
as they happen, or each call's events as they happen, authenticated by an
integration token (made in the admin) as a bearer token. The token decides
the municipality; nothing in the body can name another."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from ninja.security.base import AuthBase
from pydantic import AwareDatetime, ConfigDict, RootModel, model_validator

from skranke.accounts.models import IntegrationToken
from skranke.accounts.tokens import bearer_token, find_holder
from skranke.api.errors import ApiError
from skranke.contact_centre.call_events import CallEvent, CallState, receive_call_event
from skranke.contact_centre.call_records import (
    TEXT_LIMIT,
    CallRecord,
    InvalidCallRecord,
    record_calls,
)

router = Router(tags=["contact centre"])

CALLS_MAX = 1000


class IntegrationBearer(AuthBase):
    """`Authorization: Bearer <integration token>`. Checked before the body
    is read; a missing, unknown or revoked token is a 401 in the one error
    shape."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> IntegrationToken:
        integration = find_holder(
            holders=IntegrationToken.objects.select_related("municipality"),
            token=bearer_token(request=request),
        )
        if integration is None:
            raise ApiError(401, "unauthorized", _("A valid integration token is needed."))
        return integration


class CallIn(Schema):
    # Phone systems number their calls: 1234 is taken as "1234".
    model_config = ConfigDict(coerce_numbers_to_str=True, str_strip_whitespace=True)

    call_id: str = Field(min_length=1, max_length=TEXT_LIMIT)
    queue: str = Field(default="", max_length=TEXT_LIMIT)
    offered_at: AwareDatetime
    answered_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    # Left out or null: abandoned when nobody answered.
    abandoned: bool | None = None
    agent: str = Field(default="", max_length=TEXT_LIMIT)


class CallsIn(RootModel[Annotated[list[CallIn], Field(min_length=1, max_length=CALLS_MAX)]]):
    """A list of calls, or one call on its own (read as a list of one, so
    that every error names its call by its index)."""

    @model_validator(mode="before")
    @classmethod
    def one_or_many(cls, data: Any) -> Any:
        return [data] if isinstance(data, dict) else data


class CallsOut(Schema):
    created: int
    already_there: int


@router.post(
    "/contacts/calls",
    response={200: CallsOut, 201: CallsOut},
    auth=IntegrationBearer(),
    url_name="calls",
)
def post_calls(request: HttpRequest, payload: CallsIn) -> Status[dict[str, int]]:
    """Record up to 1,000 calls. Idempotent on `call_id`: a call sent again
    is counted in `already_there` and changes nothing. 201 when any call was
    new, else 200. If any call is invalid, none is recorded: 422, with
    `fields` naming each by its index (`"3.answered_at"`)."""
    integration: IntegrationToken = request.auth  # type: ignore[attr-defined]
    calls: list[CallRecord] = []
    problems: list[dict[str, Any]] = []
    for index, call in enumerate(payload.root):
        try:
            calls.append(
                CallRecord(
                    call_id=call.call_id,
                    queue=call.queue,
                    offered_at=call.offered_at,
                    answered_at=call.answered_at,
                    ended_at=call.ended_at,
                    abandoned=_abandoned(call.abandoned, call.answered_at),
                    agent=call.agent,
                )
            )
        except InvalidCallRecord as invalid:
            # Reported like the schema's own errors, by the one handler.
            problems.append({"loc": [index, invalid.field], "msg": str(invalid.message)})
    if problems:
        raise ValidationError(problems)
    recorded = record_calls(municipality=integration.municipality, calls=calls)
    return Status(
        201 if recorded.created else 200,
        {"created": recorded.created, "already_there": recorded.existing},
    )


def _abandoned(given: bool | None, answered_at: datetime | None) -> bool:
    return given if given is not None else answered_at is None


class CallEventIn(Schema):
    # No caller's number: there is no field for it, and an unknown field
    # is ignored, never stored.
    model_config = ConfigDict(coerce_numbers_to_str=True, str_strip_whitespace=True)

    call_id: str = Field(min_length=1, max_length=TEXT_LIMIT)
    event: CallEvent
    at: AwareDatetime
    queue: str = Field(default="", max_length=TEXT_LIMIT)
    agent: str = Field(default="", max_length=TEXT_LIMIT)


class CallEventOut(Schema):
    call_id: str
    state: CallState
    changed: bool


@router.post(
    "/contacts/call-events",
    response={200: CallEventOut},
    auth=IntegrationBearer(),
    url_name="call_events",
)
def post_call_event(request: HttpRequest, payload: CallEventIn) -> dict[str, Any]:
    """One event of one call, as it happens: `offered`, `answered`, `ended`
    or `abandoned`. 200 with the call's state; `changed` is false when the
    call knew it already (the same event again changes nothing). Once the
    call is over, its call record is written, as by POST /contacts/calls.
    409 `call_conflict` when the event contradicts the call's earlier
    events or its record (answered and abandoned, answered before offered);
    422 for a time without its offset, or not within the last day."""
    integration: IntegrationToken = request.auth  # type: ignore[attr-defined]
    received = receive_call_event(
        municipality=integration.municipality,
        call_id=payload.call_id,
        event=payload.event,
        at=payload.at,
        queue=payload.queue,
        agent=payload.agent,
    )
    return {"call_id": payload.call_id, "state": received.state, "changed": received.changed}
