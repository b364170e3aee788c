"""Qui fait quoi: the support network's roles and, for a chosen region, the bodies covering it."""
import streamlit as st

from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

ROLES = {
    "service_etat": t("Service régional de l'État"),
    "sgar": t("Secrétariat général pour les affaires régionales"),
    "cress": t("Chambre régionale de l'ESS"),
    "dla_regional": t("DLA régional"),
}

st.title(t("Qui fait quoi"))
st.markdown(t(
    "- **DREETS** (directions régionales de l'économie, de l'emploi, du travail et des "
    "solidarités) : dans chaque région, le service de l'État qui pilote les politiques de "
    "l'emploi, de l'insertion et de la cohésion sociale, dont le soutien à l'ESS. En "
    "Île-de-France, c'est la **DRIEETS** ; outre-mer, des directions équivalentes (DEETS).\n"
    "- **SGAR** (secrétariat général pour les affaires régionales) : auprès du préfet de région, "
    "il coordonne les services de l'État et les projets structurants, dont ceux de l'ESS.\n"
    "- **CRESS** (chambres régionales de l'ESS) : elles représentent les entreprises de l'ESS, "
    "animent leur réseau, observent l'ESS régionale et contribuent aux stratégies régionales.\n"
    "- **DLA** : un DLA dans chaque département et un DLA régional, portés par des associations "
    "et appuyés par des centres de ressources thématiques (page DLA)."))
st.caption(t("Source : page « Animation territoriale, nationale et internationale de l'ESS » de "
             "l'administration (date et adresse non connues), et sources citées pour chaque nom."))

regions = data.query("territory_list", level="region", region_code=None)
names = dict(zip(regions["code"], regions["name"]))
codes = regions["code"].tolist()
widgets.seed_state("a_region", widgets.url_choice("region", codes, codes[0], t("la région")))
region = st.selectbox(t("Région"), codes, key="a_region", format_func=lambda c: names[c])
lang.write_url({"region": region})

st.subheader(t("En {region}", region=names[region]))
bodies = data.query("structures", region_code=region)
if bodies.empty:
    st.info(t("Aucun organisme renseigné pour cette région."))
else:
    st.dataframe({
        t("Rôle"): bodies["kind"].map(ROLES).fillna(bodies["kind"]),
        t("Nom"): bodies["name"], t("Remarque"): bodies["note"].fillna(""),
        "Source": bodies["source_publisher"].fillna("") + ", " + bodies["source_title"].fillna(""),
    }, hide_index=True, width="stretch", key="bodies")

deps = data.query("territory_list", level="departement", region_code=region)
st.markdown(t("**Départements couverts** ({n}), chacun avec son DLA départemental : ", n=len(deps))
            + ", ".join(f"{n} ({c})" for c, n in zip(deps["code"], deps["name"])))

widgets.about([], extra=t(
    "Rôles : page « Animation territoriale, nationale et internationale de l'ESS » de "
    "l'administration. Noms des organismes : sources indiquées dans le tableau ; lorsqu'un nom "
    "est déduit de la règle de dénomination officielle (par exemple « DREETS » suivi du nom de "
    "la région), la colonne Remarque le dit. Les organismes portant chaque DLA ne sont nommés "
    "que lorsqu'une source les cite."))
