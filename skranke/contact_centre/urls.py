from django.urls import path

from skranke.contact_centre import import_views, kpi_views, log_views

app_name = "contact"
urlpatterns = [
    path("", log_views.contact_log, name="log"),
    path("noegletal/", kpi_views.kpis_page, name="kpis"),
    path("opkald/indlaes/", import_views.import_calls, name="import_calls"),
]
