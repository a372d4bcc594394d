from django.db import migrations, models


class Migration(migrations.Migration):
    """The constraints after the data of 0004 is capped: PostgreSQL cannot alter a table in the transaction
    that updated its rows while their deferred checks are pending, so they get a migration of their own."""

    dependencies = [("rehab", "0004_pain_limits_capped")]

    operations = [
        migrations.AddConstraint(
            model_name="rehabplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("pain_safe_max__lt", models.F("pain_alert_above"))),
                name="rehab_plan_pain_limits_in_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="rehabplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("pain_alert_above__lte", 7)), name="rehab_plan_pain_alert_above_at_most_7"
            ),
        ),
    ]
