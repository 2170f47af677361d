from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("education", "0005_split_published_articles")]

    operations = [
        migrations.RemoveField(model_name="article", name="status"),
        migrations.RemoveField(model_name="historicalarticle", name="status"),
    ]
