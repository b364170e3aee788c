"""Statistical secrecy of a table of employment counts linked by sums (plain numpy + scipy).

The attacker (docs/imports.md, « Secret statistique ») knows every published cell, every
equation of the table (parent = sum of its children: commune -> EPCI -> department -> region ->
France, rural / rest of the country, whole ESS = sum of its families where they exhaust it, and
sum of families <= whole ESS where they do not), that no count is negative, that ESS jobs never
exceed all salaried jobs of a cell, and what is public elsewhere: a priori bounds per cell
(cells known to be zero because SIRENE lists no ESS employer there). With these, the smallest
and largest value of a hidden cell are two linear programmes over the published table.

A primary cell is protected when both lie at least a protection level away from its true value:
`max(minimum, level x value)` on each side (default 10 % and one job), the lower side capped by
what the attacker knew beforehand (zero, or its a priori lower bound).

The method is that of tau-ARGUS's hypercube / Statistics Norway's GaussSuppression, checked by
linear programming (HiGHS through scipy): complementary cells are added greedily, cheapest
useful first (cost = the jobs hidden), never among cells the attacker already knows (known
zeros), until every primary cell is certified. A certificate is a feasible point of a
*restricted* programme: the hidden cells of other groups (groups = hidden cells linked by local
equations) held at their true values. A restriction only shrinks what the attacker can reach,
and hiding more cells only widens it, so a certificate, once found, holds at the end (the tests
check the final table with an independent attacker over the whole programme).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

LEVEL = 0.10  # protection level: share of the cell's value, on each side
MINIMUM = 1.0  # ... and at least this many jobs
TOL = 1e-6
HEADLINE_RANK = 4  # rural / rest of the country, France: hidden only when nothing else can do


class Unprotectable(Exception):
    """A primary cell no complementary cell can protect (the caller refuses the file)."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


@dataclass
class Table:
    """The cells of a table as arrays (index = position), and its equations.

    `value` is the protected measure (ESS jobs; nan where unknown even to us, e.g. a cell marked
    secret without a number), `total` all salaried jobs (nan: no such measure), `cost` what hiding
    a cell costs (its jobs), `rank` the order levels are hidden in (communes first).
    `equations`: (parent, children) index pairs; `total_eq[r]`: equation r holds for `total`
    too; `local[r]`: equation r is local (False for rural / rest of the country, which link the
    whole country); `remainders`: (parent, children) with sum(children) <= parent.
    """

    value: np.ndarray
    total: np.ndarray
    primary: np.ndarray
    cost: np.ndarray
    rank: np.ndarray
    equations: list[tuple[int, list[int]]]
    local: np.ndarray
    total_eq: np.ndarray
    remainders: list[tuple[int, list[int]]] = field(default_factory=list)
    lower: np.ndarray | None = None  # a priori bounds on `value` (public elsewhere)
    upper: np.ndarray | None = None
    known: np.ndarray | None = None  # cells the attacker knows (e.g. zeros): never hidden
    level: float = LEVEL
    minimum: float = MINIMUM

    def __post_init__(self):
        n = len(self.value)
        self.lower = np.zeros(n) if self.lower is None else np.asarray(self.lower, float)
        self.upper = np.full(n, np.inf) if self.upper is None else np.asarray(self.upper, float)
        self.E = _matrix(self.equations, n)
        self.R = _matrix(self.remainders, n)
        self.ET = self.E[np.flatnonzero(self.total_eq)] if len(self.equations) else self.E
        self.vf = np.nan_to_num(self.value)
        self.tf = np.nan_to_num(self.total)
        self.Ev, self.Rv, self.ETt = self.E @ self.vf, self.R @ self.vf, self.ET @ self.tf
        self.has_total = ~np.isnan(self.total)
        self.E_csc, self.R_csc, self.ET_csc = self.E.tocsc(), self.R.tocsc(), self.ET.tocsc()
        self.cells_of = self.E.T.tocsr()  # row k: the equations cell k is in
        self.remainders_of = self.R.T.tocsr()  # row k: the remainders cell k is in
        local = sparse.diags(self.local.astype(float)) @ abs(self.E) if len(self.equations) \
            else abs(self.E)
        self.local_abs, self.local_abs_t = local.tocsr(), local.T.tocsr()
        self.long_abs = abs(self.E[np.flatnonzero(~self.local)]) if len(self.equations) \
            else abs(self.E)
        self.long_parents = np.array([p for (p, _), loc in zip(self.equations, self.local)
                                      if not loc], dtype=int)
        self.known_zero = (self.upper <= 0) if self.known is None else \
            (self.upper <= 0) | np.asarray(self.known, bool)

    def protection(self, i: int) -> tuple[float, float]:
        """(lowest value the attacker must not exclude, highest ...) for primary cell i."""
        v = self.value[i]
        p = max(self.minimum, self.level * v)
        return max(v - p, self.lower[i], 0.0), min(v + p, self.upper[i])


def _matrix(pairs, n: int) -> sparse.csr_matrix:
    """+1 for the parent, -1 for each child, one row per (parent, children) pair."""
    rows, cols, vals = [], [], []
    for r, (parent, children) in enumerate(pairs):
        rows += [r] * (1 + len(children))
        cols += [parent, *children]
        vals += [1.0] + [-1.0] * len(children)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(pairs), n))


class _Programme:
    """The attacker's programme restricted to the cells `v` (the other hidden cells at their
    true values): ESS jobs of `v`, then all salaried jobs of those that have the measure."""

    def __init__(self, t: Table, v: np.ndarray):
        self.t, self.v = t, v
        self.pos = {int(k): j for j, k in enumerate(v)}
        n = len(v)
        tv = v[t.has_total[v]]
        self.n_total = len(tv)
        eq_blocks, eq_rhs, ub_blocks, ub_rhs = [], [], [], []
        e = t.E_csc[:, v]
        rows = np.unique(e.nonzero()[0])
        if len(rows):
            e = e[rows]
            eq_blocks.append(sparse.hstack([e, sparse.csr_matrix((len(rows), len(tv)))]))
            eq_rhs.append(-(t.Ev[rows] - e @ t.vf[v]))
        if len(tv):
            et = t.ET_csc[:, tv]
            rows = np.unique(et.nonzero()[0])
            if len(rows):
                et = et[rows]
                eq_blocks.append(sparse.hstack([sparse.csr_matrix((len(rows), n)), et]))
                eq_rhs.append(-(t.ETt[rows] - et @ t.tf[tv]))
            # ESS jobs <= all salaried jobs, cell by cell
            link = sparse.hstack([
                sparse.csr_matrix((np.ones(len(tv)), (np.arange(len(tv)),
                                                      [self.pos[int(k)] for k in tv])),
                                  shape=(len(tv), n)),
                -sparse.identity(len(tv), format="csr")])
            ub_blocks.append(link)
            ub_rhs.append(np.zeros(len(tv)))
        r = t.R_csc[:, v]
        rows = np.unique(r.nonzero()[0])
        if len(rows):
            r = r[rows]  # parent - children >= 0  ->  children - parent <= ...
            ub_blocks.append(sparse.hstack([-r, sparse.csr_matrix((len(rows), len(tv)))]))
            ub_rhs.append(t.Rv[rows] - r @ t.vf[v])
        self.a_eq = sparse.vstack(eq_blocks, format="csr") if eq_blocks else None
        self.b_eq = np.concatenate(eq_rhs) if eq_rhs else None
        self.a_ub = sparse.vstack(ub_blocks, format="csr") if ub_blocks else None
        self.b_ub = np.concatenate(ub_rhs) if ub_rhs else None
        self.lo = np.concatenate([t.lower[v], np.zeros(len(tv))])
        self.hi = np.concatenate([t.upper[v], np.full(len(tv), np.inf)])
        # cells alone (as unknowns) in an equation are pinned: no programme needed
        self.pinned = set()
        if self.a_eq is not None:
            counts = np.diff(self.a_eq.indptr)
            for row in np.flatnonzero(counts == 1):
                col = int(self.a_eq.indices[self.a_eq.indptr[row]])
                if col < n:
                    self.pinned.add(int(v[col]))
        self.solved = 0

    def reach(self, cells: list[int], targets: np.ndarray, up: bool) -> np.ndarray:
        """Values of `cells` at the optimum of max (up) / min sum of `cells`, each capped at its
        target (a restriction: what is reached is reachable); nan where nothing is feasible."""
        j = np.array([self.pos[c] for c in cells])
        lo, hi = self.lo.copy(), self.hi.copy()
        if up:
            hi[j] = np.minimum(hi[j], targets)
        else:
            lo[j] = np.maximum(lo[j], targets)
        c = np.zeros(len(lo))
        c[j] = -1.0 if up else 1.0
        self.solved += 1
        res = linprog(c, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                      bounds=np.column_stack([lo, np.where(np.isinf(hi), None, hi)]),
                      method="highs")
        if res.status != 0:  # the true table is feasible: only numerical trouble lands here
            return np.full(len(cells), np.nan)
        return res.x[j]


@dataclass
class Outcome:
    """Cells hidden to protect the primary ones, and how the work went."""

    secondary: list[int]
    programmes: int  # linear programmes solved
    rounds: int
    whole: int  # ... of which over the whole table (moves no region could absorb)


def _groups(t: Table, hidden: np.ndarray) -> np.ndarray:
    """Group label of each cell: hidden cells linked by local equations share one (-1: open)."""
    e = t.E[np.flatnonzero(t.local)] if len(t.equations) else t.E
    e = e[:, hidden] if len(t.equations) else e
    h = np.flatnonzero(hidden)
    n = len(h)
    m = e.shape[0]
    graph = sparse.bmat([[None, e.T], [e, None]], format="csr") if m else \
        sparse.csr_matrix((n, n))
    _, labels = connected_components(graph, directed=False)
    out = np.full(len(t.value), -1)
    out[h] = labels[:n]
    return out


def _closure(t: Table, cells: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """`cells` plus the cells of unknown value their equations reach (never held fixed)."""
    if not unknown.any():
        return np.sort(cells)
    found = set(int(c) for c in cells)
    todo = list(found)
    while todo:
        k = todo.pop()
        for r in t.cells_of.indices[t.cells_of.indptr[k]:t.cells_of.indptr[k + 1]]:
            for m in t.E.indices[t.E.indptr[r]:t.E.indptr[r + 1]]:
                if unknown[m] and int(m) not in found:
                    found.add(int(m))
                    todo.append(int(m))
    return np.array(sorted(found), dtype=int)


def certify(t: Table, prog: _Programme, cells: list[int]) -> tuple[set, set]:
    """Which of `cells` (primary, in the programme) are certified above and below."""
    return _certify_side(t, prog, cells, True), _certify_side(t, prog, cells, False)


def _certify_side(t: Table, prog: _Programme, cells: list[int], up: bool) -> set:
    out, need = set(), {}
    for i in cells:
        target = t.protection(i)[1 if up else 0]
        if (target <= t.value[i] + TOL) if up else (target >= t.value[i] - TOL):
            out.add(i)  # nothing to gain on that side: the attacker knew it already
        elif i not in prog.pinned:
            need[i] = target

    def met(i, g):
        return not np.isnan(g) and (g >= need[i] - TOL if up else g <= need[i] + TOL)
    todo = list(need)
    while todo:  # together while the sum certifies some, then one by one
        got = prog.reach(todo, np.array([need[i] for i in todo]), up)
        ok = [i for i, g in zip(todo, got) if met(i, g)]
        out.update(ok)
        rest = [i for i in todo if i not in out]
        if not ok and len(todo) > 1:
            out.update(i for i in rest if met(i, prog.reach([i], np.array([need[i]]), up)[0]))
        todo = rest if ok else []
    return out


def _certify_unknown(t: Table, prog: _Programme, i: int) -> bool:
    """A primary cell whose value nobody knows: protected when its range is two units wide."""
    if i in prog.pinned:
        return False
    hi = prog.reach([i], np.array([np.inf]), True)[0]
    lo = prog.reach([i], np.array([0.0]), False)[0]
    return not np.isnan(hi) and not np.isnan(lo) and hi - lo >= 2 * t.minimum - TOL


def protect(t: Table, same: np.ndarray | None = None) -> Outcome:
    """Hide complementary cells until every primary cell is protected; return them.

    By rounds: the hidden cells are split in groups linked by local equations; each group with
    a primary cell not yet certified gets its restricted programme (most cells are certified
    there, by their neighbours). A primary cell still not certified gets, the first time, one
    more cell chosen by rule (_candidate: cheap, usually enough); after that, for each side
    still open, the cheapest way for it to move (_direction, a programme over its region then
    the whole table): the cells that move are hidden, and the move itself certifies that side.
    `same[k]` labels cells that may stand in for each other as a last resort (same year and
    family). Raises Unprotectable when a primary cell cannot be protected at all.
    """
    unknown = np.isnan(t.value)
    hidden = t.primary | unknown
    primary = np.flatnonzero(t.primary)
    up_ok, down_ok = set(), set()
    tries: dict[int, int] = {}
    secondary: list[int] = []
    moves: set[int] = set()  # cells a certificate by a move relies on: kept hidden
    out = Outcome([], 0, 0, 0)
    side: dict[int, frozenset] = {}
    everything = np.arange(len(t.value))
    headline = t.rank >= HEADLINE_RANK

    def long_rows(k):  # the long (rural) equations of cell k: its side of the split
        if k not in side:
            rows = t.cells_of.indices[t.cells_of.indptr[k]:t.cells_of.indptr[k + 1]]
            side[k] = frozenset(int(r) for r in rows if not t.local[r])
        return side[k]

    def hide(k):
        if not hidden[k]:
            hidden[k] = True
            secondary.append(int(k))

    def failing(cells):
        return [i for i in cells if i not in up_ok or i not in down_ok]

    while True:
        out.rounds += 1
        pending = failing(int(i) for i in primary)
        if not pending:
            out.secondary = _prune(t, hidden, secondary, moves, unknown)
            return out
        label = _groups(t, hidden)
        order = np.argsort(label, kind="stable")
        sorted_labels = label[order]
        by_group: dict[int, list[int]] = {}
        for i in pending:
            by_group.setdefault(int(label[i]), []).append(i)
        for g, cells in by_group.items():
            members = order[np.searchsorted(sorted_labels, g):
                            np.searchsorted(sorted_labels, g, side="right")]
            prog = _Programme(t, _closure(t, members, unknown))
            known = [i for i in cells if not unknown[i]]
            ups, downs = certify(t, prog, known) if known else (set(), set())
            up_ok.update(ups)
            down_ok.update(downs)
            for i in cells:
                if unknown[i] and _certify_unknown(t, prog, i):
                    up_ok.add(i)
                    down_ok.add(i)
            out.programmes += prog.solved
        pending = failing(pending)
        for i in pending:
            tries[i] = tries.get(i, 0) + 1
            if tries[i] == 1 or unknown[i]:
                choice = _candidate(t, i, hidden, long_rows, tries[i], same)
                if choice is None:
                    raise Unprotectable(i)
                hide(choice)
                continue
            for up, done in ((True, up_ok), (False, down_ok)):
                if i in done:
                    continue
                # its region first, then the whole table; the headline totals (rural, rest
                # of the country, France) only when nothing else can absorb the move
                move = None
                for n, cells in enumerate((_neighbourhood(t, i), everything, everything)):
                    move = _direction(t, i, up, hidden, cells if n == 2 else
                                      cells[~headline[cells]])
                    out.programmes += 1
                    out.whole += n > 0
                    if move is not None:
                        break
                if move is None:
                    raise Unprotectable(i)
                for k in move:
                    hide(k)
                moves.update(int(k) for k in move)
                done.add(i)


def _neighbourhood(t: Table, i: int, depth: int = 3) -> np.ndarray:
    """Cells within `depth` local equations of cell i (a commune's EPCI and department, their
    communes, the region's departments and theirs), and the totals of the long equations."""
    mask = np.zeros(len(t.value))
    mask[i] = 1.0
    for _ in range(depth):
        mask = np.minimum(1.0, mask + t.local_abs_t @ ((t.local_abs @ mask) > 0).astype(float))
    touched = (t.long_abs @ mask) > 0
    reach = mask > 0
    reach[t.long_parents[touched]] = True
    return np.flatnonzero(reach)


def _direction(t: Table, i: int, up: bool, hidden: np.ndarray, cells: np.ndarray
               ) -> np.ndarray | None:
    """Cells to hide so that primary cell i can reach its protection target on one side.

    The cheapest move d of the cells `cells` (the others still) that keeps every equation
    (A d = 0) and the remainders, keeps each cell between its a priori bounds and its ESS jobs
    under its salaried jobs, and moves cell i to its target. Moving through hidden cells costs
    almost nothing, through open ones one per job (plus a little per level): the cells that
    move are hidden, after which the true table plus d is a table the attacker cannot rule out
    (a certificate of that side). Known cells and cells of unknown value never move. None when
    no such move exists among `cells`."""
    cells = cells[~t.known_zero[cells] & ~np.isnan(t.value[cells])]
    if i not in set(cells.tolist()):
        return None
    n = len(cells)
    v = t.value[cells]
    head = np.where(np.isnan(t.total[cells]), np.inf, t.total[cells] - v)
    up_cap = np.maximum(0.0, np.minimum(t.upper[cells] - v, head))
    down_cap = np.maximum(0.0, v - t.lower[cells])
    lo, hi = t.protection(i)
    delta = (hi - t.value[i]) if up else (t.value[i] - lo)
    j = int(np.flatnonzero(cells == i)[0])
    lo_b, hi_b = np.zeros(2 * n), np.concatenate([up_cap, down_cap])
    if up:
        lo_b[j], hi_b[n + j] = delta, 0.0
    else:
        lo_b[n + j], hi_b[j] = delta, 0.0
    if lo_b[j] > hi_b[j] + TOL or lo_b[n + j] > hi_b[n + j] + TOL:
        return None
    e = t.E_csc[:, cells]
    rows = np.unique(e.nonzero()[0])
    a_eq = sparse.hstack([e[rows], -e[rows]], format="csr") if len(rows) else None
    r = t.R_csc[:, cells]
    rrows = np.unique(r.nonzero()[0])
    a_ub = sparse.hstack([-r[rrows], r[rrows]], format="csr") if len(rrows) else None
    weight = np.where(hidden[cells], 1e-3, 1.0 + 0.5 * t.rank[cells]
                      + 1e3 * (t.rank[cells] >= HEADLINE_RANK))
    res = linprog(np.concatenate([weight, weight]), A_eq=a_eq,
                  b_eq=np.zeros(len(rows)) if len(rows) else None, A_ub=a_ub,
                  b_ub=t.Rv[rrows] if len(rrows) else None,
                  bounds=np.column_stack([lo_b, np.where(np.isinf(hi_b), None, hi_b)]),
                  method="highs")
    if res.status != 0:
        return None
    d = res.x[:n] - res.x[n:]
    return cells[np.abs(d) > 1e-7]


def _verify(t: Table, cells: list[int], members: np.ndarray, unknown: np.ndarray) -> bool:
    """Whether every primary cell of `cells` is certified on the programme of `members`."""
    prog = _Programme(t, _closure(t, members, unknown))
    known = [i for i in cells if not unknown[i]]
    ups, downs = certify(t, prog, known) if known else (set(), set())
    return len(ups) == len(downs) == len(known) and all(
        _certify_unknown(t, prog, i) for i in cells if unknown[i])


def _prune(t: Table, hidden: np.ndarray, secondary: list[int], moves: set,
           unknown: np.ndarray) -> list[int]:
    """Publish again each complementary cell that the others make unnecessary, costliest first.

    Greedy choices over rounds can leave a cell whose protection later cells provide. A cell c
    of group G that no certifying move relies on is published again when every primary cell of
    G is still certified with G minus c free (a restriction again: sound). Primary cells of
    other groups held c at its true value, and moves do not use it: their certificates hold."""
    label = _groups(t, hidden)
    groups: dict[int, set[int]] = {}
    for k in np.flatnonzero(hidden):
        groups.setdefault(int(label[k]), set()).add(int(k))
    kept = set(secondary)
    for c in sorted(secondary, key=lambda k: (-t.cost[k], k)):
        if c in moves:
            continue
        members = groups[int(label[c])] - {c}
        hidden[c] = False
        prims = sorted(i for i in members if t.primary[i])
        if _verify(t, prims, np.array(sorted(members), dtype=int), unknown):
            kept.discard(c)
            groups[int(label[c])] = members
        else:
            hidden[c] = True
    return [c for c in secondary if c in kept]


def _candidate(t: Table, i: int, hidden, long_rows, tries: int, same) -> int | None:
    """The open cell to hide next for primary cell i: from its own local equations (those where
    it is the only hidden cell first), sharing the most equations with it, on its side of the
    rural split, able to move by its protection level, cheapest first; then the long equations'
    totals, then any cell of the same label. Cells the attacker knows are never chosen."""
    mine = t.cells_of.indices[t.cells_of.indptr[i]:t.cells_of.indptr[i + 1]]
    local_rows = [int(r) for r in mine if t.local[r]]
    need = max(t.minimum, t.level * np.nan_to_num(t.value[i]))
    my_side = long_rows(i)

    def members(r):
        return t.E.indices[t.E.indptr[r]:t.E.indptr[r + 1]]

    def open_(k):
        return not hidden[k] and not t.known_zero[k] and not np.isnan(t.value[k])

    alone = {int(k) for r in local_rows if hidden[members(r)].sum() == 1
             for k in members(r) if open_(k)}
    shared: dict[int, int] = {}
    for r in local_rows:
        for k in members(r):
            if open_(k):
                shared[int(k)] = shared.get(int(k), 0) + 1
    rem = t.remainders_of
    for r in rem.indices[rem.indptr[i]:rem.indptr[i + 1]]:
        for k in t.R.indices[t.R.indptr[r]:t.R.indptr[r + 1]]:
            if open_(k):
                shared[int(k)] = shared.get(int(k), 0) + 1
    if shared:
        def key(k):
            return (k not in alone, t.rank[k], -shared[k], long_rows(k) != my_side,
                    t.value[k] - t.lower[k] < need, t.cost[k], k)
        ranked = sorted(shared, key=key)
        # later rounds: cells of the next level up are allowed to come first
        if tries > 2:
            higher = [k for k in ranked if t.rank[k] > t.rank[i]]
            ranked = higher[:1] + ranked if higher and tries % 2 else ranked
        return ranked[0]
    totals = sorted({int(k) for r in mine if not t.local[r] for k in members(r)
                     if open_(k) and t.rank[k] > t.rank[i]}, key=lambda k: (t.cost[k], k))
    if totals:
        return totals[0]
    if same is not None:
        rest = [int(k) for k in np.flatnonzero(same == same[i]) if open_(k)]
        if rest:
            return min(rest, key=lambda k: (t.rank[k], t.cost[k], k))
    return None
