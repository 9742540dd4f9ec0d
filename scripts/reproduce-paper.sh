#!/usr/bin/env bash
# Reproduce every figure of Guarnieri et al. (2020) with qcm: build if needed,
# run the six specs examples/fig*.json into a results directory, and render
# every panel into docs/figures/ (fig1a.png ... fig3b.png). docs/figures.md
# explains each panel and compares it with the paper.
#
#   scripts/reproduce-paper.sh [RESULTS_DIR]      (default: results/paper)
#
# Environment: QCM_NO_BUILD=1 (use build/qcm as it is), QCM_BACKEND (default cpu; auto picks the GPU when there is one),
# QCM_FIGURES (default docs/figures), QCM_FIGURE_FORMAT (default png; pdf, svg),
# QCM_PYTHON (a python3 with numpy and matplotlib; default: /usr/bin/python3 if
# it has them, else python3). Missing plotting packages are installed by
# scripts/setup-deps.sh with QCM_WITH_PLOTS=1 (Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/.."

start_ms=$(($(date +%s%N) / 1000000))
results=${1:-results/paper}
figures=${QCM_FIGURES:-docs/figures}
ext=${QCM_FIGURE_FORMAT:-png}
backend=${QCM_BACKEND:-cpu}

# Build (or bring up to date) only the qcm binary; a no-op when it is current.
# QCM_NO_BUILD=1 uses build/qcm as it is.
if [ "${QCM_NO_BUILD:-0}" != 1 ] || [ ! -x build/qcm ]; then
  if [ ! -f build/CMakeCache.txt ]; then
    scripts/setup-deps.sh
    command -v ninja >/dev/null 2>&1 && export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${QCM_CMAKE_ARGS:-} >/dev/null
  fi
  cmake --build build -j"${QCM_JOBS:-2}" --target qcm >/dev/null
fi

find_python() {
  for candidate in ${QCM_PYTHON:-/usr/bin/python3 python3}; do
    if "$candidate" -c 'import numpy, matplotlib' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
}
python=$(find_python)
if [ -z "$python" ] && [ -z "${QCM_PYTHON:-}" ]; then
  QCM_WITH_PLOTS=1 scripts/setup-deps.sh  # python3-numpy, python3-matplotlib
  python=$(find_python)
fi
if [ -z "$python" ]; then
  echo "reproduce-paper: no python3 with numpy and matplotlib (set QCM_PYTHON)" >&2
  exit 1
fi

mkdir -p "$results" "$figures"
for fig in fig1a fig1bcd fig2a fig2bcd fig3a fig3b; do
  build/qcm run "examples/$fig.json" -o "$results/$fig.json" --backend "$backend" --quiet
done

plot() { "$python" tools/qcm_plot.py "$@"; }
r=$results
f=$figures

# Fig. 1(a): beta_eff/beta against J_yy/J_xx, one curve per beta (dark red = hot).
plot "$r/fig1a.json" -o "$f/fig1a.$ext" --panel "(a)" \
  --x coupling.yy --x-divide-by coupling.xx --y beta_eff --curves ancilla.beta \
  --divide-by ancilla.beta --compare gksl.beta_eff --compare-label '$\delta t\to 0$ (GKSL)' \
  --reverse-legend --hline 0 --legend-loc "lower right"

# Fig. 1(b-d): rates against t, cumulative values as insets.
fig1_styles=":,-.,--,-"   # J_yy/J_xx = -1/2 dotted, 0 dot-dashed, 1/2 dashed, 1 solid
# The main panels span t = 0 ... 50 like the paper's; the transients last t < 2 (about
# 15 collisions). The y ranges leave room for the insets above the steady currents.
for panel in "b work_rate work -0.2,3.2" "c heat_rate heat -1,2.7" \
  "d entropy_production_rate entropy_production -0.3,7"; do
  set -- $panel
  plot "$r/fig1bcd.json" -o "$f/fig1$1.$ext" --panel "($1)" --series "$2" --inset "$3" \
    --curves coupling.yy --curve-label '$J_{yy}/J_{xx} = {}$' --linestyles="$fig1_styles" \
    --ylim="$4" --legend-loc "upper left" --inset-bounds 0.5,0.47,0.46,0.44
done

# Fig. 2(a): l1 coherence against alpha (perpendicular part fixed), one curve per beta.
plot "$r/fig2a.json" -o "$f/fig2a.$ext" --panel "(a)" \
  --x coupling.alpha --y coherence_l1 --curves ancilla.beta \
  --compare gksl.coherence_l1 --compare-label '$\delta t\to 0$ (GKSL)' \
  --vline "pi/4" --reverse-legend --legend-loc "upper right"

# Fig. 2(b-d): rates for alpha = 0, pi/8, pi/4, 3pi/8.
fig2_styles="-,:,--,-."   # alpha = 0 solid, pi/8 dotted, pi/4 dashed, 3pi/8 dot-dashed
for panel in "b work_rate work -0.3,5.5" "c heat_rate heat -0.5,5.5" \
  "d entropy_production_rate entropy_production -0.3,8"; do
  set -- $panel
  plot "$r/fig2bcd.json" -o "$f/fig2$1.$ext" --panel "($1)" --series "$2" --inset "$3" \
    --curves coupling.alpha --linestyles="$fig2_styles" \
    --ylim="$4" --legend-loc "upper left" --inset-bounds 0.5,0.6,0.46,0.34
done

# Fig. 3(a): ergotropy over (alpha, gamma), beta = 1, initial |e>; dashed line alpha = pi/4,
# dash-dotted contour where relaxation takes n/3 collisions (right of it: not relaxed).
plot "$r/fig3a.json" -o "$f/fig3a.$ext" --panel "(a)" --heatmap \
  --x coupling.alpha --y coupling.gamma --z ergotropy \
  --vline 'pi/4:$\alpha = \pi/4$ (dashed line of the paper)' --contour "stationary.relaxation_collisions=1000/3:relaxation time = n/3" \
  --mark '0,-pi/4:Gibbs state at $-\beta$' --legend-loc "lower left" --size 5.6,4.2

# Fig. 3(b): ergotropy against alpha at gamma = 0; solid |e>, dashed |g>.
plot "$r/fig3b.json" -o "$f/fig3b.$ext" --panel "(b)" \
  --x coupling.alpha --y ergotropy --curves ancilla.beta --styles initial_state \
  --style-label '$\rho_0 = {}$' --reverse-legend --legend-loc "upper left" \
  --vline "pi/4" --ylim 0,1.02

elapsed_ms=$(($(date +%s%N) / 1000000 - start_ms))
printf 'reproduce-paper: results in %s, figures in %s (%d.%01d s)\n' "$results" "$figures" \
  $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
