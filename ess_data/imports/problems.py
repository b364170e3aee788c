"""Problems found in an imported file, reported in French with file, line and column."""
from dataclasses import dataclass

MAX_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One problem: where (file, line, column) and what, in French."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}"


class ImportRefused(Exception):
    """The import was refused; nothing was changed. `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.text())

    def text(self) -> str:
        """Every problem, one per line (at most MAX_SHOWN, then a count of the rest)."""
        lines = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"… et {len(self.problems) - MAX_SHOWN} autre(s) problème(s)")
        return "\n".join(lines)


def refuse_if(problems: list[Problem]) -> None:
    """Raise ImportRefused when the list is not empty."""
    if problems:
        raise ImportRefused(problems)
