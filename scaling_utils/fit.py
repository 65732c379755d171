"""``scaling-fit`` / ``python -m scaling_utils.fit``: fit a scaling law to your own runs.

One resource (a learning curve)::

    scaling-fit runs.csv --size D --loss loss [--seed seed] [--offset fit|none|0.2] [--window auto|all|100:1e4]

fits :math:`L = L_\\infty + c\\,n^{-\\alpha}` with the book's methods
(:func:`~scaling_utils.measurement.fitting.fit_power_law`): the offset free, fixed or absent; the
window rule; a jackknife-t interval over seeds when a seed column gives at least two curves.
Two resources::

    scaling-fit runs.csv --size N --size2 D --loss loss [--delta 1e-3] [--n-boot 400]

fits :math:`L = E + A N^{-\\alpha} + B D^{-\\beta}` (Huber loss on log L, L-BFGS from a grid, bootstrap
over runs; :func:`~scaling_utils.measurement.two_resource.fit_two_resource`) and prints the
compute-optimal exponents. ``--plot out.png`` writes the data, the fit and its residuals;
``--json`` prints the results as JSON. A bad file gets one line naming the problem and exit
status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["main"]


class InputError(Exception):
    """A problem with the user's file or options: reported in one line, exit status 2."""


def _read(path: str, columns: list[str]) -> Any:
    import pandas as pd

    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from exc
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}; the file has {list(table.columns)}")
    for col in columns:
        values = pd.to_numeric(table[col], errors="coerce")
        bad = values.isna() & table[col].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{path}: column {col!r} is not numeric (row {row + 2}: {table[col].iloc[row]!r})")
        if values.isna().any():
            row = int(np.flatnonzero(values.isna().to_numpy())[0])
            raise InputError(f"{path}: column {col!r} has an empty or NaN value (row {row + 2})")
        if not np.all(np.isfinite(values)):
            raise InputError(f"{path}: column {col!r} has an infinite value")
        table[col] = values
    return table


def _positive(table: Any, path: str, columns: list[str]) -> None:
    for col in columns:
        if (table[col] <= 0).any():
            row = int(np.flatnonzero((table[col] <= 0).to_numpy())[0])
            raise InputError(f"{path}: column {col!r} must be > 0 (row {row + 2}: {table[col].iloc[row]})")


def _parse_offset(text: str) -> float | str | None:
    if text == "none":
        return None
    if text == "fit":
        return "fit"
    try:
        value = float(text)
    except ValueError as exc:
        raise InputError(f"--offset must be 'fit', 'none' or a number (got {text!r})") from exc
    if not math.isfinite(value):
        raise InputError(f"--offset must be finite (got {text!r})")
    return value


def _parse_window(text: str) -> tuple[float, float] | str | None:
    if text == "all":
        return None
    if text == "auto":
        return "auto"
    try:
        lo, hi = (float(v) for v in text.split(":"))
    except ValueError as exc:
        raise InputError(f"--window must be 'auto', 'all' or LO:HI (got {text!r})") from exc
    return lo, hi


def _one_resource(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    from .measurement.fitting import curve_from_table, fit_power_law, local_slope

    columns = [args.size, args.loss] + ([args.seed] if args.seed else [])
    table = _read(args.file, columns)
    _positive(table, args.file, [args.size, args.loss])
    if args.seed:
        n, losses = curve_from_table(table, x=args.size, y=args.loss, seed=args.seed)
    else:
        if table[args.size].duplicated().any():
            raise InputError(f"{args.file}: repeated values of {args.size!r} without a seed column: give --seed")
        table = table.sort_values(args.size)
        n, losses = table[args.size].to_numpy(float), table[args.loss].to_numpy(float)
    offset, window = _parse_offset(args.offset), _parse_window(args.window)
    if window == "auto" and (losses.ndim == 1 or losses.shape[0] < 2):
        raise InputError("--window auto needs per-point errors: give a --seed column with at least 2 seeds")
    fit = fit_power_law(n, losses, offset=offset, window=window, level=args.level)
    slopes = local_slope(n, losses, offset=fit.offset if fit.offset_mode != "none" else 0.0, n_boot=0)
    result = {
        "law": "L = L_inf + c n^-alpha", "runs": int(np.size(losses)), "sizes": int(n.size),
        "seeds": fit.seeds, "alpha": fit.alpha, "alpha_interval": fit.interval, "interval_method": fit.ci,
        "level": fit.level, "amplitude": fit.amplitude, "offset": fit.offset, "offset_mode": fit.offset_mode,
        "offset_interval": fit.offset_interval, "window": fit.window, "chi2_dof": fit.chi2_dof,
        "p_value": fit.p_value, "local_slopes": {"n": slopes.n.tolist(), "alpha": slopes.alpha.tolist()},
    }
    return result, fit


def _two_resource(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    from .measurement.two_resource import fit_two_resource

    table = _read(args.file, [args.size, args.size2, args.loss])
    _positive(table, args.file, [args.size, args.size2, args.loss])
    fit = fit_two_resource(table[args.size], table[args.size2], table[args.loss], delta=args.delta,
                           n_boot=args.n_boot, level=args.level)
    result = {"law": "L = E + A N^-alpha + B D^-beta", "runs": fit.n_runs, **fit.params,
              "intervals": fit.intervals, "a": fit.a, "a_interval": fit.a_interval, "b": fit.b,
              "b_interval": fit.b_interval, "level": fit.level, "n_boot": fit.n_boot, "huber_delta": fit.delta,
              "rms_log_residual": float(np.sqrt(np.mean(fit.residuals**2)))}
    return result, (fit, table)


def _fmt_interval(interval: Any) -> str:
    return "" if not interval else f" [{interval[0]:.4g}, {interval[1]:.4g}]"


def _report(result: dict[str, Any]) -> str:
    lines = [f"law: {result['law']}  ({result['runs']} runs)"]
    if "alpha_interval" in result:
        ci = ("no interval (a single curve: give --seed for one)" if result["alpha_interval"] is None else
              f"{100 * result['level']:.0f}% {result['interval_method']} interval over {result['seeds']} seeds")
        lines += [f"alpha = {result['alpha']:.4g}{_fmt_interval(result['alpha_interval'])}  ({ci})",
                  f"L_inf = {result['offset']:.4g}{_fmt_interval(result['offset_interval'])}  "
                  f"(offset: {result['offset_mode']})",
                  f"c = {result['amplitude']:.4g}",
                  f"window: n in [{result['window'][0]:.4g}, {result['window'][1]:.4g}]",
                  f"chi2/dof = {result['chi2_dof']:.3g}, p = {result['p_value']:.3g}",
                  "local slopes (alpha_loc at n): " + ", ".join(
                      f"{a:.3g}@{n:.3g}" for n, a in zip(result["local_slopes"]["n"], result["local_slopes"]["alpha"],
                                                         strict=True))]
    else:
        for name in ("E", "A", "B", "alpha", "beta"):
            lines.append(f"{name} = {result[name]:.4g}{_fmt_interval(result['intervals'].get(name))}")
        lines += [f"compute-optimal N_opt ∝ C^a: a = {result['a']:.4g}{_fmt_interval(result['a_interval'])}",
                  f"compute-optimal D_opt ∝ C^b: b = {result['b']:.4g}{_fmt_interval(result['b_interval'])}",
                  f"rms log residual = {result['rms_log_residual']:.3g} (Huber delta {result['huber_delta']:g}; "
                  f"{result['n_boot']} bootstrap replicates over runs)"]
    return "\n".join(lines)


def _plot(args: argparse.Namespace, fitted: Any, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from .book import plotting

    if args.size2 is None:
        fit = fitted
        fig, (ax, res) = plotting.new_figure(1, 2, width=5.0, height=2.4, loglog=False,
                                             gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
        ax.set_yscale("log")
        res.set_xscale("log")
        plotting.plot_measured(ax, fit.n, fit.mean, fit.stderr if fit.seeds > 1 else None, label="data")
        plotting.plot_fit(ax, fit)
        ax.set(ylabel=f"loss ({args.loss})")
        ax.legend()
        res.axhline(0, color="0.5", lw=0.8)
        res.plot(fit.n[fit.in_window], fit.residuals if fit.seeds > 1 else
                 fit.mean[fit.in_window] / fit.predict(fit.n[fit.in_window]) - 1, "o", ms=3)
        res.set(xlabel=f"size ({args.size})", ylabel="resid./σ" if fit.seeds > 1 else "rel. resid.")
    else:
        fit, table = fitted
        fig, (ax, res) = plotting.new_figure(2, width=3.2, height=3.0, loglog=False)
        pred = fit.predict(table[args.size], table[args.size2])
        ax.loglog(pred, table[args.loss], "o", ms=3, alpha=0.7)
        lims = [min(pred.min(), table[args.loss].min()), max(pred.max(), table[args.loss].max())]
        ax.plot(lims, lims, "-", color="0.3", lw=1)
        ax.set(xlabel="fitted loss", ylabel="observed loss", title="fit")
        res.semilogx(table[args.size], fit.residuals, "o", ms=3, alpha=0.7)
        res.axhline(0, color="0.5", lw=0.8)
        res.set(xlabel=f"{args.size}", ylabel="log residual", title="residuals")
    fig.savefig(path)
    plotting.plt.close(fig)             # a command writes its figure once; pyplot must not keep it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scaling-fit", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Exit status: 0 on success, 2 on a bad file or option.")
    parser.add_argument("file", help="CSV file with one row per run")
    parser.add_argument("--size", required=True, help="column of the resource (sizes n, or parameters N)")
    parser.add_argument("--loss", required=True, help="column of the loss (positive)")
    parser.add_argument("--seed", help="column of the seed: rows with the same seed form one learning curve")
    parser.add_argument("--size2", help="column of a second resource (e.g. tokens D): fit the two-resource law")
    parser.add_argument("--offset", default="fit", help="one resource: 'fit' (default), 'none', or a known L_inf")
    parser.add_argument("--window", default="all",
                        help="one resource: 'all' (default), 'auto' (the book's window rule; needs seeds), or LO:HI")
    parser.add_argument("--level", type=float, default=0.95, help="confidence level of the intervals (0.95)")
    parser.add_argument("--delta", type=float, default=1e-3, help="two resources: Huber threshold on log loss")
    parser.add_argument("--n-boot", type=int, default=400, help="two resources: bootstrap replicates over runs")
    parser.add_argument("--plot", metavar="OUT.png", help="write a figure of the data, the fit and its residuals")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``scaling-fit``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.size2 is not None and (args.seed or args.offset != "fit" or args.window != "all"):
            raise InputError("--seed, --offset and --window apply to one resource; drop them with --size2")
        result, fitted = (_two_resource if args.size2 else _one_resource)(args)
        if args.plot:
            _plot(args, fitted, args.plot)
    except (InputError, ValueError, RuntimeError) as exc:
        print(f"scaling-fit: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1) if args.json else _report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
