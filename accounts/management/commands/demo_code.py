"""Prints the code a demo clinician's or admin's authenticator app would show now, for signing in to the demo
without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User
from accounts.two_factor import authenticator_for, current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo mode only, DEBUG=true)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo account, such as physio@demo.test")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_code only runs in demo mode (DEBUG=true): it gives away a second factor."
            )
        email = options["email"].strip().lower()
        if email not in {address for address, _ in DEMO_ACCOUNTS}:
            raise CommandError(
                f"{email} is not a demo account; demo_code prints codes for the demo accounts only."
            )
        user = User.objects.filter(email__iexact=email).first()
        device = authenticator_for(user) if user is not None else None
        if device is None:
            raise CommandError(f"{email} has no authenticator yet; run `manage.py seed_demo` first.")
        self.stdout.write(current_code(device))
        self.stderr.write("A code works once; if it was just used, wait up to 30 seconds for the next one.")
