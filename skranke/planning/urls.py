from django.urls import path

from skranke.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.minutes_page, name="minutes"),
    path("minutter/", views.apply_minutes, name="apply_minutes"),
]
