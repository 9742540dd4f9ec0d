#!/usr/bin/env python3
"""General models against the peers: a spin-1 system and an oscillator truncated
at N = 8, each colliding with qubit ancillas, stepped for 1000 collisions with
the entropy of the system at every collision.

Peers, written the way a physicist would:

- QuTiP loop: per point, U = (-1j dt H).expm() once; per collision
  tensor(rho, rho_A), U rho U^dag, ptrace, expect for energy, work and heat,
  entropy_vn. Timed on a sample of points and extrapolated (said in the report).
- NumPy vectorised over points: one batched eigh gives U for every point; per
  collision, rho (x) rho_A by broadcasting, two batched matmuls, the partial
  traces by einsum, batched eigvalsh for the entropies.

qcm's rate comes from `qcm bench --job "general 3x2 stepping" --job "general
8x2 stepping"` (random dense models of the same sizes: the kernels are dense,
so the cost per collision depends only on the sizes). Before timing, every
peer is checked against `qcm run` on a sample of the sweep with a series at
every collision: energy and entropy at every collision, and the final work
and heat, to 1e-8.

    /usr/bin/python3 benchmarks/peers/general.py --qcm build/qcm [--quick]

prints a Markdown table and writes benchmarks/results/<date>-<host>-general.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import qutip
except ImportError:  # the QuTiP column is then skipped, with a note
    qutip = None

# ----------------------------------------------------------------------------- the models


def spin_ops(j: float):
    d = int(round(2 * j)) + 1
    m = j - np.arange(d)  # index i has m = j - i (as qcm)
    jz = np.diag(m).astype(complex)
    jp = np.zeros((d, d), complex)
    for i in range(1, d):  # jp |m> = sqrt(j(j+1) - m(m+1)) |m+1>, |m+1> is index i-1
        jp[i - 1, i] = math.sqrt(j * (j + 1) - m[i] * (m[i] + 1))
    jm = jp.conj().T
    return {"jz": jz, "jx": (jp + jm) / 2, "jy": (jp - jm) / 2j, "jp": jp, "jm": jm}


def oscillator_ops(n: int):
    a = np.diag(np.sqrt(np.arange(1, n)), 1).astype(complex)
    return {"a": a, "ad": a.conj().T, "n": np.diag(np.arange(n)).astype(complex)}


SX = np.array([[0, 1], [1, 0]], complex)
SY = np.array([[0, -1j], [1j, 0]], complex)
SZ = np.array([[1, 0], [0, -1]], complex)
SP = np.array([[0, 1], [0, 0]], complex)  # |e><g|, index 0 = excited
SM = SP.conj().T

AXIS = 10  # values per swept axis: 10^4 points from four axes


def model(kind: str, points: int):
    """The spec (a grid of four axes, truncated to `points`) and per-point arrays."""
    lin = lambda a, b: list(np.linspace(a, b, AXIS))  # noqa: E731
    if kind == "spin1":
        spec = {
            "system": {"space": {"spin": 1}, "hamiltonian": {"jz": 1.0, "jz*jz": 0.3}},
            "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 1.0},
            "coupling": {"terms": [{"system": {"jx": 1.0}, "ancilla": {"sx": 1.0}, "strength": 1.0},
                                   {"system": {"jz": 1.0}, "ancilla": {"sy": 1.0}, "strength": 0.5}]},
            "initial_state": "mixed",
        }
        axes = {"system.hamiltonian[\"jz*jz\"]": lin(0.0, 0.6),
                "coupling.terms[0].strength": lin(0.2, 1.0),
                "coupling.terms[1].strength": lin(0.0, 0.5),
                "ancilla.beta": lin(0.2, 5.0)}
    else:
        spec = {
            "system": {"space": {"oscillator": 8}, "hamiltonian": {"n": 1.0}},
            "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 1.0},
            "coupling": {"terms": [{"system": {"a": 1.0}, "ancilla": {"sp": 1.0}, "strength": 0.3},
                                   {"system": {"ad": 1.0}, "ancilla": {"sm": 1.0}, "strength": 0.3},
                                   {"system": {"a": 1.0}, "ancilla": {"sm": 1.0}, "strength": 0.0},
                                   {"system": {"ad": 1.0}, "ancilla": {"sp": 1.0}, "strength": 0.0}]},
            "initial_state": "mixed",
        }
        # "counter": the two counter-rotating terms' common strength (one axis).
        axes = {"ancilla.hamiltonian.sz": lin(0.4, 0.6),
                "coupling.terms[0].strength": lin(0.1, 0.5),
                "counter": lin(0.0, 0.2),
                "ancilla.beta": lin(0.2, 5.0)}
    spec.update({"scaling": "ultrastrong", "dt": 0.05, "collisions": 1000})
    grid = np.array(np.meshgrid(*axes.values(), indexing="ij")).reshape(len(axes), -1).T[:points]
    return spec, list(axes), grid


def point_operators(kind: str, spec: dict, names: list[str], values):
    """H_S, H_A, V (unscaled), beta of one point."""
    p = dict(zip(names, values))
    if kind == "spin1":
        ops = spin_ops(1)
        H_S = ops["jz"] + p["system.hamiltonian[\"jz*jz\"]"] * ops["jz"] @ ops["jz"]
        H_A = 0.5 * SZ
        V = (p["coupling.terms[0].strength"] * np.kron(ops["jx"], SX)
             + p["coupling.terms[1].strength"] * np.kron(ops["jz"], SY))
    else:
        ops = oscillator_ops(8)
        H_S = ops["n"]
        H_A = p["ancilla.hamiltonian.sz"] * SZ
        g, c = p["coupling.terms[0].strength"], p["counter"]
        V = (g * (np.kron(ops["a"], SP) + np.kron(ops["ad"], SM))
             + c * (np.kron(ops["a"], SM) + np.kron(ops["ad"], SP)))
    return H_S, H_A, V, p["ancilla.beta"]


def point_spec(kind: str, spec: dict, names: list[str], values) -> dict:
    """One point as a qcm spec (the grid's values written into the base)."""
    s = json.loads(json.dumps(spec))
    p = dict(zip(names, values))
    if kind == "spin1":
        s["system"]["hamiltonian"]["jz*jz"] = p["system.hamiltonian[\"jz*jz\"]"]
        s["coupling"]["terms"][0]["strength"] = p["coupling.terms[0].strength"]
        s["coupling"]["terms"][1]["strength"] = p["coupling.terms[1].strength"]
    else:
        s["ancilla"]["hamiltonian"]["sz"] = p["ancilla.hamiltonian.sz"]
        s["coupling"]["terms"][0]["strength"] = p["coupling.terms[0].strength"]
        s["coupling"]["terms"][1]["strength"] = p["coupling.terms[0].strength"]
        s["coupling"]["terms"][2]["strength"] = p["counter"]
        s["coupling"]["terms"][3]["strength"] = p["counter"]
    s["ancilla"]["beta"] = p["ancilla.beta"]
    return s


def gibbs(H, beta):
    w, v = np.linalg.eigh(H)
    p = np.exp(-beta * (w - w.min()))
    return (v * (p / p.sum())) @ v.conj().T


def entropy_of(p):
    p = np.clip(p, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=-1)


# ----------------------------------------------------------------------------- peers


def numpy_vectorised(kind, spec, names, grid, n):
    """Every point at once; energy and entropy at every collision."""
    ops = [point_operators(kind, spec, names, v) for v in grid]
    H_S = np.array([o[0] for o in ops])
    H_A = np.array([o[1] for o in ops])
    V = np.array([o[2] for o in ops])
    beta = np.array([o[3] for o in ops])
    P, ds, da = len(ops), H_S.shape[1], H_A.shape[1]
    dt = spec["dt"]
    I_s, I_a = np.eye(ds), np.eye(da)
    H_SA = V / math.sqrt(dt)
    H = (np.einsum("pij,ab->piajb", H_S, I_a) + np.einsum("ij,pab->piajb", I_s, H_A)).reshape(
        P, ds * da, ds * da) + H_SA
    lam, W = np.linalg.eigh(H)
    U = (W * np.exp(-1j * dt * lam)[:, None, :]) @ W.conj().swapaxes(1, 2)
    Ud = U.conj().swapaxes(1, 2)
    rho_A = np.array([gibbs(h, b) for h, b in zip(H_A, beta)])
    rho = np.repeat((np.eye(ds) / ds)[None].astype(complex), P, axis=0)
    energy = np.empty((n, P))
    entropy = np.empty((n, P))
    work = np.zeros(P)
    heat = np.zeros(P)
    HSA_T = H_SA.swapaxes(1, 2)
    for k in range(n):
        tot = np.einsum("pij,pab->piajb", rho, rho_A).reshape(P, ds * da, ds * da)
        new = U @ tot @ Ud
        work -= np.einsum("pij,pij->p", HSA_T, new).real - np.einsum("pij,pij->p", HSA_T, tot).real
        r4 = new.reshape(P, ds, da, ds, da)
        rho = np.einsum("piaja->pij", r4)
        rho_A_new = np.einsum("piaib->pab", r4)
        heat += np.einsum("pab,pba->p", H_A, rho_A_new - rho_A).real
        energy[k] = np.einsum("pij,pji->p", H_S, rho).real
        entropy[k] = entropy_of(np.linalg.eigvalsh(rho))
    return {"energy": energy, "entropy": entropy, "work": work, "heat": heat}


def qutip_loop(kind, spec, names, grid, n):
    """One point after the other, in QuTiP."""
    P = len(grid)
    energy = np.empty((n, P))
    entropy = np.empty((n, P))
    work = np.zeros(P)
    heat = np.zeros(P)
    dt = spec["dt"]
    for i, values in enumerate(grid):
        H_S, H_A, V, beta = point_operators(kind, spec, names, values)
        ds, da = H_S.shape[0], H_A.shape[0]
        qS, qA = qutip.Qobj(H_S), qutip.Qobj(H_A)
        H_SA = qutip.Qobj(V / math.sqrt(dt), dims=[[ds, da], [ds, da]])
        H = qutip.tensor(qS, qutip.qeye(da)) + qutip.tensor(qutip.qeye(ds), qA) + H_SA
        U = (-1j * dt * H).expm()
        Ud = U.dag()
        rho_A = qutip.Qobj(gibbs(H_A, beta))
        H_A_tot = qutip.tensor(qutip.qeye(ds), qA)
        rho = qutip.qeye(ds) / ds
        for k in range(n):
            tot = qutip.tensor(rho, rho_A)
            new = U * tot * Ud
            work[i] -= np.real(qutip.expect(H_SA, new) - qutip.expect(H_SA, tot))
            heat[i] += np.real(qutip.expect(H_A_tot, new) - qutip.expect(H_A_tot, tot))
            rho = new.ptrace(0)
            energy[k, i] = np.real(qutip.expect(qS, rho))
            entropy[k, i] = qutip.entropy_vn(rho)
    return {"energy": energy, "entropy": entropy, "work": work, "heat": heat}


# ----------------------------------------------------------------------------- qcm


def qcm_sample(qcm, kind, spec, names, grid, n):
    """qcm run on each sample point (a series at every collision)."""
    P = len(grid)
    energy = np.empty((n, P))
    entropy = np.empty((n, P))
    work = np.zeros(P)
    heat = np.zeros(P)
    with tempfile.TemporaryDirectory() as tmp:
        for i, values in enumerate(grid):
            s = point_spec(kind, spec, names, values)
            s["series"] = {"every": 1}
            path = os.path.join(tmp, "spec.json")
            with open(path, "w") as f:
                json.dump(s, f)
            out = os.path.join(tmp, "out.json")
            subprocess.run([qcm, "run", path, "-o", out, "--backend", "cpu", "--outputs", "final",
                            "-q"], check=True)
            with open(out) as f:
                res = json.load(f)
            row = dict(zip(res["columns"], res["rows"][0]))
            work[i], heat[i] = row["work"], row["heat"]
            cols = res["series"]["columns"]
            samples = res["series"]["rows"][0]
            energy[:, i] = [s_[cols.index("energy")] for s_ in samples]
            entropy[:, i] = [s_[cols.index("entropy")] for s_ in samples]
    return {"energy": energy, "entropy": entropy, "work": work, "heat": heat}


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(a[k]) - np.asarray(b[k])))) for k in a)


def qcm_bench(qcm, quick):
    scale = "0.1" if quick else "1"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.json")
        subprocess.run([qcm, "bench", "--backend", "cpu", "--backend", "reference", "--scale", scale,
                        "--job", "general", "-o", out], check=True, stdout=sys.stderr)
        with open(out) as f:
            return json.load(f)


# ----------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qcm", default="build/qcm")
    ap.add_argument("--quick", action="store_true", help="10x fewer points everywhere")
    ap.add_argument("--out-dir", default="benchmarks/results")
    args = ap.parse_args()
    n = 1000
    points = 1000 if args.quick else 10000
    qutip_points = 2 if args.quick else 4
    check_points = 3
    report = {"schema": "qcm-general-peers/1", "date": datetime.date.today().isoformat(),
              "host": socket.gethostname(), "collisions": n, "models": {}}
    bench = qcm_bench(args.qcm, args.quick)
    report["qcm_bench"] = bench
    rate_of = {}
    for job in bench["jobs"]:
        rate_of[(job["backend"], job["job"])] = job["collision_steps_per_second"]
    for kind, size, job in (("spin1", "3x2", "general 3x2 stepping n=1000, every 1"),
                            ("oscillator8", "8x2", "general 8x2 stepping n=1000, every 1")):
        spec, names, grid = model(kind, points)
        entry = {"size": size, "points": len(grid)}
        # Cross-check on a sample, before timing.
        sample = grid[:: max(1, len(grid) // check_points)][:check_points]
        ref = qcm_sample(args.qcm, kind, spec, names, sample, n)
        entry["numpy_vs_qcm_max_difference"] = max_difference(
            numpy_vectorised(kind, spec, names, sample, n), ref)
        if qutip is not None:
            entry["qutip_vs_qcm_max_difference"] = max_difference(
                qutip_loop(kind, spec, names, sample, n), ref)
        # Timings (energy and entropy at every collision).
        t0 = time.perf_counter()
        numpy_vectorised(kind, spec, names, grid, n)
        entry["numpy_seconds"] = time.perf_counter() - t0
        entry["numpy_steps_per_second"] = len(grid) * n / entry["numpy_seconds"]
        if qutip is not None:
            t0 = time.perf_counter()
            qutip_loop(kind, spec, names, grid[:qutip_points], n)
            seconds = time.perf_counter() - t0
            entry["qutip_sampled_points"] = qutip_points
            entry["qutip_steps_per_second"] = qutip_points * n / seconds
        entry["qcm_cpu_steps_per_second"] = rate_of.get(("cpu", job))
        entry["qcm_reference_steps_per_second"] = rate_of.get(("reference", job))
        report["models"][kind] = entry
    print("| model | NumPy vectorised st/s | QuTiP st/s (sampled) | qcm reference st/s | qcm cpu st/s "
          "| cpu / QuTiP | cpu / NumPy | cpu / reference | max diff NumPy, QuTiP vs qcm |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, e in report["models"].items():
        cpu = e["qcm_cpu_steps_per_second"] or math.nan
        q = e.get("qutip_steps_per_second", math.nan)
        r = e["qcm_reference_steps_per_second"] or math.nan
        print(f"| {kind} ({e['size']}, {e['points']} pts) | {e['numpy_steps_per_second']:.3g} | "
              f"{q:.3g} ({e.get('qutip_sampled_points', 0)} pts) | {r:.3g} | {cpu:.3g} | "
              f"{cpu / q:.0f}x | {cpu / e['numpy_steps_per_second']:.1f}x | {cpu / r:.0f}x | "
              f"{e['numpy_vs_qcm_max_difference']:.1e}, {e.get('qutip_vs_qcm_max_difference', math.nan):.1e} |")
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, f"{report['date']}-{report['host']}-general.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=1)
    print(f"written to {path}")
    worst = max(e["numpy_vs_qcm_max_difference"] for e in report["models"].values())
    return 1 if worst > 1e-8 else 0


if __name__ == "__main__":
    sys.exit(main())
