from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "techbridge.api"
    label = "api"
