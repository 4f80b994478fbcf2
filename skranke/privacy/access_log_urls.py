from django.urls import path

from skranke.privacy import access_log_views as views

# The access log's page, among the data-protection officer's pages; its
# name stays the log's own, as links and bookmarks use it.
app_name = "access_log"
urlpatterns = [path("", views.access_log_page, name="log")]
