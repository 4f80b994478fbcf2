"""No input makes the API answer 5xx: schemathesis generates requests from
the API's own OpenAPI schema, valid and invalid, and sends them in-process."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from skranke.core.models import Location, Service
from skranke.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(max_examples=25)


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    # Django's WSGI handler closes the database connection after each
    # request; inside a test transaction that would close the test's own.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
# The centre is set up once per operation and kept between generated
# requests on purpose: bookings made by one request meet the next.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_request_makes_the_api_fail(
    case: schemathesis.Case,
    centre: Location,
    passport: Service,
    keep_the_test_connection: None,
) -> None:
    case.call_and_validate(checks=[not_a_server_error])
