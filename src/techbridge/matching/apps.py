from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techbridge.matching"
    label = "matching"
