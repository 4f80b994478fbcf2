from django.urls import path

from skranke.notifications import views

app_name = "notifications"
urlpatterns = [
    path("personale/beskeder/", views.overview, name="overview"),
    path("personale/beskeder/<int:message_id>/igen/", views.retry, name="retry"),
    path("udvikling/beskeder/", views.sent_in_development, name="development"),
]
