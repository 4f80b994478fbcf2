from django.urls import path

from skranke.overview import wallboard_views

app_name = "wallboard"
urlpatterns = [
    path("", wallboard_views.board, name="board"),
    path("nu/", wallboard_views.board_live, name="live"),
]
