from django.urls import path

from skranke.access_log import views

app_name = "access_log"
urlpatterns = [path("", views.access_log_page, name="log")]
