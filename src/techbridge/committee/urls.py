from django.urls import path

from techbridge.committee import views

app_name = "committee"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("meetings/<int:pk>/minutes/", views.minutes_record, name="minutes"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/documents/", views.document_add, name="document_add"),
    path("meetings/<int:pk>/documents/<int:document_id>/", views.document_download, name="document"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("members/", views.members, name="members"),
    path("members/institutions/", views.institution_add, name="institution_add"),
    path("members/representatives/", views.representative_add, name="representative_add"),
    path("members/representatives/<int:pk>/end/", views.representative_end, name="representative_end"),
]
