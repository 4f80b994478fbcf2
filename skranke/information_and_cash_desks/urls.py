from django.urls import path

from skranke.information_and_cash_desks import views

app_name = "tallies"
urlpatterns = [path("", views.tally_page, name="count")]
