"""The interface language of this session: a sidebar switch, `?lang=en` in links, and `t()`."""
import streamlit as st

from ess_data import i18n

KEY = "langue"


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
    st.segmented_control("Langue · Language", list(i18n.LANGS), format_func=i18n.LANGS.get,
                         key=KEY, on_change=_keep_one)


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
