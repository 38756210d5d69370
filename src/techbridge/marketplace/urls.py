from django.urls import path

from techbridge.marketplace import views

app_name = "marketplace"
urlpatterns = [
    path("", views.posting_list, name="list"),
    path("new/", views.posting_create, name="create"),
    path("validation/", views.validation_queue, name="validation_queue"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/edit/", views.posting_edit, name="edit"),
    path("<int:pk>/return/", views.posting_reject, name="reject"),
    path("<int:pk>/interest/", views.interest_express, name="express_interest"),
    path("<int:pk>/<slug:action>/", views.posting_action, name="action"),
    path("interests/pending/", views.pending_interests, name="pending_interests"),
    path("interests/<int:pk>/withdraw/", views.interest_withdraw, name="interest_withdraw"),
    path("interests/<int:pk>/<slug:decision>/", views.interest_decide, name="interest_decide"),
]
