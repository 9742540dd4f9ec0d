// @file benchmarks: `qcm bench`, fixed sweeps of random nine-term couplings on
// every available backend, in double precision, written as JSON.
//
// (a) stepping: every collision stepped, a series sample at every collision
//     kept in memory; rate in collision-steps per second.
// (b) final-only: the O(log n) closed form, at n = 10^3 and n = 10^6; rate in
//     points per second.
// Both for the qubit form (random nine-term couplings) and for general models
// (random dense models of d_S = 3, 4 and 8 with a qubit ancilla).
// Allocation of the result buffers and writing JSON are timed apart from the
// computation, never mixed in. Each timing is the median of `repeats` runs.
#include "benchmarks/bench.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "driver/random_points.hpp"
#include "io/atomic_file.hpp"
#include "io/result_writer.hpp"
#include "qcm/backend.hpp"
#include "qcm/spec.hpp"
#include "qcm/version.hpp"

namespace qcm {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Measurement {
  double allocate_seconds = 0;  ///< first sizing of the result buffers
  double compute_seconds = 0;   ///< median of backend.run with the buffers in place
  double kernel_seconds = -1;   ///< median of the kernel alone (GPU), else -1
  double write_seconds = -1;    ///< formatting the result as JSON (final-only jobs)
};

Measurement measure(Backend& backend, const std::vector<core::PointParams>& points,
                    const RunRequest& request, int repeats, bool time_writing) {
  Measurement m;
  ChunkResult out;
  std::int64_t samples = 0;
  for (const auto& p : points)
    samples = std::max(samples, series_sample_count(p.collisions, request.series_every));
  const Clock::time_point a0 = Clock::now();
  // Touch every page, as the backend's own sizing would.
  out.resize(points.size(), samples,
             backend.name() == "cuda" ? SeriesLayout::sample_major : SeriesLayout::point_major);
  std::fill(out.series.begin(), out.series.end(), 0.0);
  std::fill(out.values.begin(), out.values.end(), 0.0);
  m.allocate_seconds = seconds(a0, Clock::now());
  std::vector<double> compute, kernel;
  for (int r = 0; r < repeats; ++r) {
    const Clock::time_point t0 = Clock::now();
    backend.run(points, request, out);
    compute.push_back(seconds(t0, Clock::now()));
    if (backend.last_kernel_seconds() >= 0) kernel.push_back(backend.last_kernel_seconds());
  }
  m.compute_seconds = median(compute);
  if (!kernel.empty()) m.kernel_seconds = median(kernel);
  if (time_writing) {
    // The same rows through the streamed JSON writer, into a scratch file.
    Json doc = {{"collisions", points.front().collisions}};
    Spec spec = parse_spec(doc);
    RunRequest final_only = request;
    final_only.groups = kGroupFinal;
    final_only.series_every = 0;
    const TableLayout layout = make_layout(spec, final_only);
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("qcm-bench-" + std::to_string(::getpid()) + ".json");
    const Clock::time_point w0 = Clock::now();
    {
      auto sink = make_json_sink(path);
      sink->begin(spec, layout);
      sink->add_chunk(spec, 0, out);
      sink->finish(RunInfo{});
    }
    m.write_seconds = seconds(w0, Clock::now());
    std::filesystem::remove(path);
  }
  return m;
}

/// The same for general-model points (the backend sizes the result itself).
Measurement measure_general(Backend& backend, const GeneralPoints& points,
                            const RunRequest& request, int repeats) {
  Measurement m;
  ChunkResult out;
  const GeneralChunk chunk = points.chunk();
  const Clock::time_point a0 = Clock::now();
  backend.run(chunk, request, out);  // first run: sizes and touches the buffers
  m.allocate_seconds = seconds(a0, Clock::now());
  std::vector<double> compute, kernel;
  for (int r = 0; r < repeats; ++r) {
    const Clock::time_point t0 = Clock::now();
    backend.run(chunk, request, out);
    compute.push_back(seconds(t0, Clock::now()));
    if (backend.last_kernel_seconds() >= 0) kernel.push_back(backend.last_kernel_seconds());
  }
  m.compute_seconds = median(compute);
  if (!kernel.empty()) m.kernel_seconds = median(kernel);
  return m;
}

std::string host_name() {
  char buffer[256] = {};
  ::gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

std::string today() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", std::gmtime(&now));
  return buffer;
}

}  // namespace

int bench_command(const BenchOptions& options) {
  std::vector<std::string> names = options.backends;
  if (names.empty()) {
    names = {"reference", "cpu"};
    if (cuda_device_count() > 0) names.push_back("cuda");
  }
  Json report = {{"schema", "qcm-bench/1"},    {"date", today()},          {"host", host_name()},
                 {"version", kVersion},        {"git_commit", kGitCommit}, {"precision", "double"},
                 {"repeats", options.repeats}, {"jobs", Json::array()}};
  std::printf("%-10s %-38s %10s %10s %12s %14s %10s\n", "backend", "job", "points", "compute s",
              "kernel s", "rate", "write s");
  for (const std::string& name : names) {
    auto backend = make_backend(name, Precision::double_);
    const bool gpu = name == "cuda";
    const bool reference = name == "reference";
    const double scale = options.scale;
    // The reference engine steps literally (4x4 products per collision): a
    // smaller sweep gives its per-collision rate without taking minutes.
    const auto n_stepping = static_cast<std::size_t>(scale * (gpu ? 1e6 : reference ? 200 : 20000));
    const auto n_final = static_cast<std::size_t>(scale * (gpu ? 1e7 : reference ? 100 : 1e5));
    struct Job {
      std::string name;
      std::size_t points;
      std::int64_t collisions;
      std::int64_t every;
      int system_dim = 0;  ///< 0: the qubit form
      int ancilla_dim = 0;
    };
    std::vector<Job> jobs = {{"stepping n=1000, series every 1", n_stepping, 1000, 1},
                             {"final-only n=1000", n_final, 1000, 0}};
    if (!reference) jobs.push_back({"final-only n=1000000", n_final, 1000000, 0});
    // General models (random dense H_S, H_A and coupling terms of the size;
    // Gibbs and arbitrary ancilla states): d_S = 3 and d_S = 8 (an oscillator
    // truncated at N = 8) with a qubit ancilla, stepped with the entropy at
    // every collision; final-only at d_S d_A = 6 and 8.
    const auto n_general = static_cast<std::size_t>(scale * (gpu ? 1e5 : reference ? 20 : 1e4));
    const auto n_general_final = static_cast<std::size_t>(scale * (gpu         ? 1e6
                                                                   : reference ? 20
                                                                               : 3e4));
    const std::vector<Job> general_jobs = {
        {"general 3x2 stepping n=1000, every 1", n_general, 1000, 1, 3, 2},
        {"general 8x2 stepping n=1000, every 1", n_general / 4, 1000, 1, 8, 2},
        {"general 3x2 final-only n=1000", n_general_final, 1000, 0, 3, 2},
        {"general 3x2 final-only n=1000000", n_general_final, 1000000, 0, 3, 2},
        {"general 4x2 final-only n=1000", n_general_final, 1000, 0, 4, 2},
        {"general 4x2 final-only n=1000000", n_general_final, 1000000, 0, 4, 2},
    };
    for (const Job& job : general_jobs)
      if (!reference || job.collisions <= 1000) jobs.push_back(job);
    for (const Job& job : jobs) {
      const bool chosen = options.jobs.empty() ||
                          std::any_of(options.jobs.begin(), options.jobs.end(), [&](const auto& j) {
                            return job.name.find(j) != std::string::npos;
                          });
      if (!chosen) continue;
      RunRequest request;
      request.groups = kGroupFinal;
      request.series_every = job.every;
      const bool final_only = job.every == 0;
      const std::size_t count = std::max<std::size_t>(job.points, 1);
      Measurement m;
      if (job.system_dim == 0) {
        RandomPointOptions rp;
        rp.fixed_collisions = job.collisions;
        const auto points = random_points(count, 2026, rp);
        m = measure(*backend, points, request, options.repeats, final_only);
      } else {
        GeneralPointOptions gp;
        gp.d_s = job.system_dim;
        gp.d_a = job.ancilla_dim;
        gp.fixed_collisions = job.collisions;
        const auto points = random_general_points(count, 2026, gp);
        m = measure_general(*backend, points, request, options.repeats);
      }
      const double steps = static_cast<double>(count) * static_cast<double>(job.collisions);
      const double rate =
          final_only ? static_cast<double>(count) / m.compute_seconds : steps / m.compute_seconds;
      Json entry = {{"backend", name},
                    {"device", backend->device()},
                    {"job", job.name},
                    {"points", count},
                    {"collisions", job.collisions},
                    {"series_every", job.every},
                    {"allocate_seconds", m.allocate_seconds},
                    {"compute_seconds", m.compute_seconds},
                    {"collision_steps_per_second", steps / m.compute_seconds},
                    {"points_per_second", static_cast<double>(count) / m.compute_seconds}};
      if (job.system_dim > 0) {
        entry["system_dim"] = job.system_dim;
        entry["ancilla_dim"] = job.ancilla_dim;
      }
      if (m.kernel_seconds >= 0) {
        entry["kernel_seconds"] = m.kernel_seconds;
        entry["kernel_points_per_second"] = static_cast<double>(count) / m.kernel_seconds;
        entry["kernel_collision_steps_per_second"] = steps / m.kernel_seconds;
      }
      if (m.write_seconds >= 0) entry["json_write_seconds"] = m.write_seconds;
      report["jobs"].push_back(entry);
      char kernel_text[32] = "-";
      if (m.kernel_seconds >= 0)
        std::snprintf(kernel_text, sizeof kernel_text, "%.4f", m.kernel_seconds);
      char write_text[32] = "-";
      if (m.write_seconds >= 0)
        std::snprintf(write_text, sizeof write_text, "%.3f", m.write_seconds);
      std::printf("%-10s %-38s %10zu %10.4f %12s %10.3e %s %10s\n", name.c_str(), job.name.c_str(),
                  count, m.compute_seconds, kernel_text, rate, final_only ? "pt/s" : "st/s",
                  write_text);
      std::fflush(stdout);
    }
  }
  if (!options.output.empty()) {
    AtomicFile file(options.output);
    file.write(report.dump(2) + "\n");
    file.commit();
    std::printf("written to %s\n", options.output.c_str());
  }
  return 0;
}

}  // namespace qcm
