"""The portal's translation catalogues, built with Babel (pure Python: no GNU gettext, no internet).

Three catalogues, each a `django.po` per language that the project keeps in git; the compiled
`django.mo` beside it is built by `manage.py catalogues --compile` (`make run` and `make test` do
it) and never committed:
- `education/locale`: the education app and templates/education;
- `journal/locale`: the journal app and the patient's templates (journal, registration, widgets);
- `locale` (settings.LOCALE_PATHS): everything else (portal, lib, the site-wide templates).

Text a template or the code shows without marking it is caught too (`unmarked_text`): words in
a template outside `{% translate %}` / `{% blocktranslate %}` (text in an element with its own
`lang` attribute is meant to stay in that language), and labels, help texts and messages the
Python code gives as plain strings (the admin and the API's schema documentation are for staff
and developers, in English, and are not checked).

`manage.py catalogues` extracts every translatable string of the code as Django's makemessages
would (templates through Django's own `templatize`), adds new strings to each language's
catalogue, drops strings the code no longer has, and compiles. `missing_translations()` lists what
a language still lacks; a test fails while the Spanish lacks anything.
"""

import ast
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation import templatize

# The gettext functions Django code uses, as Babel's keyword specs (makemessages' own list).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)")
# Template text that is no sentence: units, and the page type for link previews.
NOT_WORDS = {"mmHg", "SpO", "article"}
WORD = re.compile(r"[A-Za-z]{2,}")
ELEMENT_WITH_LANGUAGE = re.compile(r"<(\w+)\b[^<>]*\blang=\"[a-z-]+\"[^<>]*>.*?</\1>", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
HTML_TAG_OR_ENTITY = re.compile(r"<[^<>]*>|&#?\w+;")
UNTRANSLATED_BLOCKS = {"blocktranslate", "blocktrans", "comment"}
# Python: keyword arguments and calls whose plain string a patient or clinician reads.
LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
MESSAGE_FUNCTIONS = {"success", "info", "warning", "error"}
STAFF_AND_DEVELOPER_FILES = {"admin.py", "api.py", "schema.py"}
SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__", "static", "locale", "admin"}


@dataclass(frozen=True)
class Domain:
    """One catalogue: where it lives and which code feeds it."""

    locale_dir: str
    python_dirs: tuple[str, ...]
    template_dirs: tuple[str, ...]
    # Site-wide templates: the files directly in templates/ and these folders of it.
    root_templates: bool = False

    def po_path(self, language: str) -> Path:
        return settings.BASE_DIR / self.locale_dir / language / "LC_MESSAGES" / "django.po"


DOMAINS = [
    Domain(
        locale_dir="education/locale",
        python_dirs=("education",),
        template_dirs=("templates/education",),
    ),
    Domain(
        locale_dir="journal/locale",
        python_dirs=("journal",),
        template_dirs=("templates/journal", "templates/registration", "templates/widgets"),
    ),
    Domain(
        locale_dir="locale",
        python_dirs=("portal", "lib"),
        template_dirs=("templates/bootstrap5",),
        root_templates=True,
    ),
]


def _files(folder: Path, suffix: str) -> Iterator[Path]:
    for path in sorted(folder.rglob(f"*{suffix}")):
        if not SKIPPED_FOLDERS & set(path.relative_to(folder).parts[:-1]):
            yield path


def source_files(domain: Domain) -> Iterator[tuple[Path, str]]:
    """(path, "python" or "template") for every file that feeds the domain."""
    base = settings.BASE_DIR
    for folder in domain.python_dirs:
        for path in _files(base / folder, ".py"):
            yield path, "python"
    folders = [base / folder for folder in domain.template_dirs]
    for folder in folders:
        for path in _files(folder, ".html"):
            yield path, "template"
        for path in _files(folder, ".txt"):
            yield path, "template"
    if domain.root_templates:
        for suffix in (".html", ".txt"):
            for path in sorted((base / "templates").glob(f"*{suffix}")):
                yield path, "template"


def messages_in(path: Path, kind: str) -> Iterator[tuple[int, str | tuple, str | None]]:
    """(line, message, context) of every translatable string in a file; a plural message is a
    (singular, plural) tuple."""
    source = path.read_text(encoding="utf-8")
    if kind == "template":
        source = templatize(source, origin=str(path))
    for line, message, _comments, context in extract(
        "python", io.BytesIO(source.encode()), keywords=KEYWORDS, strip_comment_tags=True
    ):
        yield line, message, context


def extracted_catalog(domain: Domain) -> Catalog:
    """Every string the domain's code marks for translation, as a catalogue template."""
    template = Catalog(project="ketamine-adhd-portal", fuzzy=False)
    for path, kind in source_files(domain):
        location = str(path.relative_to(settings.BASE_DIR))
        for line, message, context in messages_in(path, kind):
            template.add(message, locations=[(location, line)], context=context)
    return template


def read_catalog(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(
            locale=language,
            fuzzy=False,
            project="Clinic patient portal",
            header_comment=f"# The portal's interface in {language} (lib/catalogues.py).",
        )
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def translation_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def update(*, write: bool = True) -> None:
    """Brings every language's catalogues up to date with the code (new strings added empty,
    strings the code dropped removed) and compiles them."""
    for domain in DOMAINS:
        template = extracted_catalog(domain)
        for language in translation_languages():
            path = domain.po_path(language)
            catalog = read_catalog(path, language)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as po_file:
                    write_po(po_file, catalog, ignore_obsolete=True, include_lineno=False, width=99)
    compile_all()


def compile_all(*, stale_only: bool = False, domains: list[Domain] = DOMAINS) -> None:
    """Writes each catalogue's django.mo from its django.po (untranslated and fuzzy entries are
    left out, so Django shows the English for them); with stale_only, only where the .mo is
    missing or older than its .po."""
    for domain in domains:
        for language in translation_languages():
            path = domain.po_path(language)
            mo_path = path.with_suffix(".mo")
            if not path.exists():
                continue
            if stale_only and mo_path.exists() and mo_path.stat().st_mtime >= path.stat().st_mtime:
                continue
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, read_catalog(path, language))


def _is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings) and not message.fuzzy


def missing_translations(language: str, domains: list[Domain] = DOMAINS) -> list[str]:
    """Each string the code marks that the language's catalogues do not translate (absent,
    empty, fuzzy), or translate with placeholders that do not match the English."""
    problems = []
    for domain in domains:
        path = domain.po_path(language)
        catalog = read_catalog(path, language)
        for message in extracted_catalog(domain):
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            where = ", ".join(f"{file}:{line}" for file, line in message.locations)
            if translated is None or not _is_translated(translated):
                problems.append(f"{where}: {message.id!r} is not translated in {path.name}")
                continue
            translated.flags |= message.flags
            for error in translated.check(catalog):
                problems.append(f"{where}: {message.id!r}: {error}")
            if isinstance(message.id, str) and placeholders(message.id) != placeholders(
                translated.string
            ):
                problems.append(f"{where}: {message.id!r}: the placeholders differ")
    return problems


def placeholders(text: str) -> set[str]:
    """The named placeholders of a string (%(name)s, as blocktranslate and gettext use them)."""
    return set(NAMED_PLACEHOLDER.findall(text))


def _template_text(path: Path) -> str:
    """The template's own text, with every variable, tag and translated part blanked out."""
    parts, depth = [], 0
    for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
        if token.token_type == TokenType.TEXT and depth == 0:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(" ", 1)[0]
            if name in UNTRANSLATED_BLOCKS:
                depth += 1
            elif name.removeprefix("end") in UNTRANSLATED_BLOCKS:
                depth -= 1
        parts.append("\0")
    text = SCRIPT_OR_STYLE.sub(" ", "".join(parts))
    return HTML_TAG_OR_ENTITY.sub(" ", ELEMENT_WITH_LANGUAGE.sub(" ", text))


def _plain_string(node) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(WORD.search(node.value))
    )


def _unmarked_python_strings(path: Path) -> Iterator[ast.Constant]:
    staff_or_developer = path.name in STAFF_AND_DEVELOPER_FILES
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            if {getattr(target, "id", "") for target in node.targets} & {"labels", "help_texts"}:
                yield from filter(_plain_string, node.value.values)
        if not isinstance(node, ast.Call) or path.name == "admin.py":
            continue
        function = node.func
        if not staff_or_developer:
            for keyword in node.keywords:
                if keyword.arg in LABEL_KEYWORDS and _plain_string(keyword.value):
                    yield keyword.value
        name = getattr(function, "attr", getattr(function, "id", ""))
        is_message = name in MESSAGE_FUNCTIONS and getattr(function, "value", None) is not None
        if is_message and getattr(function.value, "id", "") == "messages" and len(node.args) > 1:
            yield from filter(_plain_string, node.args[1:2])
        if name == "ValidationError" and node.args:
            first = node.args[0]
            yield from filter(
                _plain_string, first.values if isinstance(first, ast.Dict) else [first]
            )


def unmarked_text(domains: list[Domain] = DOMAINS) -> list[str]:
    """Words the code shows that no catalogue can translate, because nobody marked them."""
    problems = []
    for domain in domains:
        for path, kind in source_files(domain):
            where = path.relative_to(settings.BASE_DIR)
            if kind == "python":
                for node in _unmarked_python_strings(path):
                    problems.append(f"{where}:{node.lineno}: {node.value!r} is not marked")
                continue
            for line in _template_text(path).splitlines():
                if (
                    set(WORD.findall(line))
                    - NOT_WORDS
                    - {w for w in WORD.findall(line) if w.isupper()}
                ):
                    shown = " ".join(line.replace("\0", " ").split())
                    problems.append(f"{where}: {shown!r} is not marked")
    return problems
