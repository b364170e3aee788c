"""The indicator registry: one row per concept, loaded from the warehouse.

It is the only place labels, units and definitions come from; pages, exports and tests ask it.
"""
from dataclasses import dataclass

import duckdb

from ess_data.db import run_query
from ess_data.i18n import t

# Headline indicators of the overview page (checked to exist by the tests).
RURAL_SHARES = ("part_ess_emploi_salarie", "part_ess_emploi_prive")
MICRO_SHARE = "part_micro_etablissements_ess"
ESS_SHARE = "part_ess_emploi_salarie"  # the key figure of profiles, decks and maps
HEADLINE_RURAL_DEFINITION = "cget_2019"  # the 2019 study's rural, used by its comparison


def level_label(level: str, lang: str = "fr") -> str:
    """`Région` / `Region`: the label of a territory level (the level itself if unknown)."""
    labels = {"region": t("Région", lang), "departement": t("Département", lang),
              "epci": t("Intercommunalité (EPCI)", lang), "commune": t("Commune", lang)}
    return labels.get(level, level)


# Territory levels and their French labels; ESS figures are published for the first two only.
LEVEL_LABELS = {k: level_label(k) for k in ("region", "departement", "epci", "commune")}
LEVELS = {k: LEVEL_LABELS[k] for k in ("region", "departement")}


class UnknownIndicator(KeyError):
    """An indicator id that is not in the registry."""


@dataclass(frozen=True)
class Indicator:
    """One registry row."""

    indicator_id: str
    theme: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    unit: str
    decimals: int
    breakdown: str | None
    default_source_id: str
    mappable: bool
    notes: str | None
    rural_definitions: str | None  # labels of the rural definitions its figures use, if any
    rural_definitions_en: str | None = None  # the same in English

    def label(self, lang: str = "fr") -> str:
        """The short label in the language asked."""
        return self.label_en if lang == "en" else self.label_fr

    def definition(self, lang: str = "fr") -> str:
        """The definition in the language asked."""
        return self.definition_en if lang == "en" else self.definition_fr

    def rural_definition_labels(self, lang: str = "fr") -> str | None:
        """The labels of the rural definitions its figures use, in the language asked."""
        return self.rural_definitions_en if lang == "en" else self.rural_definitions


class Registry:
    """Every indicator, by id, in registry order."""

    def __init__(self, indicators: list[Indicator]):
        self._by_id = {i.indicator_id: i for i in indicators}

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id, or UnknownIndicator."""
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise UnknownIndicator(indicator_id) from None

    def mappable(self) -> list[Indicator]:
        """Indicators published for regions or departments."""
        return [i for i in self if i.mappable]

    def theme(self, theme: str) -> list[Indicator]:
        """Indicators of one theme."""
        return [i for i in self if i.theme == theme]


def load_registry(con: duckdb.DuckDBPyConnection) -> Registry:
    """Read the registry from the warehouse."""
    df = run_query(con, "registry")
    rows = []
    for rec in df.to_dict("records"):
        rec = {k: (None if v != v else v) for k, v in rec.items()}  # NaN -> None
        rec["decimals"] = int(rec["decimals"])
        rec["mappable"] = bool(rec["mappable"])
        rows.append(Indicator(**rec))
    return Registry(rows)
