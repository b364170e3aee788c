"""On-screen charts (ui/chart.py): Plotly's basic bundle, fetched by `make vendor`, served by the
dashboard itself, and the figures of the pages sent to it."""
import functools
import re
from importlib import resources

import plotly.graph_objects as go
import pytest

from tests.conftest import charts_sent, open_page
from ui import chart


def _version(text: str) -> str:
    return re.search(r"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)", text[:400]).group(1)


def test_the_basic_bundle_is_fetched_and_is_the_python_packages_plotly_js():
    assert chart.available(), "run `make vendor` (every setup does)"
    basic = (chart.VENDOR / "plotly-basic.min.js").read_text(encoding="utf-8")
    full = (resources.files("plotly") / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8")
    assert _version(basic) == _version(full)  # the figures' schema is the library's
    assert "Plotly.register(module.exports)" in (
        chart.VENDOR / "plotly-locale-fr.js").read_text(encoding="utf-8")


def test_the_basic_bundle_draws_every_trace_type_of_the_on_screen_charts():
    """What the bundle registers, read from the bundle itself, covers ui/chart.TRACES."""
    basic = (chart.VENDOR / "plotly-basic.min.js").read_text(encoding="utf-8")
    for trace in chart.TRACES:
        assert re.search(rf'name:"{trace}"', basic), trace
    assert not re.search(r'name:"choroplethmap"', basic)  # maps: ui/mapview.py


@pytest.mark.parametrize("path, params", [
    ("accueil", {}),
    ("territoire", {"niveau": "departement", "code": "48"}),
    ("dla", {}),
])
def test_pages_send_their_charts_to_the_component(fixture_db, monkeypatch, path, params):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    at = open_page(path, **params)
    assert not at.exception
    sent = charts_sent(at)
    assert sent, "no chart on the page"
    for figure in sent:
        assert {trace.get("type", "scatter") for trace in figure["data"]} <= chart.TRACES
        go.Figure(figure)  # a valid Plotly figure: the exports draw the same one
    assert not at.get("plotly_chart")  # nothing falls back to Streamlit's full bundle


def test_a_trace_the_basic_bundle_cannot_draw_falls_back(monkeypatch):
    """A figure with a trace outside the bundle goes to st.plotly_chart instead of a blank box."""
    calls = []
    monkeypatch.setattr(chart.st, "plotly_chart", lambda fig, **kw: calls.append(fig))
    monkeypatch.setattr(chart, "_CHART", lambda **kw: pytest.fail("sent to the component"))
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    chart.show(fig, key="k", config={}, alt="carte de chaleur")
    assert calls == [fig]


def test_a_figure_is_serialised_once_while_it_lives(monkeypatch):
    calls = []
    real = go.Figure.to_json
    monkeypatch.setattr(go.Figure, "to_json", lambda self, *a, **k: calls.append(1) or real(self))
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    assert chart.to_json(fig) == chart.to_json(fig)
    assert len(calls) == 1
    other = go.Figure(go.Bar(x=["b"], y=[2]))  # another object: its own JSON
    assert '"b"' in chart.to_json(other) and len(calls) == 2


def test_cached_figures_are_shared_across_runs_and_follow_the_language(fixture_db, monkeypatch):
    """ui/data.figure: the DLA page's charts are the same objects run after run (built once per
    warehouse and language), and the English page gets English figures."""
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    from ess_data import theme
    built = []
    real = theme.breakdown_bars

    @functools.wraps(real)
    def counted(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(theme, "breakdown_bars", counted)
    from ui import data
    data._figure.clear()  # earlier tests of this process filled it
    first = charts_sent(open_page("dla"))
    n = len(built)
    again = charts_sent(open_page("dla"))
    assert n > 0 and len(built) == n  # the second run built none
    english = charts_sent(open_page("dla", lang="en"))
    assert first == again
    titles = [f["layout"]["title"]["text"] for f in first]
    english_titles = [f["layout"]["title"]["text"] for f in english]
    assert len(titles) == len(english_titles) and titles != english_titles
    assert all("Source" in str(f["layout"]["annotations"]) for f in first)
