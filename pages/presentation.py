"""Mode présentation: a territory's slides one at a time, full width, large type.

State in the URL: ?niveau=region|departement&code=53&diapo=N (N from 1) and, when only some
slides are chosen, &diapos=key,<indicator id>,map; so a link opens the meeting as prepared.
The same slides as the downloadable deck (ess_data.export.deck).
"""
import streamlit as st

from ess_data import figures
from ess_data.export import deck
from ess_data.registry import LEVELS, level_label
from ui import data, exports, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

language = lang.current()

# Projector-sized type for this page only (static CSS, no user input in it).
st.markdown("<style>[data-testid=stMetricValue]{font-size:2.8rem}"
            "[data-testid=stMetricLabel] p{font-size:1.3rem;white-space:normal}"
            "[data-testid=stTable] td,[data-testid=stTable] th{font-size:1.4rem}"
            "</style>", unsafe_allow_html=True)

widgets.seed_state("pres_niveau", widgets.url_choice("niveau", list(LEVELS), "region",
                                                     t("le niveau")))
left, right = st.columns([1, 3])
niveau = left.radio(t("Niveau"), list(LEVELS), key="pres_niveau", horizontal=True,
                    format_func=lambda level: level_label(level, lang=language))
territories = data.query("territory_list", level=niveau, region_code=None)
names = dict(zip(territories["code"], territories["name"]))
codes = territories["code"].tolist()
if st.session_state.get("pres_code") not in codes:
    st.session_state.pop("pres_code", None)
widgets.seed_state("pres_code",
                   widgets.url_choice("code", codes, codes[0], t("le code territoire")))
code = right.selectbox(t("Territoire"), codes, key="pres_code",
                       format_func=lambda c: f"{names[c]} ({c})")

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
with st.expander(t("Choisir les diapositives"), expanded=False):
    st.multiselect(t("Diapositives montrées (toutes si aucune)"), available, key="pres_choix",
                   format_func=labels.get)
slides = [s for s in available if s in st.session_state["pres_choix"]] or available
numbers = [str(i) for i in range(1, len(slides) + 1)]
widgets.seed_state("pres_diapo",
                   int(widgets.url_choice("diapo", numbers, "1", t("la diapositive"))))
st.session_state["pres_diapo"] = min(max(st.session_state["pres_diapo"], 1), len(slides))


def _move(step: int) -> None:
    st.session_state["pres_diapo"] = min(max(st.session_state["pres_diapo"] + step, 1),
                                         len(slides))


n = st.session_state["pres_diapo"]
params = {"niveau": niveau, "code": code, "diapo": str(n)}
if slides != available:
    params["diapos"] = ",".join(slides)
lang.write_url(params)

prev_col, where, next_col = st.columns([1, 4, 1])
prev_col.button(t("◀ Précédente"), key="pres_prev", on_click=_move, args=(-1,), disabled=n == 1,
                width="stretch")
where.markdown("<div style='text-align:center;font-size:1.2rem'>"
               + t("Diapositive {n} sur {total} — {titre}", n=n, total=len(slides),
                   titre=content.title) + "</div>", unsafe_allow_html=True)
next_col.button(t("Suivante ▶"), key="pres_next", on_click=_move, args=(1,),
                disabled=n == len(slides), width="stretch")

slide = slides[n - 1]
if slide == "key":
    st.header(deck.key_figures_title(content, lang=language))
    cells = [*st.columns(2), *st.columns(2)]  # two by two: long numbers stay whole
    for col, (value, label) in zip(cells, deck.key_figures(content, lang=language)):
        col.metric(label, value)
    table = deck.ess_share_table(content, lang=language)
    if table:
        st.subheader(content.ess_share().indicator.label(language))
        st.table({h or " ": col for h, col in zip(table[0], zip(*table[1:]))})
    st.caption(deck.key_figures_note(content, lang=language))
else:
    if slide == "map":
        fig = content.map_figure
    else:
        chart = next(c for c in content.charts if c.indicator.indicator_id == slide)
        fig = figures.compare_bars(chart.rows, chart.indicator, content.name, lang=language)
    fig.update_layout(font_size=20, title_font_size=32, legend_font_size=20,
                      height=max(fig.layout.height or 0, 640))
    fig.update_xaxes(tickfont_size=20)
    fig.layout.annotations[-1].font.size = 15
    widgets.chart(fig, key=f"pres_chart_{slide}")

with st.expander(t("Télécharger le dossier de ce territoire"), expanded=False):
    exports.deck_downloads(niveau, code, key="pres_deck")
    if slide != "key":
        st.caption(t("Ce graphique seul, avec sa source et la date d'extraction :"))
        exports.chart_downloads(fig, f"{code}-{labels[slide]}", key="pres_chart")
