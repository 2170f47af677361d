from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class Command(BaseCommand):
    help = (
        "Runs queued tasks with the worker of the configured backend: django-tasks-db's "
        "db_worker, or RQ's worker when REDIS_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then stop."
        )

    def handle(self, *args, burst, **options):
        backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__
        if backend.startswith("django_tasks_rq"):
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",  # runs the Task a job names
                with_scheduler=True,
                burst=burst,
            )
        else:
            call_command("db_worker", batch=burst, startup_delay=False, reload=False)
