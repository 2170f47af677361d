from django.core.management.base import BaseCommand, CommandError

from lib import catalogues


class Command(BaseCommand):
    help = (
        "Updates the translation catalogues from the code and compiles them; with --compile, "
        "only compiles; with --check, lists every string a language does not translate and all "
        "the text the code shows unmarked."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--compile", action="store_true", help="Only build the .mo files.")
        action.add_argument("--check", action="store_true", help="Fail if anything is missing.")

    def handle(self, *args, compile=False, check=False, **options):
        if compile:
            catalogues.compile_all()
            return
        if check:
            missing = catalogues.unmarked_text() + [
                problem
                for language in catalogues.translation_languages()
                for problem in catalogues.missing_translations(language)
            ]
            if missing:
                raise CommandError("\n".join(missing))
            self.stdout.write("Every string is translated.")
            return
        catalogues.update()
        self.stdout.write("Catalogues updated and compiled.")
