"""The presentation page on a 1280 x 720 projector, in Chromium on the shipped warehouse: the slide
fills the window (title near the top, the chart whole, no scrolling), the deck's ranking and big
numbers too (and at 1024 x 768), the keys a presenter or a clicker sends change the slide and the
URL, Back and Forward follow the URL, full screen works, the speaker notes show under the slide
when asked, nothing leaves localhost."""
import pytest

from ess_data.export import deck
from tests.browser.conftest import Visit

PROJECTOR = {"width": 1280, "height": 720}
BRETAGNE = "/presentation?niveau=region&code=53&diapo=3"  # the ESS share chart, 12 slides
LOZERE_MAP = "/presentation?niveau=departement&code=48&diapo=4"
OCCITANIE = "/presentation?niveau=region&code=76&diapo="  # 5: the ranking, 7: big numbers
# where things are: the slide's title (a heading, else a chart's own title), its chart (Plotly)
# or map (ui/mapview.js), and how much the page would scroll
LAYOUT = """() => {
  const find = (s) => document.querySelector(s), box = (s) => find(s)?.getBoundingClientRect();
  const heading = find('[data-testid=stMainBlockContainer] h2') || find('.gtitle');
  const title = heading?.getBoundingClientRect(), plot = box('[data-testid=stMain] .main-svg'),
        map = box('[data-testid=stMain] .essmap');
  const main = find('[data-testid=stMain]');
  const parts = [...document.querySelectorAll(
    '.st-key-pres_slide [data-testid=stElementContainer]')];
  return {title: title && title.top, text: heading?.textContent,
          plotHeight: plot && plot.height, plotBottom: plot && plot.bottom,
          mapBottom: map && map.bottom, height: innerHeight,
          slideBottom: Math.max(...parts.map(e => e.getBoundingClientRect().bottom)),
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
    """The titles of a territory's slides on the page: the deck's, in its order."""
    return deck.slide_titles(deck.load(con, niveau, code, lang=lang))


def _fits(layout: dict, height: int = 720) -> None:
    assert layout["title"] <= 0.15 * height, layout  # the title starts near the top
    assert layout["overflow"] <= 0, layout  # no scrollbar needed
    assert layout["slideBottom"] <= height, layout  # the whole slide in the window
    bottom = layout["plotBottom"] or layout["mapBottom"]
    if bottom is not None:
        assert bottom <= height, layout  # the chart or the map is whole


def _clean(v: Projector) -> None:
    assert v.exceptions() == [] and v.errors == [] and v.outside == []


def test_a_chart_slide_fills_the_projector(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    layout = v.settled(titles[2])
    _fits(layout)
    assert layout["plotHeight"] >= 0.65 * 720, layout  # the chart takes the room, not 400 px
    assert layout["plotBottom"] >= 720 - 40, layout
    assert not v.page.locator("[data-testid=stSidebar]").is_visible()
    # level, territory and slide choice are tucked in a closed panel of the bar
    assert v.page.locator(".st-key-pres_settings").is_visible()
    assert not v.page.locator(".st-key-pres_niveau").is_visible()
    assert not v.page.locator(".st-key-pres_code").is_visible()
    where = f"Diapositive 3 sur {len(titles)} — Bretagne"
    assert v.page.inner_text(".st-key-pres_bar").count(where) == 1
    button = v.page.locator(".esspres-full")
    assert button.is_visible() and button.inner_text().strip() == "Plein écran"
    _clean(v)


def test_the_map_and_the_key_figures_fit_too(server, projector, real_con):
    titles = _titles(real_con, "departement", "48")
    v = projector(server + LOZERE_MAP)
    layout = v.settled(titles[3])
    _fits(layout)
    assert layout["mapBottom"] >= 720 - 60, layout
    assert int(v.page.get_attribute(".essmap", "data-drawn")) == 101
    key = projector(server + "/presentation?niveau=departement&code=48&diapo=2")
    _fits(key.settled(titles[1], drawn=False))
    _clean(v)
    _clean(key)


def test_arrows_and_page_keys_change_the_slide_and_the_url(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[2])
    for key, diapo in (("ArrowRight", 4), ("ArrowLeft", 3), ("PageDown", 4), ("PageUp", 3)):
        v.page.keyboard.press(key)  # Page Down / Up: what a presentation clicker sends
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
        assert v.state() == (str(diapo), titles[diapo - 1])
    v.page.keyboard.press("Shift+ArrowRight")  # a key with a modifier is left alone
    v.page.wait_for_timeout(1000)
    assert v.state() == ("3", titles[2])
    v.page.keyboard.press("ArrowLeft")
    v.page.wait_for_url("**diapo=2", timeout=30_000)
    assert v.settled(titles[1], drawn=False)["overflow"] <= 0  # the key figures
    v.page.keyboard.press("ArrowLeft")
    v.page.wait_for_url("**diapo=1", timeout=30_000)
    cover = v.settled(titles[0], drawn=False)  # the name a third of the way down, whole
    assert cover["overflow"] <= 0 and cover["slideBottom"] <= 720, cover
    v.page.keyboard.press("ArrowLeft")  # the first slide stays the first
    v.page.keyboard.press("End")
    v.page.wait_for_url(f"**diapo={len(titles)}", timeout=30_000)
    _fits(v.settled(titles[-1], drawn=False))  # the sources, continued
    v.page.keyboard.press("Home")
    v.page.wait_for_url("**diapo=1", timeout=30_000)
    v.settled(titles[0], drawn=False)
    _clean(v)


def test_keys_do_not_move_while_typing(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[2])
    v.page.locator(".st-key-pres_settings summary").first.click()
    field = v.page.locator(".st-key-pres_code input")
    field.click()
    v.page.keyboard.type("Bre")
    for key in ("ArrowLeft", "ArrowRight", "PageDown", "Home", "End"):
        v.page.keyboard.press(key)
    v.page.wait_for_timeout(1500)
    v.page.keyboard.press("Escape")
    assert v.state() == ("3", titles[2])
    assert "diapo=3" in v.page.url
    _clean(v)


def test_back_and_forward_follow_the_url(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[2])
    for diapo in (4, 5):  # the map, the ranking
        v.page.keyboard.press("ArrowRight")
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
    for go, diapo in ((v.page.go_back, 4), (v.page.go_back, 3), (v.page.go_forward, 4)):
        go()
        v.page.wait_for_url(f"**diapo={diapo}", timeout=30_000)
        v.settled(titles[diapo - 1])
        assert v.state() == (str(diapo), titles[diapo - 1])
    v.page.keyboard.press("ArrowRight")  # and the keys go on from the slide shown
    v.page.wait_for_url("**diapo=5", timeout=30_000)
    assert v.settled(titles[4])["text"] == titles[4]
    _clean(v)


def test_full_screen_button(server, projector, real_con):
    titles = _titles(real_con, "region", "53")
    v = projector(server + BRETAGNE)
    v.settled(titles[2])
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
    v.page.wait_for_url("**diapo=4", timeout=30_000)
    v.settled(titles[3])
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
    at_720 = v.settled(_titles(real_con, "region", "53")[2])
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
    v = projector(server + "/presentation?niveau=departement&code=48&diapo=3&lang=en")
    _fits(v.settled(titles[2]))
    bar = v.page.inner_text(".st-key-pres_bar")
    for text in ("Territory and slides", "Previous", f"Slide 3 of {len(titles)} — Lozère (48)",
                 "Next", "Full screen", "Notes", "Download"):
        assert text in bar
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_url("**diapo=4&lang=en", timeout=30_000)
    v.settled(titles[3])
    _clean(v)


@pytest.mark.parametrize("size", [PROJECTOR, {"width": 1024, "height": 768}])
def test_the_ranking_and_the_big_numbers_fit(server, projector, real_con, size):
    """Occitanie's 13 departments ranked with the region and France, then its figures published
    alone as big numbers: each whole in the window, its finding near the top; the arrow goes
    from one to the next slide."""
    specs = deck.slides(deck.load(real_con, "region", "76"))
    ranking = [s.kind for s in specs].index("ranking") + 1
    lone = [s.kind for s in specs].index("lone") + 1
    v = projector(server + OCCITANIE + str(ranking), size)
    layout = v.settled(specs[ranking - 1].title)
    _fits(layout, size["height"])
    assert layout["plotHeight"] >= 0.6 * size["height"], layout
    names = v.page.locator("[data-testid=stMain] .main-svg .ytick").all_inner_texts()
    assert len(names) == 15  # 13 departments, the region, France
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_url(f"**diapo={ranking + 1}", timeout=30_000)
    v.settled(specs[ranking].title)
    big = projector(server + OCCITANIE + str(lone), size)
    _fits(big.settled(specs[lone - 1].title, drawn=False), size["height"])
    values = big.page.locator(".esspres-value").all_inner_texts()
    assert values == [b.value for b in deck.lone_numbers(deck.load(real_con, "region", "76"))]
    _clean(v)
    _clean(big)


def test_notes_under_the_slide_when_asked(server, projector, real_con):
    content = deck.load(real_con, "region", "53")
    specs = deck.slides(content)
    v = projector(server + BRETAGNE)
    v.settled(specs[2].title)
    assert not v.page.locator(".st-key-pres_notes_box").count()  # not on the projected slide
    v.page.locator(".st-key-pres_notes label").click()
    v.page.wait_for_selector(".esspres-notes", timeout=30_000)
    shown = v.page.locator(".esspres-notes p").all_inner_texts()
    assert shown == deck.slide_notes(content, specs[2])
    slide = v.page.locator(".st-key-pres_slide").bounding_box()
    notes = v.page.locator(".st-key-pres_notes_box").bounding_box()
    assert notes["y"] >= slide["y"] + slide["height"]  # under the slide, the slide unchanged
    v.page.keyboard.press("ArrowRight")  # the toggle keeps the focus: the keys still move
    # (and the notes follow the slide)
    v.page.wait_for_url("**diapo=4", timeout=30_000)
    v.settled(specs[3].title)
    v.page.wait_for_function("t => document.querySelector('.esspres-notes p')?.textContent === t",
                             arg=deck.slide_notes(content, specs[3])[0], timeout=30_000)
    _clean(v)
