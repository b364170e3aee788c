"""`python -m ess_data export`: territory decks from the command line, one or all regions.

    python -m ess_data export --niveau region --code 53 --format pptx --out bretagne.pptx
    python -m ess_data export --toutes-regions --format pdf --out decks/ [--db PATH]
    python -m ess_data export --code 48 --niveau departement --out lozere.pptx --langue en
"""
import argparse
import sys
import time
from pathlib import Path

from ess_data.config import db_path
from ess_data.db import WarehouseMissing, connect, run_query
from ess_data.export import ExportUnavailable, deck
from ess_data.i18n import LANGS, t
from ess_data.registry import LEVELS


def register(subparsers) -> None:
    """Add the `export` subcommand."""
    p = subparsers.add_parser(
        "export", help="dossier d'un territoire (PowerPoint, PDF ou Excel), hors ligne",
        description="Écrit le dossier de présentation d'un territoire ou de toutes les régions.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--code", help="code du territoire (ex. 53 pour la Bretagne, 48)")
    which.add_argument("--toutes-regions", action="store_true",
                       help="un fichier par région dans le dossier --out (<code>-<nom>.<ext>)")
    p.add_argument("--niveau", choices=list(LEVELS), default="region",
                   help="niveau du territoire (défaut : region)")
    p.add_argument("--format", choices=list(deck.FORMATS), default="pptx",
                   help="pptx (défaut), pdf ou xlsx")
    p.add_argument("--out", type=Path, required=True,
                   help="fichier à écrire, ou dossier avec --toutes-regions")
    p.add_argument("--db", type=Path, default=None,
                   help="entrepôt à lire (défaut : $ESS_DB ou data/ess.duckdb)")
    p.add_argument("--langue", "--lang", dest="langue", choices=list(LANGS), default="fr",
                   help="langue du dossier et des messages : fr (défaut) ou en")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the requested file(s); 0 on success, 1 on an error message (in --langue)."""
    lang = getattr(args, "langue", "fr")
    try:
        con = connect(args.db or db_path())
    except WarehouseMissing as exc:
        print(t("Export impossible : {error}", lang, error=exc), file=sys.stderr)
        return 1
    try:
        if args.toutes_regions:
            args.out.mkdir(parents=True, exist_ok=True)
            regions = run_query(con, "territory_list", level="region", region_code=None)
            targets = [("region", code, None) for code in regions["code"]]
        else:
            targets = [(args.niveau, args.code, args.out)]
        started = time.perf_counter()
        for niveau, code, out in targets:
            content = deck.load(con, niveau, code, lang=lang)
            path = out or args.out / deck.filename(content, args.format)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(deck.FORMATS[args.format](content))
            print(t("Écrit : {path}", lang, path=path))
        if len(targets) > 1:
            print(t("{n} fichiers en {seconds} s", lang, n=len(targets),
                    seconds=f"{time.perf_counter() - started:.1f}"))
        return 0
    except (deck.UnknownTerritory, ExportUnavailable) as exc:
        print(t("Export impossible : {error}", lang, error=exc), file=sys.stderr)
        return 1
    finally:
        con.close()
