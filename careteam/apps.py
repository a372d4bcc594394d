from django.apps import AppConfig


class CareteamConfig(AppConfig):
    name = "careteam"
    verbose_name = "Care teams"

    def ready(self) -> None:
        from careteam import timeline

        timeline.register_careteam_sources()
