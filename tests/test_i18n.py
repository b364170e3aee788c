"""The English version: every message of the code has a translation with the same placeholders,
and the catalogues hold nothing the code no longer says."""
import string

import pytest
from babel.messages.pofile import read_po

from ess_data import i18n


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def messages():
    return i18n.extract()


def test_every_message_is_a_plain_string(messages):
    assert "" not in messages, f"t() needs a literal French message: {messages.get('')}"


def test_every_message_has_an_english_translation(messages):
    english = i18n.catalogue("en")
    missing = {m: w for m, w in messages.items() if m and m not in english}
    assert not missing, (f"{len(missing)} message(s) untranslated (run "
                         f"`python -m ess_data.i18n`): {list(missing.items())[:5]}")


def test_translations_keep_the_placeholders(messages):
    english = i18n.catalogue("en")
    wrong = [m for m in messages if m in english and _fields(m) != _fields(english[m])]
    assert not wrong, wrong[:5]


def test_catalogues_hold_no_obsolete_or_repeated_message(messages):
    seen: dict[str, str] = {}
    for path in sorted((i18n.LOCALE_DIR / "en").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                assert message.id in messages, f"{path.name}: obsolete {message.id!r}"
                assert message.id not in seen, f"{message.id!r} in {seen.get(message.id)} too"
                seen[message.id] = path.name


def test_translate_falls_back_to_french_and_fills_placeholders(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "x.po").write_text(
        'msgid "{n} communes rurales"\nmsgstr "{n} rural municipalities"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        assert i18n.t("{n} communes rurales", "en", n=3) == "3 rural municipalities"
        assert i18n.t("{n} communes rurales", "fr", n=3) == "3 communes rurales"
        assert i18n.t("Pas encore traduit", "en") == "Pas encore traduit"
    finally:
        i18n.catalogue.cache_clear()


def test_unknown_language_codes_fall_back_to_french():
    assert i18n.parse_lang("en") == "en"
    assert i18n.parse_lang("<script>") == "fr"
    assert i18n.parse_lang(None) == "fr"
