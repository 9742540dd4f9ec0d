// @file io layer: result sinks (streamed JSON and CSV writers, an in-memory table).
//
// The driver hands each finished chunk to a sink; writers stream rows to
// anonymous temporary files and assemble the output at finish(), so a sweep of
// millions of rows never builds one giant document and the metadata (which
// needs the run time) still comes first (docs/results.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qcm/result.hpp"
#include "qcm/spec.hpp"

namespace qcm {

/// The `run` metadata of a result.
struct RunInfo {
  std::string backend;
  std::string precision;
  std::string device;
  std::uint64_t points = 0;
  double seconds = 0;        ///< computation (chunks), excluding writing
  double write_seconds = 0;  ///< formatting and writing rows
  PhysicsChecks checks;      ///< merged over all chunks
};

/// Which columns a result has, in output order, and how many numbers each holds.
struct TableLayout {
  std::vector<std::string> swept_columns;
  std::vector<int> value_columns;   ///< Column slots, in output order
  std::vector<int> widths;          ///< numbers in each value column (1, d_S, 2 d_S^2)
  std::vector<int> series_columns;  ///< SeriesColumn slots, in output order
  std::vector<int> series_widths;
  bool series = false;
  std::uint32_t groups = 0;
  bool general = false;  ///< the general form (its own wording of some null reasons)
  int system_dim = 2;

  /// One name per column (the swept paths, then the value columns).
  std::vector<std::string> column_names() const;
  /// The CSV header: array columns flattened (populations[0], rho[0][1].re, ...).
  std::vector<std::string> flat_column_names() const;
  std::vector<std::string> series_names() const;
  /// Numbers per row over all value columns.
  std::size_t value_count() const;
};

TableLayout make_layout(const Spec& spec, const RunRequest& request);

/// Where a spec's columns and series columns lie in a chunk (its form and system size).
ColumnLayout column_layout_of(const Spec& spec);
SeriesLayoutSlots series_slots_of(const Spec& spec);

/// One null-explaining entry of the result's `undefined` list.
struct UndefinedEntry {
  std::uint64_t row;
  std::vector<std::string> columns;
  std::string reason;
};

/// The undefined entries of point `p` of a chunk (flags, plus any NaN no flag explains).
std::vector<UndefinedEntry> undefined_entries(const TableLayout& layout, const ChunkResult& chunk,
                                              std::size_t p, std::uint64_t row);

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void begin(const Spec& spec, const TableLayout& layout) = 0;
  /// Points first_row .. first_row + chunk.points - 1, in order.
  virtual void add_chunk(const Spec& spec, std::uint64_t first_row, const ChunkResult& chunk) = 0;
  virtual void finish(const RunInfo& info) = 0;
};

/// JSON (qcm-result/1) to `path`, atomically, or to stdout when path is empty.
std::unique_ptr<ResultSink> make_json_sink(std::optional<std::filesystem::path> path);
/// CSV with `#` metadata lines; the table only (series need JSON).
std::unique_ptr<ResultSink> make_csv_sink(std::optional<std::filesystem::path> path);

/// The whole result in memory (validate, summaries, tests).
class MemoryTable final : public ResultSink {
 public:
  /// What to keep; the terminal summary of a big run keeps only a few rows.
  struct Keep {
    bool series = true;
    bool undefined = true;
    std::size_t max_rows = static_cast<std::size_t>(-1);
  };
  MemoryTable() = default;
  explicit MemoryTable(Keep keep) : keep_(keep) {}
  void begin(const Spec& spec, const TableLayout& layout) override;
  void add_chunk(const Spec& spec, std::uint64_t first_row, const ChunkResult& chunk) override;
  void finish(const RunInfo& info) override { info_ = info; }

  const TableLayout& layout() const { return layout_; }
  const RunInfo& info() const { return info_; }
  /// values[row][k]: the numbers of the value columns one after the other
  /// (NaN = null); value_index(name) says where a column starts.
  const std::vector<std::vector<double>>& values() const { return values_; }
  const std::vector<std::vector<Json>>& swept() const { return swept_; }
  const std::vector<UndefinedEntry>& undefined() const { return undefined_; }
  /// series[row][sample][k]: the numbers of the series columns one after the
  /// other (series_index(name) says where a column starts).
  const std::vector<std::vector<std::vector<double>>>& series() const { return series_; }
  /// Index in values()[row] of the first number of a named column, or -1.
  int value_index(std::string_view name) const;
  /// Index in a sample of the first number of a named series column, or -1.
  int series_index(std::string_view name) const;

 private:
  TableLayout layout_;
  RunInfo info_;
  std::vector<std::vector<double>> values_;
  std::vector<std::vector<Json>> swept_;
  std::vector<UndefinedEntry> undefined_;
  std::vector<std::vector<std::vector<double>>> series_;
  Keep keep_;
};

/// Shortest round-trip text of a number; "\"inf\"" / "\"-inf\"" for infinities, "null" for NaN.
std::string json_number(double x);

}  // namespace qcm
