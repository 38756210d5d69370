from django.urls import path

from techbridge.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", views.plan, name="plan"),
    path("plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plan/<slug:table>.<str:fmt>", views.plan_export, name="plan_export"),
]
