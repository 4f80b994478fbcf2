from django.urls import path

from skranke.booking.views import citizen_sign_in, closure, find, flow, holds, manage, staff

app_name = "booking"
urlpatterns = [
    path("bestil/", flow.choose_service, name="choose_service"),
    # Before the errands' addresses, which would take "mitid" for an errand.
    path("bestil/mitid/", citizen_sign_in.sign_in_with_mitid, name="citizen_sign_in"),
    path(
        "bestil/mitid/retur/",
        citizen_sign_in.return_from_mitid,
        name="citizen_sign_in_return",
    ),
    path("bestil/<slug:service>/", flow.choose_location, name="choose_location"),
    path("bestil/<slug:service>/<slug:location>/", flow.choose_day, name="choose_day"),
    path(
        "bestil/<slug:service>/<slug:location>/oplysninger/",
        flow.enter_details,
        name="enter_details",
    ),
    path("bestil/<slug:service>/<slug:location>/<str:day>/", flow.choose_time, name="choose_time"),
    path("bekraeft/<str:draft>/", flow.review, name="review"),
    path("find-din-tid/", find.find_booking, name="find_booking"),
    path("tid/<str:code>/", manage.manage, name="manage"),
    path("tid/<str:code>/kode/", holds.confirm_held_time, name="confirm_held_time"),
    path("tid/<str:code>/kalender.ics", manage.calendar_file, name="calendar"),
    path("tid/<str:code>/aflys/", manage.cancel, name="cancel"),
    path("tid/<str:code>/flyt/", manage.move_choose_day, name="move_day"),
    path("tid/<str:code>/flyt/<str:day>/", manage.move_choose_time, name="move_time"),
    # Staff booking on a citizen's behalf.
    path("personale/tider/", staff.find_times, name="staff_find_times"),
    path("personale/tider/ny/", staff.book_for_citizen, name="staff_book"),
    path("personale/tider/dag/", staff.day_bookings, name="staff_day"),
    path("personale/tider/soeg/", staff.search, name="staff_search"),
    path("personale/tider/aflys-dag/", closure.cancel_day, name="staff_cancel_day"),
    path("personale/tider/<str:code>/", staff.booking_detail, name="staff_booking"),
    path("personale/tider/<str:code>/aflys/", staff.cancel_for_citizen, name="staff_cancel"),
]
