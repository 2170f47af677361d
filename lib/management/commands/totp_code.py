import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from lib.two_factor import authenticator_device


class Command(BaseCommand):
    help = (
        "Print a staff account's current two-factor code (development only), for a tester "
        "without an authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("Two-factor codes are never printed with DJANGO_ENV=production.")
        user = get_user_model().objects.filter(username=username).first()
        device = user and authenticator_device(user=user)
        if device is None:
            raise CommandError(f"{username} has no authenticator set up.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(
            f"{code:0{device.digits}d}  (for {username}, valid for {seconds_left} more seconds)"
        )
