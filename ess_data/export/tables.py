"""Tables to CSV (French Excel and international) and XLSX with a "Sources" sheet.

Numbers stay numbers, with their unit in its own column, so a spreadsheet can compute with
them. The value is the one shown on screen: rounded to the indicator's decimals (the registry's
`decimals`, half up as `fmt.number`), so a file never sets `27,86972990777339` beside `27,4`.
The value as stored in the warehouse is given in one place only, the XLSX's "Valeur non
arrondie" column (docs/exports.md). Headers and labels are in the language asked (`lang`,
French by default).
"""
import io
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ess_data import fmt
from ess_data.export import extraction_line
from ess_data.i18n import LANGS, t


def unit_name(unit: str, lang: str = "fr") -> str:
    """How a unit reads in a table's unit column: `%`, `nombre` / `number`, `ETP` / `FTE`."""
    names = {"percent": "%", "count": t("nombre", lang), "count_fte": t("ETP", lang),
             "euros": "€", "points": t("points de %", lang), "density": t("hab./km²", lang)}
    return names.get(unit, unit)


def level_name(level: str, lang: str = "fr") -> str:
    """A territory level in a table: `Département`, `Territoires ruraux`, `EPCI`, ..."""
    names = {"france": "France", "region": t("Région", lang),
             "departement": t("Département", lang), "rural": t("Territoires ruraux", lang),
             "hors_rural": t("Reste du territoire", lang),
             "urbain": t("Territoires urbains", lang),
             "periurbain": t("Territoires périurbains", lang), "epci": t("EPCI", lang),
             "commune": t("Commune", lang)}
    return names.get(level, level)


def source_columns(lang: str = "fr") -> dict[str, str]:
    """Column of the `sources` query -> its header in the Sources sheet."""
    return {"title": t("Source", lang), "publisher": t("Éditeur", lang),
            "published": t("Date de publication", lang), "url": t("Adresse", lang),
            "licence": t("Licence", lang), "source_id": t("Identifiant", lang)}


# French forms (the default language) of the above, as before.
UNITS_FR = {u: unit_name(u) for u in ("percent", "count", "count_fte", "euros", "points",
                                      "density")}
LEVELS_FR = {lv: level_name(lv) for lv in ("france", "region", "departement", "rural",
                                           "hors_rural", "urbain", "periurbain", "epci",
                                           "commune")}
VALUE = "Valeur"
SOURCE_COLUMNS = source_columns()
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
ROW_DECIMALS = "row decimals"  # a column's format from each row's `_decimals`


def qualifier(q, lang: str = "fr") -> str:
    """A value's qualifier in words (`environ` / `about`), '' when it has none."""
    return fmt.QUALIFIERS.get(q, {}).get(lang, "").strip() if isinstance(q, str) else ""


def rounded(value, decimals: int) -> float:
    """A value rounded to `decimals` the way the screen shows it (half up, as fmt.number);
    NaN stays NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    step = Decimal(1).scaleb(-int(decimals))
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def observations_frame(obs: pd.DataFrame, lang: str = "fr",
                       unrounded: bool = False) -> pd.DataFrame:
    """observations_labelled rows as a data table (headers in `lang`, numbers rounded to each
    indicator's decimals as on screen, one unit column). With `unrounded`, the stored value too,
    in a column "Valeur non arrondie" after the unit (the XLSX only). The hidden helper column
    `_decimals` tells the XLSX writer how many decimals to show. Notes are published in French
    only and stay so."""
    published = [str(p)[:10] if isinstance(p, str) else "" for p in obs["source_published"]]
    decimals = obs["decimals"].astype(int).to_numpy()
    frame = pd.DataFrame({
        t("Indicateur", lang): obs[f"label_{lang}"].to_numpy(),
        t("Niveau", lang): [level_name(lv, lang) for lv in obs["territory_level"]],
        t("Code territoire", lang): obs["territory_code"].to_numpy(),
        t("Territoire", lang): obs[f"territory_name_{lang}"].fillna(
            obs["territory_code"]).to_numpy(),
        t("Détail", lang): obs[f"breakdown_label_{lang}"].fillna(
            obs["breakdown_value"]).fillna("").to_numpy(),
        t("Période", lang): [fmt.period(p, lang) for p in obs["period"]],
        t("Précision", lang): [qualifier(q, lang) for q in obs["qualifier"]],
        t("Valeur", lang): [rounded(v, d) for v, d in zip(obs["value"].astype(float),
                                                          decimals)],
        t("Unité", lang): [unit_name(u, lang) for u in obs["unit"]],
        t("Source", lang): [f"{p}, {title}" for p, title in zip(obs["source_publisher"],
                                                                obs["source_title"])],
        t("Date de la source", lang): published,
        t("Note", lang): obs["note"].fillna("").to_numpy(),
        t("Identifiant indicateur", lang): obs["indicator_id"].to_numpy(),
        t("Identifiant source", lang): obs["source_id"].to_numpy(),
        "_decimals": decimals,
    })
    if unrounded:
        frame.insert(frame.columns.get_loc(t("Unité", lang)) + 1, t("Valeur non arrondie", lang),
                     obs["value"].astype(float).to_numpy())
    return frame


def sources_frame(sources: pd.DataFrame, source_ids, lang: str = "fr") -> pd.DataFrame:
    """The rows of the `sources` query for these ids, with headers in `lang`, in their order.
    Titles, publishers and licences stay as published."""
    wanted = list(dict.fromkeys(source_ids))
    rows = sources.set_index("source_id").reindex(wanted).reset_index()
    out = pd.DataFrame({label: rows[col] for col, label in source_columns(lang).items()})
    return out.fillna("")


def _plain(value, decimal: str) -> str:
    """A number as a spreadsheet reads it: no thousands separator, all its digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        value = float(value)  # numpy scalars print as `np.float64(...)`
        return str(int(value)) if value.is_integer() else repr(value).replace(".", decimal)
    return str(int(value))


def _csv(frame: pd.DataFrame, sep: str, decimal: str, encoding: str) -> bytes:
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    frame = frame.astype(object).copy()
    for col in frame.columns:
        frame[col] = [_plain(v, decimal) if isinstance(v, float | int) and not isinstance(v, bool)
                      else ("" if v is None else v) for v in frame[col]]
    return frame.to_csv(sep=sep, index=False, lineterminator="\r\n").encode(encoding)


def csv_fr(frame: pd.DataFrame) -> bytes:
    """CSV for French Excel: UTF-8 with BOM, `;` between fields, decimal comma."""
    return _csv(frame, ";", ",", "utf-8-sig")


def csv_intl(frame: pd.DataFrame) -> bytes:
    """Plain CSV: UTF-8, `,` between fields, decimal point."""
    return _csv(frame, ",", ".", "utf-8")


def number_format(decimals: int) -> str:
    """Excel number format with thousands grouping (shown `2 600 000` or `13,8` in French)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _write_sheet(ws, frame: pd.DataFrame, formats: dict[str, str] | None = None) -> None:
    """A table with a bold frozen header, filters, widths and number formats.

    `formats`: Excel number format by column, or ROW_DECIMALS to follow the hidden column
    `_decimals` row by row (the default for a column named "Valeur" or "Value").
    """
    decimals = frame["_decimals"].tolist() if "_decimals" in frame else None
    value_headers = {t("Valeur", lang) for lang in LANGS}  # a value column, in any language
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    formats = formats or {}
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        default = ROW_DECIMALS if col in value_headers else None
        if decimals is not None and formats.get(col, default) == ROW_DECIMALS:
            for i, d in enumerate(decimals, start=2):
                ws[f"{letter}{i}"].number_format = number_format(d)
        elif col in formats and formats[col] != ROW_DECIMALS:
            for i in range(2, len(frame) + 2):
                ws[f"{letter}{i}"].number_format = formats[col]
        longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
        ws.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions


def workbook(sheets: list[tuple[str, pd.DataFrame, dict[str, str]]], sources: pd.DataFrame,
             extracted: date, lang: str = "fr") -> bytes:
    """An XLSX: the given sheets (name, frame, number formats by column), then "Sources"
    (`sources`: a sources_frame) with the extraction date in `lang`."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame, formats in sheets:
        _write_sheet(wb.create_sheet(name[:31]), frame, formats)
    ws = wb.create_sheet("Sources")
    _write_sheet(ws, sources)
    ws.append([])
    ws.append([extraction_line(extracted, lang)])
    wb.properties.creator = t("Tableau de bord ESS et ruralité", lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def observations_xlsx(obs: pd.DataFrame, sources: pd.DataFrame,
                      extracted: date | None = None, lang: str = "fr") -> bytes:
    """Observations as XLSX: sheet "Données" and sheet "Sources", in `lang` ("Data" and
    "Sources" in English). "Valeur" holds the rounded number, shown with the indicator's
    decimals; "Valeur non arrondie" the stored one, with all its digits (general format).

    `sources`: the `sources` query (every source); only those the rows use are listed.
    """
    frame = observations_frame(obs, lang, unrounded=True)
    return workbook([(t("Données", lang), frame, {t("Valeur non arrondie", lang): "General"})],
                    sources_frame(sources, obs["source_id"], lang),
                    extracted or date.today(), lang)
