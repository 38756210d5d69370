from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techbridge.matching"
    label = "matching"

    def ready(self):
        from techbridge.marketplace.signals import posting_changed, posting_published
        from techbridge.matching.receivers import posting_updated

        posting_published.connect(posting_updated, dispatch_uid="matching-posting-published")
        posting_changed.connect(posting_updated, dispatch_uid="matching-posting-changed")
