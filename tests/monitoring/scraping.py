"""Reading /metrics as Prometheus does."""

from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "a-long-random-metrics-token-for-the-tests-0123456789"


def scrape(client: Client | None = None) -> str:
    response = (client or Client()).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return response.content.decode()


def value(text: str, name: str, **labels: str) -> float | None:
    """The sample `name` with exactly `labels` in a scrape's text; None if
    there is none."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None


def requests_counted(text: str, *, route: str, method: str = "GET", status: str = "2xx") -> float:
    name = "skranke_http_request_duration_seconds_count"
    return value(text, name, route=route, method=method, status=status) or 0.0
