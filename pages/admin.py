"""Administration: import official files, undo the last change, see the history.

Off unless the deployment enables it (env `ESS_ADMIN=1`, or `[ess] admin = true` in
`.streamlit/secrets.toml`): a shared deployment must not let any visitor replace the data.
Never on a public worker (`python -m ess_data.serve`, env `ESS_PUBLIC=1`): dashboard.py does not
offer this page there, and should anything still run this script (Streamlit's pages-directory
mode runs `pages/<name>.py` for a first visit to `/<name>`), it stops before loading any import
code. Check reports and import summaries come from `ess_data.imports` in French (an operator
tool's reports); the English interface says so.
"""
from pathlib import Path

import streamlit as st

from ess_data import serve
from ui import require_navigation

require_navigation()
if serve.public():
    st.stop()

# imported only past the check above: a public worker never loads the import code
from ess_data.config import PACKAGE_DIR, db_path  # noqa: E402
from ess_data.imports import admin, grille  # noqa: E402
from ess_data.imports.apply import rollback  # noqa: E402
from ess_data.imports.problems import ImportRefused  # noqa: E402
from ui import data, lang  # noqa: E402
from ui.lang import t  # noqa: E402

TEMPLATE = PACKAGE_DIR / "templates"
TEMPLATE_GUIDE = {"fr": TEMPLATE / "README.md",
                  "en": Path(__file__).resolve().parent.parent / "docs" / "en" /
                  "ess_emploi_template.md"}


def _enabled() -> bool:
    if admin.enabled_by_env():
        return True
    try:
        return str(st.secrets.get("ess", {}).get("admin", "")).lower() in admin.TRUE
    except Exception:  # no secrets file: Streamlit raises its own error type; stay disabled
        return False


language = lang.current()
st.title(t("Administration des données"))
if not _enabled():
    st.info(t("L'administration est désactivée sur ce déploiement : aucun fichier ne peut y être "
              "importé. Pour l'activer, lancez l'application avec `ESS_ADMIN=1` ou ajoutez "
              "`[ess]` puis `admin = true` dans `.streamlit/secrets.toml`."))
    st.stop()

st.caption(t("Chaque import est contrôlé avant tout changement (encodage, colonnes, codes, "
             "doublons, valeurs) et s'applique en entier ou pas du tout ; l'entrepôt précédent "
             "est gardé et peut être restauré. Le stock SIRENE (plusieurs Go) s'importe en ligne "
             "de commande : `python -m ess_data import sirene`."))
if language != "fr":
    st.caption(t("Les rapports de contrôle et d'import viennent de l'outil d'import et restent "
                 "en français."))

st.subheader(t("Importer un fichier"))
kind_labels = {k: admin.kind_label(k, lang=language) for k in admin.KINDS}
kind = st.radio(t("Type de fichier"), list(admin.KINDS), format_func=kind_labels.get,
                key="adm_kind")
options = {}
if kind == "grille-densite":
    year = st.text_input(t("Millésime (si absent du nom du fichier)"), key="adm_millesime")
    if year.strip():
        options["millesime"] = year.strip()
else:
    producer = st.text_input(t("Producteur des chiffres (ex. Insee, Flores 2023)"),
                             key="adm_prod")
    if producer.strip():
        options["producteur"] = producer.strip()
    st.download_button(t("Télécharger le modèle (CSV)"),
                       (TEMPLATE / "ess_emploi_modele.csv").read_bytes(),
                       file_name="ess_emploi_modele.csv", mime="text/csv", key="adm_template")
    with st.expander(t("Mode d'emploi du modèle")):
        guide = TEMPLATE_GUIDE.get(language, TEMPLATE_GUIDE["fr"])
        st.markdown(guide.read_text(encoding="utf-8"))
upload = st.file_uploader(t("Fichier"), type=["csv", "xlsx"], key="adm_file")
if st.button(t("Importer"), key="adm_import", disabled=upload is None, type="primary"):
    try:
        result = admin.import_upload(db_path(), kind, upload.name, upload.getvalue(), options,
                                     enabled=_enabled())
    except ImportRefused as exc:
        st.error(t("Import refusé ({n} problème(s)) ; les données n'ont pas changé.",
                   n=len(exc.problems)))
        st.code(exc.text(), language=None)
    else:
        st.success(t("Import n° {numero} appliqué en {secondes} s.", numero=result.import_id,
                     secondes=result.seconds))
        st.markdown("\n".join(f"- {line}" for line in result.report))

st.subheader(t("Historique des imports"))
history = data.query("import_history")
if history.empty:
    st.caption(t("Aucun import dans cet entrepôt."))
else:
    st.dataframe({
        t("N°"): history["import_id"], t("Date (UTC)"): history["imported_at"],
        "Type": history["kind"], t("Fichier"): history["file_name"],
        t("Lignes"): history["n_rows"], "SHA-256": history["sha256"],
        t("Cible"): history["target"],
    }, hide_index=True, width="stretch", key="adm_history")

agreement = data.query("imports/rural_agreement")
if not agreement.empty:
    st.subheader(t("Accord de l'approximation avec les grilles officielles"))
    for r in agreement.to_dict("records"):
        st.markdown(grille.agreement_text(r, lang=language))

cells = data.query("imports/ess_emploi_cells", level="departement")
if not cells.empty:
    st.subheader(t("Emploi ESS importé, par département"))
    shown = {"secret statistique": t("secret statistique"),  # words the query writes in cells
             "non disponible": t("non disponible")}
    st.dataframe({
        "Code": cells["code"], t("Département"): cells["name"], t("Année"): cells["year"],
        t("Famille"): cells["famille"].replace("", t("ensemble de l'ESS")),
        t("Établissements"): cells["etablissements_affiche"].replace(shown),
        t("Emplois salariés ESS"): cells["emplois_ess_affiche"].replace(shown),
        "Source": cells["source_title"],
    }, hide_index=True, width="stretch", key="adm_cells")

st.subheader(t("Revenir en arrière"))
st.caption(t("Restaure l'entrepôt tel qu'il était avant le dernier import ou la dernière "
             "construction ; recommencer revient à l'état d'avant ce retour."))
confirm = st.checkbox(t("Je confirme le retour à l'entrepôt précédent"), key="adm_confirm")
if st.button(t("Restaurer l'entrepôt précédent"), key="adm_rollback", disabled=not confirm):
    if not _enabled():
        st.stop()
    try:
        ids = rollback(db_path())
    except FileNotFoundError:
        st.error(t("Aucun entrepôt précédent à restaurer."))
    else:
        st.success(t("Entrepôt précédent restauré (imports présents : {imports}).",
                     imports=", ".join(map(str, ids)) or t("aucun")))
