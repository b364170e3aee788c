"""`import sirene --etablissements FILE --unites-legales FILE`: active ESS establishments.

Streams INSEE's SIRENE stock files (CSV, the published .zip, or Parquet; official column names)
through DuckDB with bounded memory (memory limit, spilling to disk; only the ESS legal units and
their active establishments are kept, a few percent of the rows): one pass each to validate, one
pass each to keep the ESS rows. From them, per commune, family and size band: the active ESS
establishment count and the micro-establishment share (bands 01-03 among employer establishments
with at least one employee), for any territory and for rural / rest of the country under every
commune-level rural definition - a computed counterpart with its own date, never replacing
published figures.

Families from the legal category (categorieJuridiqueUniteLegale): 92xx associations; 9300
foundations; 82xx and 6411 mutuals; 63xx and the cooperative SARL/SA forms 54xx/55xx/56xx ending
in 43, 47, 51-55, 58-60 (e.g. 5458 SCOP, 5460 other cooperative SARL) cooperatives; any other
ESS legal unit (e.g. ESUS commercial companies, cooperatives in SAS form) "autres".

Stock date: `--date`, else a date in the file names, else the latest processing date in the files
(dateDernierTraitementEtablissement / dateDernierTraitementUniteLegale): the published files
(`StockEtablissement_utf8.zip`) carry no date in their names. A zip is extracted (its one CSV) in
1 MB blocks beside the working copy, since DuckDB reads no zip and the checks read a file twice.
"""
import contextlib
import csv
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import duckdb
import pandas as pd

from ess_data.db import run_query
from ess_data.imports.apply import Prepared
from ess_data.imports.common import stage
from ess_data.imports.problems import ImportRefused, Problem, refuse_if
from ess_data.imports.tabular import PARQUET_MAGIC

ROLES = ("etablissements", "unites_legales")
MEMORY_LIMIT = "1GB"
COLUMNS = {  # role -> {official column: our short name}
    "etablissements": {"siren": "siren", "siret": "siret", "codeCommuneEtablissement": "commune",
                       "trancheEffectifsEtablissement": "tranche",
                       "etatAdministratifEtablissement": "etat",
                       "caractereEmployeurEtablissement": "employeur"},
    "unites_legales": {"siren": "siren", "economieSocialeSolidaireUniteLegale": "ess",
                       "categorieJuridiqueUniteLegale": "cj"},
}
# optional: the stock date when neither --date nor the file names give it
DATE_COLUMNS = {"etablissements": "dateDernierTraitementEtablissement",
                "unites_legales": "dateDernierTraitementUniteLegale"}
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip
VIEWS = {"etablissements": "sirene_etab_src", "unites_legales": "sirene_ul_src"}
QUERIES = {"etablissements": ("imports/sirene_check_etab", "imports/sirene_examples_etab"),
           "unites_legales": ("imports/sirene_check_ul", "imports/sirene_examples_ul")}
CHECKS = {  # role -> [(short name, message)]
    "etablissements": [
        ("siren", "SIREN mal formé (9 chiffres attendus)"),
        ("siret", "SIRET mal formé (14 chiffres attendus)"),
        ("etat", "état administratif inconnu (A ou F attendu)"),
        ("tranche", "tranche d'effectifs inconnue (NN, 00, 01 … 53 attendu)"),
        ("employeur", "caractère employeur inconnu (O ou N attendu)"),
        ("commune", "code commune mal formé (5 caractères attendus)")],
    "unites_legales": [
        ("siren", "SIREN mal formé (9 chiffres attendus)"),
        ("ess", "indicateur ESS inconnu (O ou N attendu)"),
        ("cj", "catégorie juridique mal formée (4 chiffres attendus) pour une unité de l'ESS")],
}
_NAME_OK = re.compile(r"^[A-Za-z0-9_]{1,80}$")
INDICATORS = pd.DataFrame([
    ("etablissements_ess_actifs", "etablissements", "Établissements actifs de l'ESS (SIRENE)",
     "Active ESS establishments (SIRENE)",
     "Établissements actifs (ouverts) des unités légales que le répertoire SIRENE marque comme "
     "appartenant à l'ESS, employeurs ou non, à la date du stock ; calcul du projet.",
     "Active establishments of legal units flagged as ESS in the SIRENE register, with or "
     "without employees, at the stock date; project calculation.", "count", 0),
    ("part_micro_etablissements_ess", "etablissements", "Part des micro-établissements dans l'ESS",
     "Share of micro-establishments in the ESS",
     "Établissements de l'ESS de moins de 10 salariés rapportés à l'ensemble des établissements "
     "employeurs de l'ESS.",
     "ESS establishments with fewer than 10 employees as a share of all ESS employer "
     "establishments.", "percent", 0),
], columns=["indicator_id", "theme", "label_fr", "label_en", "definition_fr", "definition_en",
            "unit", "decimals"])


def _say(message: str, started: float) -> None:
    print(f"SIRENE [{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr,
          flush=True)


def _as_date(raw: str) -> str | None:
    """AAAA-MM-JJ (AAAA-MM means the 1st) if `raw` is a real date of this century, else None."""
    if re.fullmatch(r"20\d{2}-\d{2}", raw):
        raw += "-01"
    if not re.fullmatch(r"20\d{2}-\d{2}-\d{2}", raw):
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        return None


def _date_in_names(names: dict[str, str]) -> str | None:
    for name in names.values():
        if m := re.search(r"(20\d{2})-?(\d{2})(?:-?(\d{2}))?", name):
            return _as_date("-".join(g for g in m.groups() if g))
    return None


def _stock_date(given: str | None, in_names: str | None,
                processed: dict[str, str | None]) -> tuple[str | None, str]:
    """The stock date and how it was found (a French clause for the report)."""
    latest = max((d for d in processed.values() if d), default=None)
    seen = f" ; dernier traitement lu dans les fichiers : {latest}" if latest else ""
    if given:
        return given, f"donnée par --date{seen}"
    if in_names:
        return in_names, f"lue dans le nom des fichiers{seen}"
    if latest:
        return latest, (f"lue dans les fichiers (dernier traitement : {latest}, colonnes "
                        f"{' et '.join(DATE_COLUMNS.values())}) ; --date AAAA-MM-JJ la remplace")
    return None, ""


def _work_file(con, role: str) -> Path:
    """Where to extract a zipped file: beside the database `con` writes (the working copy, on
    the warehouse's disk, whose name the next import's stale-file cleanup matches)."""
    path = run_query(con, "imports/working_copy_path")["path"].iloc[0]
    folder = Path(path).parent if isinstance(path, str) and path else Path(tempfile.gettempdir())
    base = Path(path).name if isinstance(path, str) and path else f"ess-sirene-{os.getpid()}"
    return folder / f"{base}.unzip-{role}.csv"


def _unzip(path: Path, name: str, dest: Path, started: float) -> tuple[Path, str]:
    """Extract the one CSV of the zip `path` to `dest` in 1 MB blocks; return (dest, its name).

    Refuses, naming the file, an archive that is corrupt or truncated, holds no CSV or several,
    is encrypted, uses a compression Python cannot read, or would not fit on the disk.
    """
    def refuse(why: str) -> ImportRefused:
        dest.unlink(missing_ok=True)
        return ImportRefused([Problem(name, why)])
    try:
        with zipfile.ZipFile(path) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()
                       and not i.filename.startswith("__MACOSX/")
                       and not Path(i.filename).name.startswith("._")]
            csvs = [i for i in members if i.filename.lower().endswith(".csv")]
            if len(csvs) != 1:
                listed = ", ".join(i.filename[:60] for i in members[:5]) or "archive vide"
                raise refuse(f"archive zip : un seul fichier CSV attendu, {len(csvs)} trouvé(s) "
                             f"({listed})")
            member = csvs[0]
            free = shutil.disk_usage(dest.parent).free
            if member.file_size > free:
                raise refuse(f"archive zip : {member.file_size / 1e9:.1f} Go à décompresser, "
                             f"{free / 1e9:.1f} Go libres sur le disque de l'entrepôt")
            _say(f"décompression de {name} ({member.file_size / 1e6:.0f} Mo)", started)
            with zf.open(member) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise refuse(f"archive zip illisible, corrompue ou tronquée ({exc})") from None
    except NotImplementedError as exc:  # (a RuntimeError) e.g. Deflate64 of some archivers
        raise refuse(f"archive zip : méthode de compression non prise en charge ({exc}) : "
                     "fournissez le CSV décompressé") from None
    except RuntimeError as exc:  # encrypted member
        raise refuse(f"archive zip illisible ({exc}) : fournissez une archive sans mot de passe "
                     "ou le CSV") from None
    except OSError as exc:
        raise refuse(f"décompression impossible ({exc})") from None
    return dest, member.filename


def _view(con, role: str, path: Path, name: str) -> bool:
    """Expose a file as a view of our short column names, all text (no path in any SQL); say
    whether it holds the processing-date column."""
    with open(path, "rb") as f:
        head = f.read(4)
    if not head:
        raise ImportRefused([Problem(name, "fichier vide")])
    try:
        rel = (con.read_parquet(str(path)) if head == PARQUET_MAGIC else
               con.read_csv(str(path), header=True, all_varchar=True))
        columns = rel.columns
    except duckdb.Error as exc:
        raise ImportRefused([Problem(name, "fichier illisible ou tronqué : "
                                           f"{str(exc).splitlines()[0][:300]}")]) from None
    problems = [Problem(name, "nom de colonne refusé (lettres, chiffres et _ seulement)",
                        line=1, column=c[:40]) for c in columns if not _NAME_OK.match(c)]
    problems += [Problem(name, "colonne obligatoire absente", line=1, column=c)
                 for c in COLUMNS[role] if c not in columns]
    refuse_if(problems)
    # identifiers below are our fixed official names, checked present above
    has_date = DATE_COLUMNS[role] in columns
    date = f'CAST("{DATE_COLUMNS[role]}" AS VARCHAR)' if has_date else "CAST(NULL AS VARCHAR)"
    rel.project(", ".join([f'CAST("{c}" AS VARCHAR) AS {short}'
                           for c, short in COLUMNS[role].items()] + [f"{date} AS traitement"])
                ).create_view(VIEWS[role])
    return has_date


def _locate(path: Path, column: str, values: list[str], limit: int = 5) -> dict[str, int]:
    """Line numbers of the first rows holding `values` in `column` (CSV only; refusals only)."""
    found: dict[str, int] = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        first = f.readline()
        f.seek(0)
        reader = csv.reader(f, delimiter=";" if first.count(";") > first.count(",") else ",")
        header = next(reader, [])
        if column not in header:
            return found
        i = header.index(column)
        wanted = set(values)
        for cells in reader:
            v = cells[i] if i < len(cells) else ""
            if v in wanted and v not in found:
                found[v] = reader.line_num
                if len(found) >= min(limit, len(wanted)):
                    break
    return found


def _check(con, role: str, path: Path, name: str) -> tuple[int, list[Problem], str | None]:
    """Rows, problems and latest processing date (AAAA-MM-JJ) of one file, in one pass."""
    check, examples_query = QUERIES[role]
    try:
        r = run_query(con, check).iloc[0].to_dict()
        bad = any(int(r.get(f"bad_{short}") or 0) for short, _ in CHECKS[role])
        ex = run_query(con, examples_query) if bad else None
    except duckdb.Error as exc:
        return 0, [Problem(name, "fichier illisible, tronqué ou pas en UTF-8 : "
                                 f"{str(exc).splitlines()[0][:300]}")], None
    problems = []
    if r["n_rows"] == 0:
        problems.append(Problem(name, "aucune ligne de données"))
    official = {short: col for col, short in COLUMNS[role].items()}
    with open(path, "rb") as f:
        is_csv = f.read(4) != PARQUET_MAGIC
    for short, message in CHECKS[role]:
        n = int(r.get(f"bad_{short}") or 0)
        if not n:
            continue
        examples = ["" if pd.isna(v) else str(v) for v in ex.loc[ex["col"] == short, "value"]]
        lines = _locate(path, official[short], examples) if is_csv else {}
        for v in examples:
            problems.append(Problem(name, f"{message} : « {v[:30]} »", line=lines.get(v),
                                    column=official[short]))
        if n > len(examples):
            problems.append(Problem(name, f"{message} : {n} ligne(s) en tout",
                                    column=official[short]))
    last = r.get("last_processed")
    return int(r["n_rows"]), problems, (None if pd.isna(last) else str(last)[:10])


def validate(con, files: dict[str, Path], names: dict[str, str], options: dict) -> Prepared:
    """Check both files in streaming passes and keep the active ESS establishments (staged)."""
    started = time.perf_counter()
    given = None
    if options.get("date"):
        given = _as_date(str(options["date"]))
        if given is None:
            raise ImportRefused([Problem("--date", f"date « {str(options['date'])[:30]} » "
                                                   "invalide : précisez --date AAAA-MM-JJ")])
    in_names = _date_in_names(names)
    extracted: list[Path] = []
    try:
        return _validate(con, files, names, given, in_names, extracted, started)
    finally:
        with contextlib.suppress(duckdb.Error):
            run_query(con, "imports/sirene_drop_views")
        for f in extracted:
            f.unlink(missing_ok=True)


def _validate(con, files, names, given, in_names, extracted, started) -> Prepared:
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'").fetchall()  # a constant
    con.execute("SET preserve_insertion_order = false").fetchall()
    paths, shown, has_date = {}, dict(names), {}
    for role in ROLES:
        paths[role] = Path(files[role])
        with open(paths[role], "rb") as f:
            head = f.read(4)
        if head in ZIP_MAGICS or (head and names[role].lower().endswith(".zip")):
            dest = _work_file(con, role)
            extracted.append(dest)
            paths[role], member = _unzip(paths[role], names[role], dest, started)
            shown[role] = f"{names[role]} › {member}"  # lines below are the CSV's
        has_date[role] = _view(con, role, paths[role], shown[role])
    if not (given or in_names or any(has_date.values())):
        raise ImportRefused([Problem(", ".join(names.values()), _NO_DATE)])
    n_rows, processed, problems = {}, {}, []
    for step, role in enumerate(ROLES, start=1):
        _say(f"{step}/4 contrôle de {shown[role]}", started)
        n_rows[role], found, processed[role] = _check(con, role, paths[role], shown[role])
        problems += found
    stock_date, how = _stock_date(given, in_names, processed)
    if stock_date is None:
        problems.append(Problem(", ".join(names.values()), _NO_DATE))
    refuse_if(problems)
    _say(f"3/4 établissements actifs des unités légales de l'ESS (stock du {stock_date})",
         started)
    try:
        run_query(con, "imports/sirene_stage")
    except duckdb.Error as exc:
        raise ImportRefused([Problem(", ".join(names.values()), "lecture interrompue : "
                                     f"{str(exc).splitlines()[0][:300]}")]) from None
    r = run_query(con, "imports/sirene_check_rows").iloc[0].to_dict()
    for what, role, col in (("siren", "unites_legales", "siren"),
                            ("siret", "etablissements", "siret")):
        if r[f"dup_{what}"]:
            ex = ", ".join(map(str, r[f"ex_dup_{what}"] or []))
            problems.append(Problem(shown[role], f"{r[f'dup_{what}']} {what} en double parmi "
                                                 f"l'ESS (ex. {ex})", column=col))
    refuse_if(problems)
    unmatched = run_query(con, "imports/sirene_unmatched")
    _say("4/4 comptes par commune, famille et tranche", started)
    report = [f"SIRENE au {stock_date} : {n_rows['etablissements']} établissements et "
              f"{n_rows['unites_legales']} unités légales lus ; {r['n_active']} établissements "
              "actifs d'unités légales de l'ESS.",
              f"Date du stock {stock_date} {how}."]
    if r["no_commune"]:
        report.append(f"{r['no_commune']} établissement(s) sans commune (à l'étranger ou non "
                      "renseignée), comptés nulle part.")
    if len(unmatched):
        report.append(f"{int(unmatched['n'].sum())} établissement(s) dans {len(unmatched)} "
                      "commune(s) absente(s) du référentiel, hors des totaux : "
                      + ", ".join(unmatched["code"].head(20)))
    return Prepared(n_rows=n_rows, target=f"import_sirene_{stock_date.replace('-', '')}",
                    data={"date": stock_date, "unmatched": unmatched}, report=report)


_NO_DATE = ("date du stock introuvable : ni dans le nom des fichiers ni dans leurs colonnes "
            f"{' et '.join(DATE_COLUMNS.values())} : précisez --date AAAA-MM-JJ")


def apply(con, prepared: Prepared, entry: dict) -> list[str]:
    """Store the counts, their observations and source; report France and rural shares."""
    d = prepared.data
    stage(con, "staging_source", pd.DataFrame([{
        "source_id": prepared.target,
        "title": f"Établissements actifs de l'ESS, stock SIRENE du {d['date']} (calcul du projet)",
        "publisher": "Insee, répertoire SIRENE ; calcul du projet", "published": d["date"],
        "url": None, "read_at_url": None, "licence": "Licence Ouverte 2.0", "kind": "import",
        "notes": (f"Import n° {entry['id']} : établissements actifs des unités légales marquées "
                  "ESS ; micro = tranches 01 à 03 parmi les employeurs ayant au moins un salarié "
                  "(tranche 00 et non-employeurs exclus). Contrepartie calculée : ne remplace "
                  "pas les chiffres publiés (données 2015, autre définition du rural).")}]))
    stage(con, "staging_indicators", INDICATORS.assign(
        breakdown=None, default_source_id=prepared.target, mappable=False,
        notes="Ajouté par un import SIRENE.").astype({"breakdown": "string"}))
    stage(con, "staging_unmatched", pd.DataFrame(
        [(entry["id"], prepared.target, code, None, f"absente du référentiel ({n} étab.)", None)
         for code, n in zip(d["unmatched"]["code"], d["unmatched"]["n"])],
        columns=["import_id", "target", "code", "name", "problem", "line"]).astype(
            {"line": "Int64", "import_id": "int64", "name": "string"}))
    run_query(con, "imports/sirene_store", import_id=entry["id"], stock_date=d["date"])
    run_query(con, "imports/sirene_apply")
    run_query(con, "imports/sirene_observations", import_id=entry["id"],
              source_id=prepared.target, period=d["date"])
    fr = run_query(con, "imports/sirene_territory", level="france", code="FR")
    whole = fr[fr["famille"].isna()]
    if whole.empty:
        return ["Aucun établissement actif de l'ESS dans une commune du référentiel."]
    w = whole.iloc[0]
    share = "non calculable" if pd.isna(w["part_micro"]) else \
        f"{w['part_micro']:.1f}".replace(".", ",") + " %"
    return [f"France : {int(w['n_actifs'])} établissements actifs de l'ESS, micro-établissements "
            f"{share} des {int(w['n_avec_salaries'] or 0)} employeurs ayant au moins un salarié."]
