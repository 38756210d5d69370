from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techbridge.matching"
    label = "matching"

    def ready(self):
        from techbridge.directory.signals import organisation_description_changed
        from techbridge.marketplace import signals
        from techbridge.matching import receivers

        signals.posting_published.connect(
            receivers.posting_published, dispatch_uid="matching-posting-published"
        )
        signals.posting_changed.connect(receivers.posting_changed, dispatch_uid="matching-posting-changed")
        organisation_description_changed.connect(
            receivers.organisation_description_changed, dispatch_uid="matching-organisation-description"
        )
