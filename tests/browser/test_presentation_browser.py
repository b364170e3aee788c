"""The presentation page on a 1280 x 720 projector, in Chromium on the shipped warehouse: the slide
fills the window (title near the top, the chart whole, no scrolling), the keys a presenter or a
clicker sends change the slide and the URL, Back and Forward follow the URL, full screen works,
nothing leaves localhost."""
import pytest

from ess_data.export import deck
from tests.browser.conftest import Visit

PROJECTOR = {"width": 1280, "height": 720}
BRETAGNE = "/presentation?niveau=region&code=53&diapo=2"  # a chart slide, 6 slides in all
LOZERE_MAP = "/presentation?niveau=departement&code=48&diapo=3"
# where things are: the slide's title (a heading, else a chart's own title), its chart (Plotly)
# or map (ui/mapview.js), and how much the page would scroll
LAYOUT = """() => {
  const find = (s) => document.querySelector(s), box = (s) => find(s)?.getBoundingClientRect();
  const heading = find('[data-testid=stMainBlockContainer] h2') || find('.gtitle');
  const title = heading?.getBoundingClientRect(), plot = box('[data-testid=stMain] .main-svg'),
        map = box('[data-testid=stMain] .essmap');
  const main = find('[data-testid=stMain]');
  return {title: title && title.top, text: heading?.textContent,
          plotHeight: plot && plot.height, plotBottom: plot && plot.bottom,
          mapBottom: map && map.bottom, height: innerHeight,
          overflow: Math.max(main.scrollHeight - main.clientHeight,
                             document.documentElement.scrollHeight - innerHeight)};
}"""
DRAWN = "[data-testid=stMain] .main-svg, [data-testid=stMain] .essmap[data-drawn]"
TITLE = ("() => (document.querySelector('[data-testid=stMainBlockContainer] h2') "
         "|| document.querySelector('.gtitle'))?.textContent")


class Projector(Visit):
    """A page opened in a window of a projector's size (Visit opens at 1440 x 1000)."""

    def __init__(self, browser, url: str, size: dict | None = None):
        self.context = browser.new_context(viewport=size or PROJECTOR)
        self.page = self.context.new_page()
        self.outside, self.errors = [], []
        self.page.on("request", self._record)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)
        self.page.wait_for_selector("[data-testid=stApp]", timeout=60_000)

    def settled(self, title: str | None = None, drawn: bool = True) -> dict:
        """Wait for the slide (with this title), its chart or map drawn (not on the key figures:
        `drawn=False`), no run going on and the layout still for a moment; the layout."""
        if title is not None:
            self.page.wait_for_function(f"t => ({TITLE})() === t", arg=title, timeout=60_000)
        last = None
        for _ in range(40):  # the page may run again once the browser has measured the room
            self.page.wait_for_selector("[data-testid=stStatusWidget]", state="detached",
                                        timeout=60_000)
            if drawn:
                self.page.wait_for_selector(DRAWN, timeout=60_000)
            self.page.wait_for_timeout(400)
            now = self.page.evaluate(LAYOUT)
            if now == last and (not drawn or now["plotBottom"] or now["mapBottom"]):
                return now
            last = now
        return last

    def state(self) -> tuple[str, str]:
        """The slide in the URL and the slide's title."""
        diapo = self.page.evaluate("new URLSearchParams(location.search).get('diapo')")
        return diapo, self.page.evaluate(TITLE)


@pytest.fixture()
def projector(browser):
    """Open pages at 1280 x 720 (or another size); each is closed after the test."""
    opened = []

    def _open(url: str, size: dict | None = None) -> Projector:
        v = Projector(browser, url, size)
        opened.append(v)
        return v
    yield _open
    for v in opened:
        v.close()


def _titles(con, niveau: str, code: str, lang: str = "fr") -> list[str]:
    """The titles of a territory's slides on the page: the deck's key figures, charts and map."""
    d = deck.load(con, niveau, code, lang=lang)
    return [deck.key_figures_title(d), *[c.indicator.label(lang) for c in d.charts],
            *([deck.map_title(d)] if d.map_figure is not None else [])]


def _fits(layout: dict, height: int = 720) -> None:
    assert layout["title"] <= 0.15 * height, layout  # the title starts near the top
    assert layout["overflow"] <= 0, layout  # no scrollbar needed
    bottom = layout["plotBottom"] or layout["mapBottom"]
    if bottom is not None:
        assert bottom <= height, layout  # the chart or the map is whole


def _clean(v: Projector) -> None:
    assert v.exceptions() == [] and v.errors == [] and v.outside == []


def test_a_chart_slide_fills_the_projector(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    layout = v.settled(titles[1])
    _fits(layout)
    assert layout["plotHeight"] >= 0.65 * 720, layout  # the chart takes the room, not 400 px
    assert layout["plotBottom"] >= 720 - 40, layout
    assert not v.page.locator("[data-testid=stSidebar]").is_visible()
    # level, territory and slide choice are tucked in a closed panel of the bar
    assert v.page.locator(".st-key-pres_settings").is_visible()
    assert not v.page.locator(".st-key-pres_niveau").is_visible()
    assert not v.page.locator(".st-key-pres_code").is_visible()
    where = f"Diapositive 2 sur {len(titles)} — Bretagne"
    assert v.page.inner_text(".st-key-pres_bar").count(where) == 1
    button = v.page.locator(".esspres-full")
    assert button.is_visible() and button.inner_text().strip() == "Plein écran"
    _clean(v)


def test_the_map_and_the_key_figures_fit_too(server, projector, real_con):
    titles = _titles(real_con, "departement", "48")
    v = projector(server + LOZERE_MAP)
    layout = v.settled(titles[2])
    _fits(layout)
    assert layout["mapBottom"] >= 720 - 60, layout
    assert int(v.page.get_attribute(".essmap", "data-drawn")) == 101
    key = projector(server + "/presentation?niveau=departement&code=48&diapo=1")
    _fits(key.settled(titles[0], drawn=False))
    _clean(v)
    _clean(key)


def test_arrows_and_page_keys_change_the_slide_and_the_url(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[1])
    for key, diapo in (("ArrowRight", 3), ("ArrowLeft", 2), ("PageDown", 3), ("PageUp", 2)):
        v.page.keyboard.press(key)  # Page Down / Up: what a presentation clicker sends
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
        assert v.state() == (str(diapo), titles[diapo - 1])
    v.page.keyboard.press("Shift+ArrowRight")  # a key with a modifier is left alone
    v.page.wait_for_timeout(1000)
    assert v.state() == ("2", titles[1])
    v.page.keyboard.press("ArrowLeft")
    v.page.wait_for_url("**diapo=1", timeout=30_000)
    assert v.settled(titles[0], drawn=False)["overflow"] <= 0
    v.page.keyboard.press("ArrowLeft")  # the first slide stays the first
    v.page.keyboard.press("End")
    v.page.wait_for_url(f"**diapo={len(titles)}", timeout=30_000)
    assert v.settled(titles[-1])["overflow"] <= 0
    v.page.keyboard.press("Home")
    v.page.wait_for_url("**diapo=1", timeout=30_000)
    v.settled(titles[0], drawn=False)
    _clean(v)


def test_keys_do_not_move_while_typing(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[1])
    v.page.locator(".st-key-pres_settings summary").first.click()
    field = v.page.locator(".st-key-pres_code input")
    field.click()
    v.page.keyboard.type("Bre")
    for key in ("ArrowLeft", "ArrowRight", "PageDown", "Home", "End"):
        v.page.keyboard.press(key)
    v.page.wait_for_timeout(1500)
    v.page.keyboard.press("Escape")
    assert v.state() == ("2", titles[1])
    assert "diapo=2" in v.page.url
    _clean(v)


def test_back_and_forward_follow_the_url(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[1])
    for diapo in (3, 4):
        v.page.keyboard.press("ArrowRight")
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
    for go, diapo in ((v.page.go_back, 3), (v.page.go_back, 2), (v.page.go_forward, 3)):
        go()
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
        assert v.state() == (str(diapo), titles[diapo - 1])
    v.page.keyboard.press("ArrowRight")  # and the keys go on from the slide shown
    v.page.wait_for_url("**diapo=4", timeout=30_000)
    assert v.settled(titles[3])["text"] == titles[3]
    _clean(v)


def test_full_screen_button(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[1])
    button = v.page.locator(".esspres-full")
    assert button.get_attribute("aria-pressed") == "false"
    assert "Échap" in button.get_attribute("title")
    button.click()
    v.page.wait_for_function("() => document.fullscreenElement === document.documentElement",
                             timeout=10_000)
    # the label follows the fullscreenchange event, a moment after the switch
    v.page.wait_for_function("() => document.querySelector('.esspres-full')"
                             ".getAttribute('aria-pressed') === 'true'", timeout=10_000)
    assert button.inner_text().strip() == "Quitter le plein écran"
    _fits(v.settled())
    v.page.keyboard.press("ArrowRight")  # the keys work in full screen
    v.page.wait_for_url("**diapo=3", timeout=30_000)
    v.settled(titles[2])
    button.click()
    v.page.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)
    v.page.wait_for_function("() => document.querySelector('.esspres-full')"
                             ".getAttribute('aria-pressed') === 'false'", timeout=10_000)
    assert button.inner_text().strip() == "Plein écran"
    _clean(v)


def test_the_chart_follows_the_window(server, projector, real_con):
    """A smaller window (a browser's bars on a projector) and a larger screen: the chart is
    drawn again at the room left under the title."""
    v = projector(server + BRETAGNE)
    at_720 = v.settled(_titles(real_con, "region", "53")[1])
    v.page.set_viewport_size({"width": 1280, "height": 600})
    small = v.settled()
    _fits(small, 600)
    assert small["plotHeight"] < at_720["plotHeight"] - 100
    v.page.set_viewport_size({"width": 1920, "height": 1080})
    large = v.settled()
    _fits(large, 1080)
    assert large["plotHeight"] >= 0.75 * 1080, large
    _clean(v)


def test_in_english(server, projector, real_con):
    titles = _titles(real_con, "departement", "48", "en")
    v = projector(server + "/presentation?niveau=departement&code=48&diapo=2&lang=en")
    _fits(v.settled(titles[1]))
    bar = v.page.inner_text(".st-key-pres_bar")
    for text in ("Territory and slides", "Previous", f"Slide 2 of {len(titles)} — Lozère (48)",
                 "Next", "Full screen", "Download"):
        assert text in bar
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_url("**diapo=3&lang=en", timeout=30_000)
    v.settled(titles[2])
    _clean(v)
