from django.urls import path

from skranke.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    # Browsers and the admin ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
]
