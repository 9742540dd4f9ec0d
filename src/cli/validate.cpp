// @file cli layer: `qcm validate SPEC [--backend B] [--against A]`.
#include "cli/validate.hpp"

#include <cstdio>

#include "cli/options.hpp"
#include "driver/compare.hpp"
#include "driver/driver.hpp"
#include "qcm/spec.hpp"

namespace qcm {

int validate_command(const ValidateArgs& args, bool outputs_given) {
  const Spec spec =
      args.spec_path.empty() ? parse_spec(default_spec_document()) : load_spec(args.spec_path);
  RunOptions tested_options;
  tested_options.precision = parse_precision(args.precision);
  tested_options.request = make_request(spec, output_groups(spec, args.outputs, outputs_given));
  RunOptions against_options = tested_options;
  against_options.precision = Precision::double_;
  auto tested_backend = make_backend(args.backend, tested_options.precision);
  auto against_backend = make_backend(args.against, Precision::double_);
  MemoryTable tested, against;
  const RunInfo ti = run_sweep(spec, tested_options, *tested_backend, tested);
  const RunInfo ai = run_sweep(spec, against_options, *against_backend, against);
  const Tolerance tol = tolerance_for(tested_options.precision);
  std::printf("validate: %llu points, %s (%s, %s) against %s (%s)\n",
              static_cast<unsigned long long>(ti.points), ti.backend.c_str(), ti.device.c_str(),
              ti.precision.c_str(), ai.backend.c_str(), ai.device.c_str());
  std::printf("tolerance: |a - b| <= %g + %g |b|\n", tol.atol, tol.rtol);
  std::printf("%-36s %12s %12s %8s  %s\n", "column", "max |a-b|", "max rel", "row", "status");
  bool ok = true;
  for (const ColumnDeviation& d : compare_tables(tested, against, tol)) {
    std::printf("%-36s %12.3e %12.3e %8zu  %s", d.column.c_str(), d.max_abs, d.max_rel, d.worst_row,
                d.ok ? "ok" : "FAIL");
    if (d.null_mismatches) std::printf(" (%zu null/inf mismatches)", d.null_mismatches);
    std::printf("\n");
    ok = ok && d.ok;
  }
  std::printf("%s: %s %.3f s, %s %.3f s\n", ok ? "PASS" : "FAIL", ti.backend.c_str(), ti.seconds,
              ai.backend.c_str(), ai.seconds);
  return ok ? 0 : 1;
}

}  // namespace qcm
