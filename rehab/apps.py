from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehab plans and exercises"

    def ready(self) -> None:
        from rehab.record_panel import register_record_panels
        from rehab.timeline import register_rehab_sources

        register_rehab_sources()
        register_record_panels()
