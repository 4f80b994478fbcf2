from django.urls import path

from skranke.tallies import views

app_name = "tallies"
urlpatterns = [path("", views.tally_page, name="count")]
