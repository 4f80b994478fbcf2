from django.urls import path

from skranke.planning.views import forecast, minutes, phones, rota, what_if

app_name = "planning"
urlpatterns = [
    path("", minutes.minutes_page, name="minutes"),
    path("minutter/", minutes.apply_minutes, name="apply_minutes"),
    path("hvad-hvis/", what_if.what_if_page, name="what_if"),
    path("prognose/", forecast.forecast_page, name="forecast"),
    path("prognose/haendelser/", forecast.add_event, name="add_event"),
    path("prognose/haendelser/<int:pk>/slet/", forecast.delete_event, name="delete_event"),
    path("telefoner/", phones.phones_page, name="phones"),
    path("vagtplan/", rota.rota_page, name="rota"),
    path("vagtplan/anvend/", rota.apply_rota_view, name="apply_rota"),
]
