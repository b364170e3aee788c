"""Mode présentation: a territory's slides one at a time, filling the window, large type.

State in the URL: ?niveau=region|departement&code=53&diapo=N (N from 1) and, when only some
slides are chosen, &diapos=key,<indicator id>,map; so a link opens the meeting as prepared, and
Back / Forward in the browser go through the slides shown (ui.present.follow_url).
The same slides as the downloadable deck (ess_data.export.deck). On screen (ui/present.py):
no sidebar; one bar of controls (territory and slides, downloads, previous / next, full
screen); the arrows and Page Up / Page Down change the slide; the chart fits the window.
"""
import streamlit as st

from ess_data import figures
from ess_data.export import deck
from ess_data.registry import LEVELS, level_label
from ui import data, exports, lang, present, require_navigation, widgets
from ui.lang import t

require_navigation()

language = lang.current()
present.style()
present.follow_url(["pres_niveau", "pres_code", "pres_choix", "pres_diapo", "pres_territory"])

# The choices are made in the bar's settings panel; read them (and a link's warnings) first.
widgets.seed_state("pres_niveau", widgets.url_choice("niveau", list(LEVELS), "region",
                                                     t("le niveau")))
if st.session_state["pres_niveau"] not in LEVELS:  # a label the browser kept from before
    st.session_state["pres_niveau"] = "region"
niveau = st.session_state["pres_niveau"]
territories = data.query("territory_list", level=niveau, region_code=None)
names = dict(zip(territories["code"], territories["name"]))
codes = territories["code"].tolist()
if st.session_state.get("pres_code") not in codes:
    st.session_state.pop("pres_code", None)
widgets.seed_state("pres_code",
                   widgets.url_choice("code", codes, codes[0], t("le code territoire")))
code = st.session_state["pres_code"]
# Set again every run, before the widgets: they then show these values whatever the browser last
# held (a change of language renames the options; a link or Back changes the values).
st.session_state["pres_niveau"], st.session_state["pres_code"] = niveau, code

content = exports.deck_content(niveau, code)
labels = {"key": t("Chiffres clés"), **{c.indicator.indicator_id: c.indicator.label(language)
                                        for c in content.charts}}
if content.map_figure is not None:
    labels["map"] = t("Carte")
available = list(labels)
if st.session_state.get("pres_territory") != (niveau, code):  # another territory: all, from 1
    if "pres_territory" in st.session_state:
        st.session_state["pres_diapo"] = 1
        st.session_state["pres_choix"] = available
    st.session_state["pres_territory"] = (niveau, code)
if "pres_choix" not in st.session_state:  # first run: the slides the link names, else all
    asked = [s for s in (st.query_params.get("diapos") or "").split(",") if s]
    chosen = [s for s in asked if s in labels]
    if asked and len(chosen) < len(asked):
        st.warning(t("Le lien demande des diapositives qui n'existent pas pour ce territoire ; "
                     "elles sont ignorées."), icon="⚠️")
    st.session_state["pres_choix"] = chosen or available
st.session_state["pres_choix"] = [s for s in st.session_state["pres_choix"] if s in labels]
slides = [s for s in available if s in st.session_state["pres_choix"]] or available
numbers = [str(i) for i in range(1, len(slides) + 1)]
widgets.seed_state("pres_diapo",
                   int(widgets.url_choice("diapo", numbers, "1", t("la diapositive"))))


def _move(move: int | str | None) -> None:
    """Previous / next (buttons, keys), first / last (keys)."""
    st.session_state["pres_diapo"] = present.step(st.session_state["pres_diapo"], move,
                                                  len(slides))


_move(0)
n = st.session_state["pres_diapo"]
params = {"niveau": niveau, "code": code, "diapo": str(n)}
if slides != available:
    params["diapos"] = ",".join(slides)
present.write_url(params)
slide = slides[n - 1]

bar = st.container(horizontal=True, vertical_alignment="center", key="pres_bar")
# an expander, not a popover: its widgets stay mounted when it is closed, so the values the page
# sets (a link, Back) reach them; ui/present.css lays it over the slide like a menu
with bar.expander(t("Territoire et diapositives"), icon=":material/tune:", key="pres_settings",
                  width=260):
    st.radio(t("Niveau"), list(LEVELS), key="pres_niveau", horizontal=True,
             format_func=lambda level: level_label(level, lang=language))
    st.selectbox(t("Territoire"), codes, key="pres_code",
                 format_func=lambda c: f"{names[c]} ({c})")
    with st.expander(t("Choisir les diapositives"), expanded=False):
        st.multiselect(t("Diapositives montrées (toutes si aucune)"), available,
                       key="pres_choix", format_func=labels.get)
    present.language()
    present.leave(niveau, code)
bar.button(t("◀ Précédente"), key="pres_prev", on_click=_move, args=(-1,), disabled=n == 1)
bar.markdown(t("Diapositive {n} sur {total} — {titre}", n=n, total=len(slides),
               titre=content.title), width="stretch", text_alignment="center", wrap=False)
bar.button(t("Suivante ▶"), key="pres_next", on_click=_move, args=(1,),
           disabled=n == len(slides))
with bar:
    room = present.controls(_move, n, len(slides))
downloads = bar.popover(t("Télécharger"), icon=":material/download:", key="pres_downloads")

with st.container(key="pres_slide"):
    if slide == "key":
        st.header(deck.key_figures_title(content, lang=language), anchor=False)
        cells = st.columns(4)
        for col, (value, label) in zip(cells, deck.key_figures(content, lang=language)):
            col.metric(label, value)
        table = deck.ess_share_table(content, lang=language)
        if table:
            st.subheader(content.ess_share().indicator.label(language), anchor=False)
            st.table({h or " ": col for h, col in zip(table[0], zip(*table[1:]))})
        st.caption(deck.key_figures_note(content, lang=language))
    else:
        if slide == "map":
            fig = content.map_figure
            st.header(deck.map_title(content, lang=language), anchor=False)
        else:
            chart = next(c for c in content.charts if c.indicator.indicator_id == slide)
            fig = figures.compare_bars(chart.rows, chart.indicator, content.name, lang=language)
            st.header(labels[slide], anchor=False)
        with st.container(key=present.CHART_BOX):
            if slide == "map":
                present.map_(fig, room, key="pres_map")
            else:
                present.chart(fig, room, key=f"pres_chart_{slide}")

with downloads:
    st.markdown("**" + t("Télécharger le dossier de ce territoire") + "**")
    exports.deck_downloads(niveau, code, key="pres_deck")
    if slide != "key":
        st.caption(t("Ce graphique seul, avec sa source et la date d'extraction :"))
        exports.chart_downloads(fig, f"{code}-{labels[slide]}", key="pres_chart")
