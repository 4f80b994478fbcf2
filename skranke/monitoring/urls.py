from django.urls import path

from skranke.monitoring import health, views

app_name = "monitoring"
urlpatterns = [
    # For the load balancer and the service manager (docs/install.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # For Prometheus, behind a token (docs/monitoring.md).
    path("metrics", views.metrics, name="metrics"),
]
