#!/usr/bin/env python3
"""Turn a qcm result (qcm-result/1 JSON, docs/spec.md) into a figure.

Three kinds of plot, chosen by the options:

line (default)
    a result column against one swept parameter, one curve per value of
    another (colour) and optionally of a third (line style):

        qcm_plot.py fig1a.json -o fig1a.png --x coupling.yy --y beta_eff \\
            --curves ancilla.beta --divide-by ancilla.beta

heat map (--heatmap)
    a result column over two swept parameters:

        qcm_plot.py fig3a.json -o fig3a.png --heatmap \\
            --x coupling.alpha --y coupling.gamma --z ergotropy

time series (--series COLUMN)
    a column of the result's "series" against t, one curve per row, with a
    second series column (the cumulative value) as an inset:

        qcm_plot.py fig1bcd.json -o fig1b.png --series work_rate --inset work \\
            --curves coupling.yy

Paths (--x, --curves, --styles, --divide-by, --where) name swept columns; a
path that is not swept is looked up in the spec ("ancilla.beta" of a spec
that fixes beta). The output format follows the extension of -o (.png, .pdf,
.svg, ...). Null values (undefined, see the result's "undefined" list) and
infinite values ("inf", "-inf") are skipped. Curves of the inverse
temperature run from dark red (hot, small beta) to light blue (cold, large
beta), as in the paper.

Needs python3 with numpy and matplotlib (Debian: python3-numpy,
python3-matplotlib; scripts/setup-deps.sh installs them with QCM_WITH_PLOTS=1).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from fractions import Fraction

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: E402
    import numpy as np  # noqa: E402
    from matplotlib.colors import LinearSegmentedColormap, LogNorm  # noqa: E402
except ImportError as missing:
    sys.exit(
        f"qcm_plot: this python ({sys.executable}) lacks {missing.name or missing}; "
        "qcm_plot needs numpy and matplotlib. Install them with "
        "QCM_WITH_PLOTS=1 scripts/setup-deps.sh (Debian's python3-numpy and "
        "python3-matplotlib, then run with /usr/bin/python3) or pip install numpy matplotlib."
    )

# ---------------------------------------------------------------------------
# Symbols and units (mathtext without the surrounding $). Units: hbar = k_B = 1
# and omega = omega_S = omega_A, so energies are in units of omega, times in
# 1/omega, inverse temperatures in 1/omega.

COLUMN_SYMBOLS = {
    "bloch_x": (r"\langle\sigma_x\rangle", ""),
    "bloch_y": (r"\langle\sigma_y\rangle", ""),
    "bloch_z": (r"\langle\sigma_z\rangle", ""),
    "beta_eff": (r"\beta_{\rm eff}", r"1/\omega"),
    "coherence_l1": (r"\mathcal{C}_{l_1}", ""),
    "ergotropy": (r"\mathcal{E}", r"\omega"),
    "work": (r"W", r"\omega"),
    "heat": (r"Q", r"\omega"),
    "delta_energy": (r"\Delta E", r"\omega"),
    "delta_entropy": (r"\Delta S", ""),
    "entropy_production": (r"\Sigma", ""),
    "work_rate": (r"\dot{W}", r"\omega^2"),
    "heat_rate": (r"\dot{Q}", r"\omega^2"),
    "entropy_production_rate": (r"\dot{\Sigma}", r"\omega"),
    "dimension": (r"\dim\,\ker", ""),
    "relaxation_collisions": (r"\tau_{\rm relax}/\delta t", ""),
    "mutual_information": (r"I(S\!:\!A)", ""),
    # general form
    "energy": (r"E", r"\omega"),
    "purity": (r"{\rm Tr}\,\rho^2", ""),
    "entropy": (r"S(\rho)", ""),
    "populations": (r"p", ""),
    "ancilla_relative_entropy": (r"D(\rho_A'\,\|\,\rho_A)", ""),
    # series-only columns
    "k": (r"k", ""),
    "t": (r"t", r"1/\omega"),
}

GROUP_NOTES = {"stationary": "fixed point", "gksl": r"$\delta t \to 0$"}

PATH_SYMBOLS = {
    "system.omega": (r"\omega_S", ""),
    "ancilla.omega": (r"\omega_A", ""),
    "ancilla.beta": (r"\beta", r"1/\omega"),
    "coupling.alpha": (r"\alpha", "rad"),
    "coupling.gamma": (r"\gamma", "rad"),
    "coupling.strength": (r"s", ""),
    "coupling.perpendicular": (r"p", ""),
    "dt": (r"\delta t", r"1/\omega"),
    "collisions": (r"n", ""),
    "initial_state": (r"\rho_0", ""),
}
for _l in "xyz":
    for _m in "xyz":
        PATH_SYMBOLS[f"coupling.{_l}{_m}"] = (rf"J_{{{_l}{_m}}}", "")

ANGLE_PATHS = {"coupling.alpha", "coupling.gamma"}

SPEC_DEFAULTS = {
    "system.omega": 1.0,
    "ancilla.omega": 1.0,
    "ancilla.beta": 1.0,
    "dt": 0.05,
    "collisions": 1000,
    "initial_state": "ground",
}

PAPER_LINESTYLES = ["-", "--", ":", "-."]


def die(message: str) -> None:
    print(f"qcm_plot: {message}", file=sys.stderr)
    sys.exit(2)


def warn(message: str) -> None:
    print(f"qcm_plot: warning: {message}", file=sys.stderr)


def to_float(value) -> float:
    """A result cell as a float: null -> nan, "inf"/"+inf"/"-inf" -> +-inf."""
    if value is None:
        return math.nan
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("inf", "+inf", "infinity"):
            return math.inf
        if text in ("-inf", "-infinity"):
            return -math.inf
        try:
            return float(text)
        except ValueError:
            return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return math.nan


def finite_or_nan(values: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=float)
    out[~np.isfinite(out)] = np.nan
    return out


ELEMENT = re.compile(r"(.+)\[(-?\d+)\]")


def split_element(name: str, columns: list[str]) -> tuple[str, int | None]:
    """("populations", 2) for "populations[2]" when populations is an array
    column ([-1] is its last element: the top level); (name, None) otherwise."""
    m = ELEMENT.fullmatch(name)
    if name not in columns and m and m.group(1) in columns:
        return m.group(1), int(m.group(2))
    return name, None


def element_of(cell, element: int | None) -> float:
    if element is None:
        return to_float(cell)
    if not isinstance(cell, list) or not -len(cell) <= element < len(cell):
        return math.nan
    return to_float(cell[element])


def symbol_of(name: str) -> tuple[str, str, str]:
    """(mathtext symbol, unit, note) of a result column or a swept path."""
    m = ELEMENT.fullmatch(name)
    if m and m.group(1).rpartition(".")[2] == "populations":
        sym, unit, note = symbol_of(m.group(1))
        index = m.group(2)
        sub = r"{\rm top}" if index == "-1" else index
        return f"{sym}_{{{sub}}}", unit, note
    if name in PATH_SYMBOLS:
        sym, unit = PATH_SYMBOLS[name]
        return sym, unit, ""
    group, _, base = name.rpartition(".")
    if base in COLUMN_SYMBOLS:
        sym, unit = COLUMN_SYMBOLS[base]
        return sym, unit, GROUP_NOTES.get(group, group)
    return r"\mathrm{" + name.replace("_", r"\_") + "}", "", ""


def axis_label(name: str, divide_by: str | None = None, override: str | None = None) -> str:
    if override:
        return override
    sym, unit, note = symbol_of(name)
    if divide_by:
        dsym, dunit, _ = symbol_of(divide_by)
        sym = f"{sym}/{dsym}"
        if unit == dunit:
            unit = ""
        elif dunit:
            unit = f"({unit or '1'})/({dunit})"
    label = f"${sym}$"
    if note:
        label += f" ({note})"
    if unit:
        label += f"  [${unit}$]" if unit != "rad" else "  [rad]"
    return label


def pi_fraction(x: float, max_den: int = 16) -> str | None:
    """'3\\pi/8' when x is a small rational multiple of pi, else None."""
    if x == 0:
        return "0"
    frac = Fraction(x / math.pi).limit_denominator(max_den)
    if abs(float(frac) * math.pi - x) > 1e-9 * max(1.0, abs(x)):
        return None
    num, den = frac.numerator, frac.denominator
    sign = "-" if num < 0 else ""
    num = abs(num)
    head = r"\pi" if num == 1 else rf"{num}\pi"
    return sign + (head if den == 1 else rf"{head}/{den}")


def format_number(x: float, path: str = "") -> str:
    if path in ANGLE_PATHS:
        frac = pi_fraction(x)
        if frac is not None:
            return frac
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    frac = Fraction(x).limit_denominator(16)
    if x != round(x) and abs(float(frac) - x) < 1e-12 and frac.denominator <= 16:
        sign = "-" if frac < 0 else ""
        return rf"{sign}{abs(frac.numerator)}/{frac.denominator}"
    return f"{x:g}"


STATE_NAMES = {"excited": r"|e\rangle", "ground": r"|g\rangle", "mixed": r"\mathbb{1}/2"}


def format_value(value, path: str) -> str:
    """Mathtext (without $) of a swept value as written."""
    if isinstance(value, str) and value in STATE_NAMES:
        return STATE_NAMES[value]
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        x = to_float(value)
        if not math.isnan(x):
            return format_number(x, path)
    if isinstance(value, dict) and "bloch" in value:
        return r"\vec r_0=(" + ",".join(f"{to_float(v):.3g}" for v in value["bloch"]) + ")"
    if isinstance(value, dict) and "ket" in value:
        ket = value["ket"]
        ce, cg = ket.get("excited", [0, 0]), ket.get("ground", [0, 0])
        return rf"{to_float(ce[0]):.3g}|e\rangle{to_float(cg[0]):+.3g}|g\rangle"
    return json.dumps(value).replace("$", "")


def curve_label(path: str, value, template: str | None) -> str:
    text = format_value(value, path)
    if template:
        return template.replace("{}", text)
    sym, _, _ = symbol_of(path)
    return f"${sym} = {text}$"


def temperature_colours(betas: list[float]) -> dict[float, tuple]:
    """Dark red for the hottest (smallest beta) to light blue for the coldest."""
    cmap = LinearSegmentedColormap.from_list(
        "qcm_hot_cold", ["#7f0000", "#c0392b", "#9b59b6", "#5dade2", "#aed6f1"]
    )
    finite = sorted(b for b in betas if math.isfinite(b))
    # With beta = +-inf present, the finite values keep away from the ends.
    lo, hi = (0.12, 0.88) if len(finite) < len(set(betas)) else (0.0, 1.0)
    colours = {}
    for b in betas:
        if not math.isfinite(b):
            colours[b] = cmap(1.0 if b > 0 else 0.0)
        elif len(finite) == 1:
            colours[b] = cmap(lo)
        else:
            colours[b] = cmap(lo + (hi - lo) * (b - finite[0]) / (finite[-1] - finite[0]))
    return colours


# ---------------------------------------------------------------------------


class Result:
    """A qcm-result/1 document with helpers to look values up by name."""

    def __init__(self, path: str):
        try:
            with open(path, encoding="utf-8") as f:
                self.doc = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            die(f"{path}: {e}")
        for key in ("columns", "rows"):
            if key not in self.doc:
                die(f"{path}: not a qcm result (no '{key}')")
        self.columns: list[str] = self.doc["columns"]
        self.rows: list[list] = self.doc["rows"]
        self.spec = self.doc.get("spec") or {}
        self.swept = self._swept_paths()
        self.series = self.doc.get("series")

    def _swept_paths(self) -> list[str]:
        sweep = self.spec.get("sweep") or {}
        paths = []
        for kind in ("grid", "zip"):
            paths += list((sweep.get(kind) or {}).keys())
        if paths:
            return [p for p in paths if p in self.columns]
        # Without the spec: the columns before the first result column.
        out = []
        for c in self.columns:
            if c in ("bloch_x", "energy") or "." in c and c.split(".")[0] in ("stationary", "gksl"):
                break
            out.append(c)
        return out

    def column(self, name: str) -> np.ndarray:
        """A column's values; an array column's element as "populations[2]"."""
        base, element = split_element(name, self.columns)
        if base not in self.columns:
            die(f"no column '{name}' in the result (columns: {', '.join(self.columns)}; "
                "an element of an array column is written populations[i], [-1] the last)")
        i = self.columns.index(base)
        return np.array([element_of(r[i], element) for r in self.rows], dtype=float)

    def raw(self, name: str) -> list:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]

    def spec_value(self, path: str):
        node = self.spec
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                node = None
                break
            node = node[part]
        if node is None:
            if path.startswith("coupling.") and len(path) == len("coupling.xx"):
                return 0.0
            if path in SPEC_DEFAULTS:
                return SPEC_DEFAULTS[path]
            die(f"'{path}' is neither a swept column nor set in the spec")
        return node

    def values_of(self, path: str) -> list:
        """Per-row values (as written) of a swept path or of a spec field."""
        if path in self.columns:
            return self.raw(path)
        return [self.spec_value(path)] * len(self.rows)

    def numbers_of(self, path: str) -> np.ndarray:
        return np.array([to_float(v) for v in self.values_of(path)], dtype=float)


def key_of(value) -> str:
    return json.dumps(value, sort_keys=True)


def distinct(values: list) -> list:
    seen, out = set(), []
    for v in values:
        k = key_of(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def parse_where(result: Result, clauses: list[str]) -> np.ndarray:
    """Row mask of --where PATH=VALUE clauses (numbers compared to 1e-9)."""
    mask = np.ones(len(result.rows), dtype=bool)
    for clause in clauses:
        if "=" not in clause:
            die(f"--where {clause!r}: expected PATH=VALUE")
        path, text = clause.split("=", 1)
        values = result.values_of(path)
        try:
            target = json.loads(text)
        except json.JSONDecodeError:
            target = text
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            nums = np.array([to_float(v) for v in values])
            mask &= np.isclose(nums, float(target), rtol=1e-9, atol=1e-12)
        else:
            mask &= np.array([key_of(v) == key_of(target) for v in values])
        if not mask.any():
            die(f"--where {clause}: no row matches")
    return mask


def restrict_other_axes(result: Result, mask: np.ndarray, used: list[str]) -> np.ndarray:
    """Keep one value of every swept path the plot does not show (with a warning)."""
    for path in result.swept:
        if path in used:
            continue
        values = [v for v, m in zip(result.values_of(path), mask) if m]
        kinds = distinct(values)
        if len(kinds) > 1:
            warn(
                f"'{path}' is swept but not plotted; showing {path}={json.dumps(kinds[0])} "
                f"(choose with --where {path}=VALUE)"
            )
            first = key_of(kinds[0])
            mask &= np.array([key_of(v) == first for v in result.values_of(path)])
    return mask


def parse_pair(text: str | None, what: str) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(eval_number(t)) for t in text.split(","))
    except ValueError:
        die(f"{what} {text!r}: expected LO,HI")
    return lo, hi


def eval_number(text: str) -> float:
    """A number, allowing 'pi' ('pi/4', '0.45*pi', '-pi/2')."""
    t = text.strip().replace("π", "pi")
    if not t:
        raise ValueError(text)
    try:
        return float(t)
    except ValueError:
        pass
    allowed = set("0123456789.+-*/() epi")
    if not set(t) <= allowed:
        raise ValueError(text)
    return float(eval(t, {"__builtins__": {}}, {"pi": math.pi}))  # noqa: S307


def set_angle_ticks(axis, lo: float, hi: float) -> None:
    """Ticks at multiples of pi/8 (or pi/4 over wide ranges), labelled as fractions of pi."""
    span = hi - lo
    step = math.pi / 8 if span <= math.pi / 2 + 1e-9 else math.pi / 4
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    ticks = [k * step for k in range(first, last + 1)]
    axis.set_ticks(ticks)
    axis.set_ticklabels([f"${pi_fraction(t)}$" for t in ticks])


def decorate(ax, args, xpath: str | None, ypath: str | None = None) -> None:
    for text in args.vline or []:
        value, _, label = text.partition(":")
        ax.axvline(eval_number(value), color="0.35", ls="--", lw=1.0, label=label or None)
    for text in args.hline or []:
        value, _, label = text.partition(":")
        ax.axhline(eval_number(value), color="0.35", ls=":", lw=0.9, label=label or None)
    if args.xlog:
        ax.set_xscale("log")
    if args.ylog:
        ax.set_yscale("log")
    if args.xlim:
        ax.set_xlim(*parse_pair(args.xlim, "--xlim"))
    if args.ylim:
        ax.set_ylim(*parse_pair(args.ylim, "--ylim"))
    if xpath in ANGLE_PATHS and not args.no_pi_ticks:
        lo, hi = ax.get_xlim()
        set_angle_ticks(ax.xaxis, lo, hi)
        ax.set_xlim(lo, hi)
    if ypath in ANGLE_PATHS and not args.no_pi_ticks:
        lo, hi = ax.get_ylim()
        set_angle_ticks(ax.yaxis, lo, hi)
        ax.set_ylim(lo, hi)
    if args.title:
        ax.set_title(args.title)
    if args.panel:
        ax.set_title(args.panel, loc="left", fontsize=12, fontweight="bold")


# ---------------------------------------------------------------------------


def plot_lines(result: Result, args, fig, ax) -> None:
    swept = result.swept
    x = args.x or (swept[-1] if swept else None)
    if x is None:
        die("nothing is swept: use --series for a time series, or sweep a parameter")
    curves = args.curves
    if curves is None:
        others = [p for p in swept if p != x and p != args.styles]
        curves = others[0] if others else None
    y = args.y or "beta_eff"

    mask = parse_where(result, args.where or [])
    mask = restrict_other_axes(result, mask, [x, curves, args.styles])

    xs = result.numbers_of(x)
    if args.x_divide_by:
        xs = xs / result.numbers_of(args.x_divide_by)
    ys = result.column(y)
    compare = result.column(args.compare) if args.compare else None
    if args.divide_by:
        divisor = result.numbers_of(args.divide_by)
        with np.errstate(divide="ignore", invalid="ignore"):
            ys = ys / divisor
            if compare is not None:
                compare = compare / divisor

    curve_values = distinct([v for v, m in zip(result.values_of(curves), mask) if m]) if curves \
        else [None]
    style_values = distinct([v for v, m in zip(result.values_of(args.styles), mask) if m]) \
        if args.styles else [None]

    if curves == "ancilla.beta":
        colours = temperature_colours([to_float(v) for v in curve_values])
        colour_of = lambda v: colours[to_float(v)]  # noqa: E731
    else:
        palette = args.colors.split(",") if args.colors else \
            plt.rcParams["axes.prop_cycle"].by_key()["color"]
        colour_of = lambda v: palette[  # noqa: E731
            [key_of(c) for c in curve_values].index(key_of(v)) % len(palette)]
    styles = args.linestyles.split(",") if args.linestyles else PAPER_LINESTYLES

    curve_keys = result.values_of(curves) if curves else [None] * len(result.rows)
    style_keys = result.values_of(args.styles) if args.styles else [None] * len(result.rows)
    order_curves = curve_values[::-1] if args.reverse_legend else curve_values
    for si, sv in enumerate(style_values):
        for cv in order_curves:
            sel = mask & np.array([key_of(c) == key_of(cv) for c in curve_keys]) \
                & np.array([key_of(s) == key_of(sv) for s in style_keys])
            if not sel.any():
                continue
            order = np.argsort(xs[sel], kind="stable")
            xv, yv = xs[sel][order], finite_or_nan(ys[sel][order])
            label = curve_label(curves, cv, args.curve_label) if curves else None
            if args.styles and len(style_values) > 1:
                if curves and len(curve_values) > 1:
                    # one legend entry per colour; the styles are listed below
                    label = label if si == 0 else None
                else:
                    label = curve_label(args.styles, sv, args.style_label)
            ax.plot(xv, yv, color=colour_of(cv) if curves else "k",
                    ls=styles[si % len(styles)] if args.styles else "-",
                    lw=1.6, label=label)
            if compare is not None:
                ax.plot(xv, finite_or_nan(compare[sel][order]), color=colour_of(cv) if curves
                        else "k", ls=(0, (2, 2)), lw=0.9, alpha=0.8)
    if args.styles and len(style_values) > 1 and curves and len(curve_values) > 1:
        for si, sv in enumerate(style_values):
            ax.plot([], [], color="0.3", ls=styles[si % len(styles)],
                    label=curve_label(args.styles, sv, args.style_label))
    if compare is not None:
        ax.plot([], [], color="0.3", ls=(0, (2, 2)), lw=0.9,
                label=args.compare_label or axis_label(args.compare, args.divide_by))
    ax.set_xlabel(axis_label(x, args.x_divide_by, args.xlabel))
    ax.set_ylabel(axis_label(y, args.divide_by, args.ylabel))
    ax.grid(True, lw=0.3, alpha=0.5)
    decorate(ax, args, None if args.x_divide_by else x)
    if curves or args.styles or compare is not None:
        ax.legend(fontsize=8, loc=args.legend_loc, frameon=False)


def plot_heatmap(result: Result, args, fig, ax) -> None:
    swept = [p for p in result.swept if p != "initial_state"]
    if len(swept) < 2 and not (args.x and args.y):
        die("--heatmap needs two swept numeric parameters")
    x = args.x or swept[-1]
    y = args.y or next(p for p in swept if p != x)
    z = args.z or "ergotropy"
    mask = parse_where(result, args.where or [])
    mask = restrict_other_axes(result, mask, [x, y])
    xs, ys, zs = result.numbers_of(x)[mask], result.numbers_of(y)[mask], result.column(z)[mask]
    ux, uy = np.unique(xs), np.unique(ys)
    grid = np.full((len(uy), len(ux)), np.nan)
    grid[np.searchsorted(uy, ys), np.searchsorted(ux, xs)] = finite_or_nan(zs)
    values = np.ma.masked_invalid(grid)
    norm = None
    if args.zlog:
        values = np.ma.masked_less_equal(values, 0)
        norm = LogNorm()
    mesh = ax.pcolormesh(ux, uy, values, shading="nearest", cmap=args.cmap, norm=norm,
                         rasterized=True)
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(args.zlabel or axis_label(z))
    for text in args.contour or []:
        col, _, rest = text.partition("=")
        level, _, label = rest.partition(":")
        cz = result.column(col)[mask]
        cgrid = np.full((len(uy), len(ux)), np.nan)
        cgrid[np.searchsorted(uy, ys), np.searchsorted(ux, xs)] = finite_or_nan(cz)
        ax.contour(ux, uy, np.ma.masked_invalid(cgrid), levels=[eval_number(level)],
                   colors=args.contour_color, linewidths=1.3, linestyles="-.")
        if label:
            ax.plot([], [], color=args.contour_color, lw=1.3, ls="-.", label=label)
    for text in args.mark or []:
        parts = text.split(":", 1)
        px, py = (eval_number(v) for v in parts[0].split(","))
        ax.plot([px], [py], marker="*", ms=12, color="white", mec="black", ls="none",
                label=parts[1] if len(parts) > 1 else None, clip_on=False, zorder=5)
    ax.set_xlabel(axis_label(x, None, args.xlabel))
    ax.set_ylabel(axis_label(y, None, args.ylabel))
    decorate(ax, args, x, y)
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(fontsize=8, loc=args.legend_loc, framealpha=0.8)


def plot_series(result: Result, args, fig, ax) -> None:
    series = result.series
    if not series:
        die("the result has no series (add \"series\": {\"every\": k} to the spec)")
    scols = series["columns"]
    ycol = args.series
    for c in [ycol, args.inset, args.series_x]:
        if c and split_element(c, scols)[0] not in scols:
            die(f"no series column '{c}' (series columns: {', '.join(scols)})")
    mask = parse_where(result, args.where or [])
    curves = args.curves or (result.swept[0] if result.swept else None)
    mask = restrict_other_axes(result, mask, [curves])
    rows = [i for i in range(len(result.rows)) if mask[i]]
    cvals = result.values_of(curves) if curves else [None] * len(result.rows)
    styles = args.linestyles.split(",") if args.linestyles else PAPER_LINESTYLES
    palette = args.colors.split(",") if args.colors else \
        ["#1b1b1b", "#b2182b", "#2166ac", "#1a9850", "#e08214", "#762a83"]
    if curves == "ancilla.beta" and not args.colors:
        tc = temperature_colours([to_float(cvals[i]) for i in rows])
        colour = lambda n, i: tc[to_float(cvals[i])]  # noqa: E731
    else:
        colour = lambda n, i: palette[n % len(palette)]  # noqa: E731
    def position(name: str) -> tuple[int, int | None]:
        base, element = split_element(name, scols)
        return scols.index(base), element

    ix, iy = position(args.series_x), position(ycol)
    inset = None
    if args.inset:
        bounds = [float(v) for v in args.inset_bounds.split(",")]
        inset = ax.inset_axes(bounds)
        ii = position(args.inset)
    for n, i in enumerate(rows):
        samples = series["rows"][i] or []
        if not samples:
            continue
        def values(at: tuple[int, int | None]) -> np.ndarray:
            return np.array([element_of(s[at[0]], at[1]) for s in samples], dtype=float)

        label = curve_label(curves, cvals[i], args.curve_label) if curves else None
        kw = dict(color=colour(n, i), ls=styles[n % len(styles)], lw=1.5)
        ax.plot(values(ix), finite_or_nan(values(iy)), label=label, **kw)
        if inset is not None:
            inset.plot(values(ix), finite_or_nan(values(ii)), **{**kw, "lw": 1.1})
    ax.set_xlabel(axis_label(args.series_x, None, args.xlabel))
    ax.set_ylabel(axis_label(ycol, None, args.ylabel))
    ax.grid(True, lw=0.3, alpha=0.5)
    if inset is not None:
        sym, unit, _ = symbol_of(args.inset)
        inset.set_title(f"${sym}$" + (f" [${unit}$]" if unit else ""), fontsize=8, pad=2)
        inset.tick_params(labelsize=7)
        inset.set_xlabel(f"${symbol_of(args.series_x)[0]}$", fontsize=7, labelpad=0)
        inset.grid(True, lw=0.3, alpha=0.5)
        if args.inset_ylim:
            inset.set_ylim(*parse_pair(args.inset_ylim, "--inset-ylim"))
    decorate(ax, args, None)
    if curves:
        ax.legend(fontsize=8, loc=args.legend_loc, frameon=False)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (head of this file) for examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("result", help="qcm result JSON (qcm run ... -o RESULT.json)")
    p.add_argument("-o", "--output", required=True,
                   help="figure file; the format follows the extension (.png, .pdf, .svg)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--heatmap", action="store_true",
                      help="colour map of --z over two swept parameters --x and --y")
    mode.add_argument("--series", metavar="COLUMN",
                      help="time series of this series column (work_rate, heat_rate, "
                           "entropy_production_rate, work, heat, bloch_z, ...)")
    p.add_argument("--x", help="swept path on the x axis (default: the last, fastest axis)")
    p.add_argument("--y", help="line: result column on the y axis (default beta_eff); "
                              "heat map: swept path on the y axis")
    p.add_argument("--z", help="heat map: result column shown in colour (default ergotropy)")
    p.add_argument("--curves", help="swept path: one curve (colour) per value")
    p.add_argument("--styles", help="swept path: one line style per value")
    p.add_argument("--divide-by", metavar="PATH",
                   help="divide the y values by this swept path or spec field "
                        "(--divide-by ancilla.beta gives beta_eff/beta)")
    p.add_argument("--x-divide-by", metavar="PATH",
                   help="divide the x values by this path or spec field (e.g. coupling.xx)")
    p.add_argument("--compare", metavar="COLUMN",
                   help="line: also draw this column thin and dashed (e.g. gksl.beta_eff)")
    p.add_argument("--compare-label", help="legend text of --compare")
    p.add_argument("--where", action="append", metavar="PATH=VALUE",
                   help="keep only rows where a swept path has this value (repeatable)")
    p.add_argument("--inset", metavar="COLUMN",
                   help="series: series column drawn in an inset (e.g. the cumulative work)")
    p.add_argument("--inset-bounds", default="0.50,0.42,0.46,0.50",
                   help="inset position x0,y0,width,height in axes fractions")
    p.add_argument("--inset-ylim", help="inset y range LO,HI")
    p.add_argument("--series-x", default="t", help="series column on the x axis (t or k)")
    p.add_argument("--contour", action="append", metavar="COLUMN=LEVEL[:LABEL]",
                   help="heat map: draw the contour of a column at a level (repeatable)")
    p.add_argument("--contour-color", default="#ff7f0e", help="colour of --contour lines")
    p.add_argument("--mark", action="append", metavar="X,Y[:LABEL]",
                   help="heat map: mark a point (repeatable)")
    p.add_argument("--vline", action="append", metavar="X[:LABEL]",
                   help="dashed vertical line, e.g. pi/4 (repeatable)")
    p.add_argument("--hline", action="append", metavar="Y[:LABEL]",
                   help="dotted horizontal line (repeatable)")
    p.add_argument("--xlog", action="store_true", help="logarithmic x axis")
    p.add_argument("--ylog", action="store_true", help="logarithmic y axis")
    p.add_argument("--zlog", action="store_true", help="heat map: logarithmic colour scale")
    p.add_argument("--xlim", metavar="LO,HI")
    p.add_argument("--ylim", metavar="LO,HI")
    p.add_argument("--xlabel")
    p.add_argument("--ylabel")
    p.add_argument("--zlabel")
    p.add_argument("--title")
    p.add_argument("--panel", help="panel letter drawn in the corner, e.g. '(a)'")
    p.add_argument("--curve-label", metavar="TEMPLATE",
                   help="legend template for curve values; {} is the value, e.g. "
                        "'$J_{yy}/J_{xx} = {}$'")
    p.add_argument("--style-label", metavar="TEMPLATE", help="legend template for style values")
    p.add_argument("--linestyles", help="comma-separated matplotlib line styles, in the "
                                        "order of the curves (series) or styles (line)")
    p.add_argument("--colors", help="comma-separated colours for curves")
    p.add_argument("--cmap", default="viridis", help="heat-map colour map (default viridis)")
    p.add_argument("--legend-loc", default="best")
    p.add_argument("--reverse-legend", action="store_true", help="list curves in reverse order")
    p.add_argument("--no-pi-ticks", action="store_true",
                   help="plain radian ticks for alpha and gamma axes")
    p.add_argument("--size", default="5.2,3.8", help="figure size W,H in inches")
    p.add_argument("--dpi", type=int, default=160)
    args = p.parse_args(argv)

    result = Result(args.result)
    width, height = (float(v) for v in args.size.split(","))
    fig, ax = plt.subplots(figsize=(width, height), constrained_layout=True)
    if args.heatmap:
        plot_heatmap(result, args, fig, ax)
    elif args.series or (not args.x and not result.swept and result.series):
        args.series = args.series or "work_rate"
        plot_series(result, args, fig, ax)
    else:
        plot_lines(result, args, fig, ax)
    try:
        fig.savefig(args.output, dpi=args.dpi)
    except (OSError, ValueError) as e:
        die(f"{args.output}: {e}")
    plt.close(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
