from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "techbridge.marketplace"
    label = "marketplace"
