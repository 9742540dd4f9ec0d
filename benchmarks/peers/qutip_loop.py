"""Peer (a): the collision model as a physicist writes it in QuTiP.

Per point: build H with qutip.tensor, U = (-1j*dt*H).expm() once; per collision:
rho_tot = tensor(rho, rho_A), rho' = U rho_tot U^dag, work and heat from qutip.expect
(docs/physics.md section 3), rho = rho'.ptrace(0).
"""

import math

import numpy as np
import qutip

NAME = "qutip"
LABEL = "QuTiP (tensor, expm, ptrace per collision)"


def simulate(points: dict) -> dict:
    sx, sy, sz, one = qutip.sigmax(), qutip.sigmay(), qutip.sigmaz(), qutip.qeye(2)
    paulis = (sx, sy, sz)
    n = points["collisions"]
    count = len(points["dt"])
    out = {k: np.empty(count) for k in ("bloch_x", "bloch_y", "bloch_z", "work", "heat",
                                        "entropy_production")}
    for i in range(count):
        ws, wa, beta, dt = (points["omega_s"][i], points["omega_a"][i], points["beta"][i],
                            points["dt"][i])
        J = points["J"][i]
        H_S = 0.5 * ws * sz
        H_A = 0.5 * wa * sz
        V = sum(J[l, m] * qutip.tensor(paulis[l], paulis[m]) for l in range(3) for m in range(3))
        H_SA = V / math.sqrt(dt)
        H = qutip.tensor(H_S, one) + qutip.tensor(one, H_A) + H_SA
        U = (-1j * dt * H).expm()
        Ud = U.dag()
        H_A_tot = qutip.tensor(one, H_A)
        p_e = 0.5 * (1.0 - math.tanh(0.5 * beta * wa))
        rho_A = qutip.Qobj(np.diag([p_e, 1.0 - p_e]))
        x, y, z = points["bloch0"][i]
        rho = 0.5 * (one + x * sx + y * sy + z * sz)
        s0 = qutip.entropy_vn(rho)
        work = heat = 0.0
        for _ in range(n):
            rho_tot = qutip.tensor(rho, rho_A)
            rho_new = U * rho_tot * Ud
            work -= qutip.expect(H_SA, rho_new) - qutip.expect(H_SA, rho_tot)
            heat += qutip.expect(H_A_tot, rho_new) - qutip.expect(H_A_tot, rho_tot)
            rho = rho_new.ptrace(0)
        out["bloch_x"][i] = qutip.expect(sx, rho)
        out["bloch_y"][i] = qutip.expect(sy, rho)
        out["bloch_z"][i] = qutip.expect(sz, rho)
        out["work"][i] = work
        out["heat"][i] = heat
        out["entropy_production"][i] = (qutip.entropy_vn(rho) - s0 + beta * heat
                                        if math.isfinite(beta) else math.nan)
    return out
