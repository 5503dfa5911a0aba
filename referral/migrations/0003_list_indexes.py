"""The referral lists without a state filter, newest first, read from an index range
(referral.selectors.referral_pages) instead of sorting every referral of the organisation."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referral", "0002_ended_state_and_end_reason"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["to_organisation", "-created_at", "-id"],
                name="referral_re_to_orga_ea0ac0_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["from_organisation", "-created_at", "-id"],
                name="referral_re_from_or_6c651d_idx",
            ),
        ),
    ]
