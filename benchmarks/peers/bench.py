"""qcm side by side with what users would use instead (QuTiP, NumPy/SciPy).

Run through benchmarks/run.sh. Steps:

1. cross-checks (crosscheck.py): peers vs qcm, GKSL limit vs QuTiP; a failure
   makes the whole run exit 1 (after writing the results);
2. the ladder: the same random nine-term sweep (10, 100, 1,000, 10,000 points x
   1,000 collisions) on qcm cpu (closed form; forced stepping), qcm reference,
   qcm cuda when `qcm info` reports a device, and the peers; runs interleaved,
   medians of --repeats; an implementation stops where one run would take more
   than --limit seconds and the larger sizes are extrapolated from its rate at the
   largest size it ran (marked "extrapolated");
3. scaling of qcm cpu: points, collisions, threads, the steady-state-only path;
4. peak resident memory (/usr/bin/time -v) of large sweeps, with and without a
   smaller --max-memory;
5. benchmarks/results/<date>-<host>.json and .md.

qcm's time is the "seconds" of its result (computation only); "write_seconds"
(formatting and writing the result) is reported apart. A peer's time is the
wall time of its simulate() call (building H, U and the collision loop; not
generating the points, importing, or comparing).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import qutip

import common
import crosscheck
import numpy_affine
import numpy_batched
import numpy_loop
import qutip_loop

PEERS = (numpy_affine, numpy_batched, numpy_loop, qutip_loop)
COLUMNS = common.COMPARED + ("entropy_production",)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else math.nan


# ----------------------------------------------------------------------------- implementations

class QcmImpl:
    kind = "qcm"

    def __init__(self, name, label, backend, outputs, series=False, threads=None):
        self.name, self.label, self.backend, self.outputs = name, label, backend, outputs
        self.series, self.threads = series, threads

    def command(self, spec_path):
        env = f"OMP_NUM_THREADS={self.threads} " if self.threads else ""
        spec = "SPEC" + (" (with \"series\": {\"every\": n})" if self.series else "")
        return f"{env}qcm run {spec} -o OUT --backend {self.backend} --outputs {self.outputs} -q"

    def run(self, specs, keep_values):
        spec_path = specs["series" if self.series else "plain"]
        res = common.run_qcm(QCM, spec_path, self.backend, self.outputs, threads=self.threads)
        run = res["run"]
        values = common.qcm_final(res, COLUMNS) if keep_values else None
        return run["seconds"], {"write_seconds": run["write_seconds"], "wall_seconds": res["_wall"],
                                "device": run["device"]}, values


class PeerImpl:
    kind = "peer"

    def __init__(self, module):
        self.module, self.name, self.label = module, module.NAME, module.LABEL

    def command(self, spec_path):
        return f"benchmarks/peers/{self.module.__name__}.py: simulate(points)"

    def run(self, specs, keep_values):
        pts = specs["points"]
        t0 = time.perf_counter()
        values = self.module.simulate(pts)
        seconds = time.perf_counter() - t0
        return seconds, {}, values


def qcm_impls(cuda: bool):
    impls = [
        QcmImpl("qcm_cpu", "qcm cpu, closed form (final only: O(log n) per point)", "cpu", "final"),
        QcmImpl("qcm_cpu_stepping", "qcm cpu, stepping forced (--outputs final,decomposition)",
                "cpu", "final,decomposition"),
        QcmImpl("qcm_cpu_stepping_series", "qcm cpu, stepping forced (series every n: one sample)",
                "cpu", "final", series=True),
        # One thread, like the peers: the per-core comparison, and robust when another
        # process holds one of the cores of a shared machine.
        QcmImpl("qcm_cpu_1thread", "qcm cpu, closed form, 1 thread", "cpu", "final", threads=1),
        QcmImpl("qcm_cpu_stepping_1thread",
                "qcm cpu, stepping forced (--outputs final,decomposition), 1 thread", "cpu",
                "final,decomposition", threads=1),
    ]
    if cuda:
        impls += [
            QcmImpl("qcm_cuda", "qcm cuda, closed form", "cuda", "final"),
            QcmImpl("qcm_cuda_stepping", "qcm cuda, stepping forced (--outputs final,decomposition)",
                    "cuda", "final,decomposition"),
        ]
    impls.append(QcmImpl("qcm_reference", "qcm reference (Eigen, literal, 1 thread)", "reference",
                         "final"))
    return impls


# ----------------------------------------------------------------------------- ladder

def ladder(sizes, collisions, repeats, limit, repeat_below, cuda, workdir):
    impls = qcm_impls(cuda) + [PeerImpl(m) for m in PEERS]
    all_points = common.make_points(max(sizes), collisions, seed=2024)
    rate = {}            # impl -> seconds per point at the largest size it ran
    measured_at = {}     # impl -> that size
    stopped = set()
    rows = []
    for size in sizes:
        pts = common.subset(all_points, size)
        plain = os.path.join(workdir, f"ladder-{size}.json")
        series = os.path.join(workdir, f"ladder-{size}-series.json")
        common.write_spec(common.qcm_spec(pts, f"peer benchmark: {size} random nine-term points"),
                          plain)
        common.write_spec(common.qcm_spec(pts, f"peer benchmark: {size} points, one sample",
                                          series={"every": collisions}), series)
        specs = {"plain": plain, "series": series, "points": pts}
        times = {i.name: [] for i in impls}
        extra = {i.name: [] for i in impls}
        values = {}
        active = []
        for impl in impls:
            if impl.name in rate and rate[impl.name] * size > limit:
                stopped.add(impl.name)
            if impl.name not in stopped:
                active.append(impl)
        for rep in range(repeats):
            for impl in active:
                if rep > 0 and times[impl.name][0] > repeat_below:
                    continue  # one run is long enough to be its own median
                log(f"ladder: {size} points, {impl.name}, repetition {rep + 1}")
                seconds, info, vals = impl.run(specs, keep_values=(rep == 0))
                times[impl.name].append(seconds)
                extra[impl.name].append(info)
                if rep == 0:
                    values[impl.name] = vals
        base = values.get("qcm_cpu")
        for impl in impls:
            steps = size * collisions
            row = {"implementation": impl.name, "label": impl.label, "kind": impl.kind,
                   "points": size, "collisions": collisions,
                   "command": impl.command(plain if not getattr(impl, "series", False)
                                           else series)}
            if impl.name in stopped:
                seconds = rate[impl.name] * size
                row.update({"seconds": seconds, "extrapolated": True,
                            "extrapolated_from_points": measured_at[impl.name],
                            "repetitions": 0})
            else:
                seconds = median(times[impl.name])
                rate[impl.name] = seconds / size
                measured_at[impl.name] = size
                row.update({"seconds": seconds, "extrapolated": False,
                            "repetitions": len(times[impl.name]),
                            "min_seconds": min(times[impl.name]),
                            "all_seconds": times[impl.name]})
                if impl.kind == "qcm":
                    row["write_seconds"] = median([e["write_seconds"] for e in extra[impl.name]])
                    row["wall_seconds"] = median([e["wall_seconds"] for e in extra[impl.name]])
                    row["device"] = extra[impl.name][0]["device"]
                if impl.name != "qcm_cpu" and base is not None:
                    agreement = common.compare(values[impl.name], base, COLUMNS)
                    row["max_deviation_vs_qcm_cpu"] = agreement["max"]
                    row["deviation_by_column"] = agreement["columns"]
            row["points_per_second"] = size / seconds
            row["collision_steps_per_second"] = steps / seconds
            rows.append(row)
        # ratios to qcm cpu (closed form and stepping), same size
        by_name = {r["implementation"]: r for r in rows if r["points"] == size}
        for r in by_name.values():
            for ref in ("qcm_cpu", "qcm_cpu_stepping", "qcm_cpu_stepping_series"):
                if ref in by_name:
                    r[f"{ref}_speedup"] = r["seconds"] / by_name[ref]["seconds"]
    return rows


TARGETS = {"numpy_loop": 1000.0, "qutip": 10000.0, "numpy_batched": 30.0}
REFS = ("qcm_cpu", "qcm_cpu_stepping", "qcm_cpu_stepping_series")


def targets(rows):
    """qcm cpu vs each targeted peer (speed-up = peer time / qcm time = ratio of
    collision-steps/s), on two bases: the same sweep at the largest size the peer
    actually ran, and the largest size of the ladder (peer extrapolated if marked)."""
    out = []
    largest = max(r["points"] for r in rows)
    for peer, goal in TARGETS.items():
        peer_rows = [r for r in rows if r["implementation"] == peer]
        measured = [r for r in peer_rows if not r["extrapolated"]]
        if not measured:
            continue
        bases = [("largest size the peer ran", max(measured, key=lambda r: r["points"]))]
        top = [r for r in peer_rows if r["points"] == largest]
        if top and top[0] is not bases[0][1]:
            bases.append((f"{largest:,} points", top[0]))
        for basis, r in bases:
            entry = {"peer": peer, "target": goal, "basis": basis, "points": r["points"],
                     "collisions": r["collisions"], "peer_extrapolated": r["extrapolated"],
                     "max_deviation_vs_qcm_cpu": r.get("max_deviation_vs_qcm_cpu")}
            for ref in REFS:
                if f"{ref}_speedup" in r:
                    entry[ref] = {"speedup": r[f"{ref}_speedup"],
                                  "met": r[f"{ref}_speedup"] >= goal}
            out.append(entry)
    return out


# ----------------------------------------------------------------------------- scaling

def grid_spec(points, collisions, seed=99, **extra):
    """A grid sweep of `points` (a power of 10 up to 10^6) random nine-term points:
    a fixed random base coupling and up to three axes (beta, J_yy, J_zx). With
    "evolve": false (the steady-state-only path) the three J_lz are zero, so that
    the GKSL limit exists and every gksl column is computed (not null)."""
    rng = np.random.default_rng(seed)
    k = int(round(math.log10(points)))
    assert 10 ** k == points and k <= 6
    sizes = [10 ** min(2, k), 10 ** min(2, max(0, k - 2)), 10 ** max(0, k - 4)]
    axes = {}
    names = ("ancilla.beta", "coupling.yy", "coupling.zx")
    lows = (-5.0, -1.0, -1.0)
    highs = (5.0, 1.0, 1.0)
    for name, size, lo, hi in zip(names, sizes, lows, highs):
        if size > 1:
            axes[name] = [float(v) for v in rng.uniform(lo, hi, size)]
    J = rng.uniform(-1.0, 1.0, (3, 3))
    if extra.get("evolve") is False:
        J[:, 2] = 0.0
    spec = {"description": f"peer benchmark scaling: {points} points, {collisions} collisions",
            "system": {"omega": 1.0}, "ancilla": {"omega": 0.8, "beta": 1.0},
            "coupling": {f"{a}{b}": float(J[l, m]) for l, a in enumerate("xyz")
                         for m, b in enumerate("xyz")},
            "scaling": "ultrastrong", "dt": 0.05, "collisions": int(collisions),
            "initial_state": {"bloch": [0.3, -0.2, 0.5]}}
    spec.update(extra)
    spec["sweep"] = {"grid": axes}
    return spec


def scaling(repeats, repeat_below, workdir, quick=False):
    """(group, label, points, collisions, outputs, evolve, threads) configurations."""
    point_sizes = [10**3, 10**4] if quick else [10**3, 10**4, 10**5, 10**6]
    configs = []
    for p in point_sizes:
        configs.append(("points", "closed form", p, 1000, "final", True, None))
        if p <= (10**4 if quick else 10**5):
            configs.append(("points", "stepping", p, 1000, "final,decomposition", True, None))
    for n in ([100, 1000] if quick else [100, 1000, 10000]):
        configs.append(("collisions", "closed form", 10**4, n, "final", True, None))
        configs.append(("collisions", "stepping", 10**4, n, "final,decomposition", True, None))
    for t in (1, 2):
        configs.append(("threads", "closed form", 10**4, 1000, "final", True, t))
        configs.append(("threads", "stepping", 10**4, 1000, "final,decomposition", True, t))
        configs.append(("threads", "steady state only", 10**5, 1000, "stationary,gksl", False, t))
    for p in ([10**4, 10**5] if quick else [10**4, 10**5, 10**6]):
        configs.append(("steady state", "steady state only", p, 1000, "stationary,gksl", False,
                        None))
    times = {i: [] for i in range(len(configs))}
    infos = {i: [] for i in range(len(configs))}
    paths = {}
    for i, (_, _, p, n, _, evolve, _) in enumerate(configs):
        key = (p, n, evolve)
        if key not in paths:
            path = os.path.join(workdir, f"scaling-{p}-{n}-{int(evolve)}.json")
            extra = {} if evolve else {"evolve": False}
            common.write_spec(grid_spec(p, n, **extra), path)
            paths[key] = path
    out_path = os.path.join(workdir, "scaling-out.json")
    for rep in range(repeats):
        for i, (group, label, p, n, outputs, evolve, threads) in enumerate(configs):
            if rep > 0 and infos[i][0]["wall"] > repeat_below:
                continue  # one run is long enough to be its own median
            log(f"scaling: {group}, {label}, {p} points x {n}, threads {threads}, "
                f"repetition {rep + 1}")
            res = common.run_qcm(QCM, paths[(p, n, evolve)], "cpu", outputs, out_path=out_path,
                                 threads=threads, keep=False)
            times[i].append(res["run"]["seconds"])
            infos[i].append({"write_seconds": res["run"]["write_seconds"], "wall": res["_wall"],
                             "bytes": res["_output_bytes"], "device": res["run"]["device"]})
            os.unlink(out_path)
    rows = []
    for i, (group, label, p, n, outputs, evolve, threads) in enumerate(configs):
        s = median(times[i])
        rows.append({"group": group, "label": label, "points": p, "collisions": n,
                     "outputs": outputs, "evolve": evolve,
                     "threads": threads or int(infos[i][0]["device"].split()[0]),
                     "seconds": s, "all_seconds": times[i], "repetitions": len(times[i]),
                     "min_seconds": min(times[i]),
                     "write_seconds": median([x["write_seconds"] for x in infos[i]]),
                     "wall_seconds": median([x["wall"] for x in infos[i]]),
                     "output_bytes": infos[i][0]["bytes"],
                     "points_per_second": p / s,
                     "collision_steps_per_second": (p * n / s) if evolve else None,
                     "command": f"{'OMP_NUM_THREADS=%d ' % threads if threads else ''}"
                                f"qcm run SPEC -o OUT --backend cpu --outputs {outputs} -q"})
    return rows


# ----------------------------------------------------------------------------- memory

def memory(workdir, quick=False):
    big = 10**5 if quick else 10**6
    series_points = 10**3 if quick else 10**4
    ss_path = os.path.join(workdir, "memory-steady.json")
    common.write_spec(grid_spec(big, 1000, evolve=False), ss_path)
    series_path = os.path.join(workdir, "memory-series.json")
    common.write_spec(grid_spec(series_points, 1000, series={"every": 10}), series_path)
    ss_label = f"steady state only, {big:,} points"
    series_label = f"{series_points:,} points x 1000 collisions, series every 10"
    cases = []
    for label, path, outputs in ((ss_label, ss_path, "stationary,gksl"),
                                 (series_label, series_path, "final")):
        cases += [(label, path, outputs, None, False), (label, path, outputs, "32M", False),
                  (label, path, outputs, "32M", True)]
    out_path = os.path.join(workdir, "memory-out.json")
    rows = []
    for label, path, outputs, cap, to_stdout in cases:
        log(f"memory: {label}, --max-memory {cap or 'default'}, "
            f"{'stdout' if to_stdout else '-o'}")
        args = ["--max-memory", cap] if cap else []
        res = common.run_qcm(QCM, path, "cpu", outputs, out_path=out_path, extra_args=args,
                             keep=False, time_v=True, to_stdout=to_stdout)
        rows.append({"case": label, "outputs": outputs, "max_memory": cap or "default (256M)",
                     "destination": "stdout > FILE" if to_stdout else "-o FILE",
                     "max_rss_mib": res["_max_rss_kib"] / 1024.0,
                     "output_mib": res["_output_bytes"] / 2**20,
                     "seconds": res["run"]["seconds"],
                     "write_seconds": res["run"]["write_seconds"],
                     "command": f"/usr/bin/time -v qcm run SPEC {'' if to_stdout else '-o OUT '}"
                                f"--backend cpu --outputs {outputs}"
                                f"{' --max-memory ' + cap if cap else ''} -q"
                                f"{' > OUT' if to_stdout else ''}"})
        os.unlink(out_path)
    return rows


# ----------------------------------------------------------------------------- report

def fmt(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x == 0:
        return "0"
    if abs(x) >= 1e5 or abs(x) < 1e-2:
        m, e = f"{x:.{digits - 1}e}".split("e")
        return f"{m}e{int(e)}"
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:,.0f}"


def markdown(result):
    L = []
    m = result["machine"]
    L.append(f"Run {result['date']} on `{m['label']}` ({m['cpu']}, {m['cores']} cores), "
             f"{result['qcm']['version']}, Python {result['python']['python']}, NumPy "
             f"{result['python']['numpy']}, SciPy {result['python']['scipy']}, QuTiP "
             f"{result['python']['qutip']}; total {result['total_seconds']:.0f} s; 1-minute load "
             f"average {result['load_average_start'][0]:.1f} at the start, "
             f"{result['load_average_end'][0]:.1f} at the end (the machine was shared). "
             f"Command: `{result['command']}`.")
    L.append("")
    s = result["settings"]
    L.append(f"Sweep: random nine-term couplings J_lm ∈ [−1, 1], β ∈ [−5, 5], ω_S, ω_A ∈ "
             f"[0.2, 2], δt ∈ [0.01, 0.21], random initial Bloch vectors, ultrastrong scaling, "
             f"{s['collisions']} collisions; the same points for every implementation (a qcm "
             f"`zip` sweep). Times are medians of up to {s['repeats']} interleaved runs "
             f"(one run when a single run takes more than {s['repeat_below']:.0f} s); an "
             f"implementation stops where a run would exceed {s['limit']:.0f} s and its larger "
             f"sizes are *extrapolated* from its rate at the largest size it ran. qcm: the "
             f"`seconds` of its result (computation only; writing in the write column); peers: "
             f"the wall time of the computation in one Python process (single-threaded). "
             f"\"Faster by\" = that implementation's time / qcm cpu's time on the same sweep "
             f"(> 1: qcm is faster), for qcm's three cpu modes. Agreement: max over "
             f"bloch_x/y/z, work, heat and entropy production of |a − b| (relative where "
             f"|b| > 1) against qcm cpu.")
    L.append("")
    L.append("| implementation | points | runs | seconds | write s | points/s | collision-steps/s "
             "| qcm closed form faster by | qcm stepping (decomposition) faster by "
             "| qcm stepping (series) faster by | max deviation vs qcm cpu |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in result["ladder"]:
        name = r["implementation"] + (" (extrapolated)" if r["extrapolated"] else "")
        L.append(f"| {name} | {r['points']:,} | {r['repetitions']} | {fmt(r['seconds'])} | "
                 f"{fmt(r.get('write_seconds'))} | {fmt(r['points_per_second'])} | "
                 f"{fmt(r['collision_steps_per_second'])} | {fmt(r.get('qcm_cpu_speedup'))} | "
                 f"{fmt(r.get('qcm_cpu_stepping_speedup'))} | "
                 f"{fmt(r.get('qcm_cpu_stepping_series_speedup'))} | "
                 f"{fmt(r.get('max_deviation_vs_qcm_cpu'), 2)} |")
    L.append("")
    L.append("Implementations:")
    seen = set()
    for r in result["ladder"]:
        if r["implementation"] not in seen:
            seen.add(r["implementation"])
            L.append(f"- `{r['implementation']}`: {r['label']}; `{r['command']}`")
    L.append("")
    L.append("Targets: qcm cpu collision-steps/s ÷ the peer's on the same sweep, at the largest "
             "size the peer ran and at the top of the ladder (peer extrapolated where marked):")
    L.append("")
    L.append("| peer | target | points | qcm closed form | qcm stepping (decomposition) "
             "| qcm stepping (series) |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for t in result["targets"]:
        cells = []
        for ref in REFS:
            v = t.get(ref)
            cells.append(f"{fmt(v['speedup'])}× {'met' if v['met'] else 'missed'}" if v else "–")
        pts = f"{t['points']:,}" + (" (extrapolated)" if t["peer_extrapolated"] else "")
        L.append(f"| {t['peer']} | ≥ {t['target']:,.0f}× | {pts} | " + " | ".join(cells) + " |")
    L.append("")
    c = result["crosscheck"]
    col = c["collision"]
    worst = max(col["checks"], key=lambda x: x["max"])
    g = c["gksl"]
    L.append(f"Cross-checks ({'passed' if c['passed'] else 'FAILED'}): collision model, "
             f"{col['points']} points (β = 0, +∞, −∞ among them) × {col['collisions']} "
             f"collisions, every peer against qcm cpu (closed form and stepping) and reference: "
             f"worst {fmt(worst['max'], 2)} ({worst['what']}); GKSL limit in QuTiP "
             f"({g['points']} points): `qutip.steadystate` vs gksl.bloch_* "
             f"{fmt(g['steadystate']['max_deviation']['bloch'], 2)}, currents vs "
             f"gksl.work_rate/heat_rate "
             f"{fmt(max(g['steadystate']['max_deviation']['work_rate'], g['steadystate']['max_deviation']['heat_rate']), 2)}"
             f"; `qutip.mesolve` vs `\"dynamics\": \"gksl\"` series "
             f"{fmt(max(g['mesolve']['max_deviation'].values()), 2)} (tolerance 1e-6).")
    if result.get("scaling"):
        L.append("")
        L.append("Scaling of qcm cpu (grid sweeps of random nine-term points; medians of "
                 f"{s['repeats']}; seconds = computation, write = formatting + writing the JSON):")
        L.append("")
        L.append("| group | path | points | collisions | threads | runs | seconds | write s "
                 "| points/s | collision-steps/s | output |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in result["scaling"]:
            L.append(f"| {r['group']} | {r['label']} | {r['points']:,} | "
                     f"{r['collisions'] if r['evolve'] else '–'} | {r['threads']} | "
                     f"{r['repetitions']} | "
                     f"{fmt(r['seconds'])} | {fmt(r['write_seconds'])} | "
                     f"{fmt(r['points_per_second'])} | {fmt(r['collision_steps_per_second'])} | "
                     f"{r['output_bytes'] / 2**20:.1f} MiB |")
    if result.get("memory"):
        L.append("")
        L.append("Peak resident memory (`/usr/bin/time -v`, Maximum resident set size), result "
                 "written to a file:")
        L.append("")
        L.append("| case | --max-memory | result to | peak RSS | output file | seconds | write s |")
        L.append("|---|---|---|---:|---:|---:|---:|")
        for r in result["memory"]:
            L.append(f"| {r['case']} | {r['max_memory']} | {r['destination']} | "
                     f"{r['max_rss_mib']:.0f} MiB | "
                     f"{r['output_mib']:.0f} MiB | {fmt(r['seconds'])} | "
                     f"{fmt(r['write_seconds'])} |")
    L.append("")
    return "\n".join(L)


# ----------------------------------------------------------------------------- main

def main():
    global QCM
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qcm", default="build/qcm")
    ap.add_argument("--out-dir", default="benchmarks/results")
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--collisions", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--limit", type=float, default=60.0,
                    help="stop an implementation where one run would take longer (s)")
    ap.add_argument("--repeat-below", type=float, default=20.0,
                    help="repeat only runs shorter than this (s)")
    ap.add_argument("--machine", default=None, help="machine label for the report")
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--command", default="benchmarks/run.sh")
    args = ap.parse_args()
    # Run a private copy: others may rebuild build/qcm while this runs, and every
    # number of one report must come from one binary.
    snapshot_dir = tempfile.mkdtemp(prefix="qcm-peer-bench-bin-")
    QCM = os.path.join(snapshot_dir, "qcm")
    for attempt in range(10):
        try:
            shutil.copy2(os.path.abspath(args.qcm), QCM)
            subprocess.run([QCM, "--version"], stdout=subprocess.PIPE, check=True)
            break
        except (OSError, subprocess.CalledProcessError):
            if attempt == 9:
                raise
            time.sleep(5)  # being rebuilt: wait for the linker
    try:
        return run_all(args)
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)


def run_all(args):
    t_start = time.perf_counter()
    info = subprocess.run([QCM, "info"], stdout=subprocess.PIPE, text=True, check=True).stdout
    cuda = False
    for line in info.splitlines():
        if line.startswith("CUDA devices:"):
            try:
                cuda = int(line.split(":")[1].split()[0]) > 0
            except ValueError:
                cuda = False
    version = subprocess.run([QCM, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    cores = os.cpu_count()
    virtual = False
    try:
        virtual = "Hypervisor vendor" in subprocess.run(["lscpu"], stdout=subprocess.PIPE,
                                                        text=True).stdout
    except OSError:
        pass
    sizes = [int(s) for s in args.sizes.split(",")]
    collisions = args.collisions
    if args.quick:
        sizes, collisions = [10, 100], 100
    date = datetime.date.today().isoformat()
    host = socket.gethostname().split(".")[0]
    result = {
        "schema": "qcm-peer-bench/1",
        "date": date, "host": host,
        "machine": {"label": args.machine or f"{cores}-core {cpu}{' VM' if virtual else ''}",
                    "cpu": cpu, "cores": cores},
        "command": args.command,
        "qcm": {"binary": os.path.abspath(args.qcm), "version": version, "info": info.strip(), "cuda": cuda},
        "python": {"python": platform.python_version(), "numpy": np.__version__,
                   "scipy": scipy.__version__, "qutip": qutip.__version__,
                   "executable": sys.executable},
        "settings": {"sizes": sizes, "collisions": collisions, "repeats": args.repeats,
                     "limit": args.limit, "repeat_below": args.repeat_below,
                     "tolerance": common.TOLERANCE},
    }
    result["load_average_start"] = os.getloadavg()
    log("cross-checks ...")
    result["crosscheck"] = crosscheck.run(QCM)
    log(f"cross-checks {'passed' if result['crosscheck']['passed'] else 'FAILED'}")
    with tempfile.TemporaryDirectory(prefix="qcm-peer-bench-") as workdir:
        result["ladder"] = ladder(sizes, collisions, args.repeats, args.limit, args.repeat_below,
                                  cuda, workdir)
        result["targets"] = targets(result["ladder"])
        if not args.skip_scaling:
            result["scaling"] = scaling(args.repeats, args.repeat_below, workdir, args.quick)
        if not args.skip_memory:
            result["memory"] = memory(workdir, args.quick)
    result["total_seconds"] = time.perf_counter() - t_start
    result["load_average_end"] = os.getloadavg()
    ladder_ok = all(r.get("max_deviation_vs_qcm_cpu", 0.0) <= common.TOLERANCE
                    for r in result["ladder"] if not r["extrapolated"])
    result["passed"] = result["crosscheck"]["passed"] and ladder_ok
    os.makedirs(args.out_dir, exist_ok=True)
    stem = os.path.join(args.out_dir, f"{date}-{host}" + ("-quick" if args.quick else ""))
    with open(stem + ".json", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    with open(stem + ".md", "w") as f:
        f.write(f"# qcm vs QuTiP and NumPy: {date}, {host}\n\n")
        f.write(markdown(result))
    log(f"wrote {stem}.json and {stem}.md")
    print(markdown(result))
    if not result["passed"]:
        log("FAILED: an implementation disagrees with qcm by more than "
            f"{common.TOLERANCE:g} (see the JSON)")
        return 1
    return 0


QCM = "build/qcm"

if __name__ == "__main__":
    sys.exit(main())
