from django.urls import path

from techbridge.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("pipeline/", views.pipeline_overview, name="pipeline"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/confirm/", views.project_confirm, name="confirm"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/financing/", views.financing_add, name="financing_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_id>/", views.document_download, name="document"),
]
