"""Peer (b): plain NumPy/SciPy, one point at a time.

Per point: U = scipy.linalg.expm(-1j dt H) once; then an explicit Python loop over
the collisions with np.kron, matrix products and a partial trace by reshape.
"""

import math

import numpy as np
import scipy.linalg

from common import I2, SX, SY, SZ, coupling_matrix, density_from_bloch

NAME = "numpy_loop"
LABEL = "NumPy/SciPy loop (expm per point, kron + products per collision)"


def entropy(rho):
    p = np.linalg.eigvalsh(rho)
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def simulate(points: dict) -> dict:
    n = points["collisions"]
    count = len(points["dt"])
    out = {k: np.empty(count) for k in ("bloch_x", "bloch_y", "bloch_z", "work", "heat",
                                        "entropy_production")}
    for i in range(count):
        ws, wa, beta, dt = (points["omega_s"][i], points["omega_a"][i], points["beta"][i],
                            points["dt"][i])
        H_S = 0.5 * ws * SZ
        H_A = 0.5 * wa * SZ
        H_SA = coupling_matrix(points["J"][i]) / math.sqrt(dt)
        H = np.kron(H_S, I2) + np.kron(I2, H_A) + H_SA
        U = scipy.linalg.expm(-1j * dt * H)
        Ud = U.conj().T
        H_A_tot = np.kron(I2, H_A)
        p_e = 0.5 * (1.0 - math.tanh(0.5 * beta * wa))
        rho_A = np.diag([p_e, 1.0 - p_e]).astype(complex)
        rho = density_from_bloch(points["bloch0"][i])
        s0 = entropy(rho)
        work = heat = 0.0
        for _ in range(n):
            rho_tot = np.kron(rho, rho_A)
            rho_new = U @ rho_tot @ Ud
            change = rho_new - rho_tot
            work -= np.trace(H_SA @ change).real
            heat += np.trace(H_A_tot @ change).real
            rho = np.trace(rho_new.reshape(2, 2, 2, 2), axis1=1, axis2=3)
        out["bloch_x"][i] = np.trace(rho @ SX).real
        out["bloch_y"][i] = np.trace(rho @ SY).real
        out["bloch_z"][i] = np.trace(rho @ SZ).real
        out["work"][i] = work
        out["heat"][i] = heat
        out["entropy_production"][i] = (entropy(rho) - s0 + beta * heat
                                        if math.isfinite(beta) else math.nan)
    return out
