"""Dispositif local d'accompagnement: network, carriers, sectors, yearly counts, legal frame."""
import streamlit as st

from ess_data import theme
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

language = lang.current()
st.title(t("Le dispositif local d'accompagnement (DLA)"))
st.markdown(t(
    "Le DLA offre aux associations employeuses, aux structures d'insertion et aux autres "
    "entreprises d'utilité sociale un accompagnement gratuit pour consolider leur modèle "
    "économique et leurs emplois. Créé en 2002, il est financé par l'État et la Banque des "
    "Territoires, avec d'autres partenaires, et animé au niveau national par l'Avise."))

registry = data.registry()
obs = data.query("theme_observations", theme="dla")
if obs.empty:
    st.info(t("Aucun chiffre sur le DLA dans l'entrepôt."))
    st.stop()

st.subheader(t("Le réseau"))
plain = obs[obs["breakdown_value"] == ""]
network = plain[plain["unit"] == "count"]
widgets.table(theme.table(network, lang=language), network, t("dla-reseau"), key="dla_network")

st.subheader(t("Répartitions"))
for part in theme.cross_sections(obs):
    indicator = registry.get(part["indicator_id"].iloc[0])
    widgets.chart(data.figure(theme.breakdown_bars, part, indicator, lang=language),
                  key=theme.chart_key("dla", part))

series = theme.time_series(obs)
if series:
    st.subheader(t("Évolution"))
    st.caption(theme.series_note(language))
    for part in series:
        indicator = registry.get(part["indicator_id"].iloc[0])
        widgets.chart(data.figure(theme.series_bars, part, indicator, lang=language),
                      key=theme.chart_key("dla_series", part))

others = plain[plain["unit"] != "count"]
if len(others):
    st.subheader(t("Autres chiffres"))
    widgets.table(theme.table(others, lang=language), others, t("dla-autres-chiffres"),
                  key="dla_others")
if note := theme.implied_note(obs, language):
    st.caption(note)

st.subheader(t("Cadre juridique"))
st.markdown(t(
    "- **Loi n° 2014-856 du 31 juillet 2014** relative à l'économie sociale et solidaire, "
    "article 61 : le DLA est une mission d'intérêt économique général confiée à des organismes "
    "à but non lucratif conventionnés avec l'État ou d'autres entités publiques.\n"
    "- **Décret n° 2015-1103 du 1er septembre 2015** : précise la mise en œuvre et la finalité "
    "du dispositif (créer, consolider et développer l'emploi et sa qualité en renforçant le "
    "modèle économique de la structure accompagnée).\n"
    "- Les structures porteuses régionales sont conventionnées pour trois ans avec l'État et la "
    "Banque des Territoires, à la suite d'un appel à projets national."))
st.caption(t("Source du cadre juridique : page « Animation territoriale, nationale et "
             "internationale de l'ESS » de l'administration (date et adresse non connues)."))

widgets.about(registry.theme("dla"), obs)
