"""Post the daily reminders of follow-ups due (README, "Tasks and follow-ups"); for a daily
timer (deploy/systemd/nrm-task-reminders.timer). Safe to run twice: a day's reminders are
posted once."""

from django.core.management.base import BaseCommand

from tasks.reminders import send_task_reminders


class Command(BaseCommand):
    help = "Post today's reminders of follow-ups due today or overdue, and mail them."

    def handle(self, *args, **options):
        posted = send_task_reminders()
        self.stdout.write(f"{posted} reminder(s) posted")
