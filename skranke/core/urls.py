from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from skranke.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    # Browsers and the admin ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("skranke/favicon.svg"), permanent=True)),
]
