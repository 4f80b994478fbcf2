from django.urls import path

from skranke.planning.views import minutes, phones, what_if

app_name = "planning"
urlpatterns = [
    path("", minutes.minutes_page, name="minutes"),
    path("minutter/", minutes.apply_minutes, name="apply_minutes"),
    path("hvad-hvis/", what_if.what_if_page, name="what_if"),
    path("telefoner/", phones.phones_page, name="phones"),
]
