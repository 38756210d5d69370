from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "techbridge.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        from techbridge.cooperation import receivers  # noqa: F401  (connects the marketplace and events signals)
