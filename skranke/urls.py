from django.contrib import admin
from django.urls import include, path

from skranke.api.v1 import api

urlpatterns = [
    path("", include("skranke.core.urls")),
    path("", include("skranke.booking.urls")),
    path("", include("skranke.notifications.urls")),
    path("kiosk/", include("skranke.kiosk.urls")),
    path("skaerm/", include("skranke.display.urls")),
    path("undersoegelse/", include("skranke.surveys.urls")),
    path("enhed/", include("skranke.sign_in.device_urls")),
    path("personale/skranke/", include("skranke.desk.urls")),
    path("personale/kontaktcenter/", include("skranke.contact_centre.urls")),
    path("personale/telefonmoeder/", include("skranke.phone_meetings.urls")),
    path("personale/henvendelser/", include("skranke.inquiries.urls")),
    path("personale/statistik/", include("skranke.stats.urls")),
    path("personale/overblik/", include("skranke.overview.urls")),
    path("tavle/", include("skranke.overview.wallboard_urls")),
    path("personale/planlaegning/", include("skranke.planning.urls")),
    path("personale/optaelling/", include("skranke.information_and_cash_desks.urls")),
    path("personale/adgangslog/", include("skranke.privacy.access_log_urls")),
    path("personale/indsigt/", include("skranke.privacy.urls")),
    path("api/v1/", api.urls),
    path("personale/", include("skranke.accounts.urls")),
    path("personale/", include("skranke.sign_in.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # /healthz, /readyz and /metrics (docs/monitoring.md).
    path("", include("skranke.monitoring.urls")),
]

# Danish and English error pages, and the API's JSON error shape under /api/.
handler400 = "skranke.web.error_pages.bad_request"
handler403 = "skranke.web.error_pages.permission_denied"
handler404 = "skranke.web.error_pages.page_not_found"
handler500 = "skranke.web.error_pages.server_error"
