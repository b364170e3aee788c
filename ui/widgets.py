"""Widgets shared by the pages: URL parameters, charts, the "À propos de ces données" box.

Every text they show is in the session's language (`ui.lang`)."""
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ess_data import figures, fmt
from ess_data.registry import Indicator
from ui import chart as chart_
from ui import lang
from ui.lang import t

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 3, "filename": "graphique-ess"},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def _shown(raw: str) -> str:
    """A URL value made safe to print: no markup, bounded length."""
    return re.sub(r"[^0-9A-Za-zÀ-ÿ_\- .]", "?", raw)[:40]


def url_choice(name: str, allowed: list[str], default: str, what: str,
               label: Callable[[str], str] | None = None) -> str:
    """The value of URL parameter `name` if allowed, else `default` with a warning in the
    session's language; `what` names the parameter in that language (`t("le niveau")`),
    `label` writes the default as the menu shows it (never an internal code)."""
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw in allowed:
        return raw
    st.warning(t("Le lien demande {what} « {value} », qui n'existe pas ici. "
                 "Affichage par défaut : « {default} ».", what=what, value=_shown(raw),
                 default=label(default) if label else default), icon="⚠️")
    return default


def url_text(name: str, max_length: int) -> str:
    """Free text from URL parameter `name` (e.g. thresholds), bounded; '' when absent."""
    return (st.query_params.get(name) or "")[:max_length]


def seed_state(key: str, value) -> None:
    """Give a widget its initial value (from the URL) the first time the page runs."""
    if key not in st.session_state:
        st.session_state[key] = value


def chart(fig: go.Figure, key: str, name: str | None = None,
          shapes: dict | None = None, clickable: bool = False) -> str | None:
    """Show a figure full width with the toolbar (PNG/SVG in the browser) and its text
    alternative in the session's language; list it for the page's export panel (see
    export_panel). A map is drawn by the dashboard's own renderer (ui/mapview.py; `shapes`:
    data.map_shapes of its zone, else encoded from the figure); a `clickable` one returns the
    code of the territory just clicked (unchecked: it comes from the browser)."""
    st.session_state.setdefault(_CHARTS, []).append(
        (key, name or fig.layout.title.text or key, fig))
    if getattr(fig, "spec", None) is not None:  # a map (ess_data.mapfigure)
        from ui import mapview
        return mapview.show(fig, key=key, shapes=shapes, clickable=clickable)
    config = {**PLOTLY_CONFIG, "locale": lang.current(),
              "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"],
                                       "filename": t("graphique-ess")}}
    chart_.show(fig, key=key, config=config, alt=figures.describe(fig, lang=lang.current()))
    return None


_CHARTS = "_page_charts"


def start_page(page: str) -> None:
    """Forget the charts of the previous run and name the page being run (dashboard.py calls
    it before each page)."""
    st.session_state[_CHARTS] = []
    st.session_state[_PAGE] = page


_PAGE = "_page_name"


def panel(label: str, name: str, **kwargs):
    """A closed expander whose content is only made and sent once it is opened (one key per
    page, so opening it on one page does not load it on the others): `with panel(...) as box:
    if box.open: ...`. Closed panels cost a rerun nothing, which matters when every control
    change reruns a map page."""
    return st.expander(label, key=f"{name}_{st.session_state.get(_PAGE, '')}",
                       on_change="rerun", **kwargs)


def export_panel() -> None:
    """One panel under the page for all its charts: pick one, download it as PNG (2200 px),
    SVG or PDF with its source and extraction date, and read its data as a table. (One panel
    rather than a menu per chart: a dozen menus made a page seconds slower to show.) Its
    content is made when it is opened: closed, it costs a rerun nothing."""
    charts = st.session_state.get(_CHARTS) or []
    if not charts:
        return
    with panel(t("Exporter un graphique de cette page et voir ses données"), "exports",
               icon=":material/download:") as box:
        if not box.open:
            return
        from ui import exports  # kaleido and python-pptx load on first use only
        titles = {key: title for key, title, _ in charts}
        choice = st.selectbox(t("Graphique"), list(titles), format_func=titles.get,
                              key="export_chart") if len(charts) > 1 else charts[0][0]
        fig = next(f for key, _, f in charts if key == choice)
        exports.chart_downloads(fig, titles[choice], key=f"export_{choice}")
        table = figures.data_table(fig, lang=lang.current())
        if len(table) <= 40:
            st.table(table.set_index(table.columns[0]))  # the series
        else:  # a commune map has thousands of rows: a scrolling grid, not an HTML table
            st.dataframe(table, hide_index=True, width="stretch", height=320)


def table(df: pd.DataFrame, observations: pd.DataFrame | None, name: str, key: str,
          **kwargs) -> None:
    """A display table, with CSV (French Excel, international) and XLSX downloads of the
    observations behind it (raw values, units, sources sheet) when given."""
    from ui import exports
    st.dataframe(df, hide_index=True, width="stretch", key=key, **kwargs)
    if observations is not None and len(observations):
        with st.popover(t("Télécharger le tableau"), icon=":material/download:"):
            exports.table_downloads(observations, name, key=key)


def about(indicators: list[Indicator], observations: pd.DataFrame | None = None,
          extra: str = "") -> None:
    """The "À propos de ces données" box, in the session's language: definition, unit, sources
    and periods per indicator (`extra`: Markdown already in that language). Made once opened."""
    with panel(t("À propos de ces données"), "about") as box:
        if not box.open:
            return
        sources: dict[str, dict[tuple, set]] = {}
        if observations is not None and len(observations):
            cols = ["indicator_id", "source_publisher", "source_title", "source_published",
                    "source_url", "period"]
            for ind_id, *source, period in observations[cols].itertuples(index=False):
                sources.setdefault(ind_id, {}).setdefault(tuple(source), set()).add(period)
        language = lang.current()
        for ind in indicators:
            lines = [f"**{ind.label(language)}** — {ind.definition(language)}"]
            if ind.rural_definitions:
                lines.append("- " + t("« Rural » au sens de : {definitions}",
                                      definitions=ind.rural_definition_labels(language)))
            for (publisher, title, published, url), periods in sources.get(
                    ind.indicator_id, {}).items():
                shown = ", ".join(sorted(fmt.period(p, lang=language) for p in periods))
                year = f" ({published})" if isinstance(published, str) else ""
                link = f" — [{t('lien')}]({url})" if isinstance(url, str) and url else ""
                lines.append("- " + t("Source : {publisher}, *{title}*{year}{link} ; "
                                      "données {periods}", publisher=publisher, title=title,
                                      year=year, link=link, periods=shown))
            if ind.notes:  # notes exist in French only (registry column `notes`)
                lines.append("- " + t("À noter : {notes}", notes=ind.notes))
            st.markdown("\n".join(lines))
        if extra:
            st.markdown(extra)
        st.caption(t("Définitions des territoires ruraux, millésimes et licences : page "
                     "Sources."))


def value_text(value, ind: Indicator, qualifier: str | None = None) -> str:
    """A value formatted for this indicator."""
    return fmt.value(value, ind.unit, ind.decimals, lang=lang.current(), qualifier=qualifier or "")


def markdown_file(path: Path) -> None:
    """Show a docs/ Markdown file inside a page: its title as a subheader, headings demoted."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        st.subheader(lines[0][2:])
        lines = lines[1:]
    st.markdown("\n".join("#" + line if line.startswith("#") else line for line in lines))
