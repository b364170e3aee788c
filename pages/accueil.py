"""Vue d'ensemble: the rural vs rest comparison as key figures and a chart; national totals."""
import streamlit as st

from ess_data import figures, fmt, profile, views
from ess_data.registry import HEADLINE_RURAL_DEFINITION, MICRO_SHARE, RURAL_SHARES
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

language = lang.current()
st.title(t("L'économie sociale et solidaire dans l'emploi rural"))
st.markdown(t(
    "Associations, coopératives, mutuelles, fondations et entreprises sociales pèsent plus "
    "dans l'emploi des territoires ruraux qu'ailleurs. Chaque chiffre ci-dessous est un chiffre "
    "publié, avec sa source, son année et la définition du « rural » qu'il utilise."))

registry = data.registry()
ids = [*RURAL_SHARES, MICRO_SHARE]
obs = data.query("rural_comparison", indicator_ids=ids, definition=HEADLINE_RURAL_DEFINITION)
pairs = obs[obs["chosen"]]
rural_names = data.query("rural_definitions").set_index("rural_definition_id")[
    f"label_{language}"]

cols = st.columns(len(ids))
for col, ind_id in zip(cols, ids):
    ind = registry.get(ind_id)
    pair = pairs[pairs["indicator_id"] == ind_id]
    if len(pair) < 2:
        continue
    rural, other = pair.iloc[0], pair.iloc[1]
    exact = not isinstance(rural["qualifier"], str) and not isinstance(other["qualifier"], str)
    difference = profile.gap(rural["value"], other["value"], ind.decimals, language) \
        if exact and ind.unit == "percent" else None
    col.metric(t("{indicateur} — territoires ruraux", indicateur=ind.label(language)),
               widgets.value_text(rural["value"], ind, rural["qualifier"]),
               delta=t("{ecart} face à : {territoire} (calcul du projet)", ecart=difference,
                       territoire=other[f"territory_name_{language}"]) if difference else None,
               delta_color="off")
    col.caption(t(
        "{territoire} : {valeur} · données {periode} · rural au sens de : {definition} · "
        "source : {source}",
        territoire=other[f"territory_name_{language}"],
        valeur=widgets.value_text(other["value"], ind, other["qualifier"]),
        periode=fmt.period(rural["period"], lang=language),
        definition=rural_names.get(rural["territory_code"], rural["territory_code"]),
        source=rural["source_publisher"]))

if len(pairs):
    fig = data.figure(figures.rural_comparison, pairs,
                      [registry.get(i) for i in ids if i in set(pairs["indicator_id"])],
                      rural_names.to_dict(), lang=language)
    widgets.chart(fig, key="rural_comparison")
    st.caption(t("La part dans l'emploi total (public et privé) et la part dans l'emploi privé "
                 "sont deux mesures différentes : elles sont montrées séparément. La part des "
                 "micro-établissements rurale est comparée à la France entière, pas au reste du "
                 "territoire, comme dans la source."))

other_rural = obs[~obs["chosen"] & obs["territory_level"].isin(["rural", "hors_rural"])]
if len(other_rural):
    with st.expander(t("Les mêmes chiffres dans d'autres sources")):
        st.dataframe(views.table(other_rural, lang=language), hide_index=True, width="stretch")

st.subheader(t("L'ESS en France : chiffres nationaux"))
national = data.query("observations",
                      indicator_ids=[i.indicator_id for i in registry
                                     if i.theme in ("emploi", "etablissements", "familles",
                                                    "remuneration")],
                      levels=["france"])
widgets.table(views.table(national, lang=language), national, t("ess-chiffres-nationaux"),
              key="national_table")

widgets.about([registry.get(i) for i in ids], obs)
