from django.urls import path

from skranke.surveys import views

app_name = "surveys"
urlpatterns = [
    path("tak/", views.thanks_page, name="thanks"),
    path("terminal/", views.terminal, name="terminal"),
    path("terminal/tak/", views.terminal_thanks, name="terminal_thanks"),
    path("<str:token>/", views.answer_page, name="answer"),
]
