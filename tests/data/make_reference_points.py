#!/usr/bin/env python3
"""Regenerate tests/data/reference-points.json with an independent NumPy/SciPy
implementation of the memoryless qubit collision model.

Usage (needs a python with numpy and scipy, e.g. Debian's
/usr/bin/python3 with python3-numpy and python3-scipy):

    /usr/bin/python3 tests/data/make_reference_points.py          # rewrite the file
    /usr/bin/python3 tests/data/make_reference_points.py --check  # compare only

The specs are read from the "spec" blocks of the existing file and left as
they are; every column already present in a point's "expected" block is
recomputed (no column is added or removed, key order is kept). --check does
not write anything: it prints the largest deviation per column and exits 1
if any value differs by more than max(1e-9 * |expected|, 1e-12).

This script deliberately uses none of qcm's code: it writes out the equations
literally (scipy.linalg.expm, np.kron and an explicit partial trace per
collision). Units hbar = k_B = 1; basis index 0 = |e>, index 1 = |g>,
sigma_z = diag(+1, -1).
"""

import argparse
import json
import math
import os
import sys

try:
    import numpy as np
    import scipy.linalg
except ImportError as missing:  # CTest counts exit status 77 as skipped
    print(f"make_reference_points.py: needs numpy and scipy ({missing}); "
          "on Debian: apt-get install python3-numpy python3-scipy", file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FILE = os.path.join(HERE, "reference-points.json")

ABOUT = (
    "Values computed by an independent NumPy/SciPy implementation of docs/physics.md "
    "(scipy.linalg.expm, explicit kron and partial trace per collision; stationary "
    "from the eigenvector of the one-collision Liouville matrix; gksl from the null "
    "space of the generator), tests/data/make_reference_points.py. The specs are "
    "read from this file and every expected column present is recomputed: rerun "
    "with '/usr/bin/python3 tests/data/make_reference_points.py' (any python with "
    "numpy and scipy) to rewrite it, or with '--check' to compare without writing. "
    "Column names as in the result table."
)

REL_TOL = 1e-9
ABS_TOL = 1e-12

# ---------------------------------------------------------------- operators

I2 = np.eye(2, dtype=complex)
SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
PAULI = {"x": SX, "y": SY, "z": SZ}


def parse_beta(b):
    if isinstance(b, str):
        if b in ("inf", "+inf"):
            return math.inf
        if b == "-inf":
            return -math.inf
        raise ValueError("bad beta %r" % (b,))
    return float(b)


def coupling_components(c):
    """J_lm from the spec's coupling block (system Pauli first)."""
    J = {l + m: 0.0 for l in "xyz" for m in "xyz"}
    if "alpha" in c:
        a, g = float(c["alpha"]), float(c["gamma"])
        if "strength" in c:
            s = float(c["strength"])
            J["xx"] = s * math.cos(a) * math.cos(g)
            J["yy"] = s * math.cos(a) * math.sin(g)
            J["zy"] = s * math.sin(a)
        else:
            p = float(c["perpendicular"])
            J["xx"] = p * math.cos(g)
            J["yy"] = p * math.sin(g)
            J["zy"] = p * math.tan(a)
    else:
        for k, v in c.items():
            J[k] = float(v)
    return J


def initial_rho(st):
    if st == "ground":
        r = (0.0, 0.0, -1.0)
    elif st == "excited":
        r = (0.0, 0.0, 1.0)
    elif st == "mixed":
        r = (0.0, 0.0, 0.0)
    elif "bloch" in st:
        r = tuple(float(x) for x in st["bloch"])
        n = math.sqrt(sum(x * x for x in r))
        if n > 1.0:  # spec accepts up to 1 + 1e-12 and rescales to 1
            r = tuple(x / n for x in r)
    elif "ket" in st:
        ce = complex(*st["ket"]["excited"])
        cg = complex(*st["ket"]["ground"])
        n = math.sqrt(abs(ce) ** 2 + abs(cg) ** 2)
        psi = np.array([ce / n, cg / n], dtype=complex)
        return np.outer(psi, psi.conj())
    else:
        raise ValueError("bad initial_state %r" % (st,))
    return 0.5 * (I2 + r[0] * SX + r[1] * SY + r[2] * SZ)


def gibbs(HA, beta):
    if beta == math.inf:  # ground-state projector
        return np.diag([0.0, 1.0]).astype(complex)
    if beta == -math.inf:  # excited-state projector
        return np.diag([1.0, 0.0]).astype(complex)
    R = scipy.linalg.expm(-beta * HA)
    return R / np.trace(R)


def ptrace_A(X):
    """Tr_A of a 4x4 operator on S (x) A (system factor first)."""
    X4 = X.reshape(2, 2, 2, 2)  # indices s, a, s', a'
    out = np.zeros((2, 2), dtype=complex)
    for a in range(2):
        out += X4[:, a, :, a]
    return out


def entropy(rho):
    w = np.linalg.eigvalsh(0.5 * (rho + rho.conj().T))
    return float(-sum(p * math.log(p) for p in w if p > 0.0))


def tr(X):
    return complex(np.trace(X)).real


# ---------------------------------------------------------------- model


class Model:
    def __init__(self, spec):
        self.wS = float(spec.get("system", {}).get("omega", 1.0))
        anc = spec.get("ancilla", {})
        self.wA = float(anc.get("omega", 1.0))
        self.beta = parse_beta(anc.get("beta", 1.0))
        self.dt = float(spec.get("dt", 0.05))
        self.n = int(round(float(spec.get("collisions", 1000))))
        self.scaling = spec.get("scaling", "ultrastrong")
        self.rho0 = initial_rho(spec.get("initial_state", "ground"))

        self.HS = 0.5 * self.wS * SZ
        self.HA = 0.5 * self.wA * SZ
        self.rhoA = gibbs(self.HA, self.beta)
        J = coupling_components(spec.get("coupling", {}))
        self.V = np.zeros((4, 4), dtype=complex)
        for lm, j in J.items():
            self.V += j * np.kron(PAULI[lm[0]], PAULI[lm[1]])
        if self.scaling == "ultrastrong":
            self.HSA = self.V / math.sqrt(self.dt)
        elif self.scaling == "fixed":
            self.HSA = self.V.copy()
        else:
            raise ValueError("bad scaling %r" % (self.scaling,))
        self.HS_tot = np.kron(self.HS, I2)
        self.HA_tot = np.kron(I2, self.HA)
        H = self.HS_tot + self.HA_tot + self.HSA
        self.U = scipy.linalg.expm(-1j * self.dt * H)

    def channel(self, X):
        """Phi(X) = Tr_A[U (X (x) rho_A) U^dag] (also for non-Hermitian X)."""
        return ptrace_A(self.U @ np.kron(X, self.rhoA) @ self.U.conj().T)

    def sigma(self, dS, Q):
        if math.isinf(self.beta):
            return dS if Q == 0.0 else math.copysign(math.inf, self.beta * Q)
        return dS + self.beta * Q

    def collide(self, rho):
        """One collision: (rho_next, W, Q, dE, dS, Sigma)."""
        tot = np.kron(rho, self.rhoA)
        tot2 = self.U @ tot @ self.U.conj().T
        nxt = ptrace_A(tot2)
        W = -(tr(self.HSA @ tot2) - tr(self.HSA @ tot))
        Q = tr(self.HA_tot @ (tot2 - tot))
        dE = tr(self.HS @ (nxt - rho))
        dS = entropy(nxt) - entropy(rho)
        return nxt, W, Q, dE, dS, self.sigma(dS, Q)

    # -- state columns
    def state_columns(self, rho):
        pe, pg = rho[0, 0].real, rho[1, 1].real
        if self.wS == 0.0:
            beff = None
        elif pe <= 0.0:
            beff = math.copysign(math.inf, self.wS)
        elif pg <= 0.0:
            beff = -math.copysign(math.inf, self.wS)
        else:
            beff = math.log(pg / pe) / self.wS
        r = np.sort(np.linalg.eigvalsh(0.5 * (rho + rho.conj().T)))[::-1]
        e = np.sort(np.linalg.eigvalsh(self.HS))
        return {
            "bloch_x": tr(rho @ SX),
            "bloch_y": tr(rho @ SY),
            "bloch_z": tr(rho @ SZ),
            "beta_eff": beff,
            "coherence_l1": float(sum(abs(rho[i, j]) for i in range(2)
                                      for j in range(2) if i != j)),
            "ergotropy": tr(self.HS @ rho) - float(np.dot(r, e)),
        }

    # -- final columns
    def final(self):
        rho = self.rho0
        W = Q = dE = Sig = 0.0
        last = None
        for _ in range(self.n):
            rho, w, q, de, ds, sg = self.collide(rho)
            W += w
            Q += q
            dE += de
            Sig += sg
            last = (w, q, sg)
        out = self.state_columns(rho)
        out.update({
            "work": W,
            "heat": Q,
            "delta_energy": dE,
            "delta_entropy": entropy(rho) - entropy(self.rho0),
            "entropy_production": Sig,
            "work_rate": last[0] / self.dt,
            "heat_rate": last[1] / self.dt,
            "entropy_production_rate": last[2] / self.dt,
        })
        return out

    # -- stationary columns
    def liouville(self, op):
        """d^2 x d^2 matrix: column i + d j = vec(op(|i><j|)), column-major vec."""
        d = 2
        M = np.zeros((d * d, d * d), dtype=complex)
        for i in range(d):
            for j in range(d):
                E = np.zeros((d, d), dtype=complex)
                E[i, j] = 1.0
                M[:, i + d * j] = op(E).reshape(-1, order="F")
        return M

    @staticmethod
    def unvec(v):
        X = v.reshape(2, 2, order="F")
        X = X / np.trace(X)
        return 0.5 * (X + X.conj().T)

    def stationary(self):
        M = self.liouville(self.channel)
        lam, vecs = np.linalg.eig(M)
        one = np.abs(lam - 1.0) <= 1e-10
        dim = int(np.count_nonzero(one))
        rest = np.abs(lam[~one])
        l2 = float(rest.max()) if rest.size else 0.0
        out = {"dimension": float(dim)}
        if l2 == 0.0:
            out["relaxation_collisions"] = 0.0
        elif l2 >= 1.0:
            out["relaxation_collisions"] = None
        else:
            out["relaxation_collisions"] = -1.0 / math.log(l2)
        if dim == 1:
            k = int(np.argmin(np.abs(lam - 1.0)))
            rho = self.unvec(vecs[:, k])
            out.update(self.state_columns(rho))
            _, w, q, _, _, sg = self.collide(rho)
            out["work_rate"] = w / self.dt
            out["heat_rate"] = q / self.dt
            out["entropy_production_rate"] = sg / self.dt
        return out

    # -- gksl columns
    def gksl_applicable(self):
        if self.scaling != "ultrastrong":
            return False
        m = ptrace_A(self.V @ np.kron(I2, self.rhoA))
        scale = max(1.0, float(np.abs(self.V).max()))
        return float(np.abs(m).max()) <= 1e-12 * scale

    def gksl_generator(self, X):
        V = self.V
        D = ptrace_A(V @ np.kron(X, self.rhoA) @ V)
        G = ptrace_A(V @ V @ np.kron(I2, self.rhoA))
        return -1j * (self.HS @ X - X @ self.HS) + D - 0.5 * (G @ X + X @ G)

    def gksl(self):
        if not self.gksl_applicable():
            return None
        L = self.liouville(self.gksl_generator)
        lam, vecs = np.linalg.eig(L)
        zero = np.abs(lam) <= 1e-10 * float(np.abs(L).max())
        dim = int(np.count_nonzero(zero))
        out = {"dimension": float(dim)}
        if dim == 1:
            k = int(np.argmin(np.abs(lam)))
            rho = self.unvec(vecs[:, k])
            out.update(self.state_columns(rho))
            V = self.V
            H0 = self.HS_tot + self.HA_tot
            tot = np.kron(rho, self.rhoA)

            def rate(H):
                A = V @ H @ V - 0.5 * (V @ V @ H + H @ V @ V)
                return tr(A @ tot)

            out["work_rate"] = rate(H0)
            out["heat_rate"] = rate(self.HA_tot)
            q = out["heat_rate"]
            out["entropy_production_rate"] = self.sigma(0.0, q)
        return out


def compute(spec, keys):
    m = Model(spec)
    values = {}
    if any("." not in k for k in keys):
        values.update(m.final())
    if any(k.startswith("stationary.") for k in keys):
        values.update({"stationary." + k: v for k, v in m.stationary().items()})
    if any(k.startswith("gksl.") for k in keys):
        g = m.gksl()
        if g is not None:
            values.update({"gksl." + k: v for k, v in g.items()})
    # every requested column; an undefined one (e.g. gksl without a limit) is null
    return {k: values.get(k) for k in keys}


# ---------------------------------------------------------------- I/O


def to_json_value(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v)


def from_json_value(v):
    if isinstance(v, str):
        return parse_beta(v)
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="recompute and compare with the file, do not write")
    ap.add_argument("file", nargs="?", default=DEFAULT_FILE)
    args = ap.parse_args()

    with open(args.file) as f:
        data = json.load(f)

    new_points = []
    for p in data["points"]:
        keys = list(p["expected"].keys())
        vals = compute(p["spec"], keys)
        new_points.append({"spec": p["spec"],
                           "expected": {k: to_json_value(vals[k]) for k in keys}})

    if args.check:
        worst = {}  # column -> (abs dev, rel dev, point index)
        bad = []
        for i, (old, new) in enumerate(zip(data["points"], new_points)):
            for k, ref in old["expected"].items():
                ref = from_json_value(ref)
                got = from_json_value(new["expected"][k])
                if ref is None or got is None or isinstance(ref, str):
                    ok = ref is None and got is None
                    dev = 0.0 if ok else math.inf
                    rel = dev
                elif math.isinf(ref) or math.isinf(got):
                    ok = ref == got
                    dev = rel = 0.0 if ok else math.inf
                else:
                    dev = abs(got - ref)
                    rel = dev / abs(ref) if ref != 0 else (0.0 if dev == 0 else math.inf)
                    ok = dev <= max(REL_TOL * abs(ref), ABS_TOL)
                if not ok:
                    bad.append((i, k, ref, got))
                if k not in worst or dev > worst[k][0]:
                    worst[k] = (dev, rel, i)
        print("%-34s %12s %12s %6s" % ("column", "max |dev|", "rel", "point"))
        for k, (dev, rel, i) in worst.items():
            print("%-34s %12.3e %12.3e %6d" % (k, dev, rel, i))
        if bad:
            print("\nDISAGREEMENT (tolerance max(%g*|ref|, %g)):" % (REL_TOL, ABS_TOL))
            for i, k, ref, got in bad:
                print("  point %d %s: file %r, recomputed %r" % (i, k, ref, got))
            return 1
        print("\nall %d columns of %d points agree (rel %g, abs %g)"
              % (sum(len(p["expected"]) for p in data["points"]), len(data["points"]),
                 REL_TOL, ABS_TOL))
        return 0

    out = {"about": ABOUT, "points": new_points}
    for k in data:
        if k not in out:
            out[k] = data[k]
    with open(args.file, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote %s (%d points)" % (args.file, len(new_points)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
