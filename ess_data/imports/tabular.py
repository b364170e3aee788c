"""Read a small tabular file (CSV in UTF-8, or an .xlsx sheet) into text rows, line by line.

The header row is found among the first rows (INSEE puts title rows above it) by the column
names the caller knows; every cell stays text (codes such as "01001" keep their zeros). Every
problem is collected with its file, line and column, nothing is guessed silently.
"""
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ess_data.imports.problems import ImportRefused, Problem

MAX_TITLE_ROWS = 10
SEPARATORS = (";", ",", "\t")
_HEADER_OK = re.compile(r"^[0-9A-Za-zÀ-ÿ’' _\-().,/%°]*$")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
PARQUET_MAGIC = b"PAR1"


def norm(name: str) -> str:
    """A header name without accents, case or repeated spaces/underscores ("Code_Commune")."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s_]+", " ", text).strip().lower()


@dataclass
class Table:
    """Rows of one file: `rows` is a list of (line number, {canonical column: text})."""

    file: str
    columns: dict[str, str]  # canonical name -> header as written in the file
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    title: str = ""  # text of the title rows above the header (a vintage may be written there)
    sheet: str | None = None
    separator: str | None = None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _hostile(name: str) -> str | None:
    if len(name) > 100:
        return "nom de colonne trop long (plus de 100 caractères)"
    if name[:1] in ("=", "+", "-", "@"):
        return "nom de colonne commençant par une formule (=, +, -, @)"
    if not _HEADER_OK.match(name):
        return "nom de colonne avec des caractères non autorisés (contrôle, balise, guillemet…)"
    return None


def _match_header(cells: list[str], aliases: dict[str, set[str]]) -> dict[str, int]:
    """Canonical column -> index, for the header cells recognised by `aliases`."""
    found = {}
    for i, cell in enumerate(cells):
        n = norm(cell)
        for canonical, names in aliases.items():
            if canonical not in found and (n in names or any(
                    a.endswith("*") and n.startswith(a[:-1]) for a in names)):
                found[canonical] = i
                break
    return found


def _raw_rows(path: Path, name: str, sheets: tuple[str, ...]):
    """(list of (line, cells), sheet, separator) of a CSV or xlsx file; refuses unreadable files."""
    data = path.read_bytes()
    if not data.strip():
        raise ImportRefused([Problem(name, "fichier vide")])
    if data.startswith(XLS_MAGIC):
        raise ImportRefused([Problem(name, "ancien format Excel (.xls) non pris en charge : "
                                           "enregistrez le fichier en .xlsx ou en CSV UTF-8")])
    if data.startswith(PARQUET_MAGIC):
        raise ImportRefused([Problem(name, "fichier Parquet non pris en charge pour cet import : "
                                           "fournissez un CSV ou un .xlsx")])
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(path, name, sheets)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused([Problem(
            name, f"encodage non UTF-8 (octet 0x{data[exc.start]:02x} inattendu) : enregistrez "
                  "le fichier en CSV UTF-8", line=line)]) from None
    if "\x00" in text:
        raise ImportRefused([Problem(name, "fichier binaire ou corrompu (octets nuls)")])
    return text, None, None


def _xlsx_rows(path: Path, name: str, sheets: tuple[str, ...]):
    import openpyxl  # only needed for .xlsx files

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise ImportRefused([Problem(name, f"classeur Excel illisible ou tronqué ({exc})")]
                            ) from None
    try:
        wanted = {norm(s) for s in sheets}
        chosen = [ws for ws in wb.worksheets if norm(ws.title) in wanted] or wb.worksheets
        # the first sheet whose first rows hold a header is read (checked by the caller)
        candidates = []
        for ws in chosen:
            rows = [(i, [_cell(v) for v in row])
                    for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
            candidates.append((ws.title, rows))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise ImportRefused([Problem(name, f"classeur Excel illisible ou tronqué ({exc})")]
                            ) from None
    finally:
        wb.close()
    return candidates, "xlsx", None


def read_table(path: Path, aliases: dict[str, set[str]], required: list[str],
               sheets: tuple[str, ...] = (), display_name: str | None = None) -> Table:
    """Read `path` (CSV UTF-8 with ; , or tab, or .xlsx) into a Table; refuse what is unfit.

    `aliases` maps each canonical column to the normalised header names that mean it (a trailing
    `*` matches a prefix); `required` lists the canonical columns that must be present.
    """
    path = Path(path)
    name = display_name or path.name
    if not path.exists():
        raise ImportRefused([Problem(name, "fichier introuvable")])
    content, kind, _ = _raw_rows(path, name, sheets)
    if kind == "xlsx":
        attempts = [(rows, sheet, None) for sheet, rows in content]
    else:
        attempts = []
        for sep in SEPARATORS:
            try:
                rows = _csv_rows(content, sep, name, strict=False)
            except csv.Error:
                continue
            attempts.append((rows, None, sep))
    need = min(2, len(aliases))
    for rows, sheet, sep in attempts:
        for pos, (_, cells) in enumerate(rows[:MAX_TITLE_ROWS]):
            found = _match_header(cells, aliases)
            if len(found) >= need:
                return _finish(name, rows, pos, found, required, sheet, sep, content, kind,
                               aliases)
    expected = ", ".join(f"« {sorted(aliases[c])[0]} »" for c in required)
    raise ImportRefused([Problem(
        name, f"ligne d'en-tête introuvable dans les {MAX_TITLE_ROWS} premières lignes : colonnes "
              f"attendues {expected} (séparateur « ; », « , » ou tabulation, encodage UTF-8)")])


def _csv_rows(text: str, sep: str, name: str, strict: bool) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=strict)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, [c.strip() for c in cells]))
    return rows


def _finish(name, rows, pos, found, required, sheet, sep, content, kind, aliases) -> Table:
    problems = []
    header_line, header = rows[pos]
    for cell in header:
        if cell and (why := _hostile(cell)):
            problems.append(Problem(name, why, line=header_line, column=cell[:40]))
    seen: dict[str, int] = {}
    for cell in header:
        if cell:
            seen[norm(cell)] = seen.get(norm(cell), 0) + 1
    for n, count in seen.items():
        if count > 1:
            problems.append(Problem(name, f"colonne présente {count} fois", line=header_line,
                                    column=n))
    for c in required:
        if c not in found:
            problems.append(Problem(name, "colonne obligatoire absente de l'en-tête (noms "
                                          f"acceptés : {', '.join(sorted(aliases[c]))})",
                                    line=header_line, column=c))
    if kind != "xlsx":
        # re-read strictly: an unterminated quote (file cut in the middle of a value) is an error
        try:
            rows = _csv_rows(content, sep, name, strict=True)
        except csv.Error as exc:
            problems.append(Problem(name, f"fichier tronqué ou guillemet non fermé ({exc})",
                                    line=content.count("\n") + 1))
        if not content.endswith("\n") and rows and len(rows[-1][1]) != len(header):
            problems.append(Problem(name, "dernière ligne incomplète : fichier tronqué ?",
                                    line=rows[-1][0]))
    title = " ".join(" ".join(c for c in cells if c) for _, cells in rows[:pos])
    table = Table(file=name, columns={c: header[i] for c, i in found.items()}, title=title,
                  sheet=sheet, separator=sep)
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    for line, cells in rows[pos + 1:]:
        if not any(cells):
            continue
        if kind != "xlsx" and len(cells) != len(header):
            problems.append(Problem(name, f"{len(cells)} champ(s) au lieu de {len(header)} "
                                          "(ligne tronquée ou séparateur dans une valeur ?)",
                                    line=line))
            continue
        if kind == "xlsx" and any(cells[width:]):
            problems.append(Problem(name, "valeur hors des colonnes de l'en-tête", line=line))
            continue
        table.rows.append((line, {c: (cells[i] if i < len(cells) else "")
                                  for c, i in found.items()}))
    if not table.rows and not problems:
        problems.append(Problem(name, "aucune ligne de données sous l'en-tête",
                                line=header_line))
    if problems:
        raise ImportRefused(problems)
    return table
