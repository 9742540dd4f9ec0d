// @file io layer: streamed JSON / CSV result writers and the in-memory table.
#include "io/result_writer.hpp"

#include <algorithm>
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

namespace {

/// The names of the numbers of an array column (populations[1], rho[0][1].im).
std::vector<std::string> element_names(std::string_view name, Width width, int d) {
  std::vector<std::string> names;
  if (width == Width::scalar) {
    names.emplace_back(name);
  } else if (width == Width::levels) {
    for (int i = 0; i < d; ++i) names.push_back(std::string(name) + "[" + std::to_string(i) + "]");
  } else {
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j)
        for (const char* part : {".re", ".im"})
          names.push_back(std::string(name) + "[" + std::to_string(i) + "][" + std::to_string(j) +
                          "]" + part);
  }
  return names;
}

}  // namespace

std::vector<std::string> TableLayout::flat_column_names() const {
  std::vector<std::string> names = swept_columns;
  for (int c : value_columns)
    for (std::string& n : element_names(kColumnNames[c], kColumnTable[c].width, system_dim))
      names.push_back(std::move(n));
  return names;
}

std::vector<std::string> TableLayout::series_names() const {
  std::vector<std::string> names;
  for (int c : series_columns) names.emplace_back(kSeriesColumnNames[c]);
  return names;
}

std::size_t TableLayout::value_count() const {
  std::size_t n = 0;
  for (int w : widths) n += static_cast<std::size_t>(w);
  return n;
}

ColumnLayout column_layout_of(const Spec& spec) {
  return spec.form == SpecForm::general ? general_column_layout(spec.general_shape().system_dim)
                                        : qubit_column_layout();
}

SeriesLayoutSlots series_slots_of(const Spec& spec) {
  return spec.form == SpecForm::general ? general_series_slots(spec.general_shape().system_dim)
                                        : qubit_series_slots();
}

TableLayout make_layout(const Spec& spec, const RunRequest& request) {
  TableLayout layout;
  layout.swept_columns = spec.swept_columns();
  layout.groups = request.groups;
  layout.series = request.evolve && request.series_every > 0;
  const bool general = spec.form == SpecForm::general;
  layout.general = general;
  layout.system_dim = general ? spec.general_shape().system_dim : 2;
  const ColumnLayout columns = column_layout_of(spec);
  const auto add = [&](Column c) {
    if (!columns.has(c) || !(request.groups & kColumnTable[c].group)) return;
    layout.value_columns.push_back(c);
    layout.widths.push_back(columns.width[c]);
  };
  if (general) {
    for (const OrderEntry& e : kGeneralOrder) add(e.id);
    const SeriesLayoutSlots slots = general_series_slots(layout.system_dim);
    for (const SeriesColumn c : kGeneralSeriesOrder) {
      layout.series_columns.push_back(c);
      layout.series_widths.push_back(slots.width[c]);
    }
  } else {
    for (const OrderEntry& e : kQubitOrder) add(e.id);
    for (int c = 0; c < kQubitSeriesColumnCount; ++c) {
      layout.series_columns.push_back(c);
      layout.series_widths.push_back(1);
    }
  }
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
  for (const UndefinedReason& r :
       undefined_reasons(chunk.flags[p], layout.groups, layout.general)) {
    UndefinedEntry e{row, {}, r.reason};
    // In the order of the result's columns.
    for (int c : layout.value_columns) {
      if (std::find(r.columns.begin(), r.columns.end(), c) == r.columns.end()) continue;
      e.columns.emplace_back(kColumnNames[c]);
      explained[c] = true;
    }
    if (!e.columns.empty()) entries.push_back(std::move(e));
  }
  UndefinedEntry unexplained{row,
                             {},
                             "numerical failure: the computation gave NaN (please report this "
                             "point with the spec)"};
  for (std::size_t k = 0; k < layout.value_columns.size(); ++k) {
    const int c = layout.value_columns[k];
    bool nan = false;
    for (int e = 0; e < layout.widths[k]; ++e) nan = nan || std::isnan(chunk.value(c, p, e));
    if (nan && !explained[c]) unexplained.columns.emplace_back(kColumnNames[c]);
  }
  if (!unexplained.columns.empty()) entries.push_back(std::move(unexplained));
  return entries;
}

namespace {

/// A value column of point p as JSON: a number, an array of d numbers, or d
/// rows of [re, im]; null when the column is undefined (its first number NaN).
void append_json_column(std::string& text, const ChunkResult& chunk, int column, int width,
                        std::size_t p, int d) {
  if (width == 1) {
    text += json_number(chunk.value(column, p));
    return;
  }
  if (std::isnan(chunk.value(column, p))) {
    text += "null";
    return;
  }
  text += "[";
  if (kColumnTable[column].width == Width::levels) {
    for (int e = 0; e < width; ++e)
      text += (e ? ", " : "") + json_number(chunk.value(column, p, e));
  } else {
    for (int i = 0; i < d; ++i) {
      text += i ? ", [" : "[";
      for (int j = 0; j < d; ++j) {
        const int e = 2 * (i * d + j);
        text += (j ? ", [" : "[") + json_number(chunk.value(column, p, e)) + ", " +
                json_number(chunk.value(column, p, e + 1)) + "]";
      }
      text += "]";
    }
  }
  text += "]";
}

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
      for (std::size_t k = 0; k < layout_.value_columns.size(); ++k) {
        text += first ? "" : ", ";
        first = false;
        append_json_column(text, chunk, layout_.value_columns[k], layout_.widths[k], p,
                           layout_.system_dim);
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
          for (std::size_t k = 0; k < layout_.series_columns.size(); ++k) {
            samples += k ? ", " : "";
            const int c = layout_.series_columns[k], width = layout_.series_widths[k];
            if (width == 1) {
              samples += json_number(chunk.sample(s, c, p));
              continue;
            }
            samples += "[";
            for (int e = 0; e < width; ++e)
              samples += (e ? ", " : "") + json_number(chunk.sample(s, c, p, e));
            samples += "]";
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
      const std::vector<std::string> names = layout_.series_names();
      for (std::size_t c = 0; c < names.size(); ++c)
        series_head += (c ? ", " : "") + json_string(names[c]);
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
      for (std::size_t k = 0; k < layout_.value_columns.size(); ++k)
        for (int e = 0; e < layout_.widths[k]; ++e) {
          text += first ? "" : ",";
          first = false;
          text += csv_number(chunk.value(layout_.value_columns[k], p, e));
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
    const std::vector<std::string> names = layout_.flat_column_names();
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
    for (std::size_t k = 0; k < layout_.value_columns.size(); ++k)
      for (int e = 0; e < layout_.widths[k]; ++e)
        values.push_back(chunk.value(layout_.value_columns[k], p, e));
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
        for (std::size_t k = 0; k < layout_.series_columns.size(); ++k)
          for (int e = 0; e < layout_.series_widths[k]; ++e)
            sample.push_back(chunk.sample(s, layout_.series_columns[k], p, e));
        samples.push_back(std::move(sample));
      }
    series_.push_back(std::move(samples));
  }
}

int MemoryTable::value_index(std::string_view name) const {
  int at = 0;
  for (std::size_t k = 0; k < layout_.value_columns.size(); ++k) {
    if (kColumnNames[layout_.value_columns[k]] == name) return at;
    at += layout_.widths[k];
  }
  return -1;
}

int MemoryTable::series_index(std::string_view name) const {
  int at = 0;
  for (std::size_t k = 0; k < layout_.series_columns.size(); ++k) {
    if (kSeriesColumnNames[layout_.series_columns[k]] == name) return at;
    at += layout_.series_widths[k];
  }
  return -1;
}

}  // namespace qcm
