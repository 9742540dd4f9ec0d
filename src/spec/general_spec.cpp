// @file spec layer: parsing a general-form spec (docs/spec.md, "General models") into a
// GeneralModel, its sweep leaves, the checks that span several values, and the per-point
// records.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "spec/general_model.hpp"
#include "spec/spec_detail.hpp"

namespace qcm {

using namespace general_detail;
using spec_detail::check_object;
using spec_detail::did_you_mean;
using spec_detail::fail;
using spec_detail::index_path;
using spec_detail::key_path;

namespace {

using LeafKind = GeneralModel::LeafKind;
using Leaf = GeneralModel::Leaf;

constexpr std::string_view kSystemKeys[] = {"space", "hamiltonian"};
constexpr std::string_view kAncillaKeys[] = {"space", "hamiltonian", "beta", "state"};
constexpr std::string_view kCouplingKeys[] = {"terms"};
constexpr std::string_view kTermKeys[] = {"system", "ancilla", "strength"};
constexpr std::string_view kQubitCouplingKeys[] = {
    "xx", "xy", "xz",    "yx",    "yy",       "yz",           "zx",
    "zy", "zz", "alpha", "gamma", "strength", "perpendicular"};

constexpr const char* kNotGeneral = "the general form (system.space) has no ";

[[noreturn]] void fail_omega(const std::string& path, const std::string& part) {
  fail(path,
       std::string(kNotGeneral) + "omega; write the energy levels in " + part + ".hamiltonian");
}

[[noreturn]] void fail_component(const std::string& path) {
  fail(path, std::string(kNotGeneral) +
                 R"(coupling components; write the coupling as coupling.terms ([{"system": ..., )"
                 R"("ancilla": ..., "strength": s}, ...]))");
}

bool is_qubit_coupling_key(std::string_view key) {
  return std::find(std::begin(kQubitCouplingKeys), std::end(kQubitCouplingKeys), key) !=
         std::end(kQubitCouplingKeys);
}

/// check_object, refusing keys of the qubit form first with their own message. `part` is
/// what the object is ("system", "ancilla", "coupling"), whatever bath it is written in.
void check_general_object(const Json& value, const std::string& path, std::string_view part,
                          std::span<const std::string_view> allowed) {
  if (!value.is_object()) fail(path, "expected an object", value);
  for (const auto& [key, member] : value.items()) {
    if (key == "omega" && (part == "system" || part == "ancilla")) {
      fail_omega(key_path(path, key), path);
    }
    if (part == "coupling" && is_qubit_coupling_key(key)) fail_component(key_path(path, key));
  }
  check_object(value, path, allowed);
}

void require_key(const Json& object, const std::string& path, std::string_view key) {
  if (!object.contains(key)) fail(path, "missing key \"" + std::string(key) + "\"", object);
}

/// One step of a sweep path: a key or an index.
struct Segment {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

/// Splits a sweep path into keys and indices. Lenient: a key after a dot runs to the next
/// dot or bracket, so that "system.hamiltonian.jz*jz" splits too (join_path then writes
/// it as it must be written).
std::optional<std::vector<Segment>> split_path(std::string_view path) {
  std::vector<Segment> segments;
  std::size_t at = 0;
  const auto key = [&]() -> std::optional<Segment> {
    const std::size_t begin = at;
    while (at < path.size() && path[at] != '.' && path[at] != '[') ++at;
    if (at == begin) return std::nullopt;
    Segment s;
    s.key = std::string(path.substr(begin, at - begin));
    return s;
  };
  auto first = key();
  if (!first) return std::nullopt;
  segments.push_back(std::move(*first));
  while (at < path.size()) {
    if (path[at] == '.') {
      ++at;
      auto next = key();
      if (!next) return std::nullopt;
      segments.push_back(std::move(*next));
      continue;
    }
    ++at;  // '['
    Segment s;
    if (at < path.size() && path[at] == '"') {
      std::size_t end = at + 1;
      while (end < path.size() && path[end] != '"') end += path[end] == '\\' ? 2 : 1;
      if (end >= path.size()) return std::nullopt;
      try {
        s.key = Json::parse(path.substr(at, end - at + 1)).get<std::string>();
      } catch (const Json::exception&) {
        return std::nullopt;
      }
      at = end + 1;
    } else {
      const std::size_t begin = at;
      while (at < path.size() && path[at] >= '0' && path[at] <= '9') ++at;
      if (at == begin || at - begin > 9) return std::nullopt;
      s.is_index = true;
      s.index = std::stoul(std::string(path.substr(begin, at - begin)));
    }
    if (at >= path.size() || path[at] != ']') return std::nullopt;
    ++at;
    segments.push_back(std::move(s));
  }
  return segments;
}

std::string join_path(const std::vector<Segment>& segments) {
  std::string path;
  for (const Segment& s : segments)
    path = s.is_index ? index_path(path, s.index) : key_path(path, s.key);
  return path;
}

/// Parses a general spec into one GeneralModel per bath, keeping what the sweep paths need
/// to know. `bath` is the object that holds "ancilla" and "coupling": the document itself in
/// the one-bath form, baths[b] (written under `prefix`, "baths[b].") with several.
class Parser {
 public:
  Parser(const Json& document, const Json& bath, std::string prefix, int bath_index, Spec& spec,
         GeneralModel& model, const std::vector<std::unique_ptr<Parser>>& all)
      : document_(document),
        bath_(bath),
        prefix_(std::move(prefix)),
        spec_(spec),
        m_(model),
        all_(all) {
    m_.prefix = prefix_;
    m_.bath_index = bath_index;
  }

  /// The model as written, before the sweep.
  void parse_model() {
    parse_system();
    parse_ancilla();
    parse_coupling();
    if (const auto state = document_.find("initial_state"); state != document_.end()) {
      m_.initial_state = parse_state(*state, "initial_state", m_.system);
      m_.initial_state_default = false;
      initial_written_ = true;
    }
  }

  /// After the sweep: the axes of the leaves, the checks of the ancilla and the run's values.
  void finish(const std::vector<SweepAxis>& axes) {
    std::size_t call = 0;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      m_.axis_sizes.push_back(axes[a].size());
      for (std::size_t p = 0; p < axes[a].paths.size(); ++p)
        m_.leaves[call_leaves_.at(call++)].axis = static_cast<int>(a);
    }
    if (!ancilla_by_beta_ && !ancilla_by_state_ && beta_leaf_.empty() && state_leaf_.empty()) {
      fail(prefix_ + "ancilla",
           R"(give exactly one of "beta" (a Gibbs state of ancilla.hamiltonian) or "state"; )"
           "neither is given");
    }
    m_.gibbs = ancilla_by_beta_ || !beta_leaf_.empty();
    if (!m_.gibbs) m_.beta = std::numeric_limits<double>::quiet_NaN();
    m_.scaling = spec_.base.scaling;
    m_.dynamics = spec_.dynamics;
    m_.dt = spec_.base.dt;
    m_.collisions = spec_.base.collisions;
    m_.finish();
  }

  /// The leaf of one swept path. `owner` is the bath a "baths[j]..." path belongs to (-1 for
  /// a path of the whole model): another bath's path only gets a placeholder leaf here.
  spec_detail::SweptPath parse_path(const std::string& path, const std::string& location,
                                    const Json& values, int owner) {
    if (owner >= 0 && owner != m_.bath_index) {
      new_leaf(LeafKind::elsewhere, location);
      return {};
    }
    return parse_own_path(path, location, values, owner >= 0);
  }

 private:
  void parse_system() {
    const Json& system = document_.at("system");
    check_general_object(system, "system", "system", kSystemKeys);
    for (const std::string_view key : kSystemKeys) {
      if (!system.contains(key)) {
        fail("system", R"(the general form needs both "space" and "hamiltonian"; missing ")" +
                           std::string(key) + "\"");
      }
    }
    m_.system = parse_space(system.at("space"), "system.space");
    m_.operators.push_back(
        parse_operator(system.at("hamiltonian"), "system.hamiltonian", m_.system));
  }

  void parse_ancilla() {
    const std::string at = prefix_ + "ancilla";
    const auto it = bath_.find("ancilla");
    if (it == bath_.end()) {
      fail(at,
           prefix_.empty()
               ? R"(missing: the general form needs "ancilla": {"space": ..., "hamiltonian": ..., )"
                 R"("beta": ...} (or "state" instead of "beta"))"
               : R"(missing: each bath needs "ancilla": {"space": ..., "hamiltonian": ..., )"
                 R"("beta": ...} (or "state" instead of "beta"))");
    }
    const Json& ancilla = *it;
    check_general_object(ancilla, at, "ancilla", kAncillaKeys);
    require_key(ancilla, at, "space");
    require_key(ancilla, at, "hamiltonian");
    m_.ancilla = parse_space(ancilla.at("space"), at + ".space");
    const long long joint = static_cast<long long>(m_.system.dim) * m_.ancilla.dim;
    if (joint > INT_MAX) {
      fail(at + ".space", "the joint space of system and ancilla would have " +
                              std::to_string(joint) + " levels, more than " +
                              std::to_string(INT_MAX));
    }
    m_.operators.push_back(
        parse_operator(ancilla.at("hamiltonian"), at + ".hamiltonian", m_.ancilla));
    if (ancilla.contains("beta") && ancilla.contains("state")) {
      fail(at, R"(give exactly one of "beta" (a Gibbs state of ancilla.hamiltonian) or "state", )"
               "not both");
    }
    if (ancilla.contains("beta")) {
      m_.beta = spec_detail::beta_value(ancilla.at("beta"), at + ".beta");
      ancilla_by_beta_ = true;
    }
    if (ancilla.contains("state")) {
      m_.ancilla_state = parse_state(ancilla.at("state"), at + ".state", m_.ancilla);
      ancilla_by_state_ = true;
    }
  }

  void parse_coupling() {
    const auto it = bath_.find("coupling");
    if (it == bath_.end()) return;
    check_general_object(*it, prefix_ + "coupling", "coupling", kCouplingKeys);
    if (!it->contains("terms")) return;
    const Json& terms = it->at("terms");
    if (!terms.is_array()) {
      fail(prefix_ + "coupling.terms",
           R"(expected a list of terms [{"system": ..., "ancilla": ..., "strength": s}, ...])",
           terms);
    }
    for (std::size_t t = 0; t < terms.size(); ++t) {
      const std::string path = index_path(prefix_ + "coupling.terms", t);
      const Json& term = terms[t];
      check_object(term, path, kTermKeys);
      require_key(term, path, "system");
      require_key(term, path, "ancilla");
      m_.operators.push_back(
          parse_operator(term.at("system"), key_path(path, "system"), m_.system));
      m_.operators.push_back(
          parse_operator(term.at("ancilla"), key_path(path, "ancilla"), m_.ancilla));
      m_.strengths.push_back(term.contains("strength")
                                 ? complex_value(term.at("strength"), key_path(path, "strength"))
                                 : Complex(1, 0));
    }
  }

  /// Every sweepable path of this model (for the message of an unknown path), and further
  /// close candidates for the suggestion: those of the whole model with `global`, this bath's.
  void sweepable(std::vector<std::string>& listed, std::vector<std::string>& close,
                 bool global) const {
    if (global) {
      listed.insert(listed.end(), {"dt", "collisions", "initial_state"});
      if (!initial_written_ || m_.initial_state.kind == StateSpec::Kind::thermal) {
        listed.push_back("initial_state.thermal");
      }
    }
    if (!ancilla_by_state_) listed.push_back(prefix_ + "ancilla.beta");
    if (!ancilla_by_beta_) {
      listed.push_back(prefix_ + "ancilla.state");
      if (!ancilla_by_state_ || m_.ancilla_state.kind == StateSpec::Kind::thermal) {
        listed.push_back(prefix_ + "ancilla.state.thermal");
      }
    }
    for (std::size_t o = 0; o < m_.operators.size(); ++o) {
      const Operator& op = m_.operators[o];
      if (o == GeneralModel::kSystemH && !global) continue;
      if (o >= 2 && o % 2 == 0) {
        listed.push_back(key_path(index_path(prefix_ + "coupling.terms", (o - 2) / 2), "strength"));
      }
      if (op.is_matrix) continue;
      for (const Term& term : op.terms) listed.push_back(key_path(op.path, term.key));
      const Space& space = o % 2 == 0 ? m_.system : m_.ancilla;
      for (const auto& name : space.names()) close.push_back(key_path(op.path, name));
    }
  }

  [[noreturn]] void unknown(const std::string& path, const std::string& location) const {
    std::vector<std::string> listed, close;
    for (std::size_t b = 0; b < all_.size(); ++b) all_[b]->sweepable(listed, close, b == 0);
    std::vector<std::string_view> candidates(listed.begin(), listed.end());
    candidates.insert(candidates.end(), close.begin(), close.end());
    std::vector<std::string_view> shown(listed.begin(), listed.end());
    fail(location, "unknown sweep path" + did_you_mean(path, candidates) +
                       " (sweepable in this model: " + spec_detail::join(shown) +
                       "; a term absent from an operator written as terms may be swept too)");
  }

  int new_leaf(LeafKind kind, const std::string& location) {
    Leaf leaf;
    leaf.kind = kind;
    leaf.location = location;
    m_.leaves.push_back(std::move(leaf));
    const int id = static_cast<int>(m_.leaves.size()) - 1;
    call_leaves_.push_back(id);
    return id;
  }

  /// What a sweep path sets; throws for a path that is not a parameter of this model.
  struct Target {
    Target(LeafKind k, int o = -1, std::string key = {})
        : kind(k), op(o), term_key(std::move(key)) {}
    LeafKind kind;
    int op;  ///< term: operator; strength: coupling term
    std::string term_key;
  };

  /// `s` is the whole path, or (`in_bath`) what follows "baths[j]." in a path of this bath.
  Target classify(const std::vector<Segment>& s, const std::string& path,
                  const std::string& location, bool in_bath) const {
    const auto is = [&s](std::size_t i, std::string_view key) {
      return i < s.size() && !s[i].is_index && s[i].key == key;
    };
    const std::size_t n = s.size();
    const auto matrix_entries = [&](const std::string& op) {
      fail(location, "matrix entries cannot be swept; write " + op +
                         R"( as terms ({"name": coefficient, ...}) and sweep a term)");
    };
    const auto state_entries = [&](const std::string& state) {
      fail(location, "the entries of a ket or matrix cannot be swept; sweep " + state +
                         " with a list of states instead");
    };
    // With several baths, ancillas and couplings are reached through their bath only.
    const bool bath_part = is(0, "ancilla") || is(0, "coupling");
    if (!prefix_.empty() && bath_part != in_bath) unknown(path, location);
    if (n == 1 && is(0, "dt")) return {LeafKind::dt};
    if (n == 1 && is(0, "collisions")) return {LeafKind::collisions};
    if (n == 1 && is(0, "initial_state")) return {LeafKind::initial_state};
    if (is(0, "initial_state")) {
      if (n == 2 && is(1, "thermal")) return {LeafKind::initial_thermal};
      if (is(1, "ket") || is(1, "matrix")) state_entries("initial_state");
      unknown(path, location);
    }
    if (is(0, "system") || is(0, "ancilla")) {
      const std::string part = s[0].key;
      if (is(1, "space")) {
        fail(location,
             "the space cannot be swept (every point of a sweep has the same sizes); "
             "write one spec per space");
      }
      const std::string written = part == "system" ? part : prefix_ + part;
      if (n == 2 && is(1, "omega")) fail_omega(location, written);
      if (is(1, "hamiltonian") && n >= 3) {
        if (is(2, "matrix")) matrix_entries(written + ".hamiltonian");
        if (n == 3 && !s[2].is_index) {
          return {LeafKind::term,
                  part == "system" ? GeneralModel::kSystemH : GeneralModel::kAncillaH, s[2].key};
        }
      }
      if (part == "ancilla") {
        if (n == 2 && is(1, "beta")) return {LeafKind::ancilla_beta};
        if (n == 2 && is(1, "state")) return {LeafKind::ancilla_state};
        if (n == 3 && is(1, "state") && is(2, "thermal")) return {LeafKind::ancilla_thermal};
        if (is(1, "state") && (is(2, "ket") || is(2, "matrix")))
          state_entries(prefix_ + "ancilla.state");
      }
      unknown(path, location);
    }
    if (is(0, "coupling")) {
      if (n == 2 && !s[1].is_index && is_qubit_coupling_key(s[1].key)) fail_component(location);
      if (is(1, "terms") && n >= 4 && s[2].is_index) {
        const std::size_t terms = m_.strengths.size();
        const std::string term = index_path(prefix_ + "coupling.terms", s[2].index);
        if (s[2].index >= terms) {
          fail(location, term + " does not exist: coupling has " + std::to_string(terms) +
                             (terms == 1 ? " term" : " terms"));
        }
        const int t = static_cast<int>(s[2].index);
        if (n == 4 && is(3, "strength")) return {LeafKind::strength, t};
        if (is(3, "system") || is(3, "ancilla")) {
          const std::string factor = key_path(term, s[3].key);
          if (is(4, "matrix")) matrix_entries(factor);
          if (n == 5 && !s[4].is_index) {
            return {
                LeafKind::term,
                is(3, "system") ? GeneralModel::system_factor(t) : GeneralModel::ancilla_factor(t),
                s[4].key};
          }
        }
      }
    }
    unknown(path, location);
  }

  spec_detail::SweptPath parse_own_path(const std::string& path, const std::string& location,
                                        const Json& values, bool in_bath) {
    const auto segments = split_path(path);
    if (!segments) unknown(path, location);
    std::vector<Segment> relative = *segments;
    if (in_bath) relative.erase(relative.begin(), relative.begin() + 2);  // "baths", [j]
    const Target target = classify(relative, path, location, in_bath);
    const std::string canonical = join_path(*segments);
    if (canonical != path) {
      fail(location, "write this path as " + canonical +
                         " (a key that is not a plain identifier is quoted in brackets, as in "
                         "error messages)");
    }
    check_conflicts(target, location);

    const bool states =
        target.kind == LeafKind::initial_state || target.kind == LeafKind::ancilla_state;
    const std::string list_only =
        states ? std::string(target.kind == LeafKind::initial_state ? "initial_state"
                                                                    : prefix_ + "ancilla.state") +
                     " values must be a list of states"
               : "";
    spec_detail::SweptPath swept;
    swept.field = target.kind == LeafKind::dt              ? Field::dt
                  : target.kind == LeafKind::collisions    ? Field::collisions
                  : target.kind == LeafKind::initial_state ? Field::initial_state
                                                           : Field::general_leaf;
    const int id = new_leaf(target.kind, location);
    if (swept.field == Field::general_leaf) swept.leaf = id;
    Leaf& leaf = m_.leaves[id];
    leaf.target = target.op;
    leaf.term_key = target.term_key;
    if (target.kind == LeafKind::term) {
      const Space& space = target.op % 2 == 0 ? m_.system : m_.ancilla;
      const Operator& op = m_.operators[target.op];
      if (op.is_matrix) {
        fail(location, op.path +
                           " is written as a matrix; a term can be swept only in an "
                           "operator written as terms ({\"name\": coefficient, ...})");
      }
      leaf.product = term_matrix(space, target.term_key, location);
    }

    spec_detail::PathValues& out = swept.values;
    out.as_written = spec_detail::written_values(values, location, list_only,
                                                 target.kind == LeafKind::collisions);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < out.as_written.size(); ++i) {
      const Json& value = out.as_written[i];
      const std::string value_path = index_path(location, i);
      double number = nan;
      switch (target.kind) {
        case LeafKind::dt:
          number = spec_detail::field_number(Field::dt, value, value_path);
          break;
        case LeafKind::collisions:
          number = spec_detail::field_number(Field::collisions, value, value_path);
          break;
        case LeafKind::initial_state:
          leaf.states.push_back(parse_state(value, value_path, m_.system));
          break;
        case LeafKind::ancilla_state:
          leaf.states.push_back(parse_state(value, value_path, m_.ancilla));
          break;
        case LeafKind::initial_thermal:
        case LeafKind::ancilla_thermal:
        case LeafKind::ancilla_beta:
          number = spec_detail::beta_value(value, value_path);
          break;
        case LeafKind::term:
        case LeafKind::strength: {
          const Complex c = complex_value(value, value_path);
          leaf.complexes.push_back(c);
          if (c.imag() == 0) number = c.real();
          break;
        }
        case LeafKind::elsewhere:
          break;
      }
      leaf.numbers.push_back(number);
      out.numbers.push_back(number);
    }
    return swept;
  }

  /// Paths that set the same thing, or a thing the base spec does not have.
  void check_conflicts(const Target& target, const std::string& location) {
    switch (target.kind) {
      case LeafKind::initial_state:
      case LeafKind::initial_thermal:
        if (!initial_leaf_.empty()) {
          fail(location,
               "initial_state is swept already by " + initial_leaf_ + "; sweep only one of them");
        }
        if (target.kind == LeafKind::initial_thermal && initial_written_ &&
            m_.initial_state.kind != StateSpec::Kind::thermal) {
          fail(location,
               R"(initial_state is not written as {"thermal": beta}; write it so, or leave )"
               "initial_state out, to sweep its beta");
        }
        initial_leaf_ = location;
        return;
      case LeafKind::ancilla_beta:
        if (ancilla_by_state_) {
          fail(location, "the ancilla is given by " + prefix_ +
                             "ancilla.state, so it has no beta to sweep; sweep " + prefix_ +
                             "ancilla.state (a list of states) or give the ancilla by beta");
        }
        if (!state_leaf_.empty()) {
          fail(location, "the ancilla is given by a state (" + state_leaf_ +
                             " is swept), so it has no beta to sweep");
        }
        beta_leaf_ = location;
        return;
      case LeafKind::ancilla_state:
      case LeafKind::ancilla_thermal:
        if (ancilla_by_beta_) {
          fail(location, "the ancilla is given by " + prefix_ +
                             "ancilla.beta (a Gibbs state), so " + prefix_ +
                             "ancilla.state cannot be swept; sweep " + prefix_ +
                             "ancilla.beta instead");
        }
        if (!beta_leaf_.empty()) {
          fail(location, "the ancilla is given by beta (" + beta_leaf_ + " is swept), so " +
                             prefix_ + "ancilla.state cannot be swept");
        }
        if (!state_leaf_.empty()) {
          fail(location, prefix_ + "ancilla.state is swept already by " + state_leaf_ +
                             "; sweep only one of them");
        }
        if (target.kind == LeafKind::ancilla_thermal && ancilla_by_state_ &&
            m_.ancilla_state.kind != StateSpec::Kind::thermal) {
          fail(location, prefix_ +
                             R"(ancilla.state is not written as {"thermal": beta}; write it so, )"
                             "or leave " +
                             prefix_ + "ancilla.state out, to sweep its beta");
        }
        state_leaf_ = location;
        return;
      default:
        return;
    }
  }

  const Json& document_;
  const Json& bath_;
  std::string prefix_;
  Spec& spec_;
  GeneralModel& m_;
  const std::vector<std::unique_ptr<Parser>>& all_;
  bool initial_written_ = false;
  bool ancilla_by_beta_ = false, ancilla_by_state_ = false;
  std::string initial_leaf_, beta_leaf_, state_leaf_;  ///< locations of those swept paths
  std::vector<int> call_leaves_;                       ///< the leaf of each swept path, in order
};

/// The names of the baths ("baths": [...]), checked: identifiers, unique, not a group's.
std::vector<std::string> parse_bath_names(const Json& document, const Json& baths) {
  for (const char* key : {"ancilla", "coupling"}) {
    if (document.contains(key)) {
      fail(key, std::string("a spec gives either ancilla and coupling (one bath) or baths, not "
                            "both; move ") +
                    key + " into an entry of baths");
    }
  }
  if (!baths.is_array() || baths.empty()) {
    fail("baths",
         R"(expected a list of baths [{"name": ..., "ancilla": {...}, "coupling": {...}}, ...])",
         baths);
  }
  if (baths.size() > static_cast<std::size_t>(core::kMaxBaths)) {
    fail("baths", "at most " + std::to_string(core::kMaxBaths) + " baths; " +
                      std::to_string(baths.size()) + " are given");
  }
  static constexpr std::string_view kBathKeys[] = {"name", "ancilla", "coupling"};
  static constexpr std::string_view kReserved[] = {"final", "stationary", "gksl", "decomposition",
                                                   "state", "series",     "run"};
  std::vector<std::string> names;
  for (std::size_t b = 0; b < baths.size(); ++b) {
    const std::string path = index_path("baths", b);
    check_object(baths[b], path, kBathKeys);
    require_key(baths[b], path, "name");
    const Json& name = baths[b].at("name");
    const std::string at = key_path(path, "name");
    if (!name.is_string()) fail(at, "expected a string (the bath's name)", name);
    const std::string text = name.get<std::string>();
    const bool identifier =
        !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
        std::all_of(text.begin(), text.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!identifier) {
      fail(at,
           "a bath's name must be an identifier (letters, digits and _, not starting with a "
           "digit): it prefixes the bath's columns (NAME.heat)",
           name);
    }
    if (std::find(std::begin(kReserved), std::end(kReserved), text) != std::end(kReserved)) {
      fail(at, "\"" + text + "\" is the name of an output group; name the bath otherwise");
    }
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (names[c] == text) {
        fail(at, "\"" + text + "\" names " + index_path("baths", c) +
                     " already; bath names must be unique");
      }
    }
    names.push_back(text);
  }
  return names;
}

core::Rounds parse_rounds(const Json& document) {
  const auto it = document.find("rounds");
  if (it == document.end()) return core::Rounds::sequential;
  if (it->is_string() && *it == "sequential") return core::Rounds::sequential;
  if (it->is_string() && *it == "simultaneous") return core::Rounds::simultaneous;
  fail("rounds", R"(expected "sequential" or "simultaneous")", *it);
}

/// The bath a sweep path belongs to: j for "baths[j]....", -1 for a path of the whole model.
int bath_of_path(const std::string& path, const std::string& location, std::size_t baths) {
  const auto segments = split_path(path);
  if (!segments || segments->empty() || (*segments)[0].is_index || (*segments)[0].key != "baths")
    return -1;
  if (segments->size() < 3 || !(*segments)[1].is_index) {
    fail(location, R"(a bath's parameter is reached by its index as written: )"
                   R"("baths[0].ancilla.beta", "baths[1].coupling.terms[0].strength")");
  }
  const std::size_t j = (*segments)[1].index;
  if (j >= baths) {
    fail(location, index_path("baths", j) + " does not exist: the spec has " +
                       std::to_string(baths) + (baths == 1 ? " bath" : " baths"));
  }
  return static_cast<int>(j);
}

}  // namespace

namespace spec_detail {

void parse_general(const Json& document, Spec& spec) {
  std::vector<std::shared_ptr<GeneralModel>> models;
  std::vector<std::unique_ptr<Parser>> parsers;
  std::vector<std::string> names;
  core::Rounds rounds = core::Rounds::sequential;
  const auto baths = document.find("baths");
  if (baths == document.end()) {
    if (document.contains("rounds")) {
      fail("rounds", R"(rounds orders the collisions with several baths; give "baths": [...] )"
                     "(or leave rounds out)");
    }
    models.push_back(std::make_shared<GeneralModel>());
    parsers.push_back(
        std::make_unique<Parser>(document, document, "", 0, spec, *models[0], parsers));
  } else {
    names = parse_bath_names(document, *baths);
    rounds = parse_rounds(document);
    for (std::size_t b = 0; b < baths->size(); ++b) {
      models.push_back(std::make_shared<GeneralModel>());
      parsers.push_back(std::make_unique<Parser>(document, (*baths)[b],
                                                 index_path("baths", b) + ".", static_cast<int>(b),
                                                 spec, *models[b], parsers));
    }
  }
  for (const auto& parser : parsers) parser->parse_model();
  spec_detail::parse_steps(document, spec);
  spec_detail::parse_run_options(document, spec);
  spec_detail::ParsedSweep sweep;
  if (const auto s = document.find("sweep"); s != document.end()) {
    sweep = spec_detail::parse_sweep(*s, [&](const std::string& path, const std::string& location,
                                             const Json& values) {
      const int owner = baths == document.end() ? -1 : bath_of_path(path, location, names.size());
      spec_detail::SweptPath result;
      for (std::size_t b = 0; b < parsers.size(); ++b) {
        spec_detail::SweptPath swept = parsers[b]->parse_path(path, location, values, owner);
        if (static_cast<int>(b) == std::max(owner, 0)) result = std::move(swept);
      }
      return result;
    });
  }
  for (const auto& parser : parsers) parser->finish(sweep.axes);
  spec.axes = std::move(sweep.axes);
  GeneralModel& first = *models[0];
  first.other_baths.assign(models.begin() + 1, models.end());
  first.bath_names = std::move(names);
  first.rounds = rounds;
  first.finish_spec();
  spec.form = SpecForm::general;
  spec.general = std::move(models[0]);
}

}  // namespace spec_detail

// ---------------------------------------------------------------------------
// GeneralModel
// ---------------------------------------------------------------------------

template <typename Touches>
std::vector<int> GeneralModel::axes_where(Touches touches) const {
  std::vector<int> axes;
  for (const Leaf& leaf : leaves)
    if (touches(leaf)) axes.push_back(leaf.axis);
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

template <typename F>
void GeneralModel::for_each_combination(const std::vector<int>& axes, F f) const {
  std::vector<std::size_t> digits(axes.size(), 0);
  Pick pick(leaves.size(), -1);
  while (true) {
    for (std::size_t l = 0; l < leaves.size(); ++l) {
      const auto at = std::find(axes.begin(), axes.end(), leaves[l].axis);
      if (at != axes.end()) pick[l] = static_cast<int>(digits[at - axes.begin()]);
    }
    if (!f(pick, digits)) return;
    std::size_t k = axes.size();
    while (k > 0) {
      --k;
      if (++digits[k] < axis_sizes[axes[k]]) break;
      digits[k] = 0;
      if (k == 0) return;
    }
    if (axes.empty()) return;
  }
}

template <typename Touches>
std::pair<std::string, std::string> GeneralModel::where(const std::vector<int>& axes,
                                                        const std::vector<std::size_t>& digits,
                                                        Touches touches) const {
  std::vector<std::string> named;
  for (std::size_t k = 0; k < axes.size(); ++k)
    for (const Leaf& leaf : leaves)
      if (leaf.axis == axes[k] && touches(leaf))
        named.push_back(index_path(leaf.location, digits[k]));
  std::string rest;
  for (std::size_t i = 1; i < named.size(); ++i) rest += (i == 1 ? " (with " : ", ") + named[i];
  if (!rest.empty()) rest += ")";
  return {named.empty() ? std::string() : named.front(), rest};
}

Matrix GeneralModel::operator_at(int op, const Pick& pick) const {
  const SweptOperator& swept = swept_[op];
  Matrix m = swept.fixed;
  for (const int l : swept.leaves) m += leaves[l].complexes[pick[l]] * leaves[l].product;
  return m;
}

void GeneralModel::operator_into(int op, const Pick& pick, RowMatrix& out) const {
  const SweptOperator& swept = swept_[op];
  out = swept.fixed;
  for (const int l : swept.leaves) add_scaled(out, leaves[l].complexes[pick[l]], leaves[l].product);
}

void GeneralModel::coupling_into(const Pick& pick, RowMatrix& out) const {
  out = fixed_coupling_;
  for (std::size_t t = 0; t < strengths.size(); ++t) {
    if (!term_swept_[t]) continue;
    const int l = strength_leaf_[t];
    const Complex s = l >= 0 ? leaves[l].complexes[pick[l]] : strengths[t];
    const int tt = static_cast<int>(t);
    if (term_kron_[t].size() != 0) {
      add_scaled(out, s, term_kron_[t]);
    } else {
      add_scaled(out, s,
                 kron(operator_at(system_factor(tt), pick), operator_at(ancilla_factor(tt), pick)));
    }
  }
}

StateSpec GeneralModel::state_at(bool system_side, const Pick& pick) const {
  for (std::size_t l = 0; l < leaves.size(); ++l) {
    const Leaf& leaf = leaves[l];
    const bool list =
        leaf.kind == (system_side ? LeafKind::initial_state : LeafKind::ancilla_state);
    const bool thermal =
        leaf.kind == (system_side ? LeafKind::initial_thermal : LeafKind::ancilla_thermal);
    if (list) return leaf.states[pick[l]];
    if (thermal) {
      StateSpec state;
      state.kind = StateSpec::Kind::thermal;
      state.beta = leaf.numbers[pick[l]];
      return state;
    }
  }
  return system_side ? initial_state : ancilla_state;
}

double GeneralModel::beta_at(const Pick& pick) const {
  for (std::size_t l = 0; l < leaves.size(); ++l)
    if (leaves[l].kind == LeafKind::ancilla_beta) return leaves[l].numbers[pick[l]];
  return gibbs ? beta : std::numeric_limits<double>::quiet_NaN();
}

namespace {

bool all_real(const std::vector<Complex>& values) {
  return std::all_of(values.begin(), values.end(), [](const Complex& c) { return c.imag() == 0; });
}

bool hermitian(const Matrix& m) {
  return is_hermitian(m, hermiticity_defect(m));
}

}  // namespace

void GeneralModel::check_hamiltonian(int op) {
  const Operator& h = operators[op];
  const std::vector<int>& axes = component_axes_[op == kSystemH ? kHs : kHa];
  if (axes.empty()) {
    const double defect = hermiticity_defect(h.value);
    if (!is_hermitian(h.value, defect)) {
      fail(h.path,
           "a Hamiltonian must be Hermitian (max |H - H^dagger| = " + number_text(defect) + ")");
    }
    return;
  }
  const SweptOperator& swept = swept_[op];
  const bool always =
      hermitian(swept.fixed) && std::all_of(swept.leaves.begin(), swept.leaves.end(), [&](int l) {
        return all_real(leaves[l].complexes) && hermitian(leaves[l].product);
      });
  if (always) return;
  const auto touches = [op](const Leaf& leaf) {
    return leaf.kind == LeafKind::term && leaf.target == op;
  };
  RowMatrix m;
  for_each_combination(axes, [&](const Pick& pick, const std::vector<std::size_t>& digits) {
    operator_into(op, pick, m);
    const double defect = hermiticity_defect(m);
    if (is_hermitian(m, defect)) return true;
    const auto [at, rest] = where(axes, digits, touches);
    fail(at, "makes " + h.path + " non-Hermitian (max |H - H^dagger| = " + number_text(defect) +
                 ")" + rest);
  });
}

void GeneralModel::check_coupling() {
  const std::vector<int>& axes = component_axes_[kCoupling];
  const auto fail_base = [this](double defect) {
    fail(prefix + "coupling",
         "the total coupling V = sum_t s_t S_t (x) A_t must be Hermitian (max |V - "
         "V^dagger| = " +
             number_text(defect) + ")");
  };
  if (axes.empty()) {
    const double defect = hermiticity_defect(fixed_coupling_);
    if (!is_hermitian(fixed_coupling_, defect)) fail_base(defect);
    return;
  }
  const auto factor_always = [&](int op) {
    const SweptOperator& swept = swept_[op];
    return hermitian(swept.fixed) &&
           std::all_of(swept.leaves.begin(), swept.leaves.end(), [&](int l) {
             return all_real(leaves[l].complexes) && hermitian(leaves[l].product);
           });
  };
  bool always = hermitian(fixed_coupling_);
  for (std::size_t t = 0; always && t < strengths.size(); ++t) {
    if (!term_swept_[t]) continue;
    const int tt = static_cast<int>(t);
    const int l = strength_leaf_[t];
    always = (l >= 0 ? all_real(leaves[l].complexes) : strengths[t].imag() == 0) &&
             factor_always(system_factor(tt)) && factor_always(ancilla_factor(tt));
  }
  if (always) return;
  const auto touches = [](const Leaf& leaf) {
    return leaf.kind == LeafKind::strength || (leaf.kind == LeafKind::term && leaf.target >= 2);
  };
  RowMatrix v;
  for_each_combination(axes, [&](const Pick& pick, const std::vector<std::size_t>& digits) {
    coupling_into(pick, v);
    const double defect = hermiticity_defect(v);
    if (is_hermitian(v, defect)) return true;
    const auto [at, rest] = where(axes, digits, touches);
    fail(at, "makes the total coupling V non-Hermitian (max |V - V^dagger| = " +
                 number_text(defect) + ")" + rest);
  });
}

void GeneralModel::check_state(bool system_side) {
  const int op = system_side ? kSystemH : kAncillaH;
  const std::string state_path = system_side ? "initial_state" : prefix + "ancilla.state";
  const std::string& h_path = operators[op].path;
  const std::vector<int>& axes = component_axes_[system_side ? kRho0 : kRhoA];
  const auto named = [](const StateSpec& s) {
    return s.kind == StateSpec::Kind::ground || s.kind == StateSpec::Kind::excited;
  };
  const auto describe = [&](const StateSpec& s, int shared, const char* where = "") {
    const bool ground = s.kind == StateSpec::Kind::ground;
    return std::string(ground ? "\"ground\"" : "\"excited\"") + " is not one state" + where + ": " +
           std::to_string(shared) + " levels share the " + (ground ? "lowest" : "highest") +
           " energy of " + h_path;
  };
  if (axes.empty()) {
    const StateSpec& s = system_side ? initial_state : ancilla_state;
    if (!named(s)) return;
    const ResolvedState r = resolve_state(s, operators[op].value);
    if (r.shared == 1) return;
    if (system_side && initial_state_default) {
      fail(state_path, "the default initial state " + describe(s, r.shared) +
                           R"(; give initial_state explicitly ({"ket": [...]}, {"matrix": rows}, )"
                           R"(or {"thermal": "inf"} for their mixture))");
    }
    fail(state_path, describe(s, r.shared) +
                         R"(; write the state explicitly ({"ket": [...]}, {"matrix": rows}, or )"
                         R"({"thermal": "inf"} for their mixture))");
  }
  const auto touches = [&](const Leaf& leaf) {
    return (leaf.kind == LeafKind::term && leaf.target == op) ||
           leaf.kind == (system_side ? LeafKind::initial_state : LeafKind::ancilla_state) ||
           leaf.kind == (system_side ? LeafKind::initial_thermal : LeafKind::ancilla_thermal);
  };
  for_each_combination(axes, [&](const Pick& pick, const std::vector<std::size_t>& digits) {
    const StateSpec s = state_at(system_side, pick);
    if (!named(s)) return true;
    const ResolvedState r = resolve_state(s, operator_at(op, pick));
    if (r.shared == 1) return true;
    const auto [at, rest] = where(axes, digits, touches);
    fail(at, state_path + " " + describe(s, r.shared, " at this point") + rest);
  });
}

void GeneralModel::finish() {
  const std::size_t terms = strengths.size();
  // Operators: the unswept part, and the leaves that add to it.
  swept_.assign(operators.size(), {});
  for (std::size_t o = 0; o < operators.size(); ++o) {
    const Operator& op = operators[o];
    SweptOperator& swept = swept_[o];
    for (std::size_t l = 0; l < leaves.size(); ++l)
      if (leaves[l].kind == LeafKind::term && leaves[l].target == static_cast<int>(o))
        swept.leaves.push_back(static_cast<int>(l));
    if (op.is_matrix || swept.leaves.empty()) {
      swept.fixed = op.value;
      continue;
    }
    swept.fixed = Matrix::Zero(op.value.rows(), op.value.cols());
    for (const Term& term : op.terms) {
      const bool is_swept = std::any_of(swept.leaves.begin(), swept.leaves.end(),
                                        [&](int l) { return leaves[l].term_key == term.key; });
      if (!is_swept) swept.fixed += term.coefficient * term.product;
    }
  }
  strength_leaf_.assign(terms, -1);
  term_swept_.assign(terms, 0);
  for (std::size_t l = 0; l < leaves.size(); ++l) {
    const Leaf& leaf = leaves[l];
    if (leaf.kind == LeafKind::strength) {
      strength_leaf_[leaf.target] = static_cast<int>(l);
      term_swept_[leaf.target] = 1;
    } else if (leaf.kind == LeafKind::term && leaf.target >= 2) {
      term_swept_[(leaf.target - 2) / 2] = 1;
    }
  }
  const int joint = system.dim * ancilla.dim;
  fixed_coupling_ = Matrix::Zero(joint, joint);
  term_kron_.assign(terms, RowMatrix());
  for (std::size_t t = 0; t < terms; ++t) {
    const int tt = static_cast<int>(t);
    if (term_swept_[t]) {
      if (swept_[system_factor(tt)].leaves.empty() && swept_[ancilla_factor(tt)].leaves.empty()) {
        term_kron_[t] =
            kron(operators[system_factor(tt)].value, operators[ancilla_factor(tt)].value);
      }
      continue;
    }
    fixed_coupling_ += strengths[t] * kron(operators[system_factor(tt)].value,
                                           operators[ancilla_factor(tt)].value);
  }

  // The axes each component depends on.
  const auto state_needs_h = [&](bool system_side) {
    for (const Leaf& leaf : leaves) {
      if (leaf.kind == (system_side ? LeafKind::initial_thermal : LeafKind::ancilla_thermal))
        return true;
      if (leaf.kind == (system_side ? LeafKind::initial_state : LeafKind::ancilla_state))
        return std::any_of(leaf.states.begin(), leaf.states.end(),
                           [](const StateSpec& s) { return s.needs_hamiltonian(); });
    }
    return (system_side ? initial_state : ancilla_state).needs_hamiltonian();
  };
  const bool rho0_h = state_needs_h(true), rho_a_h = !gibbs && state_needs_h(false);
  component_axes_[kHs] =
      axes_where([](const Leaf& l) { return l.kind == LeafKind::term && l.target == kSystemH; });
  component_axes_[kHa] =
      axes_where([](const Leaf& l) { return l.kind == LeafKind::term && l.target == kAncillaH; });
  component_axes_[kCoupling] = axes_where([](const Leaf& l) {
    return l.kind == LeafKind::strength || (l.kind == LeafKind::term && l.target >= 2);
  });
  component_axes_[kRho0] = axes_where([&](const Leaf& l) {
    return l.kind == LeafKind::initial_state || l.kind == LeafKind::initial_thermal ||
           (rho0_h && l.kind == LeafKind::term && l.target == kSystemH);
  });
  component_axes_[kRhoA] = axes_where([&](const Leaf& l) {
    return !gibbs && (l.kind == LeafKind::ancilla_state || l.kind == LeafKind::ancilla_thermal ||
                      (rho_a_h && l.kind == LeafKind::term && l.target == kAncillaH));
  });

  // The checks that span several values, before any work starts.
  check_hamiltonian(kSystemH);
  check_hamiltonian(kAncillaH);
  check_coupling();
  check_state(true);
  if (!gibbs) check_state(false);

  // The components that no sweep touches, once.
  const Pick none(leaves.size(), -1);
  for (int c = 0; c < kComponents; ++c) {
    if (!component_axes_[c].empty()) continue;
    switch (c) {
      case kHs:
        base_[c] = operator_at(kSystemH, none);
        break;
      case kHa:
        base_[c] = operator_at(kAncillaH, none);
        break;
      case kCoupling:
        base_[c] = fixed_coupling_;
        break;
      case kRho0:  // the Hamiltonian is unswept when the state needs it
        base_[c] = resolve_state(initial_state, initial_state.needs_hamiltonian()
                                                    ? operator_at(kSystemH, none)
                                                    : Matrix())
                       .rho;
        break;
      case kRhoA:
        base_[c] = gibbs ? Matrix::Zero(ancilla.dim, ancilla.dim)
                         : resolve_state(ancilla_state, ancilla_state.needs_hamiltonian()
                                                            ? operator_at(kAncillaH, none)
                                                            : Matrix())
                               .rho;
        break;
    }
  }
}

void GeneralModel::finish_spec() {
  std::vector<GeneralModel*> baths{this};
  for (const auto& other : other_baths) baths.push_back(other.get());
  std::vector<int> dims;
  info_.system_dim = system.dim;
  info_.system_space = system.label;
  info_.baths.clear();
  for (std::size_t b = 0; b < baths.size(); ++b) {
    dims.push_back(baths[b]->ancilla.dim);
    info_.baths.push_back(GeneralModelInfo::Bath{bath_names.empty() ? "" : bath_names[b],
                                                 baths[b]->ancilla.dim, baths[b]->gibbs});
  }
  info_.rounds = rounds;
  info_.named_baths = !bath_names.empty();
  shape_ = core::GeneralShape::make(system.dim, static_cast<int>(dims.size()), dims.data(), rounds);
  for (GeneralModel* other : baths) other->shape_ = shape_;
}

void GeneralModel::write_point(std::uint64_t index, double* record) const {
  write_own(index, record);
  for (const auto& other : other_baths) other->write_own(index, record);
}

void GeneralModel::write_own(std::uint64_t index, double* record) const {
  const std::lock_guard lock(mutex_);
  Cache& cache = cache_;
  cache.digits.resize(axis_sizes.size());
  std::uint64_t rest = index;
  for (std::size_t a = axis_sizes.size(); a-- > 0;) {
    cache.digits[a] = rest % axis_sizes[a];
    rest /= axis_sizes[a];
  }
  if (rest != 0) {
    throw std::out_of_range("Spec::general_point: index " + std::to_string(index) +
                            " >= point count");
  }
  cache.pick.resize(leaves.size());
  for (std::size_t l = 0; l < leaves.size(); ++l)
    cache.pick[l] = static_cast<int>(cache.digits[leaves[l].axis]);
  const Pick& pick = cache.pick;

  double point_dt = dt;
  std::int64_t point_collisions = collisions;
  for (std::size_t l = 0; l < leaves.size(); ++l) {
    if (leaves[l].kind == LeafKind::dt) point_dt = leaves[l].numbers[pick[l]];
    if (leaves[l].kind == LeafKind::collisions)
      point_collisions = static_cast<std::int64_t>(leaves[l].numbers[pick[l]]);
  }
  const core::GeneralRecordWriter writer{record, &shape_};
  const int b = bath_index;
  if (b == 0) writer.header(point_dt, point_collisions, scaling, dynamics);
  record[shape_.bath[b] + core::GeneralShape::kBathBeta] = beta_at(pick);

  const std::size_t offsets[kComponents] = {shape_.h_s, shape_.rho0,
                                            shape_.bath[b] + core::GeneralShape::kBathHamiltonian,
                                            shape_.bath_coupling(b), shape_.bath_state(b)};
  for (int c = 0; c < kComponents; ++c) {
    if (b != 0 && (c == kHs || c == kRho0)) continue;  // bath 0's model writes the system
    const RowMatrix* value = &base_[c];
    if (!component_axes_[c].empty()) {
      std::vector<std::size_t>& key = cache.key[c];
      key.resize(component_axes_[c].size());
      bool same = cache.valid[c];
      for (std::size_t k = 0; k < key.size(); ++k) {
        const std::size_t digit = cache.digits[component_axes_[c][k]];
        same = same && key[k] == digit;
        key[k] = digit;
      }
      if (!same) {
        switch (c) {
          case kHs:
            operator_into(kSystemH, pick, cache.value[c]);
            break;
          case kHa:
            operator_into(kAncillaH, pick, cache.value[c]);
            break;
          case kCoupling:
            coupling_into(pick, cache.value[c]);
            break;
          case kRho0: {
            const StateSpec s = state_at(true, pick);
            cache.value[c] =
                resolve_state(s, s.needs_hamiltonian() ? operator_at(kSystemH, pick) : Matrix())
                    .rho;
            break;
          }
          case kRhoA: {
            const StateSpec s = state_at(false, pick);
            cache.value[c] =
                resolve_state(s, s.needs_hamiltonian() ? operator_at(kAncillaH, pick) : Matrix())
                    .rho;
            break;
          }
        }
        cache.valid[c] = true;
      }
      value = &cache.value[c];
    }
    std::memcpy(record + offsets[c], value->data(),
                sizeof(Complex) * static_cast<std::size_t>(value->size()));
  }
}

// ---------------------------------------------------------------------------
// Spec, general form
// ---------------------------------------------------------------------------

namespace {

const GeneralModel& general_model(const Spec& spec, const char* what) {
  if (spec.form != SpecForm::general || !spec.general) {
    throw std::logic_error(std::string("Spec::") + what + ": the spec is in the qubit form");
  }
  return *spec.general;
}

}  // namespace

core::GeneralShape Spec::general_shape() const {
  return general_model(*this, "general_shape").shape();
}

const GeneralModelInfo& Spec::general_info() const {
  return general_model(*this, "general_info").info();
}

void Spec::general_point(std::uint64_t index, double* record) const {
  general_model(*this, "general_point").write_point(index, record);
}

}  // namespace qcm
