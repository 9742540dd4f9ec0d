// @file io layer: streamed JSON / CSV result writers and the in-memory table.
#include "io/result_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "io/atomic_file.hpp"
#include "io/undefined.hpp"
#include "qcm/version.hpp"

namespace qcm {

std::vector<std::string> TableLayout::column_names() const {
  std::vector<std::string> names = swept_columns;
  for (int c : value_columns) names.emplace_back(kColumnNames[c]);
  return names;
}

TableLayout make_layout(const Spec& spec, const RunRequest& request) {
  TableLayout layout;
  layout.swept_columns = spec.swept_columns();
  layout.groups = request.groups;
  for (const GroupRange& g : kGroups)
    if (request.groups & g.group)
      for (int c = g.first; c < g.last; ++c) layout.value_columns.push_back(c);
  layout.series = request.evolve && request.series_every > 0;
  return layout;
}

std::string json_number(double x) {
  if (std::isnan(x)) return "null";
  if (std::isinf(x)) return x > 0 ? "\"inf\"" : "\"-inf\"";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

std::vector<UndefinedEntry> undefined_entries(const TableLayout& layout, const ChunkResult& chunk,
                                              std::size_t p, std::uint64_t row) {
  std::vector<UndefinedEntry> entries;
  std::vector<bool> explained(kColumnCount, false);
  for (const UndefinedReason& r : undefined_reasons(chunk.flags[p], layout.groups)) {
    UndefinedEntry e{row, {}, r.reason};
    for (int c : r.columns) {
      e.columns.emplace_back(kColumnNames[c]);
      explained[c] = true;
    }
    entries.push_back(std::move(e));
  }
  UndefinedEntry unexplained{row,
                             {},
                             "numerical failure: the computation gave NaN (please report this "
                             "point with the spec)"};
  for (int c : layout.value_columns)
    if (std::isnan(chunk.value(c, p)) && !explained[c])
      unexplained.columns.emplace_back(kColumnNames[c]);
  if (!unexplained.columns.empty()) entries.push_back(std::move(unexplained));
  return entries;
}

namespace {

/// An anonymous temporary file (removed when closed).
class ScratchFile {
 public:
  ScratchFile() : file_(std::tmpfile()) {
    if (!file_) throw std::runtime_error("cannot create a temporary file for the result");
  }
  ~ScratchFile() { std::fclose(file_); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  void write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
      throw std::runtime_error("writing a temporary file failed (disk full?)");
  }
  std::FILE* handle() { return file_; }

 private:
  std::FILE* file_;
};

/// The final destination: an AtomicFile, or stdout.
class Destination {
 public:
  explicit Destination(const std::optional<std::filesystem::path>& path) {
    if (path) atomic_.emplace(*path);
  }
  std::FILE* handle() { return atomic_ ? atomic_->handle() : stdout; }
  void write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), handle()) != text.size())
      throw std::runtime_error("writing the result failed");
  }
  void commit() {
    if (atomic_)
      atomic_->commit();
    else
      std::fflush(stdout);
  }

 private:
  std::optional<AtomicFile> atomic_;
};

std::string json_string(std::string_view s) {
  return Json(std::string(s)).dump();
}

class JsonSink final : public ResultSink {
 public:
  explicit JsonSink(std::optional<std::filesystem::path> path) : path_(std::move(path)) {}

  void begin(const Spec& spec, const TableLayout& layout) override {
    layout_ = layout;
    spec_text_ = spec.document.dump();
    // Open the destination now: an unwritable path fails before any work.
    destination_.emplace(path_);
  }

  void add_chunk(const Spec& spec, std::uint64_t first_row, const ChunkResult& chunk) override {
    std::string text;
    for (std::size_t p = 0; p < chunk.points; ++p) {
      const std::uint64_t row = first_row + p;
      text += row == 0 ? "\n  [" : ",\n  [";
      bool first = true;
      for (std::size_t c = 0; c < layout_.swept_columns.size(); ++c) {
        text += first ? "" : ", ";
        first = false;
        text += spec.swept_value(row, c).dump();
      }
      for (int c : layout_.value_columns) {
        text += first ? "" : ", ";
        first = false;
        text += json_number(chunk.value(c, p));
      }
      text += "]";
      for (const UndefinedEntry& e : undefined_entries(layout_, chunk, p, row)) {
        std::string entry = "{\"row\": " + std::to_string(e.row) + ", \"columns\": [";
        for (std::size_t k = 0; k < e.columns.size(); ++k)
          entry += (k ? ", " : "") + json_string(e.columns[k]);
        entry += "], \"reason\": " + json_string(e.reason) + "}";
        undefined_.write(undefined_count_++ == 0 ? "\n  " : ",\n  ");
        undefined_.write(entry);
      }
      if (layout_.series) {
        std::string samples = row == 0 ? "\n    [" : ",\n    [";
        for (std::int64_t s = 0; s < chunk.sample_counts[p]; ++s) {
          samples += s ? ", [" : "[";
          for (int c = 0; c < kSeriesColumnCount; ++c) {
            samples += c ? ", " : "";
            samples += json_number(chunk.sample(s, c, p));
          }
          samples += "]";
        }
        samples += "]";
        series_.write(samples);
      }
      if (text.size() > (1 << 20)) {
        rows_.write(text);
        text.clear();
      }
    }
    rows_.write(text);
  }

  void finish(const RunInfo& info) override {
    Destination& out = *destination_;
    std::string head = "{\n\"schema\": \"qcm-result/1\",\n\"spec\": " + spec_text_ + ",\n";
    Json run = Json::object();
    run["backend"] = info.backend;
    run["precision"] = info.precision;
    run["device"] = info.device;
    run["version"] = kVersion;
    run["git_commit"] = kGitCommit;
    run["points"] = info.points;
    run["seconds"] = info.seconds;
    run["write_seconds"] = info.write_seconds;
    if (info.checks.computed) {
      const double sigma = info.checks.min_entropy_production;
      run["checks"] = {{"max_bloch_length", info.checks.max_bloch_length},
                       {"min_entropy_production",
                        std::isinf(sigma) ? Json(sigma > 0 ? "inf" : "-inf") : Json(sigma)}};
    }
    head += "\"run\": " + run.dump() + ",\n\"columns\": [";
    const std::vector<std::string> names = layout_.column_names();
    for (std::size_t k = 0; k < names.size(); ++k) head += (k ? ", " : "") + json_string(names[k]);
    head += "],\n\"rows\": [";
    out.write(head);
    append_file(rows_.handle(), out.handle());
    out.write("\n],\n\"undefined\": [");
    append_file(undefined_.handle(), out.handle());
    out.write(undefined_count_ ? "\n],\n\"series\": " : "],\n\"series\": ");
    if (layout_.series) {
      std::string series_head = "{\"columns\": [";
      for (int c = 0; c < kSeriesColumnCount; ++c)
        series_head += (c ? ", " : "") + json_string(kSeriesColumnNames[c]);
      series_head += "],\n  \"rows\": [";
      out.write(series_head);
      append_file(series_.handle(), out.handle());
      out.write("\n  ]}\n}\n");
    } else {
      out.write("null\n}\n");
    }
    out.commit();
  }

 private:
  std::optional<std::filesystem::path> path_;
  std::optional<Destination> destination_;
  TableLayout layout_;
  std::string spec_text_;
  ScratchFile rows_, undefined_, series_;
  std::uint64_t undefined_count_ = 0;
};

std::string csv_field(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

class CsvSink final : public ResultSink {
 public:
  explicit CsvSink(std::optional<std::filesystem::path> path) : path_(std::move(path)) {}

  void begin(const Spec& spec, const TableLayout& layout) override {
    layout_ = layout;
    description_ = spec.description;
    destination_.emplace(path_);
  }

  void add_chunk(const Spec& spec, std::uint64_t first_row, const ChunkResult& chunk) override {
    std::string text;
    for (std::size_t p = 0; p < chunk.points; ++p) {
      const std::uint64_t row = first_row + p;
      bool first = true;
      for (std::size_t c = 0; c < layout_.swept_columns.size(); ++c) {
        text += first ? "" : ",";
        first = false;
        text += csv_field(spec.swept_value(row, c));
      }
      for (int c : layout_.value_columns) {
        text += first ? "" : ",";
        first = false;
        text += csv_number(chunk.value(c, p));
      }
      text += "\n";
      for (const UndefinedEntry& e : undefined_entries(layout_, chunk, p, row)) {
        std::string cols;
        for (std::size_t k = 0; k < e.columns.size(); ++k) cols += (k ? " " : "") + e.columns[k];
        undefined_.write("# undefined: row " + std::to_string(row) + " (" + cols +
                         "): " + e.reason + "\n");
      }
    }
    rows_.write(text);
  }

  void finish(const RunInfo& info) override {
    Destination& out = *destination_;
    std::string head = "# schema: qcm-result/1 (csv)\n";
    if (!description_.empty()) head += "# description: " + description_ + "\n";
    head += "# backend: " + info.backend + "\n# precision: " + info.precision +
            "\n# device: " + info.device + "\n# version: " + kVersion +
            "\n# git_commit: " + kGitCommit + "\n# points: " + std::to_string(info.points) +
            "\n# seconds: " + json_number(info.seconds) + "\n";
    out.write(head);
    append_file(undefined_.handle(), out.handle());
    const std::vector<std::string> names = layout_.column_names();
    std::string header;
    for (std::size_t k = 0; k < names.size(); ++k) header += (k ? "," : "") + names[k];
    out.write(header + "\n");
    append_file(rows_.handle(), out.handle());
    out.commit();
  }

 private:
  std::optional<std::filesystem::path> path_;
  std::optional<Destination> destination_;
  TableLayout layout_;
  std::string description_;
  ScratchFile rows_, undefined_;
};

}  // namespace

std::unique_ptr<ResultSink> make_json_sink(std::optional<std::filesystem::path> path) {
  return std::make_unique<JsonSink>(std::move(path));
}

std::unique_ptr<ResultSink> make_csv_sink(std::optional<std::filesystem::path> path) {
  return std::make_unique<CsvSink>(std::move(path));
}

void MemoryTable::begin(const Spec&, const TableLayout& layout) {
  layout_ = layout;
}

void MemoryTable::add_chunk(const Spec& spec, std::uint64_t first_row, const ChunkResult& chunk) {
  for (std::size_t p = 0; p < chunk.points && values_.size() < keep_.max_rows; ++p) {
    const std::uint64_t row = first_row + p;
    std::vector<double> values;
    for (int c : layout_.value_columns) values.push_back(chunk.value(c, p));
    values_.push_back(std::move(values));
    std::vector<Json> swept;
    for (std::size_t c = 0; c < layout_.swept_columns.size(); ++c)
      swept.push_back(spec.swept_value(row, c));
    swept_.push_back(std::move(swept));
    if (keep_.undefined)
      for (UndefinedEntry& e : undefined_entries(layout_, chunk, p, row))
        undefined_.push_back(std::move(e));
    std::vector<std::vector<double>> samples;
    if (layout_.series && keep_.series)
      for (std::int64_t s = 0; s < chunk.sample_counts[p]; ++s) {
        std::vector<double> sample;
        for (int c = 0; c < kSeriesColumnCount; ++c) sample.push_back(chunk.sample(s, c, p));
        samples.push_back(std::move(sample));
      }
    series_.push_back(std::move(samples));
  }
}

int MemoryTable::value_index(std::string_view name) const {
  for (std::size_t k = 0; k < layout_.value_columns.size(); ++k)
    if (kColumnNames[layout_.value_columns[k]] == name) return static_cast<int>(k);
  return -1;
}

}  // namespace qcm
