"""Background tasks waiting in the queue keep the module path they were queued under: the move of actors/ into
feature packages renames them, so a task queued before the upgrade still runs after it. Pages queued for a
computation after a time-limit cut are dropped: that task is gone (no anonymous URL queues work any more)."""

from django.db import migrations

MOVED = {
    "actors.renewals.send_new_link": "actors.campaigns.new_links.send_new_link",
    "actors.campaigns.send_update_request": "actors.campaigns.sending.send_update_request",
    "actors.reminders.send_reminder": "actors.campaigns.reminders.send_reminder",
    "actors.reminders.send_due_reminders": "actors.campaigns.reminders.send_due_reminders",
    "actors.importers.jobs.run_import_job": "actors.imports.jobs.run_import_job",
    "actors.upkeep.after_data_change": "actors.data_change.after_data_change",
    "territories.diagnostic.caching.warm_diagnostics": "actors.diagnostic.caching.warm_diagnostics",
}


DROPPED = "inclusion.pagecache.compute_page"


def rename(apps, schema_editor, moves=MOVED):
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        results.objects.filter(task_path=old).update(task_path=new)
    results.objects.filter(task_path=DROPPED, status="READY").delete()


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0400_merge_round_three"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
