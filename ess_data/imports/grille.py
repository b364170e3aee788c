"""`import grille-densite FILE`: INSEE's commune density grid as a commune-level rural definition.

Layouts read (found by their header, whatever the title rows above it):
- 2025 and later (`fichier_diffusion_2025.xlsx`, sheet "Maille communale"): codes `CODGEO`,
  `LIBGEO`, `DENS` (3 levels: 1 urbain dense, 2 urbain intermédiaire, 3 rural), `DENS7`
  (7 levels, 5-7 rural), `PMUN22`, ...;
- 2022-2023 detailed files: "Code commune", "Libellé des communes", "Degré de densité" (or
  "Typo degré de densité"), "Libellé degré densité", "Population municipale 2019", ...;
- a CSV (UTF-8, `;` `,` or tab) export of either.
The most detailed classification present is stored (7 levels, else the labels, else DENS: 3
levels from 2024 on, 4 levels before); when several are present they must agree.

Codes: a code that cannot be a commune of any COG vintage (wrong shape, or a prefix that is no
department: 99 abroad, 00, 20 = Corsica before 1976, 96, 970, overseas collectivities 975, 977,
978, 98x, or commune number 000) is refused; a well-shaped code of a department, absent from the
warehouse's reference, is most likely a commune of another COG vintage (merged, created or
renumbered): reported and kept in import_unmatched, the rest applied.
"""
import re
from pathlib import Path

import pandas as pd

from ess_data import fmt
from ess_data.db import run_query
from ess_data.i18n import t
from ess_data.imports.apply import Prepared
from ess_data.imports.common import COMMUNE_CODE, reference, stage
from ess_data.imports.problems import ImportRefused, Problem, refuse_if
from ess_data.imports.tabular import norm, read_table

ROLES = ("FILE",)
APPROX = "approx_densite_communale"
SHEETS = ("Maille communale",)
ALIASES = {
    "code commune": {"codgeo", "code commune", "code insee", "code geographique", "depcom",
                     "com", "code de la commune"},
    "libellé": {"libgeo", "libelle commune", "libelle des communes", "libelle de la commune",
                "nom commune", "nom de la commune"},
    "DENS7": {"dens7", "typo degre de densite", "degre de densite 7 niveaux",
              "grille de densite 7 niveaux"},
    "DENS": {"dens", "degre de densite", "degre de densite de la commune", "dens4"},
    "libellé densité": {"libelle degre densite", "libelle degre de densite", "libdens",
                        "libdens7", "libelle de densite", "libelle du degre de densite"},
    "population": {"pmun*", "population municipale*"},
}
# class code -> (label_fr, label_en, is_rural), per classification
SCHEMES = {
    "7": {"1": ("Grands centres urbains", "Large urban centres", False),
          "2": ("Centres urbains intermédiaires", "Intermediate urban centres", False),
          "3": ("Ceintures urbaines", "Urban belts", False),
          "4": ("Petites villes", "Small towns", False),
          "5": ("Bourgs ruraux", "Rural towns", True),
          "6": ("Rural à habitat dispersé", "Rural, dispersed housing", True),
          "7": ("Rural à habitat très dispersé", "Rural, very dispersed housing", True)},
    "4": {"1": ("Dense", "Dense", False),
          "2": ("Densité intermédiaire", "Intermediate density", False),
          "3": ("Peu dense", "Low density", True),
          "4": ("Très peu dense", "Very low density", True)},
    "3": {"1": ("Urbain dense", "Dense urban", False),
          "2": ("Urbain intermédiaire", "Intermediate urban", False),
          "3": ("Rural", "Rural", True)},
}
# Label variants INSEE used, normalised -> (scheme, class)
LABELS = {norm(lab): (s, c) for s, classes in SCHEMES.items() for c, (lab, _, _) in classes.items()}
LABELS.update({norm(k): v for k, v in {
    "Densément peuplé": ("4", "1"), "Communes densément peuplées": ("4", "1"),
    "Communes de densité intermédiaire": ("4", "2"), "Communes peu denses": ("4", "3"),
    "Communes très peu denses": ("4", "4"), "Rural à habitat très dispersé ": ("7", "7"),
}.items()})
# The departments of France (metropolitan and the five overseas departments): the grid covers
# them, the COG codes their communes 2 + 3 characters (971-976: 3 + 2).
DEPARTEMENTS = frozenset([f"{i:02d}" for i in range(1, 96) if i != 20]
                         + ["2A", "2B", "971", "972", "973", "974", "976"])
COLLECTIVITES = ("975", "977", "978", "98")  # overseas collectivities, outside departments
ARRONDISSEMENTS = re.compile(r"^(751(0[1-9]|1\d|20)|6938[1-9]|132(0[1-9]|1[0-6]))$")
DENS3_OF_7 = {"1": "1", "2": "2", "3": "2", "4": "2", "5": "3", "6": "3", "7": "3"}


def _vintage(name: str, title: str, options: dict) -> str | None:
    if options.get("millesime"):
        return str(options["millesime"])
    for text in (Path(name).stem, title):
        years = re.findall(r"(?<!\d)(20[1-9]\d)(?!\d)", text or "")
        if years:
            return max(years)
    return None


def not_a_commune(code: str) -> str | None:
    """Why a well-shaped code (5 characters) cannot be a commune of any COG vintage, or None."""
    dep = code[:3] if code[:2] in ("97", "98") else code[:2]
    if dep in DEPARTEMENTS:
        number = code[len(dep):]
        return None if number.strip("0") else f"numéro de commune {number} inexistant"
    if dep == "99":
        return "préfixe 99 : pays étranger dans le COG"
    if dep == "20":
        return "préfixe 20 : Corse avant 1976, codée 2A ou 2B depuis"
    if dep.startswith(COLLECTIVITES):
        return (f"préfixe {dep} : collectivité d'outre-mer, hors des départements que couvre la "
                "grille")
    return f"préfixe {dep} : aucun département de ce numéro"


def validate(con, files: dict[str, Path], names: dict[str, str], options: dict) -> Prepared:
    """Read and check the grid file against the commune reference; raise ImportRefused if unfit."""
    name = names["FILE"]
    table = read_table(files["FILE"], ALIASES, ["code commune"], SHEETS, display_name=name)
    cols = table.columns
    problems: list[Problem] = []
    vintage = _vintage(name, table.title, options)
    if vintage is None or not re.fullmatch(r"20[1-9]\d", vintage):
        raise ImportRefused([Problem(name, "millésime introuvable dans le nom du fichier ou ses "
                                           "lignes de titre : précisez --millesime AAAA")])
    if not {"DENS7", "DENS", "libellé densité"} & cols.keys():
        raise ImportRefused([Problem(name, "aucune colonne de classement : DENS7, DENS (ou "
                                           "« Degré de densité ») ou « Libellé degré densité »")])
    dens_scheme = "3" if int(vintage) >= 2024 else "4"
    scheme = "7" if "DENS7" in cols else None
    seen: dict[str, int] = {}
    rows = []
    for line, r in table.rows:
        code = r["code commune"]
        if table.sheet is not None and re.fullmatch(r"\d{4}", code):
            code = "0" + code  # a code stored as a number in an Excel cell lost its first zero
        if not COMMUNE_CODE.match(code):
            problems.append(Problem(name, f"code commune « {code[:20]} » mal formé (5 caractères "
                                          "attendus, ex. 48001 ou 2A004)", line,
                                    cols["code commune"]))
            continue
        if why := not_a_commune(code):
            problems.append(Problem(name, f"code « {code} » : pas une commune ({why})", line,
                                    cols["code commune"]))
            continue
        if code in seen:
            problems.append(Problem(name, f"commune {code} en double (déjà ligne {seen[code]})",
                                    line, cols["code commune"]))
            continue
        seen[code] = line
        found = {}
        if "DENS7" in cols:
            v = r["DENS7"]
            if v not in SCHEMES["7"]:
                problems.append(Problem(name, f"DENS7 « {v[:20]} » hors des valeurs 1 à 7", line,
                                        cols["DENS7"]))
                continue
            found["7"] = v
        if "DENS" in cols:
            v = r["DENS"]
            if v not in SCHEMES[dens_scheme]:
                problems.append(Problem(name, f"« {v[:20]} » hors des valeurs 1 à {dens_scheme} "
                                              f"(grille {vintage})", line, cols["DENS"]))
                continue
            found[dens_scheme] = v
        if "libellé densité" in cols:
            lab = LABELS.get(norm(r["libellé densité"]))
            if lab is None:
                problems.append(Problem(name, f"libellé « {r['libellé densité'][:40]} » inconnu",
                                        line, cols["libellé densité"]))
                continue
            if lab[0] in found and found[lab[0]] != lab[1]:
                problems.append(Problem(name, f"libellé « {r['libellé densité']} » contraire au "
                                              f"code {found[lab[0]]}", line,
                                        cols["libellé densité"]))
                continue
            found.setdefault(lab[0], lab[1])
        if "7" in found and "3" in found and DENS3_OF_7[found["7"]] != found["3"]:
            problems.append(Problem(name, f"DENS {found['3']} incohérent avec DENS7 {found['7']}",
                                    line, cols.get("DENS")))
            continue
        if "7" in found and "4" in found and (found["7"] <= "4") != (found["4"] <= "2"):
            problems.append(Problem(name, f"degré {found['4']} incohérent avec le niveau "
                                          f"{found['7']} sur 7", line, cols.get("DENS")))
            continue
        pop = r.get("population", "")
        if pop and not re.fullmatch(r"\d+(\.0+)?", pop):
            problems.append(Problem(name, f"population « {pop[:20]} » non entière ou négative",
                                    line, cols["population"]))
            continue
        rows.append((line, code, r.get("libellé", ""), found))
    refuse_if(problems)
    # one classification for the whole file: the most detailed one every row has
    for s in ("7", "4", "3"):
        if all(s in f for _, _, _, f in rows):
            scheme = s
            break
    if scheme is None:
        raise ImportRefused([Problem(name, "classement incomplet : les lignes ne donnent pas "
                                           "toutes le même niveau de détail")])
    communes = reference(con, "commune")
    unknown = [(line, code, lib) for line, code, lib, _ in rows if code not in communes]
    if len(unknown) == len(rows):
        raise ImportRefused([Problem(name, "aucune commune du fichier n'est dans le référentiel "
                                           "des territoires : mauvais fichier ?")])
    in_file = {code for _, code, _, _ in rows}
    missing = sorted(c for c in communes if c not in in_file)
    def_id = f"insee_grille_densite_{vintage}"
    n_levels = len(SCHEMES[scheme])
    rural = ", ".join(lab for lab, _, is_r in SCHEMES[scheme].values() if is_r)
    data = {
        "definition": pd.DataFrame([{
            "rural_definition_id": def_id,
            "label_fr": f"Rural, grille communale de densité (Insee {vintage})",
            "label_en": f"Rural, municipal density grid (INSEE {vintage})",
            "producer": "Insee", "vintage": vintage,
            "method_fr": (f"Grille communale de densité de l'Insee, millésime {vintage}, "
                          f"importée du fichier « {name} » ({n_levels} niveaux) ; rural = "
                          f"{rural}. Calculée par l'Insee sur des carreaux de 1 km² : c'est la "
                          "classification officielle, commune par commune."),
            "source_id": f"import_grille_densite_{vintage}"}]),
        "communes": pd.DataFrame([(code, f[scheme]) for _, code, _, f in rows
                                  if code in communes],
                                 columns=["commune_code", "class_code"], dtype=str),
        "classes": pd.DataFrame([(def_id, c, lf, le, r) for c, (lf, le, r)
                                 in SCHEMES[scheme].items()],
                                columns=["rural_definition_id", "class_code", "label_fr",
                                         "label_en", "is_rural"]),
        "unmatched": ([(line, code, lib, "absente du référentiel") for line, code, lib in unknown]
                      + [(None, code, communes[code], "absente du fichier") for code in missing]),
        "vintage": vintage, "name": name,
    }
    report = [f"Grille communale de densité {vintage} : {len(rows)} communes lues "
              f"({n_levels} niveaux), définition « {def_id} »."]
    arrondissements = [c for _, c, _ in unknown if ARRONDISSEMENTS.match(c)]
    vintages = [c for _, c, _ in unknown if not ARRONDISSEMENTS.match(c)]
    if vintages:
        report.append(f"{len(vintages)} code(s) du fichier absent(s) du référentiel (COG du "
                      "projet), probablement d'un autre millésime du COG (communes fusionnées, "
                      "créées ou renumérotées), non classé(s) ici : " + _list(vintages))
    if arrondissements:
        report.append(f"{len(arrondissements)} arrondissement(s) municipal(aux) de Paris, Lyon "
                      "ou Marseille, non classé(s) ici (le référentiel a la commune) : "
                      + _list(arrondissements))
    if missing:
        report.append(f"{len(missing)} commune(s) du référentiel absente(s) du fichier, gardées "
                      "sans classe : " + _list(missing))
    return Prepared(n_rows={"FILE": len(table.rows)}, data=data, target=def_id, report=report)


def _list(codes: list[str], shown: int = 20) -> str:
    more = f" … (+{len(codes) - shown})" if len(codes) > shown else ""
    return ", ".join(codes[:shown]) + more


def apply(con, prepared: Prepared, entry: dict) -> list[str]:
    """Write the definition, its classes and one row per reference commune; report agreement."""
    d = prepared.data
    vintage, def_id, import_id = d["vintage"], prepared.target, entry["id"]
    stage(con, "staging_definition", d["definition"])
    stage(con, "staging_source", pd.DataFrame([{
        "source_id": f"import_grille_densite_{vintage}",
        "title": (f"Grille communale de densité, millésime {vintage} "
                  f"(fichier importé « {d['name']} »)"),
        "publisher": "Insee", "published": vintage, "url": None, "read_at_url": None,
        "licence": "Licence Ouverte 2.0", "kind": "import",
        "notes": f"Import n° {import_id} ; empreinte SHA-256 dans l'historique des imports."}]))
    stage(con, "staging_classes", d["classes"])
    stage(con, "staging_communes", d["communes"])
    stage(con, "staging_unmatched", pd.DataFrame(
        [(import_id, def_id, code, lib or None, problem, line)
         for line, code, lib, problem in d["unmatched"]],
        columns=["import_id", "target", "code", "name", "problem", "line"]).astype(
            {"line": "Int64", "import_id": "int64"}))
    run_query(con, "imports/grille_apply")
    agree = run_query(con, "imports/rural_agreement")
    agree = agree[agree["rural_definition_id"] == def_id]
    return [agreement_text(r) for r in agree.to_dict("records")]


def agreement_text(r: dict, lang: str = "fr") -> str:
    """The agreement of our approximation with an official grid, in one sentence in `lang`."""
    def pct(x):
        return fmt.value(x, "percent", 1, lang)
    return t("Accord de l'approximation avec la grille {vintage} : {agree} communes sur {total} "
             "({share}), {population} de la population ; l'approximation classe rurales "
             "{approx_only} commune(s) urbaines pour l'Insee et urbaines {official_only} "
             "commune(s) rurales pour l'Insee ; {not_compared} commune(s) non comparée(s) (sans "
             "classe dans l'une des deux).", lang, vintage=r["vintage"], agree=r["n_agree"],
             total=r["n_communes"], share=pct(r["share_communes_agree"]),
             population=pct(r["share_population_agree"]), approx_only=r["n_approx_only"],
             official_only=r["n_official_only"], not_compared=r["n_not_compared"])
