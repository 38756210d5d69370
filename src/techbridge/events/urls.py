from django.urls import path

from techbridge.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/status/", views.event_status, name="status"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/attendance.csv", views.attendance_csv, name="attendance"),
    path("<int:pk>/meetings/", views.meetings, name="meetings"),
    path("<int:pk>/meetings/schedule/", views.meetings_schedule, name="meetings_schedule"),
    path("meetings/<int:pk>/feedback/", views.meeting_feedback, name="meeting_feedback"),
    path("meetings/<int:pk>/party-feedback/", views.meeting_party_feedback, name="meeting_party_feedback"),
    path("meetings/<int:pk>/link/", views.meeting_link, name="meeting_link"),
    path("meetings/<int:pk>/<slug:decision>/", views.meeting_decide, name="meeting_decide"),
    path("registrations/<int:pk>/meetings/", views.meeting_request, name="meeting_request"),
    path("registrations/<int:pk>/unavailable/", views.unavailable, name="unavailable"),
    path("registrations/<int:pk>/remote/", views.registration_remote, name="registration_remote"),
    path("registrations/<int:pk>/agenda.ics", views.personal_ics, name="personal_ics"),
    path("registrations/<int:pk>/agenda.pdf", views.personal_agenda_pdf, name="personal_pdf"),
    path("registrations/<int:pk>/badge.pdf", views.badge_pdf, name="badge_pdf"),
    path("registrations/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("<int:pk>/badges.pdf", views.badges_pdf, name="badges_pdf"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/<slug:decision>/", views.registration_decide, name="registration_decide"),
]
