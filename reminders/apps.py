from django.apps import AppConfig


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        # The record and progress pages sit below reminders and cannot import it: fill their registries.
        from common.private_page_cache import read_alongside
        from reminders.context_processors import unread_count
        from reminders.panels import register_panels

        register_panels()
        read_alongside("unread", unread_count)
