"""Interface languages: French (the source language of every message) and English.

Messages are written in French in the code, wrapped in `t("...")`; English translations live in
gettext catalogues, `ess_data/locale/en/*.po` (one file per area of the code), read with Babel.
Indicator labels and definitions do not go through here: they come from the registry
(`label_en`, `definition_en`). `python -m ess_data.i18n` adds the messages the catalogues lack.

Placeholders use `str.format` names: `t("{n} communes", lang, n=12)`.
"""
import ast
import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LANGS = {"fr": "Français", "en": "English"}
DEFAULT = "fr"
LOCALE_DIR = Path(__file__).parent / "locale"
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("dashboard.py", "pages", "ui", "ess_data")  # where t("...") calls are looked for


def parse_lang(raw: str | None) -> str:
    """A language code from outside (URL, CLI); French for anything unknown."""
    return raw if raw in LANGS else DEFAULT


@cache
def catalogue(lang: str) -> dict[str, str]:
    """French message -> translation, merged from every `.po` file of the language."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message.string
    return merged


def t(message: str, lang: str = DEFAULT, /, **values) -> str:
    """The message in `lang` (French as written when untranslated), placeholders filled."""
    text = message if lang == DEFAULT else catalogue(lang).get(message, message)
    return text.format(**values) if values else text


def extract(root: Path = ROOT) -> dict[str, list[str]]:
    """Every `t("...")` message in the code, with where it is (file:line).

    A first argument that is not a plain string (an f-string, a variable) is reported under
    the key "" : such a message cannot be translated.
    """
    found: dict[str, list[str]] = {}
    for source in SOURCES:
        base = root / source
        for path in sorted([base] if base.is_file() else base.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            relays = {id(n) for d in ast.walk(tree) if isinstance(d, ast.FunctionDef)
                      and d.name == "t" for n in ast.walk(d)}  # t() passing its argument on
            for node in ast.walk(tree):
                if id(node) in relays:
                    continue
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name != "t":
                    continue
                first = node.args[0]
                where = f"{path.relative_to(root)}:{node.lineno}"
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, []).append(where)
                else:
                    found.setdefault("", []).append(where)
    return found


def add_missing(lang: str = "en", target: str = "new.po") -> int:
    """Append the messages no catalogue of `lang` has to `locale/<lang>/<target>` (untranslated,
    with their places), for a translator to fill in; returns how many."""
    known = set()
    for path in (LOCALE_DIR / lang).glob("*.po"):
        with path.open("rb") as handle:
            known |= {m.id for m in read_po(handle) if m.id}
    missing = {m: w for m, w in extract().items() if m and m not in known}
    path = LOCALE_DIR / lang / target
    catalog = Catalog(locale=lang)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    for message, places in missing.items():
        catalog.add(message, "", locations=[(f, int(n)) for f, n in (p.split(":") for p in places)])
    if missing:
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=True)
    return len(missing)


if __name__ == "__main__":
    count = add_missing(*sys.argv[1:2])
    print(f"{count} message(s) à traduire ajouté(s) dans {LOCALE_DIR}/en/new.po"
          if count else "Tous les messages ont une traduction.")
