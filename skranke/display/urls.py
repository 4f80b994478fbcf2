from django.urls import path

from skranke.display import views

app_name = "display"
urlpatterns = [
    path("", views.screen, name="screen"),
    path("status/", views.status, name="status"),
]
