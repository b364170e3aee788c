"""Mode présentation: a territory's slides one at a time, filling the window, large type.

The slides are the downloadable deck's, all of them, in its order and with its titles (the
finding as the heading): ess_data.export.deck.slides, drawn on screen by ui.present.slide.
State in the URL: ?niveau=region|departement&code=53&diapo=N (N from 1) and, when only some
slides are chosen, &diapos=key,part_ess_emploi_salarie,map,ranking,... (Slide.key); so a link
opens the meeting as prepared, and Back / Forward in the browser go through the slides shown
(ui.present.follow_url). On screen (ui/present.py): no sidebar; one bar of controls (territory
and slides, previous / next, full screen, the speaker notes, downloads); the arrows and Page Up
/ Page Down change the slide; the chart fits the window. The notes are shown under the slide
only when the presenter asks.
"""
import streamlit as st

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
specs = {spec.key: spec for spec in deck.slides(content)}
labels = {key: present.slide_label(spec, content) for key, spec in specs.items()}
available = list(specs)
if st.session_state.get("pres_territory") != (niveau, code):  # another territory: all, from 1
    if "pres_territory" in st.session_state:
        st.session_state["pres_diapo"] = 1
        st.session_state["pres_choix"] = available
    st.session_state["pres_territory"] = (niveau, code)
if "pres_choix" not in st.session_state:  # first run: the slides the link names, else all
    asked = [s for s in (st.query_params.get("diapos") or "").split(",") if s]
    chosen, unknown = present.chosen(asked, available, content)
    if unknown:
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
spec = specs[slides[n - 1]]

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
# the speaker notes: the presenter's, off unless asked (never on the projected slide by default)
bar.toggle(t("Notes"), key="pres_notes")
downloads = bar.popover(t("Télécharger"), icon=":material/download:", key="pres_downloads")

with st.container(key="pres_slide"):
    fig = present.slide(content, spec, room)
if st.session_state["pres_notes"]:
    present.notes(deck.slide_notes(content, spec))

with downloads:
    st.markdown("**" + t("Télécharger le dossier de ce territoire") + "**")
    exports.deck_downloads(niveau, code, key="pres_deck")
    if fig is not None:
        st.caption(t("Ce graphique seul, avec sa source et la date d'extraction :"))
        exports.chart_downloads(fig, f"{code}-{labels[spec.key]}", key="pres_chart")
