// @file fuzz target (libFuzzer): the spec parser on arbitrary bytes.
//
// parse_spec_text must either return a Spec or throw SpecError (invalid input,
// reported with a JSON path). Any other exception, a crash, a sanitizer report,
// a hang or unbounded memory is a bug. For a spec that parses, the sweep must
// expand: point_count, swept_columns, and the first, a middle and the last
// point (qubit or general record) with their swept values as written. Run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "qcm/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const qcm::Spec spec = qcm::parse_spec_text(text);
    const std::uint64_t count = spec.point_count();
    const auto columns = spec.swept_columns();
    if (count == 0) __builtin_trap();  // a sweep has at least one point
    // A saturated count (UINT64_MAX) is not an index range: only real counts.
    if (count < (std::uint64_t{1} << 62)) {
      std::vector<double> record;
      if (spec.form == qcm::SpecForm::general) record.resize(spec.general_shape().stride);
      for (const std::uint64_t index : {std::uint64_t{0}, count / 2, count - 1}) {
        double dt = 0, collisions = 0;
        if (spec.form == qcm::SpecForm::general) {
          spec.general_point(index, record.data());
          dt = record[qcm::core::GeneralShape::kDt];
          collisions = record[qcm::core::GeneralShape::kCollisions];
        } else {
          const qcm::core::PointParams point = spec.point(index);
          dt = point.dt;
          collisions = static_cast<double>(point.collisions);
        }
        if (!(dt > 0) || !(collisions >= 1)) __builtin_trap();  // validated fields
        for (std::size_t c = 0; c < columns.size(); ++c) (void)spec.swept_value(index, c);
      }
    }
  } catch (const qcm::SpecError&) {
    // Invalid input: the expected outcome for most inputs.
  }
  return 0;
}
