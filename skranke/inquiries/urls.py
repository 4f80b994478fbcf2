from django.urls import path

from skranke.inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("<int:inquiry_id>/", views.inquiry_page, name="inquiry"),
    path("<int:inquiry_id>/handling/", views.inquiry_action, name="action"),
]
