"""Command line: `python -m ess_data build [--db PATH]` and the commands of COMMAND_MODULES."""
import argparse
import importlib
import sys
from pathlib import Path

from ess_data.build import BuildError, build
from ess_data.config import REFERENCE_DIR, SEED_DIR, db_path

# Modules adding subcommands: each defines `register(subparsers)`, which adds its parsers and
# sets `func` (taking the parsed args, returning an exit code) with `set_defaults`.
COMMAND_MODULES: list[str] = ["ess_data.export.cli", "ess_data.imports.cli"]


def _build(args: argparse.Namespace) -> int:
    target = args.db or db_path()
    try:
        summary = build(target, args.seed, args.reference)
    except BuildError as exc:
        print(f"Construction refusée : {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in summary.items() if k != "seconds")
    print(f"Entrepôt construit : {target} ({counts}) en {summary['seconds']} s")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    p = argparse.ArgumentParser(prog="python -m ess_data",
                                description="Entrepôt des indicateurs ESS.")
    sub = p.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="construire l'entrepôt DuckDB (sans réseau)")
    p_build.add_argument("--db", type=Path, default=None,
                         help="fichier à écrire (défaut : $ESS_DB ou data/ess.duckdb)")
    p_build.add_argument("--seed", type=Path, default=SEED_DIR, help=argparse.SUPPRESS)
    p_build.add_argument("--reference", type=Path, default=REFERENCE_DIR, help=argparse.SUPPRESS)
    p_build.set_defaults(func=_build)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit code."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
