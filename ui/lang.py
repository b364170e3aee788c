"""The interface language of this session: a sidebar switch, `?lang=en` in links, and `t()`;
every choice made in a menu survives a change of language, and the page declares its language
(`<html lang>`)."""
import streamlit as st
from streamlit.runtime.state import get_session_state

from ess_data import i18n

KEY = "langue"
_SHOWN = "_langue_affichee"  # the language of the previous run of this session


def current() -> str:
    """The language of this session: the switch, else the link's `?lang=`, else French."""
    if KEY in st.session_state:
        return i18n.parse_lang(st.session_state[KEY])
    return i18n.parse_lang(st.query_params.get("lang"))


def t(message: str, /, **values) -> str:
    """`message` (written in French) in the session's language, placeholders filled."""
    return i18n.t(message, current(), **values)


def switch() -> None:
    """The language switch (sidebar); a link with `?lang=en` opens in English."""
    if KEY not in st.session_state:
        st.session_state[KEY] = i18n.parse_lang(st.query_params.get("lang"))
    if st.session_state.get(_SHOWN, current()) != current():
        keep_choices()
    st.session_state[_SHOWN] = current()
    st.segmented_control("Langue · Language", list(i18n.LANGS), format_func=i18n.LANGS.get,
                         key=KEY, on_change=_keep_one)
    # Streamlit's page says lang="en" whatever its language (streamlit#15726; Streamlit 1.67
    # has no option for it): set on every run, so it follows the switch both ways
    # (a script of ours with a fixed value: st.html runs it in the page, no iframe)
    st.html(f'<script>document.documentElement.lang = "{current()}";</script>',
            unsafe_allow_javascript=True)


def _choice_keys() -> list[str]:
    """Keys of this session's menus (radio, selectbox, multiselect, segmented control):
    the widgets whose browser-side value is the *label* of the chosen option."""
    keys = []
    try:  # Streamlit's SessionState has no public accessor; checked on Streamlit 1.67 by
        # tests/browser/test_lang_browser.py, and a later version without it loses only this
        state = get_session_state()._state
        for key in list(st.session_state.keys()):
            widget_id = state.get_widget_id_from_key(str(key))
            meta = state.get_widget_metadata(widget_id) if widget_id else None
            if (meta is not None and getattr(meta, "formatted_options", None) is not None
                    and meta.value_type in ("string_value", "string_array_value")):
                keys.append(key)
    except AttributeError:
        return []
    return keys


def keep_choices() -> None:
    """After a change of language, give every menu its value again, as a code.

    A menu's value travels between browser and server as the label of the option (Streamlit
    1.67): labels written in the other language match no option any more, so radios went
    blank and selects kept labels of the other language, even passed on as values into the
    URL. Read here, before any widget of the run, the value is still decoded with the previous
    run's labels (the option's code); set again, it is sent back with the new labels."""
    for key in _choice_keys():
        try:
            value = st.session_state[key]
        except KeyError:
            continue
        st.session_state[key] = value


def _keep_one() -> None:
    """Clicking the chosen option unselects it: keep a language (in a callback, which runs
    before the widget is drawn again; set after it, Streamlit raised an error)."""
    if st.session_state.get(KEY) is None:
        st.session_state[KEY] = i18n.DEFAULT


def in_url(params: dict[str, str]) -> dict[str, str]:
    """A page's URL parameters with the language last (left out in French, the default)."""
    return params if current() == i18n.DEFAULT else {**params, "lang": current()}


def write_url(params: dict[str, str]) -> None:
    """Write a page's whole state into the URL in one go, the language included: each change
    of the query string is one entry in the browser's history (written without the language,
    then with it, a view took two, and Back went to the first, in French)."""
    st.query_params.from_dict(in_url(params))


def keep_in_url() -> None:
    """Write the language into the URL of a page that writes no parameters of its own (pages
    that do use write_url; French, the default, is left out so French links stay as they
    were)."""
    if current() == i18n.DEFAULT:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != current():
        st.query_params["lang"] = current()
