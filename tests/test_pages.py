"""Every page through dashboard.py with AppTest, its widgets exercised, on the fixture warehouse."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import map_sent, open_page, open_panels

NB = "\u00a0"


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))

    def opened(page: str, **params) -> AppTest:
        at = open_page(page, **params)
        # the run went through dashboard.py (its sidebar), not the page alone
        assert "L'ESS dans l'emploi des territoires ruraux" in at.sidebar.markdown[0].value
        return at
    return opened


def _frame(at, column: str, nth: int = 0):
    """The nth table on the page that has this column (AppTest does not expose table keys)."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    return frames[nth]


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_overview_cards(app):
    at = app("accueil")
    assert [m.value for m in at.metric] == [f"13,8{NB}%", f"17,7{NB}%", f"plus de 83{NB}%"]
    # the gap, from the values as shown; none for a lower bound (« plus de 83 % »)
    assert [m.proto.delta for m in at.metric] == [
        "+3,3 points, ×1,3 face à : Reste du territoire (typologie test) (calcul du projet)",
        "+3,8 points, ×1,3 face à : Reste du territoire (typologie test) (calcul du projet)", ""]
    assert "Reste du territoire (typologie test) : 10,5" in _texts(at)
    assert "rural au sens de : Typologie de test" in _texts(at)
    national = _frame(at, "Indicateur", -1)
    assert national["Valeur"].tolist()[:2] == [f"2{NB}370{NB}000", f"2{NB}380{NB}000"]
    assert "À propos de ces données" in [e.label for e in at.expander]
    open_panels(at)
    assert "« Rural » au sens de : Typologie de test" in _texts(at)


def test_panels_are_made_only_once_opened(app):
    """The export panel and "À propos de ces données" are closed by default and send nothing
    until opened (a control change on a map page reruns without them); opened, they stay open
    through the page's reruns, and only on that page."""
    about = "**Part de l'ESS dans l'emploi salarié** — Définition de test"
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2014")
    assert [e.label for e in at.main.expander] == [
        "Classement des territoires de la carte", "À propos de ces données",
        "Exporter un graphique de cette page et voir ses données"]
    assert about not in _texts(at)
    assert not at.table and not at.dataframe and not at.get("download_button")
    open_panels(at)
    assert about in _texts(at)
    assert [b.proto.label for b in at.get("download_button")] == ["PNG (diapositive)", "SVG",
                                                                  "PDF"]
    assert at.table[0].value["Catégorie"].tolist() == ["Lozère", "Cantal", "Puy-de-Dôme"]
    assert _frame(at, "Rang")["Territoire"].tolist() == ["Lozère", "Cantal", "Puy-de-Dôme"]
    at.selectbox(key="t_zone").set_value("region-76").run()
    assert at.table[0].value["Catégorie"].tolist() == ["Lozère"]  # still open: the new map
    at.switch_page("pages/dla.py").run()
    assert [e.label for e in at.main.expander][-1].startswith("Exporter un graphique")
    assert not at.table and not any(m.value.startswith("**") for m in at.main.markdown)


def test_map_page_url_state_and_widgets(app):
    at = app("territoires", niveau="region", indicateur="part_ess_emploi_salarie", annee="2008")
    assert at.radio(key="t_niveau").value == "region"
    assert at.selectbox(key="t_annee").value == "2008"
    assert dict(at.query_params) == {
        "niveau": "region", "zone": "france", "indicateur": "part_ess_emploi_salarie",
        "annee": "2008", "source": "src_b", "rural": "approx_densite_communale",
        "classes": "quantiles", "n": "5", "contour": "aucun", "evolution": "aucune",
        "symboles": "aucun"}
    ranking = _frame(open_panels(at), "Rang")
    assert ranking["Territoire"].tolist() == ["Occitanie", "Auvergne-Rhône-Alpes"]
    at.radio(key="t_niveau").set_value("departement").run()
    assert at.query_params["niveau"] == "departement"
    assert _frame(at, "Rang")["Code"].tolist()[0] == "48"
    at.selectbox(key="t_annee").set_value("2014").run()
    assert at.query_params["annee"] == "2014"
    assert _frame(at, "Rang")["Rang"].tolist() == [1, 2, 3]


def test_map_of_a_computed_indicator_names_its_source(app):
    at = app("territoires", niveau="commune", zone="departement-48",
             indicateur="densite_population")
    assert not at.exception
    assert at.query_params["source"] == at.selectbox(key="t_source").value
    assert at.selectbox(key="t_source").disabled  # one source: nothing to choose


def test_map_offers_one_source_per_period_and_names_it(app):
    """2008 at department level is published by two producers (src_b for 48 and 15, src_a for
    63 only): the map draws one of them, the source selector names both, a link naming a
    source keeps it, and a link without one opens the registry's first (src_b)."""
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2008")
    assert at.query_params["source"] == "src_b"
    assert at.selectbox(key="t_source").options[0].startswith("Éditeur B")
    assert len(at.selectbox(key="t_source").options) == 2
    assert not at.selectbox(key="t_source").disabled
    ranking = _frame(open_panels(at), "Rang")
    assert ranking["Code"].tolist() == ["48", "15"]  # 63 is not filled from src_a
    assert set(ranking["Source"].str.split(",").str[0]) == {"Éditeur B"}
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2008", source="src_a")
    assert at.query_params["source"] == "src_a"
    assert _frame(open_panels(at), "Rang")["Code"].tolist() == ["63"]
    # a source that does not publish that period: the period's first source, said in French
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2014", source="src_a")
    assert at.query_params["source"] == "src_b"
    assert any("la source" in w.value for w in at.warning)
    # undated figures are never offered on a map
    assert "nd" not in at.selectbox(key="t_annee").options


def test_back_from_a_profile_opened_on_the_map_shows_the_map_it_came_from(app):
    """Streamlit's page switch leaves a history entry of the map page with the profile's
    parameters; Back lands there: the page shows the session's last view, not defaults."""
    at = app("territoires", niveau="departement", zone="region-76",
             indicateur="part_ess_emploi_salarie", annee="2014", classes="egal", n="3")
    view = dict(at.query_params)
    profile = {"niveau": "departement", "code": "48", "comparer": "", "annee": "2014",
               "rural": "approx_densite_communale"}
    for page in ("territoire", "territoires"):  # the click, then Back
        for k in list(at.query_params):
            del at.query_params[k]
        at.query_params.update(profile)
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
    assert dict(at.query_params) == view
    assert at.selectbox(key="t_zone").value == "region-76" and at.slider(key="t_n").value == 3


def test_map_page_draws_its_figure_with_the_app_map(app):
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2008", zone="france")
    sent = map_sent(at)
    assert sent["title"] == "Part de l'ESS dans l'emploi salarié, 2008"
    fills = [layer for layer in sent["layers"] if layer["kind"] == "fill"]
    assert [layer["codes"] for layer in fills] == [["63"], ["48", "15"]]  # no data, values
    assert set(json.loads(sent["shapes"])) == {"48", "15", "63"}
    assert sent["alt"].startswith("Carte de 2 territoires")
    assert sent["labels"]["reset"] == "Revenir à la vue entière"
    at.selectbox(key="t_zone").set_value("region-76").run()  # Occitanie: Lozère alone
    assert set(json.loads(map_sent(at)["shapes"])) == {"48"}


def test_map_page_hostile_parameters_fall_back_with_french_message(app):
    at = app("territoires", niveau="<script>alert(1)</script>", indicateur="x' OR 1=1 --",
             annee="9999")
    warnings = " ".join(w.value for w in at.warning)
    assert "n'existe pas ici" in warnings
    assert "<script>" not in warnings
    assert at.query_params["niveau"] == "departement"
    assert at.query_params["annee"] == "2014"


def test_profile_of_lozere_from_url(app):
    at = app("territoire", niveau="departement", code="48")
    assert at.header[0].value == "Lozère (48)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Population municipale 2022"] == f"11{NB}000"
    assert metrics["Communes rurales"] == "1 sur 3"
    assert "au 1er rang des 3 départements" in at.info[0].value
    table = _frame(at, "Période")
    assert table["Valeur"].tolist() == [f"25,1{NB}%", f"27,9{NB}%"]
    parents = _frame(at, "Habitants en commune rurale")
    assert parents["Territoire"].tolist() == ["Lozère (département)", "Occitanie (région)",
                                              "France (pays)"]
    assert parents["Part de l'ESS dans l'emploi salarié (2014)"].tolist() == [
        f"27,9{NB}%", f"12,3{NB}%", f"10,5{NB}% (France hors Mayotte)"]
    assert dict(at.query_params) == {"niveau": "departement", "code": "48", "comparer": "",
                                     "annee": "2014", "rural": "approx_densite_communale"}


def test_profile_of_a_commune_with_comparisons_from_url(app):
    at = app("territoire", niveau="commune", code="48003", comparer="commune-63001,bad,region-84")
    assert at.header[0].value == "Saint-Champ (48003)"
    assert at.selectbox(key="p_dep").value == "48"
    assert at.multiselect(key="p_compare").value == ["commune-63001", "region-84"]
    compared = _frame(at, "Habitants en commune rurale", -1)
    assert compared["Territoire"].tolist() == ["Saint-Champ (commune)", "Saint-Fmont (commune)",
                                               "Auvergne-Rhône-Alpes (région)"]
    assert at.query_params["comparer"] == "commune-63001,region-84"


def test_profile_search_finds_and_opens_a_territory(app):
    at = app("territoire")
    at.text_input(key="p_search").input("saint").run()  # two communes: the user chooses
    assert at.selectbox(key="p_found").options == ["Saint-Fmont (Puy-de-Dôme, 63)",
                                                   "Saint-Champ (Lozère, 48)"]  # largest first
    at.selectbox(key="p_found").set_value(0).run()
    at.button(key="p_go").click().run()
    assert at.header[0].value == "Saint-Fmont (63001)"
    assert at.query_params["niveau"] == "commune"
    # Enter on a search with a single match opens it directly
    at.text_input(key="p_search").input("st champ").run()
    assert at.header[0].value == "Saint-Champ (48003)"
    assert at.text_input(key="p_search").value == ""


def test_profile_bad_code_gives_french_message(app):
    at = app("territoire", niveau="departement", code="../../etc")
    assert "le code territoire" in at.warning[0].value
    assert at.header[0].value == "Cantal (15)"  # the first department of the list
    at.selectbox(key="p_code").set_value("63").run()
    assert at.query_params["code"] == "63"


def test_dla_ptce_acteurs_sources_pages(app):
    dla = app("dla")
    assert "Loi n° 2014-856" in _texts(dla)
    ptce = app("ptce")
    assert _frame(ptce, "Période")["Valeur"].tolist() == ["56", "210"]
    acteurs = app("acteurs", region="76")
    block = acteurs.markdown[1].value
    assert block.index("DREETS Test-Sud — [test-sud.example]") < block.index("CRESS Test-Sud")
    assert acteurs.table[0].value["Structure porteuse"].to_dict() == {
        "Lozère (48)": "Porteur Lozère-Test"}
    acteurs.selectbox(key="a_region").set_value("84").run()
    assert "DREETS Test-Est" in acteurs.markdown[1].value
    assert "Test-Sud" not in acteurs.markdown[1].value
    sources = app("sources")
    assert "Éditeur A" in _frame(sources, "Éditeur")["Éditeur"].tolist()
    approx = _frame(sources, "Classe")
    assert approx["Communes"].tolist() == ["2", "1", "2", "1", "1"]  # classes 1-4, unclassified
