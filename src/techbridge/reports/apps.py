from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "techbridge.reports"
    label = "reports"
