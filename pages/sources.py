"""Sources et définitions: every source, definition, vintage and licence; the caveats."""
from pathlib import Path

import streamlit as st

from ess_data import fmt
from ui import data, require_navigation, widgets

require_navigation()

CAVEATS = Path(__file__).resolve().parent.parent / "docs" / "caveats.md"
APPROX = "approx_densite_communale"
OFFICIAL = "insee_grille_densite_2020"

st.title("Sources et définitions")

st.subheader("Sources")
sources = data.query("sources")
st.dataframe({
    "Éditeur": sources["publisher"], "Titre": sources["title"],
    "Date": sources["published"].fillna("inconnue"), "Licence": sources["licence"].fillna(""),
    "Adresse": sources["url"].fillna(""), "Lue à l'adresse": sources["read_at_url"].fillna(""),
    "Chiffres": sources["n_observations"], "Remarques": sources["notes"].fillna(""),
}, hide_index=True, width="stretch", key="sources_table",
    column_config={"Adresse": st.column_config.LinkColumn(),
                   "Lue à l'adresse": st.column_config.LinkColumn()})

st.subheader("Indicateurs")
registry = data.registry()
st.dataframe({
    "Identifiant": [i.indicator_id for i in registry], "Indicateur": [i.label_fr for i in registry],
    "Définition": [i.definition_fr for i in registry], "Unité": [i.unit for i in registry],
    "Remarques": [i.notes or "" for i in registry],
}, hide_index=True, width="stretch", key="indicators_table")

st.subheader("Définitions du « rural »")
rural_defs = data.query("rural_definitions")
for _, d in rural_defs.iterrows():
    tag = " — *approximation*" if d["is_approximation"] else ""
    st.markdown(f"**{d['label_fr']}**{tag} ({d['producer'] or 'producteur inconnu'}, "
                f"{d['vintage'] or 'millésime non précisé'}) : {d['method_fr'] or ''}")

france = data.query("territory_rurality", level="france", code="FR", rural_definition_id=APPROX)
rural = france[france["is_rural"].fillna(False).astype(bool)]
info = data.query("build_info").set_index("key")["value"]
published = data.query("observations", indicator_ids=["part_communes", "part_population"],
                       levels=["rural"])
published = published[published["territory_code"] == OFFICIAL]
official = dict(zip(published["indicator_id"], published["value"]))
st.markdown(
    f"Avec notre approximation, **{fmt.value(rural['share_communes'].sum(), 'percent', 1)}** des "
    f"communes et **{fmt.value(rural['share_population'].sum(), 'percent', 1)}** de la population "
    f"(population légale {info.get('population_year', '')}) sont rurales.")
if official:
    src = published.iloc[0]
    st.markdown(
        f"Avec la grille officielle de 2020, la part publiée est de "
        f"**{fmt.value(official.get('part_communes'), 'percent', 0)}** des communes et "
        f"**{fmt.value(official.get('part_population'), 'percent', 0)}** de la population "
        f"(source : {src['source_publisher']}, *{src['source_title']}*). L'approximation, "
        "calculée sur la densité moyenne de la commune et non sur des carreaux d'un kilomètre, "
        "range plus de communes en rural : elle sert à situer un territoire, pas à remplacer la "
        "grille officielle.")
st.dataframe({
    "Classe": france["label_fr"].fillna("Non classée (superficie inconnue)"),
    "Communes": [fmt.number(v) for v in france["n_communes"]],
    "Part des communes": [fmt.value(v, "percent", 1) for v in france["share_communes"]],
    "Population": [fmt.number(v) for v in france["population"]],
    "Part de la population": [fmt.value(v, "percent", 1) for v in france["share_population"]],
}, hide_index=True, width="stretch", key="approx_table")

if CAVEATS.exists():
    widgets.markdown_file(CAVEATS)

agreement = data.query("imports/rural_agreement")
for _, a in agreement.iterrows():
    st.markdown(
        f"**Accord avec {a['label_fr']}** : notre approximation classe de la même façon "
        f"(rural ou non) {fmt.number(a['n_agree'])} communes sur {fmt.number(a['n_communes'])} "
        f"comparées ({fmt.value(a['share_communes_agree'], 'percent', 1)}), soit "
        f"{fmt.value(a['share_population_agree'], 'percent', 1)} de la population.")

st.subheader("Imports de fichiers officiels")
history = data.query("import_history")
if history.empty:
    st.caption("Aucun fichier importé : l'entrepôt ne contient que les données livrées avec "
               "l'application (voir docs/imports.md pour importer la grille de densité de "
               "l'Insee, des tableaux d'emploi ESS ou le stock SIRENE).")
else:
    st.dataframe({
        "N°": history["import_id"], "Type": history["kind"], "Fichier": history["file_name"],
        "Lignes": [fmt.number(v) for v in history["n_rows"]],
        "Importé le": history["imported_at"].astype(str),
        "SHA-256": history["sha256"].str[:16] + "…", "Effet": history["summary_fr"].fillna(""),
    }, hide_index=True, width="stretch", key="import_history")

st.subheader("Construction de l'entrepôt")
st.caption(f"Construit le {info.get('built_at', '?')} ; populations légales "
           f"{info.get('population_year', '?')} ({info.get('population_source', '?')}) ; "
           f"géographie {info.get('cog_vintage', '?')}.")
