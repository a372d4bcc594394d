from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The bottom layer: helpers every app uses. It imports no app of ours."""

    name = "common"
