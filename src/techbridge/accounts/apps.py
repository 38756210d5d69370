from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "techbridge.accounts"
    label = "accounts"
