from django.urls import path

from skranke.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", views.LogoutView.as_view(), name="logout"),
]
