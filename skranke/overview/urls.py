from django.urls import path

from skranke.overview import views

app_name = "overview"
urlpatterns = [
    path("", views.overview_page, name="page"),
    path("nu/", views.overview_live, name="live"),
    path("uden-tid/", views.walk_ins, name="walk_ins"),
    path("skranke/", views.desk_pause, name="desk_pause"),
]
