from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehab plans and exercises"

    def ready(self) -> None:
        from rehab.timeline import register_rehab_sources

        register_rehab_sources()
