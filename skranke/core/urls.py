from django.urls import path

from skranke.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
]
