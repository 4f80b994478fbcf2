from django.urls import path

from skranke.sign_in import device_views

app_name = "devices"
urlpatterns = [
    path("", device_views.sign_in, name="sign_in"),
]
