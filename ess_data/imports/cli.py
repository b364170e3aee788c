"""Commands `import grille-densite|ess-emploi|sirene`, `rollback` and `imports` (history).

Exit codes: 0 applied (or restored), 1 refused (nothing changed), 2 bad command line.
"""
import argparse
import sys
from pathlib import Path

from ess_data.config import db_path
from ess_data.imports.apply import rollback, run_import
from ess_data.imports.problems import ImportRefused
from ess_data.imports.store import previous_path

DB_HELP = "entrepôt visé (défaut : $ESS_DB ou data/ess.duckdb)"


def _import(args: argparse.Namespace) -> int:
    db = args.db or db_path()
    files, options = args.files_of(args), args.options_of(args)
    try:
        result = run_import(db, args.kind, files, options)
    except ImportRefused as exc:
        print(f"Import refusé ({len(exc.problems)} problème(s)) ; l'entrepôt {db} n'a pas "
              f"changé :\n{exc.text()}", file=sys.stderr)
        return 1
    print(f"Import n° {result.import_id} appliqué à {db} en {result.seconds} s "
          f"(précédent gardé : {previous_path(db).name}).")
    print("\n".join(result.report))
    return 0


def _rollback(args: argparse.Namespace) -> int:
    db = args.db or db_path()
    try:
        ids = rollback(db)
    except FileNotFoundError:
        print(f"Retour arrière impossible : aucun entrepôt précédent ({previous_path(db)}).",
              file=sys.stderr)
        return 1
    held = ", ".join(f"n° {i}" for i in ids) or "aucun"
    print(f"Entrepôt précédent restauré : {db} (imports présents : {held}). "
          "Relancer `rollback` revient à l'état d'avant ce retour.")
    return 0


def _history(args: argparse.Namespace) -> int:
    from ess_data.db import connect, run_query

    con = connect(args.db or db_path())
    try:
        df = run_query(con, "import_history")
    finally:
        con.close()
    if df.empty:
        print("Aucun import dans cet entrepôt.")
    for r in df.to_dict("records"):
        print(f"n° {r['import_id']} {r['imported_at']} {r['kind']} {r['file_name']} "
              f"({r['n_rows']} lignes, SHA-256 {r['sha256'][:16]}…) -> {r['target']}")
    return 0


def register(sub) -> None:
    """Add `import`, `rollback` and `imports` to the command line."""
    p_imp = sub.add_parser("import", help="importer un fichier officiel (validé, tout ou rien)")
    kinds = p_imp.add_subparsers(dest="kind", required=True)

    p = kinds.add_parser("grille-densite", help="grille communale de densité de l'Insee")
    p.add_argument("file", type=Path, metavar="FICHIER", help=".xlsx ou CSV UTF-8")
    p.add_argument("--millesime", help="millésime (AAAA) s'il n'est pas dans le nom du fichier")
    p.set_defaults(files_of=lambda a: {"FILE": a.file},
                   options_of=lambda a: {"millesime": a.millesime} if a.millesime else {})

    p = kinds.add_parser("ess-emploi", help="emploi ESS par territoire (modèle du projet)")
    p.add_argument("file", type=Path, metavar="FICHIER", help="CSV UTF-8, « ; » ou « , »")
    p.add_argument("--producteur", help="qui a produit les chiffres (ex. Insee, Flores 2023)")
    p.add_argument("--protection", type=float, metavar="POURCENT",
                   help="niveau de protection du secret statistique, en %% de la valeur d'une "
                        "case secrète (défaut 10 ; 1 emploi au moins)")
    p.set_defaults(files_of=lambda a: {"FILE": a.file}, options_of=lambda a: {
        k: v for k, v in (("producteur", a.producteur), ("protection", a.protection))
        if v is not None})

    p = kinds.add_parser("sirene", help="stock SIRENE : établissements ESS actifs")
    p.add_argument("--etablissements", type=Path, required=True, metavar="FICHIER",
                   help="StockEtablissement (CSV, .zip tel que publié, ou Parquet)")
    p.add_argument("--unites-legales", type=Path, required=True, metavar="FICHIER",
                   help="StockUniteLegale (CSV, .zip tel que publié, ou Parquet)")
    p.add_argument("--date", help="date du stock (AAAA-MM-JJ) ; sinon celle du nom des fichiers, "
                                  "sinon le dernier traitement lu dans les fichiers")
    p.set_defaults(files_of=lambda a: {"etablissements": a.etablissements,
                                       "unites_legales": a.unites_legales},
                   options_of=lambda a: {"date": a.date} if a.date else {})
    for p in kinds.choices.values():
        p.add_argument("--db", type=Path, default=None, help=DB_HELP)
        p.set_defaults(func=_import)

    p = sub.add_parser("rollback", help="restaurer l'entrepôt d'avant le dernier import ou build")
    p.add_argument("--db", type=Path, default=None, help=DB_HELP)
    p.set_defaults(func=_rollback)

    p = sub.add_parser("imports", help="historique des imports de l'entrepôt")
    p.add_argument("--db", type=Path, default=None, help=DB_HELP)
    p.set_defaults(func=_history)
