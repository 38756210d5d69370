from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "techbridge.committee"
    label = "committee"
