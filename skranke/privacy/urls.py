from django.urls import path

from skranke.privacy import views

app_name = "privacy"
urlpatterns = [path("", views.access_request_page, name="access_request")]
