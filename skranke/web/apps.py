from django.apps import AppConfig


class WebConfig(AppConfig):
    """The plumbing of every page, below the domain: security headers,
    error pages, the database-down page, refusing NUL bytes, the client's
    address behind proxies, CSV answers and server-drawn charts. It knows
    nothing of municipalities or bookings."""

    name = "skranke.web"
