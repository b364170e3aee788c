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
                         key=KEY)
    if st.session_state.get(KEY) is None:  # clicking the chosen option unselects it
        st.session_state[KEY] = i18n.DEFAULT


def keep_in_url() -> None:
    """Write the language into the URL after the page has written its own parameters
    (French, the default, is left out so French links stay as they were)."""
    if current() == i18n.DEFAULT:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != current():
        st.query_params["lang"] = current()
