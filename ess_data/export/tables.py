"""Tables to CSV (French Excel and international) and XLSX with a "Sources" sheet.

Numbers stay numbers: the warehouse value, unrounded, with its unit in its own column, so a
spreadsheet can compute with it; the XLSX shows it with the indicator's decimals.
"""
import io
import math
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ess_data import fmt
from ess_data.export import extraction_line

UNITS_FR = {"percent": "%", "count": "nombre", "count_fte": "ETP", "euros": "€",
            "points": "points de %", "density": "hab./km²"}
LEVELS_FR = {"france": "France", "region": "Région", "departement": "Département",
             "rural": "Territoires ruraux", "hors_rural": "Reste du territoire",
             "urbain": "Territoires urbains", "periurbain": "Territoires périurbains",
             "epci": "EPCI", "commune": "Commune"}
VALUE = "Valeur"
SOURCE_COLUMNS = {"title": "Source", "publisher": "Éditeur", "published": "Date de publication",
                  "url": "Adresse", "licence": "Licence", "source_id": "Identifiant"}
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
ROW_DECIMALS = "row decimals"  # a column's format from each row's `_decimals`


def observations_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """observations_labelled rows as a data table (French headers, raw numbers, one unit column).

    The hidden helper column `_decimals` tells the XLSX writer how many decimals to show.
    """
    qualifiers = [fmt.QUALIFIERS.get(q, {}).get("fr", "").strip() if isinstance(q, str) else ""
                  for q in obs["qualifier"]]
    published = [str(p)[:10] if isinstance(p, str) else "" for p in obs["source_published"]]
    return pd.DataFrame({
        "Indicateur": obs["label_fr"].to_numpy(),
        "Niveau": [LEVELS_FR.get(lv, lv) for lv in obs["territory_level"]],
        "Code territoire": obs["territory_code"].to_numpy(),
        "Territoire": obs["territory_name_fr"].fillna(obs["territory_code"]).to_numpy(),
        "Détail": obs["breakdown_label_fr"].fillna(obs["breakdown_value"]).fillna("").to_numpy(),
        "Période": [fmt.period(p) for p in obs["period"]],
        "Précision": qualifiers,
        VALUE: obs["value"].astype(float).to_numpy(),
        "Unité": [UNITS_FR.get(u, u) for u in obs["unit"]],
        "Source": [f"{p}, {t}" for p, t in zip(obs["source_publisher"], obs["source_title"])],
        "Date de la source": published,
        "Note": obs["note"].fillna("").to_numpy(),
        "Identifiant indicateur": obs["indicator_id"].to_numpy(),
        "Identifiant source": obs["source_id"].to_numpy(),
        "_decimals": obs["decimals"].astype(int).to_numpy(),
    })


def sources_frame(sources: pd.DataFrame, source_ids) -> pd.DataFrame:
    """The rows of the `sources` query for these ids, with French headers, in their order."""
    wanted = list(dict.fromkeys(source_ids))
    rows = sources.set_index("source_id").reindex(wanted).reset_index()
    out = pd.DataFrame({label: rows[col] for col, label in SOURCE_COLUMNS.items()})
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
    `_decimals` row by row (the default for a column named "Valeur").
    """
    decimals = frame["_decimals"].tolist() if "_decimals" in frame else None
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
        if decimals is not None and formats.get(col, ROW_DECIMALS if col == VALUE else None) \
                == ROW_DECIMALS:
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
             extracted: date) -> bytes:
    """An XLSX: the given sheets (name, frame, number formats by column), then "Sources"."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame, formats in sheets:
        _write_sheet(wb.create_sheet(name[:31]), frame, formats)
    ws = wb.create_sheet("Sources")
    _write_sheet(ws, sources)
    ws.append([])
    ws.append([extraction_line(extracted)])
    wb.properties.creator = "Tableau de bord ESS et ruralité"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def observations_xlsx(obs: pd.DataFrame, sources: pd.DataFrame,
                      extracted: date | None = None) -> bytes:
    """Observations as XLSX: sheet "Données" (formatted numbers) and sheet "Sources".

    `sources`: the `sources` query (every source); only those the rows use are listed.
    """
    frame = observations_frame(obs)
    return workbook([("Données", frame, {})], sources_frame(sources, obs["source_id"]),
                    extracted or date.today())
