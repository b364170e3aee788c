"""What the admin page needs, without Streamlit: is it enabled, import an uploaded file.

The page is off unless the deployment enables it: environment variable `ESS_ADMIN=1` (or
`true`, `oui`), or `admin = true` in the `[ess]` table of `.streamlit/secrets.toml` (read by the
page). Every call that changes data checks the flag again, so a disabled page cannot be used.
"""
import os
import re
import tempfile
from pathlib import Path

from ess_data.i18n import t
from ess_data.imports.apply import ImportResult, run_import

# kinds offered on the page (SIRENE stock files are several GB: command line only)
KINDS = {"grille-densite": "Grille communale de densité (Insee, .xlsx ou CSV)",
         "ess-emploi": "Emploi ESS par territoire (modèle du projet, CSV)"}


def kind_label(kind: str, lang: str = "fr") -> str:
    """How the page names an import kind, in `lang`."""
    return {"grille-densite": t("Grille communale de densité (Insee, .xlsx ou CSV)", lang),
            "ess-emploi": t("Emploi ESS par territoire (modèle du projet, CSV)", lang)}[kind]
TRUE = {"1", "true", "oui", "yes"}


class AdminDisabled(PermissionError):
    """The admin page is not enabled on this deployment."""


def enabled_by_env(environ=os.environ) -> bool:
    """True when `ESS_ADMIN` is set to 1, true, oui or yes."""
    return str(environ.get("ESS_ADMIN", "")).strip().lower() in TRUE


def import_upload(db: Path, kind: str, filename: str, content: bytes, options: dict,
                  enabled: bool) -> ImportResult:
    """Import an uploaded file (kept under its original name in the history); refuse if disabled."""
    if not enabled:
        raise AdminDisabled("administration désactivée")
    if kind not in KINDS:
        raise ValueError(kind)
    safe = re.sub(r"[^0-9A-Za-zÀ-ÿ._-]+", "_", Path(filename).name)[-120:] or "fichier"
    with tempfile.TemporaryDirectory(prefix="ess-import-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(content)
        return run_import(db, kind, {"FILE": path}, options, names={"FILE": safe})
