from django.core.management.base import BaseCommand

from conditions.content import SHIPPED_ARTICLES, SHIPPED_ON
from conditions.services import conditions_load


class Command(BaseCommand):
    help = (
        "Create the condition articles shipped with the portal that are missing. Safe to run again: "
        "articles already there are left as admins edited them, unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also put the shipped text back into existing shipped articles; their published flag stays.",
        )

    def handle(self, *args, **options):
        report = conditions_load(articles=SHIPPED_ARTICLES, shipped_on=SHIPPED_ON, update=options["update"])
        self.stdout.write(
            f"Condition articles: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} left as they were."
        )
