// @file driver layer: checkpoint manifest and chunk files.
#include "driver/checkpoint.hpp"

#include <fstream>
#include <stdexcept>
#include <vector>

#include "io/atomic_file.hpp"
#include "qcm/version.hpp"

namespace qcm {
namespace {

constexpr char kMagic[8] = {'Q', 'C', 'M', 'C', 'H', 'K', '0', '2'};

Json manifest_of(const Spec& spec, const CheckpointKey& key) {
  return Json{{"schema", "qcm-checkpoint/1"},
              {"version", kVersion},
              {"spec", spec.document},
              {"points", spec.point_count()},
              {"backend", key.backend},
              {"precision", key.precision},
              {"groups", key.groups},
              {"series_every", key.series_every},
              {"chunk_points", key.chunk_points}};
}

Json read_manifest(const std::filesystem::path& dir) {
  std::ifstream in(dir / "manifest.json");
  if (!in) throw SpecError("--resume", dir.string() + " holds no checkpoint (no manifest.json)");
  try {
    return Json::parse(in);
  } catch (const std::exception&) {
    throw SpecError("--resume", (dir / "manifest.json").string() + " is not a valid manifest");
  }
}

template <typename V>
void write_vector(std::string& out, const std::vector<V>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(V));
}

template <typename V>
void read_vector(std::istream& in, std::vector<V>& v, std::size_t count) {
  v.resize(count);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(V)));
}

}  // namespace

Checkpoint Checkpoint::create(const std::filesystem::path& dir, const Spec& spec,
                              const CheckpointKey& key) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!std::filesystem::is_directory(dir))
    throw SpecError("--checkpoint", "cannot create directory " + dir.string());
  if (std::filesystem::exists(dir / "manifest.json"))
    throw SpecError("--checkpoint", dir.string() +
                                        " already holds a checkpoint; continue it with --resume " +
                                        dir.string() + " or choose another directory");
  AtomicFile manifest(dir / "manifest.json");
  manifest.write(manifest_of(spec, key).dump(2) + "\n");
  manifest.commit();
  return Checkpoint(dir, key);
}

std::size_t Checkpoint::recorded_chunk_points(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir / "manifest.json")) return 0;
  const Json m = read_manifest(dir);
  return m.value("chunk_points", std::size_t{0});
}

Json Checkpoint::recorded_spec(const std::filesystem::path& dir) {
  const Json m = read_manifest(dir);
  if (!m.is_object() || !m.contains("spec"))
    throw SpecError("--resume", (dir / "manifest.json").string() + " holds no spec");
  return m.at("spec");
}

Checkpoint Checkpoint::resume(const std::filesystem::path& dir, const Spec& spec,
                              const CheckpointKey& key) {
  const Json recorded = read_manifest(dir);
  const Json now = manifest_of(spec, key);
  for (const char* field : {"spec", "points", "backend", "precision", "groups", "series_every",
                            "chunk_points", "version"}) {
    if (recorded.value(field, Json()) != now[field])
      throw SpecError("--resume", "the checkpoint in " + dir.string() +
                                      " was started with a different " + field + " (" +
                                      recorded.value(field, Json()).dump() + ", now " +
                                      now[field].dump() + ")");
  }
  return Checkpoint(dir, key);
}

std::filesystem::path Checkpoint::chunk_path(std::uint64_t first) const {
  return dir_ / ("chunk-" + std::to_string(first) + ".bin");
}

bool Checkpoint::has_chunk(std::uint64_t first) const {
  return std::filesystem::exists(chunk_path(first));
}

void Checkpoint::save_chunk(std::uint64_t first, const ChunkResult& chunk) const {
  std::string data(kMagic, sizeof kMagic);
  const std::uint64_t header[2] = {chunk.points, static_cast<std::uint64_t>(chunk.max_samples())};
  data.append(reinterpret_cast<const char*>(header), sizeof header);
  const double checks[3] = {chunk.checks.max_bloch_length, chunk.checks.min_entropy_production,
                            chunk.checks.computed ? 1.0 : 0.0};
  data.append(reinterpret_cast<const char*>(checks), sizeof checks);
  write_vector(data, chunk.values);
  write_vector(data, chunk.flags);
  write_vector(data, chunk.sample_counts);
  std::vector<double> series;  // point-major and compact, whatever the backend's layout
  for (std::size_t p = 0; p < chunk.points; ++p)
    for (std::int64_t s = 0; s < chunk.sample_counts[p]; ++s)
      for (int v = 0; v < chunk.shape.series.values; ++v)
        series.push_back(chunk.series[chunk.shape.sample_index(s, 0, p) +
                                      static_cast<std::size_t>(v) * chunk.shape.stride_column]);
  write_vector(data, series);
  AtomicFile file(chunk_path(first));
  file.write(data);
  file.commit();
}

void Checkpoint::load_chunk(std::uint64_t first, std::size_t points, std::int64_t max_samples,
                            const ColumnLayout& columns, const SeriesLayoutSlots& series,
                            ChunkResult& chunk) const {
  const std::filesystem::path path = chunk_path(first);
  const auto damaged = [&](const std::string& why) {
    return std::runtime_error("checkpoint chunk " + path.string() + " is damaged (" + why +
                              "); delete it and resume again to recompute it");
  };
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw damaged("cannot read its size: " + ec.message());
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof kMagic];
  std::uint64_t header[2] = {0, 0};
  double checks[3] = {0, 0, 0};
  in.read(magic, sizeof magic);
  in.read(reinterpret_cast<char*>(header), sizeof header);
  in.read(reinterpret_cast<char*>(checks), sizeof checks);
  if (!in || std::string(magic, sizeof magic) != std::string(kMagic, sizeof kMagic))
    throw damaged("no qcm chunk header");
  if (header[0] != points)
    throw damaged("it holds " + std::to_string(header[0]) + " points, the chunk has " +
                  std::to_string(points));
  if (header[1] > static_cast<std::uint64_t>(max_samples))
    throw damaged("it claims " + std::to_string(header[1]) + " series samples per point, at most " +
                  std::to_string(max_samples) + " are possible");
  // Everything before the series has a size fixed by the point count.
  const std::uintmax_t fixed = sizeof kMagic + sizeof header + sizeof checks +
                               points * (sizeof(double) * static_cast<std::size_t>(columns.slots) +
                                         sizeof(std::uint32_t) + sizeof(std::int64_t));
  if (size < fixed) throw damaged("truncated: " + std::to_string(size) + " bytes");
  chunk.resize(points, static_cast<std::int64_t>(header[1]), SeriesLayout::point_major, columns,
               series);
  chunk.checks = {checks[0], checks[1], checks[2] != 0.0};
  read_vector(in, chunk.values, chunk.values.size());
  read_vector(in, chunk.flags, chunk.points);
  read_vector(in, chunk.sample_counts, chunk.points);
  std::uintmax_t series_values = 0;
  for (const std::int64_t count : chunk.sample_counts) {
    if (count < 0 || count > chunk.max_samples())
      throw damaged("a point claims " + std::to_string(count) + " series samples");
    series_values +=
        static_cast<std::uintmax_t>(count) * static_cast<std::uintmax_t>(series.values);
  }
  if (size != fixed + series_values * sizeof(double))
    throw damaged(std::to_string(size) + " bytes, its header implies " +
                  std::to_string(fixed + series_values * sizeof(double)));
  for (std::size_t p = 0; p < chunk.points; ++p)
    for (std::int64_t s = 0; s < chunk.sample_counts[p]; ++s)
      in.read(reinterpret_cast<char*>(&chunk.series[chunk.shape.sample_index(s, 0, p)]),
              sizeof(double) * static_cast<std::size_t>(series.values));
  if (!in) throw damaged("truncated");
}

}  // namespace qcm
