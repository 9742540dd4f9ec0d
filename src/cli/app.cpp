// @file cli layer: `qcm run | validate | info | bench` (CLI11).
//
// Exit status (docs/robustness.md): 0 success; 2 invalid input, refused before any work,
// with one message naming the JSON path or argument; 1 failure while running;
// 130 interrupted.
#include "cli/app.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "benchmarks/bench.hpp"
#include "cli/options.hpp"
#include "cli/validate.hpp"
#include "driver/checkpoint.hpp"
#include "driver/driver.hpp"
#include "io/atomic_file.hpp"
#include "io/result_writer.hpp"
#include "qcm/backend.hpp"
#include "qcm/spec.hpp"
#include "qcm/version.hpp"

namespace qcm {

namespace {

/// Estimated bytes of the written result (rows of ~22 characters per number).
double estimated_output_bytes(const Spec& spec, const RunRequest& request) {
  const TableLayout layout = make_layout(spec, request);
  const double per_row = 24.0 * static_cast<double>(layout.flat_column_names().size()) + 8;
  double bytes = per_row * static_cast<double>(spec.point_count());
  std::size_t per_sample = 0;
  for (int w : layout.series_widths) per_sample += static_cast<std::size_t>(w);
  if (layout.series)
    bytes += static_cast<double>(spec.point_count()) * 24.0 * static_cast<double>(per_sample) *
             static_cast<double>(series_sample_count(max_collisions(spec), request.series_every));
  return bytes;
}

/// The point count for a message: point_count() saturates at UINT64_MAX.
std::string point_count_text(const Spec& spec) {
  const std::uint64_t n = spec.point_count();
  return n == std::numeric_limits<std::uint64_t>::max() ? "more than 1.8e19" : std::to_string(n);
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", bytes, units[u]);
  return buffer;
}

struct RunArgs {
  std::string spec_path;
  std::string output;
  std::string backend = "auto";
  std::string precision = "double";
  std::string format = "json";
  std::string outputs = group_list(kDefaultGroups);
  std::string max_memory;
  std::string checkpoint;
  std::string resume;
  bool quiet = false;
};

Spec load_spec_or_default(const std::string& path) {
  return path.empty() ? parse_spec(default_spec_document()) : load_spec(path);
}

RunOptions make_run_options(const Spec& spec, const std::string& backend,
                            const std::string& precision, const std::string& outputs,
                            bool outputs_given, const std::string& max_memory, bool quiet) {
  RunOptions options;
  options.backend = backend;
  options.precision = parse_precision(precision);
  options.request = make_request(spec, output_groups(spec, outputs, outputs_given));
  options.max_memory = parse_memory(max_memory);
  options.progress = !quiet && ::isatty(STDERR_FILENO);
  return options;
}

/// A short readable table for the terminal: a pivot of beta_eff (/beta) for a
/// two-axis grid, else the first rows.
/// Rows kept for the terminal summary (a pivot larger than this is unreadable anyway).
constexpr std::size_t kSummaryRows = 2000;

void print_summary(const MemoryTable& table, bool two_axis_grid, std::ostream& out);

/// The spec of a run: the file given, else the one a resumed checkpoint holds, else the default.
Spec spec_of_run(const RunArgs& args) {
  if (args.spec_path.empty() && !args.resume.empty())
    return parse_spec(Checkpoint::recorded_spec(args.resume));
  return load_spec_or_default(args.spec_path);
}

int run_command(const RunArgs& args, bool outputs_given) {
  const Spec spec = spec_of_run(args);
  RunOptions options = make_run_options(spec, args.backend, args.precision, args.outputs,
                                        outputs_given, args.max_memory, args.quiet);
  if (!args.checkpoint.empty() && !args.resume.empty())
    throw UsageError("--checkpoint and --resume: give one (--resume DIR continues DIR)");
  options.checkpoint_dir = !args.resume.empty() ? args.resume : args.checkpoint;
  options.resume = !args.resume.empty();
  if (args.format != "json" && args.format != "csv")
    throw UsageError("--format: expected json or csv, got \"" + args.format + "\"");
  if (args.format == "csv" && options.request.series_every > 0)
    throw UsageError("--format csv: the spec asks for a series, which only the JSON format holds");
  std::optional<std::filesystem::path> out_path;
  if (!args.output.empty() && args.output != "-") {
    out_path = args.output;
    if (const std::string problem = output_path_problem(*out_path); !problem.empty())
      throw UsageError("-o " + args.output + ": " + problem);
    // Refuse up front an output that cannot fit.
    const double need = estimated_output_bytes(spec, options.request);
    std::error_code ec;
    const auto space = std::filesystem::space(
        out_path->has_parent_path() ? out_path->parent_path() : std::filesystem::path("."), ec);
    std::error_code type_ec;
    const bool regular_target = !std::filesystem::exists(*out_path, type_ec) ||
                                std::filesystem::is_regular_file(*out_path, type_ec);
    if (!ec && regular_target && need > static_cast<double>(space.available))
      throw UsageError("the result of " + point_count_text(spec) + " points would need about " +
                       human_bytes(need) + " but " + args.output + "'s file system has " +
                       human_bytes(static_cast<double>(space.available)) + " free");
  }
  if (spec.point_count() > (std::uint64_t{1} << 40))
    throw UsageError("sweep: " + point_count_text(spec) + " points; the result would need about " +
                     human_bytes(estimated_output_bytes(spec, options.request)) +
                     ", which qcm refuses (split the sweep)");
  std::unique_ptr<Backend> backend = make_backend(options.backend, options.precision);
  std::unique_ptr<ResultSink> sink =
      args.format == "csv" ? make_csv_sink(out_path) : make_json_sink(out_path);
  if (!out_path) {
    run_sweep(spec, options, *backend, *sink);
    return 0;
  }
  // With -o, the result goes to the file and a short summary to stdout, built
  // from the first rows only (memory stays bounded by the chunks).
  struct Tee final : ResultSink {
    ResultSink& file;
    MemoryTable& summary;
    Tee(ResultSink& f, MemoryTable& s) : file(f), summary(s) {}
    void begin(const Spec& s, const TableLayout& l) override {
      file.begin(s, l);
      summary.begin(s, l);
    }
    void add_chunk(const Spec& s, std::uint64_t first, const ChunkResult& c) override {
      file.add_chunk(s, first, c);
      summary.add_chunk(s, first, c);
    }
    void finish(const RunInfo& i) override {
      file.finish(i);
      summary.finish(i);
    }
  };
  MemoryTable summary(MemoryTable::Keep{false, false, args.quiet ? 0 : kSummaryRows});
  Tee tee(*sink, summary);
  const RunInfo info = run_sweep(spec, options, *backend, tee);
  if (!args.quiet) {
    const bool two_axis_grid = spec.axes.size() == 2 && spec.axes[0].paths.size() == 1 &&
                               spec.axes[1].paths.size() == 1 && spec.point_count() <= kSummaryRows;
    print_summary(summary, two_axis_grid, std::cout);
    std::printf("%llu points on %s (%s, %s precision) in %.3f s; written to %s\n",
                static_cast<unsigned long long>(info.points), info.backend.c_str(),
                info.device.c_str(), info.precision.c_str(), info.seconds, args.output.c_str());
    if (info.checks.computed &&
        (info.checks.max_bloch_length > 1 + 1e-9 || info.checks.min_entropy_production < -1e-9))
      std::printf("warning: physics checks failed: max |r| = %.17g, min entropy production = %g\n",
                  info.checks.max_bloch_length, info.checks.min_entropy_production);
  }
  return 0;
}

std::string format_cell(double x) {
  if (std::isnan(x)) return "null";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

std::string cell_text(const Json& v) {
  if (v.is_number()) return format_cell(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void print_summary(const MemoryTable& table, bool two_axis_grid, std::ostream& out) {
  const TableLayout& layout = table.layout();
  const int beta_eff = table.value_index("beta_eff");
  // Two-axis grid: pivot beta_eff (divided by beta when beta is swept), as in the paper's Fig.
  // 1(a).
  if (two_axis_grid && beta_eff >= 0 && !table.values().empty()) {
    std::vector<std::string> outer, inner;
    for (const auto& row : table.swept()) {
      const std::string o = cell_text(row[0]), i = cell_text(row[1]);
      if (std::find(outer.begin(), outer.end(), o) == outer.end()) outer.push_back(o);
      if (std::find(inner.begin(), inner.end(), i) == inner.end()) inner.push_back(i);
    }
    const bool beta_outer = layout.swept_columns[0] == "ancilla.beta";
    out << (beta_outer ? "beta_eff/beta" : "beta_eff") << " by " << layout.swept_columns[1]
        << " (rows) and " << layout.swept_columns[0] << " (columns)\n";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%12s", layout.swept_columns[1].c_str());
    out << buffer;
    for (const std::string& o : outer) {
      std::snprintf(buffer, sizeof buffer, " %11s", o.c_str());
      out << buffer;
    }
    out << "\n";
    const std::size_t n_inner = inner.size();
    for (std::size_t i = 0; i < n_inner; ++i) {
      std::snprintf(buffer, sizeof buffer, "%12s", inner[i].c_str());
      out << buffer;
      for (std::size_t o = 0; o < outer.size(); ++o) {
        const std::size_t row = o * n_inner + i;
        if (row >= table.values().size()) break;
        double v = table.values()[row][beta_eff];
        if (beta_outer)
          v /= table.swept()[row][0].is_number() ? table.swept()[row][0].get<double>() : NAN;
        std::snprintf(buffer, sizeof buffer, " %11s", format_cell(v).c_str());
        out << buffer;
      }
      out << "\n";
    }
    return;
  }
  // Otherwise: the first rows with the swept columns and the key results.
  std::vector<std::string> names = layout.swept_columns;
  std::vector<int> shown;
  for (const char* name :
       {"bloch_z", "beta_eff", "coherence_l1", "ergotropy", "work_rate", "heat_rate",
        "entropy_production_rate", "stationary.beta_eff", "gksl.beta_eff"}) {
    const int k = table.value_index(name);
    if (k >= 0) {
      shown.push_back(k);
      names.emplace_back(name);
    }
  }
  char buffer[64];
  for (const std::string& n : names) {
    std::snprintf(buffer, sizeof buffer, " %14s",
                  n.size() > 14 ? n.substr(n.size() - 14).c_str() : n.c_str());
    out << buffer;
  }
  out << "\n";
  const std::size_t rows = std::min<std::size_t>(table.values().size(), 20);
  for (std::size_t r = 0; r < rows; ++r) {
    for (const Json& v : table.swept()[r]) {
      std::snprintf(buffer, sizeof buffer, " %14s", cell_text(v).c_str());
      out << buffer;
    }
    for (int k : shown) {
      std::snprintf(buffer, sizeof buffer, " %14s", format_cell(table.values()[r][k]).c_str());
      out << buffer;
    }
    out << "\n";
  }
  if (table.info().points > rows)
    out << " ... (" << table.info().points - rows << " more rows in the result)\n";
}

int info_command() {
  std::cout << "qcm " << kVersion << " (commit " << kGitCommit << ")\n";
  std::cout << "compiled backends:";
  for (const std::string& b : compiled_backends()) std::cout << " " << b;
  std::cout << "\n";
  const int devices = cuda_device_count();
  std::cout << "CUDA devices: " << devices << "\n";
  if (devices > 0) {
    const auto backend = make_backend("cuda", Precision::double_);
    std::cout << "  device 0: " << backend->device() << "\n";
  }
  std::cout << "cpu backend: " << make_backend("cpu", Precision::double_)->device() << "\n";
  std::cout << "auto backend: " << (devices > 0 ? "cuda" : "cpu") << "\n";
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "qcm: ensemble simulator for memoryless quantum collision models and their\n"
      "thermodynamics (work, heat, entropy production, steady states, ergotropy).\n"
      "Units hbar = k_B = 1. Docs: docs/spec.md (input), docs/results.md (output).",
      "qcm"};
  app.set_version_flag("--version", std::string("qcm ") + kVersion + " (" + kGitCommit + ")");
  app.require_subcommand(1);

  RunArgs run_args;
  CLI::App* run = app.add_subcommand(
      "run", "Run a spec (or, without SPEC, the built-in default sweep: the paper's Fig. 1(a))");
  run->add_option("SPEC", run_args.spec_path, "Spec file (JSON, see docs/spec.md)");
  run->add_option("-o,--output", run_args.output,
                  "Write the result to this file (a summary goes to stdout); default: stdout");
  run->add_option("--backend", run_args.backend, "auto | cuda | cpu | reference (default auto)");
  run->add_option("--precision", run_args.precision, "double | float (default double)");
  run->add_option("--format", run_args.format, "json | csv (default json)");
  CLI::Option* outputs_option =
      run->add_option("--outputs", run_args.outputs,
                      "Comma-separated groups: " + group_list(kAllGroups, ", ") + " (default " +
                          group_list(kDefaultGroups) + ")");
  run->add_option("--max-memory", run_args.max_memory,
                  "Cap on the memory of one chunk of results, e.g. 512M or 4G");
  run->add_option("--checkpoint", run_args.checkpoint,
                  "Store each finished chunk durably in this directory (resume with --resume)");
  run->add_option("--resume", run_args.resume,
                  "Continue an interrupted run from its checkpoint directory (computes only the "
                  "missing chunks; SPEC, if given, must match)");
  run->add_flag("-q,--quiet", run_args.quiet, "No progress line and no summary");

  ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand(
      "validate", "Run a spec on two backends and compare every column (exit 1 on disagreement)");
  validate->add_option("SPEC", validate_args.spec_path, "Spec file (default: the default sweep)");
  validate->add_option("--backend", validate_args.backend, "Backend under test (default auto)");
  validate->add_option("--against", validate_args.against,
                       "Backend to compare with (default reference)");
  validate->add_option("--precision", validate_args.precision,
                       "double | float of the backend under test");
  CLI::Option* validate_outputs =
      validate->add_option("--outputs", validate_args.outputs,
                           "Groups to compare (default " + group_list(kDefaultGroups) + ")");

  CLI::App* info = app.add_subcommand("info", "Compiled backends, devices, OpenMP threads");

  BenchOptions bench_options;
  CLI::App* bench_app = app.add_subcommand(
      "bench", "Throughput of every backend on fixed random sweeps (docs/BENCHMARKS.md)");
  bench_app->add_option(
      "--backend", bench_options.backends,
      "Backends to measure (repeatable; default reference, cpu, cuda if present)");
  bench_app->add_option("--repeats", bench_options.repeats, "Runs per measurement (median)")
      ->check(CLI::Range(1, 100));
  bench_app->add_option("--scale", bench_options.scale, "Multiply every sweep size (e.g. 0.01)")
      ->check(CLI::Range(1e-6, 100.0));
  bench_app->add_option("--job", bench_options.jobs,
                        "Only the jobs whose name contains this text (repeatable; e.g. general)");
  bench_app->add_option("-o,--output", bench_options.output, "Write the JSON report here");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "qcm: error: " << e.what() << " (see qcm --help)\n";
    return 2;
  }

  try {
    if (run->parsed()) {
      install_interrupt_handlers();
      return run_command(run_args, outputs_option->count() > 0);
    }
    if (validate->parsed()) return validate_command(validate_args, validate_outputs->count() > 0);
    if (info->parsed()) return info_command();
    if (bench_app->parsed()) return bench_command(bench_options);
  } catch (const SpecError& e) {
    std::cerr << "qcm: error: " << e.what() << "\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "qcm: error: " << e.what() << "\n";
    return 2;
  } catch (const BackendUnavailable& e) {
    std::cerr << "qcm: error: --backend: " << e.what() << "\n";
    return 2;
  } catch (const Interrupted&) {
    std::cerr << (run_args.checkpoint.empty() && run_args.resume.empty()
                      ? "qcm: interrupted; no output written\n"
                      : "qcm: interrupted; finished chunks are in the checkpoint, continue with "
                        "qcm run --resume DIR\n");
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "qcm: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace qcm
