"""What an attacker can deduce from a published table: an audit independent of ess_data.secrecy.

Given the published cells (a number, or None where hidden) and the equations of the table
(parent = sum of children), every hidden cell is an unknown; the attacker knows no count is
negative, that ESS jobs never exceed all salaried jobs of a cell, and the cells public
elsewhere (`fixed`: e.g. zeros read in SIRENE). The smallest and largest value of a hidden cell
are two linear programmes over the *whole* table (scipy's HiGHS), with no decomposition: slow
on a national file (a sample is audited there), exact everywhere.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog


class Audit:
    """The attacker's programme over one published table; `interval(key)` is its deduction."""

    def __init__(self, jobs: dict, equations: list[tuple], totals: dict | None = None,
                 fixed: dict | None = None, remainders: list[tuple] = ()):
        totals = totals or {}
        fixed = fixed or {}
        hidden = sorted(k for k, v in jobs.items() if v is None and k not in fixed)
        hidden_t = sorted(k for k, v in totals.items() if v is None)
        self.col = {k: j for j, k in enumerate(hidden)}
        col_t = {k: len(hidden) + j for j, k in enumerate(hidden_t)}
        n = len(hidden) + len(hidden_t)
        known = {k: (fixed[k] if k in fixed else v) for k, v in jobs.items()}
        rows, cols, vals, rhs = [], [], [], []

        def add(terms, value, out_rows, out_cols, out_vals, out_rhs):
            r = len(out_rhs)
            for j, c in terms:
                out_rows.append(r)
                out_cols.append(j)
                out_vals.append(c)
            out_rhs.append(value)
        for parent, children in equations:
            signed = [(parent, 1.0)] + [(c, -1.0) for c in children]
            terms = [(self.col[k], c) for k, c in signed if k in self.col]
            if terms:
                add(terms, -sum(c * known[k] for k, c in signed if k not in self.col),
                    rows, cols, vals, rhs)
            if all(k in totals for k, _ in signed):
                terms = [(col_t[k], c) for k, c in signed if k in col_t]
                if terms:
                    add(terms, -sum(c * totals[k] for k, c in signed if k not in col_t),
                        rows, cols, vals, rhs)
        u_rows, u_cols, u_vals, u_rhs = [], [], [], []
        for k in hidden_t:  # jobs of the ESS <= all jobs
            if k in self.col:
                add([(self.col[k], 1.0), (col_t[k], -1.0)], 0.0, u_rows, u_cols, u_vals, u_rhs)
            else:
                add([(col_t[k], -1.0)], -known[k], u_rows, u_cols, u_vals, u_rhs)
        for k in hidden:
            if k in totals and totals[k] is not None:
                add([(self.col[k], 1.0)], totals[k], u_rows, u_cols, u_vals, u_rhs)
        for whole, parts in remainders:  # sum of families <= whole ESS
            signed = [(whole, -1.0)] + [(p, 1.0) for p in parts]
            terms = [(self.col[k], c) for k, c in signed if k in self.col]
            if terms:
                add(terms, -sum(c * known[k] for k, c in signed if k not in self.col),
                    u_rows, u_cols, u_vals, u_rhs)
        self.a_eq = sparse.csr_matrix((vals, (rows, cols)), shape=(len(rhs), n))
        self.b_eq = np.array(rhs)
        self.a_ub = sparse.csr_matrix((u_vals, (u_rows, u_cols)), shape=(len(u_rhs), n))
        self.b_ub = np.array(u_rhs)
        self.n = n

    def _solve(self, c, bounds):
        a_eq = self.a_eq if self.a_eq.shape[0] else None
        a_ub = self.a_ub if self.a_ub.shape[0] else None
        return linprog(c, A_eq=a_eq, b_eq=self.b_eq if a_eq is not None else None, A_ub=a_ub,
                       b_ub=self.b_ub if a_ub is not None else None, bounds=bounds,
                       method="highs")

    def interval(self, key) -> tuple[float, float]:
        """Smallest and largest ESS jobs of hidden cell `key` consistent with the table."""
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(self.n)
            c[self.col[key]] = sign
            res = self._solve(c, (0, None))
            if res.status == 3:  # unbounded above
                out.append(np.inf)
            elif res.status != 0:
                raise RuntimeError(f"programme de l'attaquant insoluble : {res.message}")
            else:
                out.append(sign * res.fun)
        return out[0], out[1]

    def reached(self, targets: dict, up: bool) -> set:
        """Hidden cells (key -> value) that some table consistent with the published one puts
        at or beyond their value, above (up) or below: many at once by maximising (minimising)
        their sum, each capped at its value, then one by one for those the sum left short."""
        done, todo = set(), sorted(targets)
        while todo:
            c = np.zeros(self.n)
            lo, hi = np.zeros(self.n), np.full(self.n, np.inf)
            for k in todo:
                c[self.col[k]] = -1.0 if up else 1.0
                if up:
                    hi[self.col[k]] = targets[k]
                else:
                    lo[self.col[k]] = targets[k]
            res = self._solve(c, np.column_stack([lo, np.where(np.isinf(hi), None, hi)]))
            got = {k for k in todo if res.status == 0 and (
                res.x[self.col[k]] >= targets[k] - 1e-6 if up else
                res.x[self.col[k]] <= targets[k] + 1e-6)}
            done |= got
            if not got:
                for k in todo if len(todo) > 1 else ():
                    lo_k, hi_k = self.interval(k)
                    if (hi_k >= targets[k] - 1e-6) if up else (lo_k <= targets[k] + 1e-6):
                        done.add(k)
                break
            todo = [k for k in todo if k not in done]
        return done


def breaches(audit: Audit, primary: dict, level: float = 0.10, minimum: float = 1.0,
             lower: dict | None = None) -> dict:
    """Primary cells (key -> true jobs) whose deduced interval comes closer than the protection
    level to the true value on either side: key -> (deduced low, deduced high)."""
    lower = lower or {}
    need_up, need_down = {}, {}
    for key, value in primary.items():
        p = max(minimum, level * value)
        need_up[key] = value + p
        low = max(value - p, lower.get(key, 0.0), 0.0)
        if low < value:
            need_down[key] = low
    short = (set(need_up) - audit.reached(need_up, True)) | (
        set(need_down) - audit.reached(need_down, False))
    return {key: audit.interval(key) for key in sorted(short)}
