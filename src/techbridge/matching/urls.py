from django.urls import path

from techbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.search, name="search"),
    path("postings/<int:pk>/", views.posting_matches, name="posting_matches"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("alerts/settings/", views.alert_preference, name="alert_preference"),
    path("docking/", views.docking, name="docking"),
    path("docking/introduce/", views.introduction_propose, name="introduction_propose"),
]
