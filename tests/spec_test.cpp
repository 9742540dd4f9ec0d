// @file tests: spec parsing, validation (error paths) and sweep expansion.
#include "qcm/spec.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <string>

namespace qcm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The SpecError message for `text`, or "(accepted)".
std::string error_of(std::string_view text) {
  try {
    parse_spec_text(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

/// Checks that `text` is refused with a message that starts with `prefix`.
void expect_error(std::string_view text, std::string_view prefix) {
  const std::string message = error_of(text);
  EXPECT_TRUE(message.starts_with(prefix))
      << "spec:     " << text << "\nmessage:  " << message << "\nexpected: " << prefix << "...";
}

std::vector<double> axis_numbers(std::string_view text) {
  const Spec spec = parse_spec_text(text);
  EXPECT_EQ(spec.axes.size(), 1u);
  return spec.axes.at(0).numbers.at(0);
}

TEST(SpecDefaults, EmptySpecGivesDocumentedDefaults) {
  const Spec spec = parse_spec_text("{}");
  EXPECT_EQ(spec.point_count(), 1u);
  EXPECT_TRUE(spec.swept_columns().empty());
  EXPECT_TRUE(spec.evolve);
  EXPECT_EQ(spec.series_every, 0);
  EXPECT_EQ(spec.dynamics, core::Dynamics::collision);
  const core::PointParams p = spec.point(0);
  EXPECT_EQ(p.omega_s, 1.0);
  EXPECT_EQ(p.omega_a, 1.0);
  EXPECT_EQ(p.beta, 1.0);
  EXPECT_EQ(p.dt, 0.05);
  EXPECT_EQ(p.collisions, 1000);
  EXPECT_EQ(p.scaling, core::Scaling::ultrastrong);
  for (int l = 0; l < 3; ++l) {
    for (int m = 0; m < 3; ++m) EXPECT_EQ(p.coupling[l][m], 0.0);
  }
  EXPECT_EQ(p.bloch0[0], 0.0);
  EXPECT_EQ(p.bloch0[1], 0.0);
  EXPECT_EQ(p.bloch0[2], -1.0);
  EXPECT_THROW(spec.point(1), std::out_of_range);
}

TEST(SpecDefaults, TopLevelOptionsAreRead) {
  const Spec spec = parse_spec_text(R"({"description": "d", "scaling": "fixed", "evolve": true,
      "dynamics": "gksl", "series": {"every": 7}, "system": {"omega": 2}, "ancilla": {"omega": 3}})");
  EXPECT_EQ(spec.description, "d");
  EXPECT_EQ(spec.series_every, 7);
  EXPECT_EQ(spec.dynamics, core::Dynamics::gksl);
  const core::PointParams p = spec.point(0);
  EXPECT_EQ(p.dynamics, core::Dynamics::gksl);  // resolve_point copies dynamics
  EXPECT_EQ(p.scaling, core::Scaling::fixed);
  EXPECT_EQ(p.omega_s, 2.0);
  EXPECT_EQ(p.omega_a, 3.0);
  EXPECT_FALSE(parse_spec_text(R"({"evolve": false})").evolve);
}

TEST(SpecDefaults, BuiltInDefaultIsFig1a) {
  const Spec spec = parse_spec(default_spec_document());
  EXPECT_FALSE(spec.description.empty());
  ASSERT_EQ(spec.point_count(), 205u);
  EXPECT_EQ(spec.swept_columns(), (std::vector<std::string>{"ancilla.beta", "coupling.yy"}));
  const core::PointParams first = spec.point(0), last = spec.point(204);
  EXPECT_EQ(first.beta, 1.0);
  EXPECT_EQ(first.coupling[1][1], -2.0);
  EXPECT_EQ(first.coupling[0][0], 1.0);
  EXPECT_EQ(last.beta, 9.0);
  EXPECT_EQ(last.coupling[1][1], 2.0);
  EXPECT_EQ(last.dt, 0.05);
  EXPECT_EQ(last.collisions, 1000);
  EXPECT_EQ(last.bloch0[2], -1.0);
  EXPECT_EQ(spec.point(41).beta, 3.0);  // second beta starts after the 41 J_yy values
}

TEST(SpecSweep, FirstGridKeyIsSlowest) {
  const Spec spec = parse_spec_text(
      R"({"sweep": {"grid": {"ancilla.beta": [1, 2], "coupling.yy": [10, 20, 30]}}})");
  ASSERT_EQ(spec.point_count(), 6u);
  const double beta[] = {1, 1, 1, 2, 2, 2}, yy[] = {10, 20, 30, 10, 20, 30};
  for (std::uint64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(spec.point(i).beta, beta[i]) << i;
    EXPECT_EQ(spec.point(i).coupling[1][1], yy[i]) << i;
  }
  const Spec swapped = parse_spec_text(
      R"({"sweep": {"grid": {"coupling.yy": [10, 20, 30], "ancilla.beta": [1, 2]}}})");
  EXPECT_EQ(swapped.point(1).coupling[1][1], 10.0);
  EXPECT_EQ(swapped.point(1).beta, 2.0);
  EXPECT_EQ(swapped.swept_columns(), (std::vector<std::string>{"coupling.yy", "ancilla.beta"}));
}

TEST(SpecSweep, LinspaceHasNumpySemantics) {
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"coupling.xx": {"linspace": [0, 1, 5]}}}})"),
            (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  // numpy: start + i * step, and the last value is exactly `stop`.
  const double step = 0.3 / 3;
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"coupling.xx": {"linspace": [0, 0.3, 4]}}}})"),
            (std::vector<double>{0, step, 2 * step, 0.3}));
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"coupling.xx": {"linspace": [1, 0, 3]}}}})"),
            (std::vector<double>{1, 0.5, 0}));
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"coupling.xx": {"linspace": [2.5, 9, 1]}}}})"),
            (std::vector<double>{2.5}));
  const auto fig1 =
      axis_numbers(R"({"sweep": {"grid": {"coupling.yy": {"linspace": [-2, 2, 41]}}}})");
  ASSERT_EQ(fig1.size(), 41u);
  EXPECT_EQ(fig1.front(), -2.0);
  EXPECT_EQ(fig1[20], 0.0);
  EXPECT_EQ(fig1.back(), 2.0);
  // Generated collision counts come out as integers.
  const Spec n =
      parse_spec_text(R"({"sweep": {"grid": {"collisions": {"linspace": [100, 1000, 10]}}}})");
  EXPECT_EQ(n.point(9).collisions, 1000);
  EXPECT_TRUE(n.swept_value(2, 0).is_number_integer());
  EXPECT_EQ(n.swept_value(2, 0).get<std::int64_t>(), 300);
}

TEST(SpecSweep, LogspaceIsTenToTheLinspace) {
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"dt": {"logspace": [0, 2, 3]}}}})"),
            (std::vector<double>{1, 10, 100}));
  const auto v = axis_numbers(R"({"sweep": {"grid": {"dt": {"logspace": [-3, -1, 5]}}}})");
  ASSERT_EQ(v.size(), 5u);
  EXPECT_DOUBLE_EQ(v[0], 1e-3);
  EXPECT_DOUBLE_EQ(v[1], std::pow(10.0, -2.5));
  EXPECT_DOUBLE_EQ(v[4], 0.1);
  EXPECT_EQ(axis_numbers(R"({"sweep": {"grid": {"dt": {"logspace": [2, 5, 1]}}}})"),
            (std::vector<double>{100}));
}

TEST(SpecSweep, ZipPairsValues) {
  const Spec spec = parse_spec_text(R"({"sweep": {"zip": {
      "coupling.xx": [1, 2, 3], "coupling.yy": [4, 5, 6],
      "initial_state": ["ground", "excited", "mixed"]}}})");
  ASSERT_EQ(spec.axes.size(), 1u);
  ASSERT_EQ(spec.point_count(), 3u);
  EXPECT_EQ(spec.swept_columns().size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) {
    const core::PointParams p = spec.point(i);
    EXPECT_EQ(p.coupling[0][0], 1.0 + i);
    EXPECT_EQ(p.coupling[1][1], 4.0 + i);
  }
  EXPECT_EQ(spec.point(0).bloch0[2], -1.0);
  EXPECT_EQ(spec.point(1).bloch0[2], 1.0);
  EXPECT_EQ(spec.point(2).bloch0[2], 0.0);
  EXPECT_EQ(error_of(R"({"sweep": {"zip": {"ancilla.beta": [1, 2, 3], "coupling.yy": [4, 5]}}})"),
            R"(sweep.zip["coupling.yy"]: zip lists must have equal lengths: this one has 2 )"
            R"(values, sweep.zip["ancilla.beta"] has 3)");
}

TEST(SpecSweep, PointAgreesWithSweptValue) {
  const Spec spec = parse_spec_text(R"({
      "coupling": {"alpha": 0.1, "gamma": 0.2, "strength": 1},
      "sweep": {"grid": {
        "initial_state": ["ground", {"bloch": [0.5, 0, 0]}],
        "ancilla.beta": ["inf", 0, "-inf"],
        "coupling.alpha": {"linspace": [0, 1, 4]},
        "collisions": [10, 20]}}})");
  ASSERT_EQ(spec.point_count(), 2u * 3 * 4 * 2);
  for (std::uint64_t i = 0; i < spec.point_count(); ++i) {
    const core::PointParams p = spec.point(i);
    const Json& state = spec.swept_value(i, 0);
    EXPECT_EQ(p.bloch0[0], state == Json("ground") ? 0.0 : 0.5) << i;
    EXPECT_EQ(p.bloch0[2], state == Json("ground") ? -1.0 : 0.0) << i;
    const Json& beta = spec.swept_value(i, 1);
    EXPECT_EQ(p.beta, beta == Json("inf") ? kInf : beta == Json("-inf") ? -kInf : 0.0) << i;
    const double alpha = spec.swept_value(i, 2).get<double>();
    EXPECT_DOUBLE_EQ(p.coupling[2][1], std::sin(alpha)) << i;
    EXPECT_DOUBLE_EQ(p.coupling[0][0], std::cos(alpha) * std::cos(0.2)) << i;
    EXPECT_EQ(p.collisions, spec.swept_value(i, 3).get<std::int64_t>()) << i;
  }
  EXPECT_EQ(spec.swept_value(spec.point_count() - 1, 0), Json::parse(R"({"bloch": [0.5, 0, 0]})"));
  EXPECT_THROW(spec.swept_value(0, 4), std::out_of_range);
  EXPECT_THROW(spec.point(spec.point_count()), std::out_of_range);
}

TEST(SpecSweep, HugeSweepIsCountedNotRefused) {
  const Spec spec = parse_spec_text(R"({"sweep": {"grid": {
      "system.omega": {"linspace": [1, 2, 1000]}, "ancilla.omega": {"linspace": [1, 2, 1000]},
      "ancilla.beta": {"linspace": [1, 2, 1000]}, "coupling.xx": {"linspace": [1, 2, 1000]}}}})");
  EXPECT_EQ(spec.point_count(), 1'000'000'000'000u);
  const core::PointParams last = spec.point(999'999'999'999u);
  EXPECT_EQ(last.omega_s, 2.0);
  EXPECT_EQ(last.coupling[0][0], 2.0);
  EXPECT_THROW(spec.point(1'000'000'000'000u), std::out_of_range);

  std::string axes;
  for (const char* path : {"system.omega", "ancilla.omega", "ancilla.beta", "coupling.xx",
                           "coupling.xy", "coupling.xz", "coupling.yx"}) {
    axes +=
        std::string(axes.empty() ? "" : ", ") + "\"" + path + "\": {\"linspace\": [1, 2, 1000]}";
  }
  const Spec saturated = parse_spec_text(R"({"sweep": {"grid": {)" + axes + "}}}");
  EXPECT_EQ(saturated.point_count(), std::numeric_limits<std::uint64_t>::max());
}

TEST(SpecCoupling, ComponentsGoToTheirSlots) {
  const core::PointParams p =
      parse_spec_text(R"({"coupling": {"xx": 1, "yy": 0.5, "zy": -0.25, "xz": 2, "zx": 3}})")
          .point(0);
  const double expected[3][3] = {{1, 0, 2}, {0, 0.5, 0}, {3, -0.25, 0}};
  for (int l = 0; l < 3; ++l) {
    for (int m = 0; m < 3; ++m) EXPECT_EQ(p.coupling[l][m], expected[l][m]) << l << m;
  }
}

TEST(SpecCoupling, Eq31StrengthForm) {
  const double a = 0.3, g = -0.7, s = 2.0;
  const core::PointParams p =
      parse_spec_text(R"({"coupling": {"alpha": 0.3, "gamma": -0.7, "strength": 2}})").point(0);
  EXPECT_DOUBLE_EQ(p.coupling[0][0], s * std::cos(a) * std::cos(g));
  EXPECT_DOUBLE_EQ(p.coupling[1][1], s * std::cos(a) * std::sin(g));
  EXPECT_DOUBLE_EQ(p.coupling[2][1], s * std::sin(a));
  EXPECT_EQ(p.coupling[0][1], 0.0);
  EXPECT_EQ(p.coupling[2][2], 0.0);
  // Total strength is s: sqrt(J_xx^2 + J_yy^2 + J_zy^2).
  EXPECT_NEAR(std::hypot(p.coupling[0][0], p.coupling[1][1], p.coupling[2][1]), s, 1e-14);
}

TEST(SpecCoupling, PerpendicularFormIsFig2) {
  // Fig. 2(a): J_xx = 2 J_yy = 1 fixed, J_zy = sqrt(J_xx^2 + J_yy^2) tan(alpha).
  const double perp = std::hypot(1.0, 0.5), g = std::atan(0.5), a = 0.4;
  Json doc;
  doc["coupling"] = {{"alpha", a}, {"gamma", g}, {"perpendicular", perp}};
  const core::PointParams p = parse_spec(doc).point(0);
  EXPECT_NEAR(p.coupling[0][0], 1.0, 1e-15);
  EXPECT_NEAR(p.coupling[1][1], 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(p.coupling[2][1], perp * std::tan(a));
}

TEST(SpecCoupling, AngleFormMaySweepItsKeysAndOmitThemInTheBase) {
  const Spec spec = parse_spec_text(R"({"coupling": {"gamma": 0, "strength": 1},
      "sweep": {"grid": {"coupling.alpha": [0, 0.5]}}})");
  EXPECT_DOUBLE_EQ(spec.point(1).coupling[2][1], std::sin(0.5));
  EXPECT_DOUBLE_EQ(spec.point(1).coupling[0][0], std::cos(0.5));
  const Spec all_swept = parse_spec_text(R"({"sweep": {"zip": {"coupling.alpha": [0.1],
      "coupling.gamma": [0.2], "coupling.perpendicular": [3]}}})");
  EXPECT_DOUBLE_EQ(all_swept.point(0).coupling[2][1], 3 * std::tan(0.1));
  // Components may be swept when the base uses components, or has no coupling at all.
  EXPECT_EQ(parse_spec_text(R"({"sweep": {"grid": {"coupling.zz": [7]}}})").point(0).coupling[2][2],
            7.0);
}

TEST(SpecState, NamedStatesAndBlochVectors) {
  const auto bloch = [](std::string_view state) {
    const core::PointParams p =
        parse_spec_text(R"({"initial_state": )" + std::string(state) + "}").point(0);
    return std::vector<double>{p.bloch0[0], p.bloch0[1], p.bloch0[2]};
  };
  EXPECT_EQ(bloch(R"("ground")"), (std::vector<double>{0, 0, -1}));
  EXPECT_EQ(bloch(R"("excited")"), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(bloch(R"("mixed")"), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(bloch(R"({"bloch": [0.1, -0.2, 0.3]})"), (std::vector<double>{0.1, -0.2, 0.3}));
  // Within the 1e-12 slack a too-long vector is accepted and brought to length 1.
  const auto edge = bloch(R"({"bloch": [0, 0, 1.0000000000001]})");
  EXPECT_EQ(edge[2], 1.0);

  // Kets are normalised: (3|e> + 4i|g>)/5.
  const auto ket = bloch(R"({"ket": {"excited": [3, 0], "ground": [0, 4]}})");
  EXPECT_NEAR(ket[0], 0.0, 1e-15);
  EXPECT_NEAR(ket[1], 0.96, 1e-15);  // y = -2 Im(c_e conj(c_g)) = -2 * (-0.48)
  EXPECT_NEAR(ket[2], -0.28, 1e-15);
  // (i|e> + |g>)/sqrt2 has <sigma_y> = -1.
  const auto phase = bloch(R"({"ket": {"excited": [0, 1], "ground": [1, 0]}})");
  EXPECT_NEAR(phase[0], 0.0, 1e-15);
  EXPECT_NEAR(phase[1], -1.0, 1e-15);
  EXPECT_NEAR(phase[2], 0.0, 1e-15);
  // The paper's Fig. 1(b) state cos(15pi/16)|g> + sin(15pi/16)|e>.
  const double c = std::cos(15 * std::numbers::pi / 16), s = std::sin(15 * std::numbers::pi / 16);
  Json doc;
  doc["initial_state"]["ket"] = {{"excited", {s, 0.0}}, {"ground", {c, 0.0}}};
  const core::PointParams p = parse_spec(doc).point(0);
  EXPECT_NEAR(p.bloch0[0], 2 * s * c, 1e-15);
  EXPECT_NEAR(p.bloch0[1], 0.0, 1e-15);
  EXPECT_NEAR(p.bloch0[2], s * s - c * c, 1e-15);
  // A global phase changes nothing.
  const auto global = bloch(R"({"ket": {"excited": [0, 3], "ground": [0, 4]}})");
  EXPECT_NEAR(global[0], 0.96, 1e-15);
  EXPECT_NEAR(global[1], 0.0, 1e-15);
}

TEST(SpecBeta, InfiniteZeroAndNegative) {
  const auto beta = [](std::string_view value) {
    return parse_spec_text(R"({"ancilla": {"beta": )" + std::string(value) + "}}").point(0).beta;
  };
  EXPECT_EQ(beta(R"("inf")"), kInf);
  EXPECT_EQ(beta(R"("+inf")"), kInf);
  EXPECT_EQ(beta(R"("-inf")"), -kInf);
  EXPECT_EQ(beta("0"), 0.0);
  EXPECT_EQ(beta("-2.5"), -2.5);
  const Spec swept =
      parse_spec_text(R"({"sweep": {"grid": {"ancilla.beta": ["-inf", 0, "+inf"]}}})");
  EXPECT_EQ(swept.point(0).beta, -kInf);
  EXPECT_EQ(swept.point(2).beta, kInf);
  EXPECT_EQ(swept.swept_value(2, 0), Json("+inf"));  // kept as written
}

TEST(SpecErrors, UnknownAndMisspelledKeys) {
  expect_error(R"({"foo": 1})", "foo: unknown key (allowed here: description, system");
  expect_error(R"({"colisions": 10})", R"(colisions: unknown key; did you mean "collisions"?)");
  expect_error(R"({"ancilla": {"bta": 1}})", R"(ancilla.bta: unknown key; did you mean "beta"?)");
  expect_error(R"({"coupling": {"yy": 1, "yyy": 2}})",
               R"(coupling.yyy: unknown key; did you mean "yy"?)");
  expect_error(R"({"coupling": {"xX": 1}})", R"(coupling.xX: unknown key; did you mean "xx"?)");
  expect_error(R"({"initial_state": {"ket": {"exited": [1, 0]}}})",
               R"(initial_state.ket.exited: unknown key; did you mean "excited"?)");
  expect_error(R"({"sweep": {"grid": {"ancilla.bta": [1]}}})",
               R"(sweep.grid["ancilla.bta"]: unknown sweep path; did you mean "ancilla.beta"?)");
  expect_error(R"({"sweep": {"grid": {"scaling": ["fixed"]}}})",
               R"(sweep.grid.scaling: unknown sweep path (sweepable: system.omega)");
  expect_error(R"({"sweep": {"grdi": {}}})", R"(sweep.grdi: unknown key; did you mean "grid"?)");
  expect_error(R"({"initial_state": "groud"})",
               R"(initial_state: expected one of "ground", "excited", "mixed"; did you mean )"
               R"("ground"?, got "groud")");
}

TEST(SpecErrors, WrongTypesAndNonFiniteNumbers) {
  expect_error("[1, 2]", "the spec must be a JSON object, got [1,2]");
  expect_error(R"({"dt": "0.1"})", R"(dt: expected a finite number > 0, got "0.1")");
  expect_error(R"({"coupling": {"xx": "NaN"}})",
               R"(coupling.xx: expected a finite number, got "NaN")");
  expect_error(R"({"system": {"omega": "Infinity"}})",
               R"(system.omega: expected a finite number, got "Infinity")");
  expect_error(
      R"({"ancilla": {"beta": "Infinity"}})",
      R"(ancilla.beta: expected a finite number or "inf", "+inf", "-inf", got "Infinity")");
  expect_error(R"({"ancilla": {"omega": "inf"}})",
               R"(ancilla.omega: expected a finite number, got "inf")");
  expect_error(R"({"coupling": [1, 0]})", "coupling: expected an object, got [1,0]");
  expect_error(R"({"evolve": "yes"})", R"(evolve: expected true or false, got "yes")");
  expect_error(R"({"description": 3})", "description: expected a string, got 3");
  expect_error(R"({"scaling": "fixd"})",
               R"(scaling: expected one of "ultrastrong", "fixed"; did you mean "fixed"?)");
  expect_error(R"({"dynamics": "lindblad"})", R"(dynamics: expected one of "collision", "gksl")");
  expect_error(R"({"sweep": {"grid": {"ancilla.beta": [1, "hot"]}}})",
               R"(sweep.grid["ancilla.beta"][1]: expected a finite number or "inf")");
  expect_error(R"({"initial_state": {"ket": {"excited": [1, "i"], "ground": [0, 0]}}})",
               R"(initial_state.ket.excited[1]: expected a finite number, got "i")");
  // A NaN that reached the document programmatically is refused too.
  Json doc;
  doc["coupling"]["yy"] = std::numeric_limits<double>::quiet_NaN();
  try {
    parse_spec(doc);
    ADD_FAILURE() << "NaN accepted";
  } catch (const SpecError& e) {
    EXPECT_STREQ(e.what(), "coupling.yy: expected a finite number, got NaN");
    EXPECT_EQ(e.path(), "coupling.yy");
  }
}

TEST(SpecErrors, OutOfRangeValues) {
  expect_error(R"({"dt": 0})", "dt: expected a finite number > 0, got 0");
  expect_error(R"({"dt": -0.05})", "dt: expected a finite number > 0, got -0.05");
  expect_error(R"({"collisions": 0})", "collisions: expected an integer >= 1, got 0");
  expect_error(R"({"collisions": 1.5})", "collisions: expected an integer >= 1, got 1.5");
  expect_error(R"({"collisions": "10"})", R"(collisions: expected an integer >= 1, got "10")");
  EXPECT_EQ(parse_spec_text(R"({"collisions": 1e3})").point(0).collisions, 1000);
  expect_error(R"({"series": {"every": 0}})", "series.every: expected an integer >= 1, got 0");
  expect_error(R"({"series": {}})", "series: missing key \"every\"");
  expect_error(R"({"evolve": false, "series": {"every": 5}})",
               R"(series: a series needs time-stepping, but "evolve" is false)");
  expect_error(R"({"initial_state": {"bloch": [1, 0, 0.1]}})",
               "initial_state.bloch: a Bloch vector must have length <= 1");
  expect_error(R"({"initial_state": {"bloch": [0, 0]}})",
               "initial_state.bloch: expected [x, y, z], got [0,0]");
  expect_error(R"({"initial_state": {"ket": {"excited": [0, 0], "ground": [0, 0]}}})",
               "initial_state.ket: the zero ket is not a state");
  expect_error(R"({"initial_state": {"ket": {"excited": [1, 0]}}})",
               R"(initial_state.ket: missing key "ground")");
  expect_error(R"({"initial_state": {"bloch": [0, 0, 1], "ket": {}}})",
               R"(initial_state: expected "ground", "excited", "mixed", {"bloch")");
}

TEST(SpecErrors, CouplingForms) {
  expect_error(R"({"coupling": {"xx": 1, "alpha": 0, "gamma": 0, "strength": 1}})",
               "coupling.alpha: the angle form (alpha, gamma, strength or perpendicular) cannot be "
               "mixed with coupling components (coupling.xx is given)");
  expect_error(R"({"coupling": {"alpha": 0, "gamma": 0, "strength": 1, "perpendicular": 1}})",
               R"(coupling.perpendicular: "strength" and "perpendicular" exclude each other)");
  expect_error(R"({"coupling": {"alpha": 0, "strength": 1}})",
               R"(coupling: the angle form needs "alpha", "gamma" and one of "strength" or )"
               R"("perpendicular" (in coupling or swept); missing "gamma")");
  expect_error(R"({"coupling": {"xx": 1}, "sweep": {"grid": {"coupling.alpha": [0, 1]}}})",
               R"(sweep.grid["coupling.alpha"]: the angle form)");
  expect_error(R"({"coupling": {"alpha": 0, "gamma": 0, "strength": 1},
                   "sweep": {"grid": {"coupling.xx": [0, 1]}}})",
               R"(sweep.grid["coupling.xx"]: coupling components cannot be mixed with the angle )"
               R"(form (coupling.alpha is given))");
  expect_error(R"({"coupling": {"alpha": 1.5707963267948966, "gamma": 0, "perpendicular": 1}})",
               "coupling.alpha: the perpendicular form needs |alpha| < pi/2, got "
               "1.5707963267948966");
  expect_error(R"({"coupling": {"alpha": -2, "gamma": 0, "perpendicular": 1}})",
               "coupling.alpha: the perpendicular form needs |alpha| < pi/2, got -2");
  expect_error(R"({"coupling": {"gamma": 0, "perpendicular": 1},
      "sweep": {"grid": {"coupling.alpha": {"linspace": [0, 1.5707963267948966, 3]}}}})",
               R"(sweep.grid["coupling.alpha"][2]: the perpendicular form needs |alpha| < pi/2)");
  // Eq. 31 with a fixed strength allows alpha = pi/2 (pure J_zy).
  EXPECT_EQ(error_of(R"({"coupling": {"alpha": 1.5707963267948966, "gamma": 0, "strength": 1}})"),
            "(accepted)");
}

TEST(SpecErrors, SweepAxes) {
  expect_error(R"({"sweep": {"grid": {"dt": []}}})",
               "sweep.grid.dt: expected at least one value, got []");
  expect_error(R"({"sweep": {"grid": {"dt": [0.1], "dt": [0.2]}}})",
               "sweep.grid.dt: this path appears twice in the sweep");
  expect_error(R"({"sweep": {"zip": {"ancilla.beta": [1], "ancilla.beta": [2]}}})",
               R"(sweep.zip["ancilla.beta"]: this path appears twice in the sweep)");
  expect_error(R"({"dt": 0.1, "system": {"omega": 1}, "dt": 0.2})",
               "dt: duplicate key (each key may appear once)");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0.1, -0.1, 3]}}}})",
               "sweep.grid.dt[1]: expected a finite number > 0, got 0.0");
  expect_error(R"({"sweep": {"grid": {"dt": [0.1, 0.2, -1]}}})",
               "sweep.grid.dt[2]: expected a finite number > 0, got -1");
  expect_error(R"({"sweep": {"grid": {"collisions": {"linspace": [1, 2, 3]}}}})",
               "sweep.grid.collisions[1]: expected an integer >= 1, got 1.5");
  expect_error(R"({"sweep": {"grid": {"collisions": [10, 0]}}})",
               "sweep.grid.collisions[1]: expected an integer >= 1, got 0");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0.1, 1, 0]}}}})",
               "sweep.grid.dt.linspace[2]: expected an integer >= 1, got 0");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0.1, 1, -4]}}}})",
               "sweep.grid.dt.linspace[2]: expected an integer >= 1, got -4");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0.1, 1]}}}})",
               "sweep.grid.dt.linspace: expected [start, stop, count], got [0.1,1]");
  expect_error(R"({"sweep": {"grid": {"dt": {"logspace": [0, 400, 2]}}}})",
               "sweep.grid.dt[1]: expected a finite number > 0, got inf");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0, 1, 2], "logspace": [0, 1, 2]}}}})",
               R"(sweep.grid.dt: expected exactly one of "linspace" or "logspace")");
  expect_error(R"({"sweep": {"grid": {"dt": 0.1}}})",
               R"(sweep.grid.dt: expected a list of values, {"linspace")");
  expect_error(R"({"sweep": {"grid": {"initial_state": {"linspace": [0, 1, 2]}}}})",
               "sweep.grid.initial_state: initial_state values must be a list of states");
  expect_error(R"({"sweep": {"grid": {"initial_state": ["ground", {"bloch": [2, 0, 0]}]}}})",
               "sweep.grid.initial_state[1].bloch: a Bloch vector must have length <= 1");
  expect_error(R"({"sweep": {"grid": {"dt": [0.1]}, "zip": {"collisions": [1]}}})",
               R"(sweep: expected exactly one of "grid" or "zip")");
  expect_error(R"({"sweep": {"grid": {}}})", "sweep.grid: expected at least one path");
  expect_error(R"({"sweep": {"grid": {"dt": {"linspace": [0.1, 1, 20000000]}}}})",
               "sweep.grid.dt.linspace[2]: at most 10000000 values per axis");
}

TEST(SpecErrors, JsonSyntaxAndFiles) {
  const std::string syntax = error_of("{\n  \"dt\": 0.1,\n}");
  EXPECT_TRUE(syntax.starts_with("JSON syntax error at line 3, column 1")) << syntax;
  EXPECT_TRUE(error_of("").starts_with("JSON syntax error at line 1")) << error_of("");

  const auto load_error = [](const std::filesystem::path& path) -> std::string {
    try {
      load_spec(path);
    } catch (const SpecError& e) {
      EXPECT_EQ(e.path(), path.string());
      return e.what();
    }
    return "(accepted)";
  };
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("qcm-spec-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_EQ(load_error(dir), dir.string() + ": is a directory, not a spec file");
  EXPECT_TRUE(load_error(dir / "missing.json")
                  .starts_with((dir / "missing.json").string() + ": cannot open: "));
  const auto write = [&](const char* name, std::string_view text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  };
  EXPECT_EQ(
      load_error(write("latin1.json", "{\"description\": \"caf\xe9\"}")),
      (dir / "latin1.json").string() + ": not valid UTF-8 (first bad byte at line 1, column 21)");
  EXPECT_TRUE(load_error(write("broken.json", "{\"dt\": }"))
                  .starts_with((dir / "broken.json").string() + ": JSON syntax error at line 1"));
  EXPECT_EQ(
      load_spec(write("ok.json", "{\"description\": \"\xce\xb2 sweep\", \"dt\": 0.01}")).base.dt,
      0.01);
  std::filesystem::remove_all(dir);
}

TEST(SpecFiles, ExamplesAndReferenceSpecsParse) {
  const std::filesystem::path root = QCM_SOURCE_DIR;
  const Spec small = load_spec(root / "examples/small-sweep.json");
  EXPECT_GT(small.point_count(), 1u);
  EXPECT_LE(small.point_count(), 40u);
  EXPECT_GT(small.series_every, 0);
  EXPECT_EQ(load_spec(root / "examples/single-point.json").point_count(), 1u);

  std::ifstream in(root / "tests/data/reference-points.json");
  const Json reference = Json::parse(in);
  ASSERT_FALSE(reference.at("points").empty());
  for (const Json& point : reference.at("points")) {
    EXPECT_NO_THROW(parse_spec(point.at("spec"))) << point.at("spec").dump();
  }
}

TEST(SpecFiles, DocumentedSpecsParse) {
  std::ifstream in(std::filesystem::path(QCM_SOURCE_DIR) / "docs/spec.md");
  ASSERT_TRUE(in);
  std::string line, block;
  bool inside = false;
  int parsed = 0;
  while (std::getline(in, line)) {
    if (!inside && line == "```json") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      if (block.starts_with("{")) {  // whole specs, not fragments
        EXPECT_EQ(error_of(block), "(accepted)") << block;
        ++parsed;
      }
    } else if (inside) {
      block += line + "\n";
    }
  }
  EXPECT_GE(parsed, 5);
}

}  // namespace
}  // namespace qcm
