from django.urls import path

from skranke.phone_meetings import views

app_name = "phone_meetings"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("liste/", views.worklist_rows, name="rows"),
    path("handling/", views.meeting_action, name="action"),
]
