from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The bottom layer: helpers every app uses. It imports no app of ours."""

    name = "common"

    def ready(self) -> None:
        from common.page_cache import connect_invalidation

        connect_invalidation()
