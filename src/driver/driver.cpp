// @file driver layer: chunking, progress, interruption, out-of-memory retry.
#include "driver/driver.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <vector>

#include "driver/checkpoint.hpp"

namespace qcm {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() {
  return g_interrupted.load();
}

std::string precision_name(Precision precision) {
  return precision == Precision::double_ ? "double" : "float";
}

RunRequest make_request(const Spec& spec, std::uint32_t groups) {
  RunRequest request;
  request.groups = groups;
  request.evolve = spec.evolve;
  request.series_every = spec.evolve ? spec.series_every : 0;
  return request;
}

std::int64_t max_collisions(const Spec& spec) {
  std::int64_t n = spec.base.collisions;
  for (const SweepAxis& axis : spec.axes)
    for (std::size_t p = 0; p < axis.paths.size(); ++p)
      if (axis.fields[p] == Field::collisions) {
        n = 0;
        for (double v : axis.numbers[p]) n = std::max(n, static_cast<std::int64_t>(v));
      }
  return n;
}

RunInfo run_sweep(const Spec& spec, const RunOptions& options, Backend& backend, ResultSink& sink) {
  const RunRequest& request = options.request;
  const bool general = spec.form == SpecForm::general;
  const core::GeneralShape shape = general ? spec.general_shape() : core::GeneralShape{};
  // Several baths are parsed and checked in full (docs/spec.md, "Several baths"), but no
  // engine computes a round of several collisions yet: refused before any output is opened.
  if (general && shape.baths > 1) {
    throw SpecError("baths", std::to_string(shape.baths) +
                                 " baths are given; this version of qcm checks specs with "
                                 "several baths but computes one bath only (a baths list of one "
                                 "entry, or ancilla and coupling)");
  }
  if (general)
    if (const std::string refusal = backend.refuses(shape); !refusal.empty())
      throw BackendUnavailable(refusal);
  const TableLayout layout = make_layout(spec, request);
  sink.begin(spec, layout);
  const std::uint64_t total = spec.point_count();
  const std::int64_t samples = series_sample_count(max_collisions(spec), request.series_every);
  const PointFootprint footprint = general ? footprint_of(shape) : PointFootprint{};
  std::size_t chunk = options.chunk_points
                          ? options.chunk_points
                          : backend.chunk_points(request, samples, options.max_memory, footprint);
  std::optional<Checkpoint> checkpoint;
  if (!options.checkpoint_dir.empty()) {
    // Chunk boundaries identify the chunk files: a resumed run keeps them.
    if (options.resume) chunk = Checkpoint::recorded_chunk_points(options.checkpoint_dir);
    if (chunk == 0)
      throw SpecError("--resume", options.checkpoint_dir.string() + " holds no checkpoint");
    const CheckpointKey key{backend.name(), precision_name(options.precision), request.groups,
                            request.series_every, chunk};
    checkpoint = options.resume ? Checkpoint::resume(options.checkpoint_dir, spec, key)
                                : Checkpoint::create(options.checkpoint_dir, spec, key);
  }
  RunInfo info;
  info.backend = backend.name();
  info.precision = precision_name(options.precision);
  info.device = backend.device();
  info.points = total;
  const Clock::time_point start = Clock::now();
  Clock::time_point last_progress = start;
  bool progress_shown = false;
  std::vector<core::PointParams> params;
  std::vector<double> records;  // general form: the chunk's point records
  ChunkResult result;
  for (std::uint64_t first = 0; first < total;) {
    if (interrupt_requested()) throw Interrupted();
    const std::size_t count =
        static_cast<std::size_t>(std::min<std::uint64_t>(chunk, total - first));
    const Clock::time_point compute_start = Clock::now();
    if (general) {
      records.resize(count * shape.stride);
      for (std::size_t k = 0; k < count; ++k)
        spec.general_point(first + k, records.data() + k * shape.stride);
    } else {
      params.resize(count);
      for (std::size_t k = 0; k < count; ++k) params[k] = spec.point(first + k);
    }
    if (checkpoint && checkpoint->has_chunk(first)) {
      checkpoint->load_chunk(first, count, samples, column_layout_of(spec), series_slots_of(spec),
                             result);
    } else {
      try {
        if (general)
          backend.run(GeneralChunk{shape, records.data(), count}, request, result);
        else
          backend.run(params, request, result);
      } catch (const OutOfDeviceMemory&) {
        // Shrink and retry the same points (not under a checkpoint, whose
        // chunk boundaries are fixed: there the error stands).
        if (chunk <= 1 || checkpoint) throw;
        chunk = std::max<std::size_t>(1, chunk / 2);
        continue;
      }
      if (checkpoint) checkpoint->save_chunk(first, result);
    }
    info.seconds += seconds_since(compute_start);
    info.checks.merge(result.checks);
    const Clock::time_point write_start = Clock::now();
    sink.add_chunk(spec, first, result);
    info.write_seconds += seconds_since(write_start);
    first += count;
    if (options.progress && seconds_since(start) > 1.0 &&
        std::chrono::duration<double>(Clock::now() - last_progress).count() > 0.2) {
      last_progress = Clock::now();
      const double elapsed = seconds_since(start);
      const double fraction = static_cast<double>(first) / static_cast<double>(total);
      std::fprintf(stderr, "\rqcm: %llu/%llu points (%.0f%%), %.1f s elapsed, ~%.0f s left   ",
                   static_cast<unsigned long long>(first), static_cast<unsigned long long>(total),
                   100.0 * fraction, elapsed, elapsed * (1.0 - fraction) / fraction);
      progress_shown = true;
    }
  }
  if (progress_shown) std::fprintf(stderr, "\n");
  const Clock::time_point write_start = Clock::now();
  sink.finish(info);
  info.write_seconds += seconds_since(write_start);
  return info;
}

}  // namespace qcm
