from django.urls import path

from skranke.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
]
