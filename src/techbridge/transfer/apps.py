from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "techbridge.transfer"
    label = "transfer"
