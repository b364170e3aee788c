"""The presentation page's stage: the slide fills the window, its controls sit in one bar above.

- `style()`: the page's CSS (ui/present.css): no sidebar and no Streamlit header on this page,
  a thin bar of controls, a large title; gone when the page is left (it is one of its elements).
- `follow_url(...)`: the URL is the state of truth: when it is not the one this session last
  wrote (Back, Forward, a link), the page forgets its choices and reads them from the URL.
- `controls(...)`: a small component (ui/present.js, no iframe, no library): the full-screen
  button, the slide keys (arrows, Page Up/Down as clickers send) and the room left for the
  chart under the slide's title, measured in the browser.
- `chart(...)` / `map_(...)`: the slide's figure drawn at that height. The deck's figures keep
  their titles for the downloads; on screen the slide's title is the page's heading.
- `slide(...)`: one slide of the deck's list (ess_data.export.deck.slides) drawn on screen, its
  finding as the heading: the cover, the key figures, a chart, the map, the ranking, rural vs
  rest, big numbers, text; `notes(...)` its speaker notes under it, when asked.
- `slide_label(...)` / `chosen(...)`: the slide selector's short names, and the slides a link's
  `diapos=` names (old links' indicator ids included).
"""
import html
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ess_data import figures, i18n, mapview
from ess_data.export import deck as deck_
from ui import chart as chart_
from ui import data, lang, widgets
from ui.lang import t

_HERE = Path(__file__).parent
_CONTROLS = st.components.v2.component(
    "ess_present", js=(_HERE / "present.js").read_text(encoding="utf-8"), isolate_styles=False)
# the dashboard's map renderer (ui/mapview.js) again, here given the height of the slide
_MAP = st.components.v2.component(
    "ess_present_map", js=(_HERE / "mapview.js").read_text(encoding="utf-8"),
    css=(_HERE / "mapview.css").read_text(encoding="utf-8"), isolate_styles=False)
_STYLE = (_HERE / "present.css").read_text(encoding="utf-8")

CHART_BOX = "pres_chart_box"   # key of the container holding the slide's chart
# Room under the title for the chart before the browser has measured it: what a 1280 x 720
# window leaves (ui/present.css), so a projector needs no second run.
DEFAULT_ROOM = 580
MIN_ROOM, MAX_ROOM = 280, 2400
MAP_TEXT = 84                  # the map's title and source lines around its canvas (px)
_WRITTEN = "_pres_url"         # the URL parameters this session last wrote


def style() -> None:
    """The page's CSS (static, no user input in it)."""
    st.markdown(f"<style>{_STYLE}</style>", unsafe_allow_html=True)


def follow_url(keys: list[str]) -> None:
    """Forget the page's choices (`keys` of session_state) when the URL is not the one this
    session last wrote: Back or Forward in the browser, or a link, and the URL wins."""
    url = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
    if _WRITTEN in st.session_state and url != st.session_state[_WRITTEN]:
        for key in keys:
            st.session_state.pop(key, None)


def write_url(params: dict[str, str]) -> None:
    """Write the page's state in the URL (the language last) and remember it."""
    st.session_state[_WRITTEN] = dict(params)
    lang.write_url(params)


def language() -> None:
    """The language switch, here since the sidebar (where it lives) is hidden: it sets the
    sidebar's switch, so the choice holds on every page."""
    def chosen() -> None:
        if st.session_state.get("pres_langue") in i18n.LANGS:  # a second click unselects
            st.session_state[lang.KEY] = st.session_state["pres_langue"]
    st.session_state["pres_langue"] = lang.current()
    st.segmented_control("Langue · Language", list(i18n.LANGS), format_func=i18n.LANGS.get,
                         key="pres_langue", on_change=chosen)


def leave(niveau: str, code: str) -> None:
    """A link out of the presentation: the territory's profile (Back returns here)."""
    rural = next(iter(data.rural_definitions()))  # the profile's default definition
    st.page_link("pages/territoire.py", label=t("Quitter la présentation : profil du territoire"),
                 icon=":material/close:", query_params=data.profile_params(niveau, code, rural))


def controls(on_move, n: int, total: int) -> int:
    """The full-screen button and the slide keys (`on_move(step)` with "next", "prev", "first"
    or "last"); returns the room in pixels for the slide's chart."""
    measured = _value("room")
    if not isinstance(measured, int | float) or isinstance(measured, bool):
        measured = None
    room = int(min(max(measured or DEFAULT_ROOM, MIN_ROOM), MAX_ROOM))
    labels = {"enter": t("Plein écran"), "exit": t("Quitter le plein écran"),
              "enter_hint": t("Montrer la diapositive sur tout l'écran (Échap pour en sortir). "
                              "Flèches ou Page précédente / suivante : changer de diapositive."),
              "exit_hint": t("Revenir à la fenêtre (Échap)")}
    _CONTROLS(key="pres_controls", width="content",
              data={"labels": labels, "box": f".st-key-{CHART_BOX}", "height": room,
                    "room": measured, "slide": n, "total": total},
              on_move_change=lambda: on_move(_value("move")),
              on_room_change=lambda: None)
    return room


def _value(name: str):
    """A state or trigger value the controls sent (None before any)."""
    state = st.session_state.get("pres_controls")
    return state.get(name) if isinstance(state, dict) else None


def step(n: int, move: int | str | None, total: int) -> int:
    """The slide after `move` from slide `n`, within 1..`total`: -1 / +1 (the buttons), "prev",
    "next", "first" or "last" (the keys); anything else stays."""
    if isinstance(move, str):
        n = {"next": n + 1, "prev": n - 1, "first": 1, "last": total}.get(move, n)
    elif isinstance(move, int):
        n += move
    return min(max(n, 1), total)


def slide_figure(fig: go.Figure, height: int) -> go.Figure:
    """A copy of a deck chart for the screen: projector type, no title (the slide's heading
    says it), `height` pixels high."""
    shown = go.Figure(fig)
    bars = sum(len(tr.x or []) for tr in shown.data)
    shown.update_layout(title_text="", font_size=20, legend_font_size=20, height=height,
                        margin_t=56, showlegend=True,  # one territory alone is named too
                        bargap=0.15 if bars > 2 else 0.5)
    shown.update_xaxes(tickfont_size=20)
    note = shown.layout.annotations[-1]  # the source line, under the 20 px axis labels
    note.font.size, note.yshift = 15, -60
    shown.update_layout(margin_b=70 + 21 * ((note.text or "").count("<br>") + 1))
    return shown


def chart(fig: go.Figure, height: int, key: str) -> None:
    """A deck chart on the slide, `height` pixels high, with its text alternative (the deck's
    figure, title included, is what the downloads export)."""
    shown = slide_figure(fig, height)
    config = {**widgets.PLOTLY_CONFIG, "locale": lang.current(),
              "toImageButtonOptions": {**widgets.PLOTLY_CONFIG["toImageButtonOptions"],
                                       "filename": t("graphique-ess")}}
    chart_.show(shown, key=key, config=config, alt=figures.describe(fig, lang=lang.current()))


def map_(fig: go.Figure, height: int, key: str) -> None:
    """The deck's map drawn by the dashboard's renderer, its canvas sized to fit `height`; its
    shapes are the figure's own (the deck chooses the zone)."""
    labels = {"in": t("Zoomer"), "out": t("Dézoomer"), "reset": t("Revenir à la vue entière")}
    sent = mapview.payload(fig, None, alt=figures.describe(fig, lang=lang.current()),
                           height=max(height - MAP_TEXT, 200), labels=labels)
    _MAP(key=key, data=sent)


# --- the slides --------------------------------------------------------------------------------

def slide_label(spec: deck_.Slide, content: deck_.Deck) -> str:
    """A slide's short name in the selector: `Titre`, `Chiffres clés`, a chart's indicator,
    `Carte`, ..., `Sources (2)` for a continued text slide."""
    if spec.kind == "chart":
        return spec.item.indicator.label(content.lang)
    base, _, part = spec.key.partition("-")
    label = {"title": t("Titre"), "key": t("Chiffres clés"), "map": t("Carte"),
             "ranking": t("Départements de la région"), "rural": t("Rural et reste du territoire"),
             "lone": t("Chiffres sans comparaison"), "support": t("DLA et PTCE"),
             "points": t("À retenir"), "definitions": t("Définitions"),
             "sources": t("Sources")}.get(base, spec.title)
    return f"{label} ({part})" if part else label


def chosen(asked: list[str], keys: list[str], content: deck_.Deck) -> tuple[list[str], bool]:
    """The slides (keys) a link's `diapos=` names, in the deck's order, and whether some name no
    slide. An older link's indicator id names the slide that now shows it: a single figure the
    big numbers (`lone`), a DLA or PTCE figure their slide (`support`)."""
    moved = {c.indicator.indicator_id: "lone" for c in content.lone}
    registry = data.registry()
    moved |= {i: "support" for i in content.profile["indicator_id"].unique()
              if i in registry and registry.get(i).theme in deck_.SUPPORT_THEMES}
    found = {moved.get(a, a) for a in asked}
    return [k for k in keys if k in found], not found <= set(keys)


def _paragraphs(lines: list[str], cls: str) -> None:
    """Paragraphs of text as they read (escaped: no markdown), styled by ui/present.css."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    st.html(f'<div class="{cls}">{body}</div>')


def _numbers(numbers: list[deck_.BigNumber], per_row: int = 3) -> None:
    """Big numbers, `per_row` a row (3 or 4): the value, what it counts, its source if any."""
    def cell(big: deck_.BigNumber) -> str:
        source = f'<p class="esspres-source">{html.escape(big.note)}</p>' if big.note else ""
        return (f'<div class="esspres-number"><p class="esspres-value">{html.escape(big.value)}'
                f'</p><p class="esspres-label">{html.escape(big.label)}</p>{source}</div>')
    cells = "".join(cell(b) for b in numbers)
    st.html(f'<div class="esspres-numbers esspres-{per_row}">{cells}</div>')


def _heading(title: str) -> None:
    """The slide's title: its finding, smaller as it grows (up to three lines at 1024 px)."""
    size = "short" if len(title) <= 70 else "long" if len(title) <= 130 else "longer"
    with st.container(key=f"pres_head_{size}"):
        st.header(title, anchor=False)


def slide(content: deck_.Deck, spec: deck_.Slide, room: int):
    """Draw one of the deck's slides (deck.slides) at `room` pixels for its chart or map;
    returns the figure it draws (None for text and big numbers), for the downloads."""
    lang_ = content.lang
    if spec.kind == "title":
        with st.container(key="pres_cover"):
            st.header(spec.title, anchor=False)
            _paragraphs([content.subtitle], "esspres-subtitle")
        return None
    _heading(spec.title)
    fig = deck_.slide_figure(content, spec)
    if spec.kind == "key":
        _numbers([deck_.BigNumber(value, label, "")
                  for value, label in deck_.key_figures(content, lang_)], per_row=4)
        table = deck_.ess_share_table(content, lang_)
        if table:
            st.subheader(content.ess_share().indicator.label(lang_), anchor=False)
            st.table({h or " ": col for h, col in zip(table[0], zip(*table[1:]))})
        _paragraphs([deck_.key_figures_note(content, lang_)], "esspres-source")
    elif spec.kind == "lone":
        _numbers(deck_.lone_numbers(content, lang_))
        _paragraphs([t("Un seul chiffre publié pour chacun : pas de comparaison dans la même "
                       "source.")], "esspres-source")
    elif spec.kind == "support":
        _numbers(content.support.numbers)
        _paragraphs(content.support.statements, "esspres-statement")
    elif spec.kind == "text":
        _paragraphs(spec.item, "esspres-points" if spec.key.startswith("points")
                    else "esspres-references")
    elif spec.kind == "rural":
        lines = deck_.rural_lines(content, lang_)
        _paragraphs(lines[:1], "esspres-statement")
        if fig is None:  # no pair published: the statement and its sources
            _paragraphs(lines[1:], "esspres-source")
    if fig is not None:
        with st.container(key=CHART_BOX):
            if spec.kind == "map":
                map_(fig, room, key="pres_map")
            else:
                chart(fig, room, key=f"pres_chart_{spec.key}")
    return fig


def notes(lines: list[str]) -> None:
    """The slide's speaker notes under it (the presenter's, shown when asked)."""
    with st.container(key="pres_notes_box"):
        st.subheader(t("Notes de l'orateur"), anchor=False)
        _paragraphs(lines, "esspres-notes")
