from django.urls import path

from skranke.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.choose_desk, name="choose"),
    path("<int:desk_id>/", views.desk_page, name="desk"),
    path("<int:desk_id>/koe/", views.desk_queue, name="queue"),
    path("<int:desk_id>/handling/", views.desk_action, name="action"),
]
