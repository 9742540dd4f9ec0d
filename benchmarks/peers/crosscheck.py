"""Cross-checks of qcm against the peers (the benchmark refuses to report
numbers from implementations that disagree).

1. Collision model: the peers' final Bloch vector, cumulative work and heat (and
   entropy production at finite beta) against qcm `cpu` (closed form and forced
   stepping) and `reference`, on random nine-term points including beta = 0,
   +inf, -inf. Tolerance 1e-8 (absolute, relative where |value| > 1).
2. GKSL limit (docs/physics.md section 5) built in QuTiP: for a diagonal ancilla state
   rho_A = p_e|e><e| + p_g|g><g|,
     Tr_A[V (rho (x) rho_A) V] = sum_ab p_a <b|V|a> rho <a|V|b>
     Tr_A[V^2 (1 (x) rho_A)]   = sum_ab p_a <a|V|b><b|V|a>
   with <b|V|a> = sum_lm J_lm sigma_l (sigma_m)_ba an operator on S and
   <a|V|b> = <b|V|a>^dag (V Hermitian), so the generator is the Lindblad form
   -i[H_S, rho] + sum_ab D[L_ab] rho with L_ab = sqrt(p_a) <b|V|a> (four jump
   operators, no Hamiltonian correction: the odd moment Tr_A[V (1 (x) rho_A)]
   vanishes because the points have J_lz = 0).
   qutip.steadystate vs qcm's gksl.bloch_* (1e-8), the currents of section 5 on
   that state vs gksl.work_rate / gksl.heat_rate (1e-8), and qutip.mesolve vs
   qcm with "dynamics": "gksl" and a series (1e-6; mesolve at atol 1e-12,
   rtol 1e-10).
"""

from __future__ import annotations

import math
import os
import tempfile

import numpy as np
import qutip

import common
import numpy_affine
import numpy_batched
import numpy_loop
import qutip_loop

PEERS = (qutip_loop, numpy_loop, numpy_batched, numpy_affine)
COLUMNS = common.COMPARED + ("entropy_production",)


def collision_check(qcm: str, workdir: str, count: int = 30, collisions: int = 200) -> dict:
    pts = common.make_points(count, collisions, seed=7, special_betas=True)
    spec_path = os.path.join(workdir, "crosscheck-collision.json")
    common.write_spec(common.qcm_spec(pts, "peer cross-check: collision model"), spec_path)
    runs = {
        "qcm cpu (closed form)": common.run_qcm(qcm, spec_path, "cpu", "final"),
        "qcm cpu (stepping)": common.run_qcm(qcm, spec_path, "cpu", "final,decomposition"),
        "qcm reference": common.run_qcm(qcm, spec_path, "reference", "final"),
    }
    qcm_values = {k: common.finite_beta_only(common.qcm_final(v), pts["beta"])
                  for k, v in runs.items()}
    base = qcm_values["qcm cpu (closed form)"]
    checks = []
    for name, values in qcm_values.items():
        if name != "qcm cpu (closed form)":
            checks.append({"what": f"{name} vs qcm cpu (closed form)",
                           **common.compare(values, base, COLUMNS)})
    for peer in PEERS:
        out = common.finite_beta_only(peer.simulate(pts), pts["beta"])
        for name in ("qcm cpu (closed form)", "qcm cpu (stepping)", "qcm reference"):
            checks.append({"what": f"{peer.NAME} vs {name}",
                           **common.compare(out, qcm_values[name], COLUMNS)})
    return {"points": count, "collisions": collisions, "tolerance": common.TOLERANCE,
            "checks": checks,
            "passed": all(c["max"] <= common.TOLERANCE for c in checks)}


# ----------------------------------------------------------------------------- GKSL

def gksl_model(points: dict, i: int):
    """H_S, jump operators, and the current operators of section 5 for point i."""
    sx, sy, sz, one = qutip.sigmax(), qutip.sigmay(), qutip.sigmaz(), qutip.qeye(2)
    paulis = (sx, sy, sz)
    ws, wa, beta = points["omega_s"][i], points["omega_a"][i], points["beta"][i]
    J = points["J"][i]
    p_e = common.excited_population(beta, wa)
    p = (p_e, 1.0 - p_e)
    H_S = 0.5 * ws * sz
    H_A = 0.5 * wa * sz
    c_ops = []
    for a in range(2):
        for b in range(2):
            op = sum(J[l, m] * paulis[m].full()[b, a] * paulis[l]
                     for l in range(3) for m in range(3))
            c_ops.append(math.sqrt(p[a]) * op)
    V = sum(J[l, m] * qutip.tensor(paulis[l], paulis[m]) for l in range(3) for m in range(3))
    H_0 = qutip.tensor(H_S, one) + qutip.tensor(one, H_A)
    H_A_tot = qutip.tensor(one, H_A)
    V2 = V * V
    work_op = V * H_0 * V - 0.5 * (V2 * H_0 + H_0 * V2)
    heat_op = V * H_A_tot * V - 0.5 * (V2 * H_A_tot + H_A_tot * V2)
    rho_A = qutip.Qobj(np.diag(p))
    return H_S, c_ops, work_op, heat_op, rho_A


def bloch_of(rho) -> np.ndarray:
    return np.array([qutip.expect(op, rho) for op in (qutip.sigmax(), qutip.sigmay(),
                                                      qutip.sigmaz())])


def currents(work_op, heat_op, rho, rho_A):
    tot = qutip.tensor(rho, rho_A)
    return qutip.expect(work_op, tot), qutip.expect(heat_op, tot)


def gksl_check(qcm: str, workdir: str, count: int = 24, collisions: int = 200,
               every: int = 20) -> dict:
    pts = common.make_points(count, collisions, seed=11, gksl=True, special_betas=True)
    spec_path = os.path.join(workdir, "crosscheck-gksl.json")
    common.write_spec(common.qcm_spec(pts, "peer cross-check: GKSL steady state"), spec_path)
    steady = common.run_qcm(qcm, spec_path, "cpu", "gksl")
    dyn_path = os.path.join(workdir, "crosscheck-gksl-dynamics.json")
    common.write_spec(common.qcm_spec(pts, "peer cross-check: GKSL dynamics",
                                      dynamics="gksl", series={"every": every}), dyn_path)
    dynamics = common.run_qcm(qcm, dyn_path, "cpu", "final")
    qcm_ss = {c: common.qcm_column(steady, "gksl." + c)
              for c in ("bloch_x", "bloch_y", "bloch_z", "work_rate", "heat_rate", "dimension")}
    scols = dynamics["series"]["columns"]
    ix = {c: scols.index(c) for c in ("t", "bloch_x", "bloch_y", "bloch_z", "work_rate",
                                      "heat_rate")}
    opts = qutip.Options(atol=1e-12, rtol=1e-10, nsteps=10**6)
    ss_dev = {"bloch": 0.0, "work_rate": 0.0, "heat_rate": 0.0}
    dyn_dev = {"bloch": 0.0, "work_rate": 0.0, "heat_rate": 0.0}
    dims = []
    for i in range(count):
        H_S, c_ops, work_op, heat_op, rho_A = gksl_model(pts, i)
        L = qutip.liouvillian(H_S, c_ops)
        dims.append(qcm_ss["dimension"][i])
        rho_ss = qutip.steadystate(L)
        r = bloch_of(rho_ss)
        w, q = currents(work_op, heat_op, rho_ss, rho_A)
        q_r = np.array([qcm_ss[c][i] for c in ("bloch_x", "bloch_y", "bloch_z")])
        ss_dev["bloch"] = max(ss_dev["bloch"], float(np.max(common.deviation(r, q_r))))
        ss_dev["work_rate"] = max(ss_dev["work_rate"],
                                  float(common.deviation(w, qcm_ss["work_rate"][i])))
        ss_dev["heat_rate"] = max(ss_dev["heat_rate"],
                                  float(common.deviation(q, qcm_ss["heat_rate"][i])))
        # Dynamics: the samples of qcm's series against mesolve at the same times.
        samples = np.array(dynamics["series"]["rows"][i], dtype=float)
        times = np.concatenate([[0.0], samples[:, ix["t"]]])
        rho0 = common.density_from_bloch(pts["bloch0"][i])
        res = qutip.mesolve(H_S, qutip.Qobj(rho0), times, c_ops, [], options=opts)
        for s, rho_t in enumerate(res.states[1:]):
            r = bloch_of(rho_t)
            q_r = samples[s, [ix["bloch_x"], ix["bloch_y"], ix["bloch_z"]]]
            dyn_dev["bloch"] = max(dyn_dev["bloch"], float(np.max(common.deviation(r, q_r))))
            w, q = currents(work_op, heat_op, rho_t, rho_A)
            dyn_dev["work_rate"] = max(dyn_dev["work_rate"],
                                       float(common.deviation(w, samples[s, ix["work_rate"]])))
            dyn_dev["heat_rate"] = max(dyn_dev["heat_rate"],
                                       float(common.deviation(q, samples[s, ix["heat_rate"]])))
    return {
        "points": count, "collisions": collisions, "series_every": every,
        "kernel_dimensions": sorted(set(float(d) for d in dims)),
        "steadystate": {"tolerance": 1e-8, "max_deviation": ss_dev,
                        "passed": max(ss_dev.values()) <= 1e-8},
        "mesolve": {"tolerance": 1e-6, "max_deviation": dyn_dev,
                    "passed": max(dyn_dev.values()) <= 1e-6},
    }


def run(qcm: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="qcm-crosscheck-") as workdir:
        collision = collision_check(qcm, workdir)
        gksl = gksl_check(qcm, workdir)
    passed = collision["passed"] and gksl["steadystate"]["passed"] and gksl["mesolve"]["passed"]
    return {"collision": collision, "gksl": gksl, "passed": passed}


if __name__ == "__main__":
    import json
    import sys
    result = run(sys.argv[1] if len(sys.argv) > 1 else "build/qcm")
    print(json.dumps(result, indent=1))
    sys.exit(0 if result["passed"] else 1)
