"""Every page names its icon, and /favicon.ico leads to it."""

import pytest
from django.test import Client

from skranke.core.models import Location

pytestmark = pytest.mark.django_db


def test_there_is_a_favicon(location: Location) -> None:
    page = Client().get("/").content.decode()
    assert '<link rel="icon" href="/static/skranke/favicon.svg"' in page
    assert Client().get("/favicon.ico")["Location"] == "/static/skranke/favicon.svg"
