"""The demo data: each app seeds its own part (its `demo.py`); the top layer runs them in order."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo_accounts
from careteam.demo import seed_demo_careteam
from conditions.demo import seed_demo_conditions
from rehab.demo import seed_demo_rehab
from reminders.demo import seed_demo_reminders


class Command(BaseCommand):
    help = "Create the demo accounts and their data. Safe to run again; refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs in demo mode (DEBUG=true): "
                "it creates accounts with a published password."
            )
        with transaction.atomic():
            created = seed_demo_accounts()
            seed_demo_careteam()
            seed_demo_conditions()
            seed_demo_rehab()
            soon = seed_demo_reminders()
        self.stdout.write(f"Demo data ready ({len(created)} accounts created, the rest already there).")
        self.stdout.write(soon)
        self.stdout.write(f"Demo accounts, all with the password {DEMO_PASSWORD}:")
        for email, what in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<26} {what}")
        self.stdout.write(
            "Clinicians and the admin are then asked for a code: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app,\n"
            "or print the current one with: .venv/bin/python manage.py demo_code physio@demo.test"
        )
