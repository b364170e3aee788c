"""Administration: import official files, undo the last change, see the history.

Off unless the deployment enables it (env `ESS_ADMIN=1`, or `[ess] admin = true` in
`.streamlit/secrets.toml`): a shared deployment must not let any visitor replace the data.
"""
import streamlit as st

from ess_data.config import PACKAGE_DIR, db_path
from ess_data.imports import admin, grille
from ess_data.imports.apply import rollback
from ess_data.imports.problems import ImportRefused
from ui import data, require_navigation

require_navigation()


def _enabled() -> bool:
    if admin.enabled_by_env():
        return True
    try:
        return str(st.secrets.get("ess", {}).get("admin", "")).lower() in admin.TRUE
    except Exception:  # no secrets file: Streamlit raises its own error type; stay disabled
        return False


st.title("Administration des données")
if not _enabled():
    st.info("L'administration est désactivée sur ce déploiement : aucun fichier ne peut y être "
            "importé. Pour l'activer, lancez l'application avec `ESS_ADMIN=1` ou ajoutez "
            "`[ess]` puis `admin = true` dans `.streamlit/secrets.toml`.")
    st.stop()

st.caption("Chaque import est contrôlé avant tout changement (encodage, colonnes, codes, "
           "doublons, valeurs) et s'applique en entier ou pas du tout ; l'entrepôt précédent est "
           "gardé et peut être restauré. Le stock SIRENE (plusieurs Go) s'importe en ligne de "
           "commande : `python -m ess_data import sirene`.")

st.subheader("Importer un fichier")
kind = st.radio("Type de fichier", list(admin.KINDS), format_func=admin.KINDS.get,
                key="adm_kind")
options = {}
if kind == "grille-densite":
    year = st.text_input("Millésime (si absent du nom du fichier)", key="adm_millesime")
    if year.strip():
        options["millesime"] = year.strip()
else:
    producer = st.text_input("Producteur des chiffres (ex. Insee, Flores 2023)", key="adm_prod")
    if producer.strip():
        options["producteur"] = producer.strip()
    template = PACKAGE_DIR / "templates"
    st.download_button("Télécharger le modèle (CSV)",
                       (template / "ess_emploi_modele.csv").read_bytes(),
                       file_name="ess_emploi_modele.csv", mime="text/csv", key="adm_template")
    with st.expander("Mode d'emploi du modèle"):
        st.markdown((template / "README.md").read_text(encoding="utf-8"))
upload = st.file_uploader("Fichier", type=["csv", "xlsx"], key="adm_file")
if st.button("Importer", key="adm_import", disabled=upload is None, type="primary"):
    try:
        result = admin.import_upload(db_path(), kind, upload.name, upload.getvalue(), options,
                                     enabled=_enabled())
    except ImportRefused as exc:
        st.error(f"Import refusé ({len(exc.problems)} problème(s)) ; les données n'ont pas "
                 "changé.")
        st.code(exc.text(), language=None)
    else:
        st.success(f"Import n° {result.import_id} appliqué en {result.seconds} s.")
        st.markdown("\n".join(f"- {line}" for line in result.report))

st.subheader("Historique des imports")
history = data.query("import_history")
if history.empty:
    st.caption("Aucun import dans cet entrepôt.")
else:
    st.dataframe({
        "N°": history["import_id"], "Date (UTC)": history["imported_at"],
        "Type": history["kind"], "Fichier": history["file_name"],
        "Lignes": history["n_rows"], "SHA-256": history["sha256"], "Cible": history["target"],
    }, hide_index=True, width="stretch", key="adm_history")

agreement = data.query("imports/rural_agreement")
if not agreement.empty:
    st.subheader("Accord de l'approximation avec les grilles officielles")
    for r in agreement.to_dict("records"):
        st.markdown(grille.agreement_text(r))

cells = data.query("imports/ess_emploi_cells", level="departement")
if not cells.empty:
    st.subheader("Emploi ESS importé, par département")
    st.dataframe({
        "Code": cells["code"], "Département": cells["name"], "Année": cells["year"],
        "Famille": cells["famille"].replace("", "ensemble de l'ESS"),
        "Établissements": cells["etablissements_affiche"],
        "Emplois salariés ESS": cells["emplois_ess_affiche"], "Source": cells["source_title"],
    }, hide_index=True, width="stretch", key="adm_cells")

st.subheader("Revenir en arrière")
st.caption("Restaure l'entrepôt tel qu'il était avant le dernier import ou la dernière "
           "construction ; recommencer revient à l'état d'avant ce retour.")
confirm = st.checkbox("Je confirme le retour à l'entrepôt précédent", key="adm_confirm")
if st.button("Restaurer l'entrepôt précédent", key="adm_rollback", disabled=not confirm):
    if not _enabled():
        st.stop()
    try:
        ids = rollback(db_path())
    except FileNotFoundError:
        st.error("Aucun entrepôt précédent à restaurer.")
    else:
        st.success("Entrepôt précédent restauré (imports présents : "
                   f"{', '.join(map(str, ids)) or 'aucun'}).")
