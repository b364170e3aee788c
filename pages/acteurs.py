"""Qui fait quoi, and who to call in a chosen region: its regional DLA, the DLA carrier of each
department, its CRESS and its State service, each name with the source it was read in."""
from datetime import date

import pandas as pd
import streamlit as st

from ess_data import fmt, views
from ess_data.export import extraction_line, slug, tables
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

ROLES = {
    "dla_regional": t("DLA régional"),
    "service_etat": t("Service régional de l'État"),
    "cress": t("Chambre régionale de l'ESS"),
    "sgar": t("Secrétariat général pour les affaires régionales"),
    "dla_departemental": t("DLA départemental"),
}
# Where the lists are published, for what the bundled sources do not name (source: infodla_faq).
INFO_DLA = "https://www.info-dla.fr"

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


bodies = data.query("structures", region_code=region)
sources = data.query("sources").set_index("source_id")
carriers = data.query("dla_carriers", region_code=region)
missing = t("non relevé : voir {site}", site=INFO_DLA)
regional = pd.DataFrame({
    t("Rôle"): bodies["kind"].map(ROLES).fillna(bodies["kind"]), t("Département"): "",
    t("Nom"): bodies["name"], t("Site"): bodies["website"],
    t("Remarque"): bodies["note"].fillna(""),
    "Source": [views.source_text(r, lang=lang.current()) for _, r in bodies.iterrows()]})
local = pd.DataFrame({
    t("Rôle"): ROLES["dla_departemental"],
    t("Département"): carriers["departement_name"] + " (" + carriers["departement_code"] + ")",
    t("Nom"): carriers["name"].fillna(missing), t("Site"): "",
    t("Remarque"): carriers["note"].fillna(""),
    "Source": [views.source_text(r, lang=lang.current()) for _, r in carriers.iterrows()]})

st.header(t("Qui contacter en {region}", region=names[region]))
lines, colon = [], fmt.colon(lang.current())
if not (bodies["kind"] == "dla_regional").any():
    lines.append(f"- **{ROLES['dla_regional']}**{colon}" + t(
        "aucune source consultée ne le nomme ; porteurs publiés sur le site national du DLA, "
        "{site} (Avise).", site=INFO_DLA))
for _, b in bodies.iterrows():
    web = b["website"] if isinstance(b["website"], str) else ""
    site = f" — [{web.split('//')[-1]}]({web})" if web else ""
    note = f" {b['note']}" if isinstance(b["note"], str) else ""
    said = t("Source : {source}.", source=views.source_text(b, lang=lang.current()))
    elsewhere = b["website_source_id"] not in (None, b["source_id"])
    if web and elsewhere and b["website_source_id"] in sources.index:
        said += " " + t("Site relevé dans : {publisher}.",
                        publisher=sources.at[b["website_source_id"], "publisher"])
    lines.append(f"- **{ROLES.get(b['kind'], b['kind'])}**{colon}{b['name']}{site}  \n"
                 f"  *{said}{note}*")
st.markdown("\n".join(lines) if lines else t("Aucun organisme renseigné pour cette région."))

named = carriers.loc[carriers["name"].notna(), "departement_code"].nunique()
st.subheader(t("DLA départementaux : {k} département(s) sur {n} avec un porteur cité par une "
               "source", k=named, n=carriers["departement_code"].nunique()))
st.table(local.drop(columns=[t("Rôle"), t("Site")]).set_index(t("Département"))
         .rename(columns={t("Nom"): t("Structure porteuse")}))

cited = [i for i in dict.fromkeys([*bodies["source_id"], *bodies["website_source_id"].dropna(),
                                   *carriers["source_id"].dropna(), "infodla_faq"])
         if i in sources.index]
st.markdown(t("**Sources** (noms, sites et porteurs ; pages lues dans des copies stockées, le "
              "tableau de bord fonctionnant sans internet)"))
st.caption("\n".join(
    f"- {r.publisher}, « {r.title} », {views.dated(r.published, r.notes, lang=lang.current())}"
    + (f" — {r.url or r.read_at_url}" if (r.url or r.read_at_url) else "")
    for r in sources.loc[cited].fillna("").itertuples()))
st.caption(t("Les porteurs changent au fil des conventions : avant d'appeler, vérifiez sur le "
             "site du DLA régional ou sur {site}. Ne figurent ici que des organismes, aucune "
             "coordonnée de personne.", site=INFO_DLA))

contacts = pd.concat([regional, local], ignore_index=True)
contacts["Source"] = [views.source_text(r, short=False, lang=lang.current())
                      for frame in (bodies, carriers) for _, r in frame.iterrows()]
contacts[t("Adresse de la source")] = [*bodies["source_url"], *carriers["source_url"]]
if not (bodies["kind"] == "dla_regional").any():
    contacts.loc[-1] = [ROLES["dla_regional"], "", missing, "", "", "", ""]
    contacts = contacts.sort_index().reset_index(drop=True)
contacts.insert(0, t("Région"), names[region])
contacts.loc[len(contacts)] = [extraction_line(date.today(), lang.current())] + [""] * (
    len(contacts.columns) - 1)
st.download_button(t("Télécharger cette liste (CSV pour Excel)"),
                   data=lambda: tables.csv_fr(contacts),
                   file_name=f"contacts-{slug(names[region])}.csv", mime="text/csv",
                   on_click="ignore", key="contacts_csv")

widgets.about([], extra=t(
    "Rôles : page « Animation territoriale, nationale et internationale de l'ESS » de "
    "l'administration. Noms des organismes : source indiquée sous chaque nom ; lorsqu'un nom "
    "est déduit de la règle de dénomination officielle (par exemple « DREETS » suivi du nom de "
    "la région), la remarque qui suit la source le dit. Un porteur de DLA n'est nommé que "
    "lorsqu'une page publiée le cite ; les autres départements renvoient au site national du "
    "DLA. Les sites des DREETS, DRIEETS et DEETS sont ceux des pages que le Code du travail "
    "numérique (ministère du Travail) indique pour chaque département."))
