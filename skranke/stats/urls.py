from django.urls import path

from skranke.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("aarsrapport/", views.latest_report, name="report_latest"),
    path("optaellingsuge/", views.counting_week, name="counting_week"),
    path("aarsrapport/<int:year>/", views.report_page, name="report"),
    path(
        "aarsrapport/<int:year>.json", views.report_page, {"extension": "json"}, name="report_json"
    ),
    path(
        "aarsrapport/<int:year>.xlsx", views.report_page, {"extension": "xlsx"}, name="report_xlsx"
    ),
    path("aarsrapport/<int:year>.pdf", views.report_page, {"extension": "pdf"}, name="report_pdf"),
]
