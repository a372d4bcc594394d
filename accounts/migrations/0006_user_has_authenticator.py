from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_people_with_an_authenticator(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    User.objects.filter(Exists(confirmed)).update(has_authenticator=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_account_closure_and_goals_limit"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="has_authenticator",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_people_with_an_authenticator, migrations.RunPython.noop),
    ]
