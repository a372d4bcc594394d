from django.core.management.base import BaseCommand

from rehab.services.plans import library_load


class Command(BaseCommand):
    help = "Load the shipped exercise library and stage templates. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite shipped exercises and templates with the shipped text.",
        )

    def handle(self, *args, update: bool = False, **options):
        result = library_load(update=update)
        self.stdout.write(
            f"Exercise library: {result.exercises_created} created, {result.exercises_updated} updated; "
            f"stage templates: {result.templates_created} created, {result.templates_updated} updated."
        )
