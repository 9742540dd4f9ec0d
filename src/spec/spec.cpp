// @file spec layer: parsing and validating the model part of a spec (docs/spec.md).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <complex>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <numbers>

#include "qcm/core/tolerances.hpp"
#include "spec/spec_detail.hpp"

namespace qcm {
namespace spec_detail {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

/// The value as it appears in a message: compact JSON, cut short when long.
std::string show(const Json& value) {
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    const double x = value.get<double>();
    return std::isnan(x) ? "NaN" : (x > 0 ? "inf" : "-inf");
  }
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 80;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
  return text;
}

/// Optimal-string-alignment distance, case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string key_path(const std::string& parent, std::string_view key) {
  if (!is_identifier(key)) {
    return parent + "[" +
           Json(std::string(key)).dump(-1, ' ', false, Json::error_handler_t::replace) + "]";
  }
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

/// One of a fixed set of strings, with a suggestion when misspelled.
std::string_view choice(const Json& value, const std::string& path,
                        std::span<const std::string_view> allowed) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (const auto& a : allowed) {
      if (text == a) return a;
    }
  }
  std::string expected = "expected one of ";
  for (const auto& a : allowed)
    expected += (a == allowed.front() ? "\"" : ", \"") + std::string(a) + "\"";
  if (value.is_string()) expected += did_you_mean(value.get_ref<const std::string&>(), allowed);
  fail(path, expected, value);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

void fail(const std::string& path, const std::string& what, const Json& got) {
  throw SpecError(path, what + ", got " + show(got));
}

void fail(const std::string& path, const std::string& what) {
  throw SpecError(path, what);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  const std::size_t longest = std::max(word.size(), best.size());
  const std::size_t tolerated = std::clamp<std::size_t>(longest / 3, 1, 3);
  if (best.empty() || best_distance > tolerated) return "";
  return "; did you mean \"" + std::string(best) + "\"?";
}

void check_object(const Json& value, const std::string& path,
                  std::span<const std::string_view> allowed) {
  if (!value.is_object()) fail(path, "expected an object", value);
  for (const auto& [key, member] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(key_path(path, key),
           "unknown key" + did_you_mean(key, allowed) + " (allowed here: " + join(allowed) + ")");
    }
  }
}

double finite_number(const Json& value, const std::string& path) {
  if (value.is_number()) {
    const double x = value.get<double>();
    if (std::isfinite(x)) return x;
  }
  fail(path, "expected a finite number", value);
}

std::int64_t positive_integer(const Json& value, const std::string& path) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u >= 1 && u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(u);
    }
  } else if (value.is_number_integer()) {
    const auto i = value.get<std::int64_t>();
    if (i >= 1) return i;
  } else if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::isfinite(x) && x >= 1 && x == std::floor(x) && x < 9.2e18) {
      return static_cast<std::int64_t>(x);
    }
  }
  fail(path, "expected an integer >= 1", value);
}

double beta_value(const Json& value, const std::string& path) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "inf" || text == "+inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  } else if (value.is_number()) {
    const double x = value.get<double>();
    if (std::isfinite(x)) return x;
  }
  fail(path, R"(expected a finite number or "inf", "+inf", "-inf")", value);
}

std::array<double, 3> state_bloch(const Json& value, const std::string& path) {
  static constexpr std::string_view kNamed[] = {"ground", "excited", "mixed"};
  static constexpr std::string_view kForms[] = {"bloch", "ket"};
  if (value.is_string()) {
    const std::string_view name = choice(value, path, kNamed);
    if (name == "ground") return {0, 0, -1};
    if (name == "excited") return {0, 0, 1};
    return {0, 0, 0};
  }
  if (!value.is_object() || value.size() != 1) {
    fail(path,
         R"(expected "ground", "excited", "mixed", {"bloch": [x, y, z]} or )"
         R"({"ket": {"excited": [re, im], "ground": [re, im]}})",
         value);
  }
  check_object(value, path, kForms);
  if (value.contains("bloch")) {
    const std::string bloch_path = key_path(path, "bloch");
    const Json& r = value.at("bloch");
    if (!r.is_array() || r.size() != 3) fail(bloch_path, "expected [x, y, z]", r);
    std::array<double, 3> bloch{};
    for (std::size_t i = 0; i < 3; ++i) bloch[i] = finite_number(r[i], index_path(bloch_path, i));
    const double length = std::hypot(bloch[0], bloch[1], bloch[2]);
    if (length > 1 + core::kStateInputSlack) {
      fail(bloch_path,
           "a Bloch vector must have length <= 1 (this one has " + std::to_string(length) + ")", r);
    }
    if (length > 1) {
      for (double& x : bloch) x /= length;
    }
    return bloch;
  }
  static constexpr std::string_view kLevels[] = {"excited", "ground"};
  const std::string ket_path = key_path(path, "ket");
  const Json& ket = value.at("ket");
  check_object(ket, ket_path, kLevels);
  std::complex<double> amplitude[2];
  for (std::size_t level = 0; level < 2; ++level) {
    const std::string amplitude_path = key_path(ket_path, kLevels[level]);
    if (!ket.contains(kLevels[level])) {
      fail(ket_path, "missing key \"" + std::string(kLevels[level]) + "\"", ket);
    }
    const Json& c = ket.at(kLevels[level]);
    if (!c.is_array() || c.size() != 2) fail(amplitude_path, "expected [re, im]", c);
    amplitude[level] = {finite_number(c[0], index_path(amplitude_path, 0)),
                        finite_number(c[1], index_path(amplitude_path, 1))};
  }
  // Scale by the largest modulus first so that huge amplitudes do not overflow the norm.
  const double scale = std::max(std::abs(amplitude[0]), std::abs(amplitude[1]));
  if (!(scale > 0)) fail(ket_path, "the zero ket is not a state", ket);
  const std::complex<double> ce = amplitude[0] / scale, cg = amplitude[1] / scale;
  const double norm2 = std::norm(ce) + std::norm(cg);
  const std::complex<double> rho_eg = ce * std::conj(cg) / norm2;
  return {2 * rho_eg.real(), -2 * rho_eg.imag(), (std::norm(ce) - std::norm(cg)) / norm2};
}

double field_number(Field field, const Json& value, const std::string& path) {
  switch (field) {
    case Field::ancilla_beta:
      return beta_value(value, path);
    case Field::dt: {
      if (value.is_number()) {
        const double x = value.get<double>();
        if (std::isfinite(x) && x > 0) return x;
      }
      fail(path, "expected a finite number > 0", value);
    }
    case Field::collisions:
      return static_cast<double>(positive_integer(value, path));
    case Field::initial_state:
      throw std::logic_error("field_number: initial_state is not a number");
    default:
      return finite_number(value, path);
  }
}

}  // namespace spec_detail

using namespace spec_detail;

namespace {

constexpr std::string_view kTopKeys[] = {
    "description",   "system", "ancilla", "coupling", "scaling",  "dt",    "collisions",
    "initial_state", "sweep",  "series",  "evolve",   "dynamics", "baths", "rounds"};
constexpr std::string_view kComponentKeys[] = {"xx", "xy", "xz", "yx", "yy",
                                               "yz", "zx", "zy", "zz"};
constexpr std::string_view kCouplingKeys[] = {"xx",    "xy",       "xz",           "yx", "yy",
                                              "yz",    "zx",       "zy",           "zz", "alpha",
                                              "gamma", "strength", "perpendicular"};

/// Field of a coupling key ("yy" -> coupling_yy, "alpha" -> coupling_alpha).
Field coupling_field(std::string_view key) {
  return *field_from_path("coupling." + std::string(key));
}

/// One coupling key given in the base object or by a sweep, with where it was given.
struct CouplingKey {
  std::string key;
  std::string location;
};

/// Decides the coupling form from the base keys and the swept coupling paths together,
/// naming the first key that conflicts with those before it.
CouplingForm coupling_form(const std::vector<CouplingKey>& keys) {
  const auto is_component = [](const std::string& k) {
    return std::find(std::begin(kComponentKeys), std::end(kComponentKeys), k) !=
           std::end(kComponentKeys);
  };
  const CouplingKey* first_component = nullptr;
  const CouplingKey* first_angle = nullptr;
  const CouplingKey* strength = nullptr;
  const CouplingKey* perpendicular = nullptr;
  bool alpha = false, gamma = false;
  for (const auto& k : keys) {
    if (is_component(k.key)) {
      if (first_angle) {
        fail(k.location, "coupling components cannot be mixed with the angle form (" +
                             first_angle->location + " is given)");
      }
      if (!first_component) first_component = &k;
      continue;
    }
    if (first_component) {
      fail(k.location,
           "the angle form (alpha, gamma, strength or perpendicular) cannot be mixed "
           "with coupling components (" +
               first_component->location + " is given)");
    }
    if (!first_angle) first_angle = &k;
    if (k.key == "strength") strength = &k;
    if (k.key == "perpendicular") perpendicular = &k;
    if (strength && perpendicular) {
      fail(k.location, "\"strength\" and \"perpendicular\" exclude each other (" +
                           (strength == &k ? perpendicular : strength)->location + " is given)");
    }
    alpha = alpha || k.key == "alpha";
    gamma = gamma || k.key == "gamma";
  }
  if (!first_angle) return CouplingForm::components;
  if (!alpha || !gamma || (!strength && !perpendicular)) {
    std::string missing;
    if (!alpha) missing += "\"alpha\"";
    if (!gamma) missing += std::string(missing.empty() ? "" : ", ") + "\"gamma\"";
    if (!strength && !perpendicular) {
      missing += std::string(missing.empty() ? "" : ", ") + "\"strength\" or \"perpendicular\"";
    }
    fail("coupling",
         "the angle form needs \"alpha\", \"gamma\" and one of \"strength\" or \"perpendicular\" "
         "(in coupling or swept); missing " +
             missing);
  }
  return strength ? CouplingForm::eq31_strength : CouplingForm::perpendicular;
}

void check_perpendicular_alpha(double alpha, const std::string& path, const Json& written) {
  if (!(std::abs(alpha) < std::numbers::pi / 2)) {
    fail(path, "the perpendicular form needs |alpha| < pi/2", written);
  }
}

void parse_coupling(const Json& document, const ParsedSweep& sweep, ModelValues& base) {
  std::vector<CouplingKey> keys;
  if (document.contains("coupling")) {
    const Json& coupling = document.at("coupling");
    check_object(coupling, "coupling", kCouplingKeys);
    for (const auto& [key, value] : coupling.items()) {
      const std::string path = key_path("coupling", key);
      set_field(base, coupling_field(key), field_number(coupling_field(key), value, path));
      keys.push_back({key, path});
    }
  }
  constexpr std::string_view kPrefix = "coupling.";
  for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
    for (std::size_t p = 0; p < sweep.axes[a].paths.size(); ++p) {
      const std::string& path = sweep.axes[a].paths[p];
      if (path.starts_with(kPrefix)) {
        keys.push_back({path.substr(kPrefix.size()), sweep.locations[a][p]});
      }
    }
  }
  base.coupling_form = coupling_form(keys);
  if (base.coupling_form != CouplingForm::perpendicular) return;
  if (const auto c = document.find("coupling"); c != document.end() && c->contains("alpha")) {
    check_perpendicular_alpha(base.alpha, "coupling.alpha", c->at("alpha"));
  }
  for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
    const SweepAxis& axis = sweep.axes[a];
    for (std::size_t p = 0; p < axis.paths.size(); ++p) {
      if (axis.fields[p] != Field::coupling_alpha) continue;
      for (std::size_t i = 0; i < axis.size(); ++i) {
        check_perpendicular_alpha(axis.numbers[p][i], index_path(sweep.locations[a][p], i),
                                  axis.as_written[p][i]);
      }
    }
  }
}

/// Index of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string line_and_column(std::string_view text, std::size_t offset) {
  const auto before = text.substr(0, offset);
  const std::size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Deepest nesting a spec may have (a spec needs 6). nlohmann's DOM recurses once
/// per level when a value is copied, printed or destroyed, and the path tracking
/// in parse_json costs O(depth) per level: 10^5 nested arrays took 15 GB and then
/// overflowed the stack. Checked on the text, before any parsing.
constexpr std::size_t kMaxJsonDepth = 64;

/// Offset of the bracket that opens nesting level kMaxJsonDepth + 1 (outside strings), or npos.
std::size_t too_deep_at(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

/// Parses JSON text, refusing duplicate keys (the library would keep only one silently).
/// Syntax errors name `source` (a file name, or "" for text).
Json parse_json(std::string_view text, const std::string& source) {
  struct Frame {
    bool array = false;
    std::size_t next_index = 0;
    std::string path;
    std::string key;
    std::vector<std::string> keys;
  };
  std::vector<Frame> frames;
  const auto child_path = [&frames]() -> std::string {
    if (frames.empty()) return "";
    Frame& top = frames.back();
    return top.array ? index_path(top.path, top.next_index++) : key_path(top.path, top.key);
  };
  const Json::parser_callback_t track = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start: {
        Frame frame;
        frame.array = event == Json::parse_event_t::array_start;
        frame.path = child_path();
        frames.push_back(std::move(frame));
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames.pop_back();
        break;
      case Json::parse_event_t::key: {
        Frame& top = frames.back();
        top.key = parsed.get<std::string>();
        if (std::find(top.keys.begin(), top.keys.end(), top.key) != top.keys.end()) {
          const bool in_sweep = top.path == "sweep.grid" || top.path == "sweep.zip";
          fail(key_path(top.path, top.key), in_sweep ? "this path appears twice in the sweep"
                                                     : "duplicate key (each key may appear once)");
        }
        top.keys.push_back(top.key);
        break;
      }
      case Json::parse_event_t::value:
        child_path();
        break;
    }
    return true;
  };
  // nlohmann's lexer takes a NUL byte for the end of the input and would ignore the rest.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    throw SpecError(source, "JSON syntax error at " + line_and_column(text, nul) +
                                ": a NUL byte (JSON text cannot contain one)");
  if (const std::size_t deep = too_deep_at(text); deep != std::string_view::npos)
    throw SpecError(source, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                " levels at " + line_and_column(text, deep));
  try {
    return Json::parse(text.begin(), text.end(), track);
  } catch (const Json::parse_error& e) {
    const std::string what = e.what();
    const std::size_t at = what.find("at line ");
    const std::string detail =
        at != std::string::npos
            ? what.substr(at)
            : "at " + line_and_column(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + what;
    throw SpecError(source, "JSON syntax error " + detail);
  } catch (const Json::out_of_range& e) {
    // 406: a number too large for a double (1e400). Name where it is: the key or
    // index the parser was about to fill.
    std::string where = source;
    if (!frames.empty()) {
      const Frame& top = frames.back();
      where = top.array ? index_path(top.path, top.next_index) : key_path(top.path, top.key);
    }
    const std::string what = e.what();
    const std::size_t open = what.find('\''), close = what.rfind('\'');
    throw SpecError(where, "number out of the range of a double" +
                               (open < close ? ", got " + what.substr(open + 1, close - open - 1)
                                             : std::string()));
  } catch (const Json::exception& e) {
    throw SpecError(source, std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace

namespace spec_detail {

void parse_steps(const Json& document, Spec& spec) {
  if (const auto scaling = document.find("scaling"); scaling != document.end()) {
    static constexpr std::string_view kScalings[] = {"ultrastrong", "fixed"};
    spec.base.scaling = choice(*scaling, "scaling", kScalings) == "fixed"
                            ? core::Scaling::fixed
                            : core::Scaling::ultrastrong;
  }
  if (const auto dt = document.find("dt"); dt != document.end()) {
    spec.base.dt = field_number(Field::dt, *dt, "dt");
  }
  if (const auto n = document.find("collisions"); n != document.end()) {
    spec.base.collisions = positive_integer(*n, "collisions");
  }
}

void parse_run_options(const Json& document, Spec& spec) {
  if (const auto evolve = document.find("evolve"); evolve != document.end()) {
    if (!evolve->is_boolean()) fail("evolve", "expected true or false", *evolve);
    spec.evolve = evolve->get<bool>();
  }
  if (const auto dynamics = document.find("dynamics"); dynamics != document.end()) {
    static constexpr std::string_view kDynamics[] = {"collision", "gksl"};
    spec.dynamics = choice(*dynamics, "dynamics", kDynamics) == "gksl" ? core::Dynamics::gksl
                                                                       : core::Dynamics::collision;
  }
  if (const auto series = document.find("series"); series != document.end()) {
    static constexpr std::string_view kKeys[] = {"every"};
    check_object(*series, "series", kKeys);
    if (!series->contains("every")) fail("series", "missing key \"every\"", *series);
    spec.series_every = positive_integer(series->at("every"), "series.every");
    if (!spec.evolve) fail("series", "a series needs time-stepping, but \"evolve\" is false");
  }
}

bool is_general_form(const Json& document) {
  const auto system = document.find("system");
  return system != document.end() && system->is_object() &&
         (system->contains("space") || system->contains("hamiltonian"));
}

}  // namespace spec_detail

namespace {

/// Keys of the general form met in a qubit-form spec: an error naming the key.
void refuse_general_keys(const Json& object, const std::string& path,
                         std::span<const std::string_view> keys) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      fail(key_path(path, key),
           "the qubit form (no system.space) has no " + key_path(path, key) +
               "; give system.space and system.hamiltonian to use the general form (docs/spec.md, "
               "\"General models\")");
    }
  }
}

}  // namespace

Spec parse_spec(const Json& document) {
  if (!document.is_object()) fail("", "the spec must be a JSON object", document);
  check_object(document, "", kTopKeys);
  Spec spec;
  spec.document = document;
  ModelValues& base = spec.base;
  const auto member = [&document](std::string_view key) -> const Json* {
    const auto it = document.find(key);
    return it == document.end() ? nullptr : &*it;
  };

  if (const Json* d = member("description")) {
    if (!d->is_string()) fail("description", "expected a string", *d);
    spec.description = d->get<std::string>();
  }
  if (is_general_form(document)) {
    parse_general(document, spec);
    return spec;
  }
  for (const char* key : {"baths", "rounds"}) {
    if (document.contains(key)) {
      fail(key, std::string("the qubit form (no system.space) has no ") + key +
                    "; several baths are written in the general form (docs/spec.md, \"Several "
                    "baths\")");
    }
  }
  if (const Json* system = member("system")) {
    static constexpr std::string_view kKeys[] = {"omega"};
    check_object(*system, "system", kKeys);
    if (system->contains("omega")) {
      base.system_omega = field_number(Field::system_omega, system->at("omega"), "system.omega");
    }
  }
  if (const Json* ancilla = member("ancilla")) {
    static constexpr std::string_view kKeys[] = {"omega", "beta"};
    static constexpr std::string_view kGeneral[] = {"space", "hamiltonian", "state"};
    refuse_general_keys(*ancilla, "ancilla", kGeneral);
    check_object(*ancilla, "ancilla", kKeys);
    if (ancilla->contains("omega")) {
      base.ancilla_omega =
          field_number(Field::ancilla_omega, ancilla->at("omega"), "ancilla.omega");
    }
    if (ancilla->contains("beta")) {
      base.ancilla_beta = field_number(Field::ancilla_beta, ancilla->at("beta"), "ancilla.beta");
    }
  }
  parse_steps(document, spec);
  if (const Json* state = member("initial_state")) {
    const auto bloch = state_bloch(*state, "initial_state");
    std::copy(bloch.begin(), bloch.end(), base.bloch0);
  }
  parse_run_options(document, spec);

  ParsedSweep sweep;
  if (const Json* s = member("sweep")) sweep = parse_sweep(*s);
  if (const Json* coupling = member("coupling")) {
    static constexpr std::string_view kGeneral[] = {"terms"};
    refuse_general_keys(*coupling, "coupling", kGeneral);
  }
  parse_coupling(document, sweep, base);
  spec.axes = std::move(sweep.axes);
  return spec;
}

Spec parse_spec_text(std::string_view text) {
  return parse_spec(parse_json(text, ""));
}

Spec load_spec(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw SpecError(name, "is a directory, not a spec file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(name, std::string("cannot open: ") + std::strerror(errno));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw SpecError(name, std::string("cannot read: ") + std::strerror(errno));
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string::npos) {
    throw SpecError(name, "not valid UTF-8 (first bad byte at " + line_and_column(text, bad) + ")");
  }
  return parse_spec(parse_json(text, name));
}

Json default_spec_document() {
  Json linspace;
  linspace["linspace"] = Json::array({-2.0, 2.0, 41});
  Json grid;
  grid["ancilla.beta"] = Json::array({1.0, 3.0, 5.0, 7.0, 9.0});
  grid["coupling.yy"] = std::move(linspace);
  Json doc;
  doc["description"] =
      "Built-in default: the paper's Fig. 1(a). Effective inverse temperature beta_eff/beta "
      "against J_yy/J_xx (J_xx = 1) for ancilla beta = 1, 3, 5, 7, 9; 205 points.";
  doc["system"] = {{"omega", 1.0}};
  doc["ancilla"] = {{"omega", 1.0}};
  doc["coupling"] = {{"xx", 1.0}};
  doc["scaling"] = "ultrastrong";
  doc["dt"] = 0.05;
  doc["collisions"] = 1000;
  doc["initial_state"] = "ground";
  doc["sweep"] = {{"grid", std::move(grid)}};
  return doc;
}

core::PointParams resolve_point(const ModelValues& values, core::Dynamics dynamics) {
  core::PointParams point;
  point.omega_s = values.system_omega;
  point.omega_a = values.ancilla_omega;
  point.beta = values.ancilla_beta;
  point.dt = values.dt;
  point.collisions = values.collisions;
  std::copy(std::begin(values.bloch0), std::end(values.bloch0), point.bloch0);
  point.scaling = values.scaling;
  point.dynamics = dynamics;
  constexpr int x = 0, y = 1, z = 2;
  switch (values.coupling_form) {
    case CouplingForm::components:
      std::copy(&values.coupling[0][0], &values.coupling[0][0] + 9, &point.coupling[0][0]);
      break;
    case CouplingForm::eq31_strength: {  // paper Eq. 31
      const double s = values.strength, a = values.alpha, g = values.gamma;
      point.coupling[x][x] = s * std::cos(a) * std::cos(g);
      point.coupling[y][y] = s * std::cos(a) * std::sin(g);
      point.coupling[z][y] = s * std::sin(a);
      break;
    }
    case CouplingForm::perpendicular: {  // fixed perpendicular part (paper Fig. 2)
      const double p = values.perpendicular, a = values.alpha, g = values.gamma;
      point.coupling[x][x] = p * std::cos(g);
      point.coupling[y][y] = p * std::sin(g);
      point.coupling[z][y] = p * std::tan(a);
      break;
    }
  }
  return point;
}

}  // namespace qcm
