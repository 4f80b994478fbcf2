"""API v1, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from ninja import NinjaAPI

from skranke.api import (
    availability,
    bookings,
    catalogue,
    challenge,
    contacts,
    delivery_reports,
    overview,
    planning,
    queue,
    statistics,
    text_replies,
)
from skranke.api.errors import install_error_handlers

api = NinjaAPI(
    title="Skranke API",
    version="1",
    description="Booking for citizen service centres. Texts follow Accept-Language (da, en).",
    urls_namespace="api-v1",
)
install_error_handlers(api)
api.add_router("", catalogue.router)
api.add_router("", availability.router)
api.add_router("", bookings.router)
api.add_router("", challenge.router)
api.add_router("", delivery_reports.router)
api.add_router("", text_replies.router)
api.add_router("", queue.router)
api.add_router("", contacts.router)
api.add_router("", statistics.router)
api.add_router("", overview.router)
api.add_router("", planning.router)
