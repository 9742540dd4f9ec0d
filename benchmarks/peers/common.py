"""Shared pieces of the peer benchmarks: parameter points, qcm specs, running qcm,
comparing results.

Definitions and signs follow docs/physics.md (sections 1-5): sigma_z = diag(+1, -1),
basis index 0 = |e>, H_S = (w_S/2) sigma_z, H_A = (w_A/2) sigma_z,
V = sum_lm J_lm sigma_l (x) sigma_m (system first), ultrastrong scaling
H_SA = V / sqrt(dt), ancilla in its Gibbs state with
p_e = (1 - tanh(beta w_A / 2)) / 2.

Points are a dict of NumPy arrays, one entry per parameter point:
  omega_s (N,), omega_a (N,), beta (N,), J (N,3,3) with J[:, l, m] = J_lm,
  dt (N,), bloch0 (N,3); plus the scalar "collisions" (the same n for every
  point, as in the benchmark sweep).

Every peer returns a dict of arrays with at least
  bloch_x, bloch_y, bloch_z  (state after n collisions)
  work, heat                 (cumulative over the n collisions, docs/physics.md section 3)
  entropy_production         (cumulative: S(rho_n) - S(rho_0) + beta Q; finite beta only)
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import tempfile
import time

import numpy as np

PAULI_NAMES = ("x", "y", "z")
SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
I2 = np.eye(2, dtype=complex)
PAULIS = (SX, SY, SZ)

COMPARED = ("bloch_x", "bloch_y", "bloch_z", "work", "heat")
TOLERANCE = 1e-8


# --------------------------------------------------------------------------- points

def make_points(count: int, collisions: int, seed: int = 2024, gksl: bool = False,
                special_betas: bool = False) -> dict:
    """Random points like `qcm bench`'s: w in [0.2, 2], beta in [-5, 5], all nine
    J_lm in [-1, 1], dt in [0.01, 0.21], a random initial Bloch vector (every
    fifth one pure).

    gksl=True zeroes the three J_lz (ancilla factor sigma_z), so that
    Tr_A[V (1 (x) rho_A)] = 0 and the continuous limit exists (docs/physics.md section 5).
    special_betas=True puts beta = 0, +inf, -inf on the first three points.
    """
    rng = np.random.default_rng(seed)
    omega_s = rng.uniform(0.2, 2.0, count)
    omega_a = rng.uniform(0.2, 2.0, count)
    beta = rng.uniform(-5.0, 5.0, count)
    if special_betas:
        beta[:3] = [0.0, math.inf, -math.inf][:min(3, count)]
    J = rng.uniform(-1.0, 1.0, (count, 3, 3))
    if gksl:
        J[:, :, 2] = 0.0
    dt = rng.uniform(0.01, 0.21, count)
    r = rng.normal(size=(count, 3))
    r /= np.linalg.norm(r, axis=1)[:, None]
    length = rng.uniform(0.0, 1.0, count)
    length[::5] = 1.0
    bloch0 = r * length[:, None]
    return {"omega_s": omega_s, "omega_a": omega_a, "beta": beta, "J": J, "dt": dt,
            "bloch0": bloch0, "collisions": int(collisions)}


def subset(points: dict, count: int) -> dict:
    """The first `count` points."""
    return {k: (v[:count] if isinstance(v, np.ndarray) else v) for k, v in points.items()}


def excited_population(beta: float, omega_a: float) -> float:
    """p_e of the ancilla's Gibbs state (paper Eq. 25); well defined at beta = +-inf."""
    return 0.5 * (1.0 - math.tanh(0.5 * beta * omega_a))


def coupling_matrix(J: np.ndarray) -> np.ndarray:
    """V = sum_lm J_lm sigma_l (x) sigma_m as a 4x4 matrix (one point)."""
    V = np.zeros((4, 4), dtype=complex)
    for l in range(3):
        for m in range(3):
            if J[l, m] != 0.0:
                V += J[l, m] * np.kron(PAULIS[l], PAULIS[m])
    return V


def density_from_bloch(r) -> np.ndarray:
    return 0.5 * (I2 + r[0] * SX + r[1] * SY + r[2] * SZ)


def qubit_entropy_from_bloch(r: np.ndarray) -> np.ndarray:
    """S(rho) = -sum p ln p with p = (1 +- |r|)/2; r of shape (..., 3)."""
    length = np.minimum(np.linalg.norm(r, axis=-1), 1.0)
    out = np.zeros_like(length)
    for p in ((1.0 + length) / 2.0, (1.0 - length) / 2.0):
        with np.errstate(divide="ignore", invalid="ignore"):
            out -= np.where(p > 0.0, p * np.log(np.where(p > 0.0, p, 1.0)), 0.0)
    return out


# --------------------------------------------------------------------------- qcm specs

SPEC_PATHS = ["system.omega", "ancilla.omega", "ancilla.beta"] + [
    f"coupling.{a}{b}" for a in PAULI_NAMES for b in PAULI_NAMES] + ["dt", "initial_state"]


def _json_number(v: float):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v)


def qcm_spec(points: dict, description: str = "", **extra) -> dict:
    """The points as one qcm `zip` sweep over every varying path, n fixed."""
    J = points["J"]
    zipped = {
        "system.omega": [float(v) for v in points["omega_s"]],
        "ancilla.omega": [float(v) for v in points["omega_a"]],
        "ancilla.beta": [_json_number(v) for v in points["beta"]],
    }
    for l, a in enumerate(PAULI_NAMES):
        for m, b in enumerate(PAULI_NAMES):
            zipped[f"coupling.{a}{b}"] = [float(v) for v in J[:, l, m]]
    zipped["dt"] = [float(v) for v in points["dt"]]
    zipped["initial_state"] = [{"bloch": [float(c) for c in r]} for r in points["bloch0"]]
    spec = {"description": description or "qcm peer benchmark sweep",
            "scaling": "ultrastrong", "collisions": int(points["collisions"])}
    spec.update(extra)
    spec["sweep"] = {"zip": zipped}
    return spec


def write_spec(spec: dict, path: str) -> None:
    with open(path, "w") as f:
        json.dump(spec, f)


def run_qcm(qcm: str, spec_path: str, backend: str = "cpu", outputs: str | None = None,
            out_path: str | None = None, threads: int | None = None, extra_args=(),
            keep: bool = True, time_v: bool = False, to_stdout: bool = False) -> dict:
    """Run `qcm run` and return its result JSON (with "_wall" and, with time_v,
    "_max_rss_kib" added). keep=False reads only the "run" object (large outputs).
    to_stdout=True runs without -o, stdout redirected to the file (no summary)."""
    own_out = out_path is None
    if own_out:
        fd, out_path = tempfile.mkstemp(suffix=".json", prefix="qcm-peer-")
        os.close(fd)
        os.unlink(out_path)
    cmd = [qcm, "run", spec_path] + ([] if to_stdout else ["-o", out_path]) + [
        "--backend", backend, "-q"]
    if outputs:
        cmd += ["--outputs", outputs]
    cmd += list(extra_args)
    rss_file = None
    if time_v:
        fd, rss_file = tempfile.mkstemp(suffix=".txt", prefix="qcm-time-")
        os.close(fd)
        cmd = ["/usr/bin/time", "-v", "-o", rss_file] + cmd
    env = dict(os.environ)
    if threads is not None:
        env["OMP_NUM_THREADS"] = str(threads)
    t0 = time.perf_counter()
    if to_stdout:
        with open(out_path, "wb") as sink:
            proc = subprocess.run(cmd, env=env, stdout=sink, stderr=subprocess.PIPE, text=True)
    else:
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    try:
        if keep:
            with open(out_path) as f:
                result = json.load(f)
        else:
            result = {"run": read_run_object(out_path)}
        result["_wall"] = wall
        result["_output_bytes"] = os.path.getsize(out_path)
        if rss_file:
            with open(rss_file) as f:
                for line in f:
                    if "Maximum resident set size" in line:
                        result["_max_rss_kib"] = int(line.rsplit(":", 1)[1])
    finally:
        if own_out and os.path.exists(out_path):
            os.unlink(out_path)
        if rss_file and os.path.exists(rss_file):
            os.unlink(rss_file)
    return result


def read_run_object(path: str) -> dict:
    """The "run" object of a (possibly huge) result file without parsing the rows:
    it is written after the spec echo, before "columns"."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
        # The spec echo can be long (a zip sweep); scan forward in blocks.
        data = head
        while b'"columns"' not in data:
            block = f.read(1 << 24)
            if not block:
                break
            data += block
    start = data.rfind(b'"run"', 0, data.find(b'"columns"'))
    if start < 0:
        raise RuntimeError(f"{path}: no run object found")
    brace = data.index(b"{", start)
    depth = 0
    for i in range(brace, len(data)):
        c = data[i:i + 1]
        if c == b"{":
            depth += 1
        elif c == b"}":
            depth -= 1
            if depth == 0:
                return json.loads(data[brace:i + 1])
    raise RuntimeError(f"{path}: unterminated run object")


def qcm_column(result: dict, name: str) -> np.ndarray:
    """A result column as floats ("inf" strings and null -> +-inf / nan)."""
    k = result["columns"].index(name)
    out = np.empty(len(result["rows"]))
    for i, row in enumerate(result["rows"]):
        v = row[k]
        if v is None:
            out[i] = math.nan
        elif isinstance(v, str):
            out[i] = -math.inf if v.startswith("-") else math.inf
        else:
            out[i] = v
    return out


# --------------------------------------------------------------------------- comparison

def deviation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b|, relative to |b| where |b| > 1 (the 1e-8 rule of the issue).
    Equal infinities count as 0; nan against a number counts as inf."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        d = np.abs(a - b) / np.maximum(1.0, np.abs(b))
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    d = np.where(same, 0.0, d)
    return np.where(np.isnan(d), math.inf, d)


def compare(peer: dict, ref: dict, columns=COMPARED) -> dict:
    """Max deviation per column and overall; `ref` holds arrays (qcm's columns)."""
    per = {}
    for c in columns:
        if c not in peer or c not in ref:
            continue
        per[c] = float(np.max(deviation(peer[c], ref[c]))) if len(ref[c]) else 0.0
    return {"max": max(per.values()) if per else 0.0, "columns": per}


def qcm_final(result: dict, columns=COMPARED + ("entropy_production",)) -> dict:
    return {c: qcm_column(result, c) for c in columns if c in result["columns"]}


def finite_beta_only(values: dict, beta: np.ndarray, column: str = "entropy_production") -> dict:
    """Drop a column's entries at beta = +-inf (Sigma is then "inf" or Delta S by rule)."""
    out = dict(values)
    if column in out:
        v = np.array(out[column], dtype=float)
        v[~np.isfinite(beta)] = 0.0
        out[column] = v
    return out
