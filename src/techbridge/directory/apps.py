from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "techbridge.directory"
    label = "directory"
