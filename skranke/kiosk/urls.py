from django.urls import path

from skranke.kiosk import views

app_name = "kiosk"
urlpatterns = [
    path("", views.start, name="start"),
    path("uden-tid/", views.walk_in, name="walk_in"),
    path("billet/", views.ticket, name="ticket"),
]
