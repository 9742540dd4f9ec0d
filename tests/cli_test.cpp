// @file tests: the `qcm` command as a user runs it (docs/robustness.md;
// docs/robustness.md).
//
// Every test runs the real binary (QCM_EXECUTABLE) in a child process with
// stdout and stderr captured, and checks the exit status (0 success, 2 invalid
// input, 1 failure while running, 130 interrupted), that invalid input gives
// exactly one line naming the JSON path or the argument, and that output files
// are written whole or not at all (an existing one is never clobbered).
//
// The bad-input corpus is data: tests/data/bad-specs/NAME.json (the spec) and
// NAME.expect (one substring per line that the error message must contain:
// the JSON path, or the file name and position). Cases that cannot be files
// (a directory, a missing file, a 100 MB file, 10^5 nested arrays, unwritable
// outputs) are generated here.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "qcm/columns.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define QCM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QCM_TEST_ASAN 1
#endif
#endif

extern char** environ;

namespace qcm {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

const fs::path kBadSpecs = fs::path(QCM_TEST_DATA_DIR) / "bad-specs";
const fs::path kExamples = fs::path(QCM_SOURCE_DIR) / "examples";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

/// A fresh directory under the system temp directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "qcm-cli-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  /// Names of the entries (temporary files of a failed write would show up here).
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

struct Outcome {
  bool exited = false;  ///< false: killed by a signal (signal holds it) or timed out
  int status = -1;      ///< exit status when exited
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
  double seconds = 0;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  if (o.timed_out) os << "timed out; ";
  if (o.exited)
    os << "exit status " << o.status;
  else
    os << "killed by signal " << o.signal;
  return os << "; stderr: \"" << o.err << "\"; stdout (" << o.out.size() << " bytes): \""
            << o.out.substr(0, 300) << "\"";
}

/// A running qcm child process with stdout and stderr redirected to files.
class Child {
 public:
  /// memory_limit: address-space limit of the child in bytes (0: none); under
  /// AddressSanitizer, which reserves terabytes of address space, a resident-memory
  /// limit (ASAN_OPTIONS=hard_rss_limit_mb) instead.
  explicit Child(const std::vector<std::string>& args, std::size_t memory_limit = 0) {
    out_path_ = logs_ / "stdout";
    err_path_ = logs_ / "stderr";
    std::vector<std::string> argv_storage = {QCM_EXECUTABLE};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The environment, plus (under AddressSanitizer, where an address-space limit
    // cannot work) a resident-memory limit that the sanitizer enforces.
    std::vector<std::string> env_storage;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "ASAN_OPTIONS=", 13) != 0) env_storage.emplace_back(*e);
#if defined(QCM_TEST_ASAN)
    const char* asan = std::getenv("ASAN_OPTIONS");
    std::string options = "ASAN_OPTIONS=" + std::string(asan ? asan : "");
    if (memory_limit > 0)
      options += std::string(asan && *asan ? ":" : "") +
                 "hard_rss_limit_mb=" + std::to_string(memory_limit >> 20);
    env_storage.push_back(options);
#else
    if (const char* asan = std::getenv("ASAN_OPTIONS"))
      env_storage.push_back("ASAN_OPTIONS=" + std::string(asan));
#endif
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string out = out_path_.string(), err = err_path_.string();
    start_ = Clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {  // child: only async-signal-safe calls until exec
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0) ::_exit(126);
      ::dup2(o, STDOUT_FILENO);
      ::dup2(e, STDERR_FILENO);
      if (in >= 0) ::dup2(in, STDIN_FILENO);
#if !defined(QCM_TEST_ASAN)
      if (memory_limit > 0) {
        struct rlimit limit = {memory_limit, memory_limit};
        ::setrlimit(RLIMIT_AS, &limit);
      }
#else
      (void)memory_limit;
#endif
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const {
    return pid_;
  }
  bool running() {
    if (reaped_) return false;
    const pid_t r = ::waitpid(pid_, &wait_status_, WNOHANG);
    if (r == pid_) reaped_ = true;
    return !reaped_;
  }
  /// Wait up to timeout seconds (then SIGKILL), and collect the outcome.
  Outcome wait(double timeout_seconds) {
    Outcome o;
    const auto deadline = start_ + std::chrono::duration<double>(timeout_seconds);
    while (running()) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &wait_status_, 0);
        reaped_ = true;
        o.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    o.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (WIFEXITED(wait_status_)) {
      o.exited = !o.timed_out;
      o.status = WEXITSTATUS(wait_status_);
    } else if (WIFSIGNALED(wait_status_)) {
      o.signal = WTERMSIG(wait_status_);
    }
    o.out = read_file(out_path_);
    o.err = read_file(err_path_);
    return o;
  }

 private:
  TempDir logs_;
  fs::path out_path_, err_path_;
  pid_t pid_ = -1;
  int wait_status_ = 0;
  bool reaped_ = false;
  Clock::time_point start_;
};

Outcome run_qcm(const std::vector<std::string>& args, double timeout_seconds = 120,
                std::size_t memory_limit = 0) {
  Child child(args, memory_limit);
  return child.wait(timeout_seconds);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Invalid input: status 2, nothing on stdout, exactly one line on stderr
/// ("qcm: error: ...") containing every expected substring.
void expect_refused(const Outcome& o, const std::vector<std::string>& expected) {
  ASSERT_TRUE(o.exited) << o;
  EXPECT_EQ(o.status, 2) << o;
  EXPECT_EQ(o.out, "") << o;
  const auto lines = lines_of(o.err);
  EXPECT_EQ(lines.size(), 1u) << "expected exactly one line on stderr; " << o;
  EXPECT_TRUE(!o.err.empty() && o.err.back() == '\n') << "stderr must end with a newline; " << o;
  EXPECT_EQ(o.err.rfind("qcm: error: ", 0), 0u) << o;
  for (const std::string& e : expected)
    EXPECT_NE(o.err.find(e), std::string::npos)
        << "the message must contain \"" << e << "\"; " << o;
}

// ---------------------------------------------------------------------------
// The bad-input corpus, tests/data/bad-specs/*.json + *.expect
// ---------------------------------------------------------------------------

std::vector<std::string> bad_spec_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kBadSpecs, ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> expectations(const std::string& name) {
  std::vector<std::string> out;
  for (const std::string& line : lines_of(read_file(kBadSpecs / (name + ".expect"))))
    if (!line.empty()) out.push_back(line);
  return out;
}

TEST(BadSpecCorpus, HasAtLeastFortyCasesEachWithAnExpectation) {
  const auto names = bad_spec_names();
  EXPECT_GE(names.size(), 40u);
  for (const std::string& name : names) {
    EXPECT_TRUE(fs::exists(kBadSpecs / (name + ".expect"))) << name << ".json has no .expect";
    EXPECT_FALSE(expectations(name).empty()) << name << ".expect is empty";
  }
  for (const auto& e : fs::directory_iterator(kBadSpecs)) {
    if (e.path().extension() == ".expect") {
      EXPECT_TRUE(fs::exists(fs::path(e.path()).replace_extension(".json")))
          << e.path().filename() << " has no .json";
    }
  }
}

class BadSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(BadSpec, RefusedWithStatusTwoAndOneLineNamingWhatIsWrong) {
  const std::string name = GetParam();
  const fs::path spec = kBadSpecs / (name + ".json");
  const auto expected = expectations(name);
  ASSERT_FALSE(expected.empty()) << name << ".expect is missing or empty";
  TempDir dir;
  // No output file appears (nor a temporary one).
  const Outcome fresh = run_qcm({"run", spec.string(), "-o", (dir / "out.json").string()});
  expect_refused(fresh, expected);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{}) << "a refused run left files behind";
  // An existing output file is left byte for byte as it was.
  const std::string previous = "{\"previous\": \"result\"}\n";
  write_file(dir / "existing.json", previous);
  const Outcome over = run_qcm({"run", spec.string(), "-o", (dir / "existing.json").string()});
  expect_refused(over, expected);
  EXPECT_EQ(read_file(dir / "existing.json"), previous);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"existing.json"});
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadSpec, ::testing::ValuesIn(bad_spec_names()), test_name);

// ---------------------------------------------------------------------------
// Bad input that is not a file of the corpus
// ---------------------------------------------------------------------------

TEST(BadInput, DirectoryInsteadOfSpec) {
  TempDir dir;
  fs::create_directory(dir / "spec.json");
  const Outcome o =
      run_qcm({"run", (dir / "spec.json").string(), "-o", (dir / "out.json").string()});
  expect_refused(o, {(dir / "spec.json").string() + ": ", "directory"});
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

TEST(BadInput, MissingSpecFile) {
  TempDir dir;
  const Outcome o =
      run_qcm({"run", (dir / "nowhere.json").string(), "-o", (dir / "out.json").string()});
  expect_refused(o, {(dir / "nowhere.json").string() + ": "});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(BadInput, UnreadableSpecFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  TempDir dir;
  write_file(dir / "spec.json", "{}");
  fs::permissions(dir / "spec.json", fs::perms::none);
  const Outcome o =
      run_qcm({"run", (dir / "spec.json").string(), "-o", (dir / "out.json").string()});
  expect_refused(o, {(dir / "spec.json").string() + ": "});
}

TEST(BadInput, HundredMegabyteSpec) {
  // 100 MB of description, then an invalid dt: read, parsed and refused in seconds.
  TempDir dir;
  {
    std::ofstream out(dir / "big.json", std::ios::binary);
    out << "{\"description\": \"";
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) out << block;
    out << "\", \"dt\": 0}\n";
  }
  ASSERT_GE(fs::file_size(dir / "big.json"), 100u << 20);
  const Outcome o = run_qcm({"run", (dir / "big.json").string(), "-o", (dir / "out.json").string()},
                            120, std::size_t{4} << 30);
  expect_refused(o, {"dt: ", "> 0"});
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

/// 10^5 nested arrays (or objects). nlohmann's DOM is recursive (copy, dump,
/// destruction of the value), so without a depth limit a deep document blows
/// the stack (and the parser's path tracking is quadratic in depth): the spec
/// parser refuses it before building the DOM.
void expect_deep_nesting_refused(const std::string& text) {
  TempDir dir;
  write_file(dir / "deep.json", text);
  const Outcome o =
      run_qcm({"run", (dir / "deep.json").string(), "-o", (dir / "out.json").string()}, 60,
              std::size_t{4} << 30);
  expect_refused(o, {(dir / "deep.json").string() + ": ", "nested deeper than"});
  EXPECT_LT(o.seconds, 10.0) << "a deep document must be refused before parsing it";
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"deep.json"});
}

TEST(BadInput, HundredThousandNestedArrays) {
  constexpr int kDepth = 100000;
  expect_deep_nesting_refused(std::string(kDepth, '[') + std::string(kDepth, ']'));
}

TEST(BadInput, HundredThousandNestedArraysInASweepAxis) {
  constexpr int kDepth = 100000;
  expect_deep_nesting_refused("{\"sweep\": {\"grid\": {\"dt\": " + std::string(kDepth, '[') +
                              std::string(kDepth, ']') + "}}}");
}

TEST(BadInput, HundredThousandNestedObjects) {
  constexpr int kDepth = 100000;
  std::string text = "{\"description\": ";
  for (int i = 0; i < kDepth; ++i) text += "{\"a\": ";
  text += "1" + std::string(kDepth, '}') + "}";
  expect_deep_nesting_refused(text);
}

TEST(BadInput, ModerateNestingIsAnOrdinaryError) {
  // 50 levels is below the limit: the usual message naming the path.
  TempDir dir;
  write_file(dir / "spec.json", "{\"dt\": " + std::string(50, '[') + std::string(50, ']') + "}");
  const Outcome o =
      run_qcm({"run", (dir / "spec.json").string(), "-o", (dir / "out.json").string()});
  expect_refused(o, {"dt: "});
}

const fs::path kSmallSweep = kExamples / "small-sweep.json";

TEST(BadOutput, OutputIsADirectory) {
  TempDir dir;
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o", dir.path().string()});
  expect_refused(o, {dir.path().string(), "directory"});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(BadOutput, OutputDirectoryDoesNotExist) {
  TempDir dir;
  const fs::path out = dir / "missing" / "out.json";
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o", out.string()});
  expect_refused(o, {out.string(), "does not exist"});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(BadOutput, OutputDirectoryNotWritable) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into any directory (see UnwritableFileSystem)";
  TempDir dir;
  fs::create_directory(dir / "locked");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  const fs::path out = dir / "locked" / "out.json";
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o", out.string()});
  expect_refused(o, {out.string(), "not writable"});
  fs::permissions(dir / "locked", fs::perms::owner_all);
  EXPECT_TRUE(fs::is_empty(dir / "locked"));
}

TEST(BadOutput, UnwritableFileSystem) {
  // /proc takes no new files, even from root.
  if (!fs::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o", "/proc/qcm-cli-test.json"});
  expect_refused(o, {"/proc/qcm-cli-test.json"});
  EXPECT_FALSE(fs::exists("/proc/qcm-cli-test.json"));
}

TEST(BadOutput, ExistingReadOnlyOutputFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes any file";
  TempDir dir;
  write_file(dir / "out.json", "keep me\n");
  fs::permissions(dir / "out.json", fs::perms::owner_read);
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o", (dir / "out.json").string()});
  expect_refused(o, {(dir / "out.json").string()});
  EXPECT_EQ(read_file(dir / "out.json"), "keep me\n");
}

TEST(BadOutput, OutputToAFifoIsNotReplacedByAFile) {
  // `-o /dev/null` or `-o some.fifo`: the result must go into the special file
  // (or be refused); renaming a temporary file over it would replace a device
  // node or a pipe with a regular file (as root, `-o /dev/null` would replace
  // /dev/null). A FIFO stands in for /dev/null here.
  TempDir dir;
  const fs::path fifo = dir / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0) << std::strerror(errno);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so a writer can open it
  ASSERT_GE(reader, 0);
  Child child({"run", kSmallSweep.string(), "-o", fifo.string(), "--quiet"});
  std::string received;
  char buffer[1 << 16];
  bool child_done = false;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    const ssize_t got = ::read(reader, buffer, sizeof buffer);
    if (got > 0) {
      received.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if (child_done) break;
    child_done = !child.running();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(reader);
  const Outcome o = child.wait(1);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "-o FIFO replaced the FIFO by a regular file; " << o;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.fifo"});
  ASSERT_TRUE(o.exited) << o;
  if (o.status == 0) {
    EXPECT_TRUE(Json::accept(received)) << "the FIFO got an incomplete result";
  } else {
    expect_refused(o, {fifo.string()});
  }
}

// ---------------------------------------------------------------------------
// Running: the documented result
// ---------------------------------------------------------------------------

/// The swept paths of small-sweep.json, then the default groups in their fixed order.
std::vector<std::string> small_sweep_columns() {
  std::vector<std::string> columns = {"ancilla.beta", "coupling.yy"};
  for (int c = kBlochX; c < kMutualInformation; ++c) columns.emplace_back(kColumnNames[c]);
  return columns;
}

TEST(Run, SmallSweepWritesTheDocumentedResult) {
  TempDir dir;
  const Outcome o =
      run_qcm({"run", kSmallSweep.string(), "-o", (dir / "out.json").string(), "--backend", "cpu"});
  ASSERT_TRUE(o.exited && o.status == 0) << o;
  EXPECT_NE(o.out.find("20 points on cpu"), std::string::npos) << "summary on stdout: " << o;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.json"});
  const Json result = Json::parse(read_file(dir / "out.json"));
  EXPECT_EQ(result.at("schema"), "qcm-result/1");
  EXPECT_EQ(result.at("spec"), Json::parse(read_file(kSmallSweep)));
  const Json& run = result.at("run");
  for (const char* key :
       {"backend", "precision", "device", "version", "git_commit", "points", "seconds"})
    EXPECT_TRUE(run.contains(key)) << "run." << key << " missing: " << run.dump();
  EXPECT_EQ(run.at("backend"), "cpu");
  EXPECT_EQ(run.at("precision"), "double");
  EXPECT_EQ(run.at("points"), 20);
  // Columns: swept first (grid order), then bloch_x ... entropy_production_rate,
  // stationary.*, gksl.* (qcm/columns.hpp, docs/results.md).
  EXPECT_EQ(result.at("columns").get<std::vector<std::string>>(), small_sweep_columns());
  const Json& rows = result.at("rows");
  ASSERT_EQ(rows.size(), 20u);
  const double betas[] = {1, 3, 5, 7};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), small_sweep_columns().size()) << "row " << r;
    EXPECT_EQ(rows[r][0].get<double>(), betas[r / 5]) << "row " << r;  // outermost axis first
    EXPECT_DOUBLE_EQ(rows[r][1].get<double>(), -1 + 0.5 * static_cast<double>(r % 5));
    for (const Json& cell : rows[r])
      EXPECT_TRUE(cell.is_number() || cell.is_null() || cell == "inf" || cell == "-inf")
          << cell.dump();
  }
  EXPECT_TRUE(result.at("undefined").is_array());
  // Series: one list of samples per row, at k = 10, 20, ..., 200, t = k dt.
  const Json& series = result.at("series");
  std::vector<std::string> series_columns(kSeriesColumnNames.begin(),
                                          kSeriesColumnNames.begin() + kQubitSeriesColumnCount);
  EXPECT_EQ(series.at("columns").get<std::vector<std::string>>(), series_columns);
  ASSERT_EQ(series.at("rows").size(), 20u);
  for (const Json& samples : series.at("rows")) {
    ASSERT_EQ(samples.size(), 20u);
    for (std::size_t s = 0; s < samples.size(); ++s) {
      ASSERT_EQ(samples[s].size(), series_columns.size());
      EXPECT_EQ(samples[s][0].get<double>(), 10.0 * static_cast<double>(s + 1));
      EXPECT_NEAR(samples[s][1].get<double>(), 0.5 * static_cast<double>(s + 1), 1e-12);
    }
  }
}

TEST(Run, WithoutOutputFileTheResultGoesToStdout) {
  const Outcome o = run_qcm({"run", kSmallSweep.string(), "--backend", "cpu"});
  ASSERT_TRUE(o.exited && o.status == 0) << o;
  const Json result = Json::parse(o.out);
  EXPECT_EQ(result.at("schema"), "qcm-result/1");
  EXPECT_EQ(result.at("rows").size(), 20u);
}

/// small-sweep.json without its series (CSV holds no series).
std::string small_sweep_without_series() {
  Json spec = Json::parse(read_file(kSmallSweep));
  spec.erase("series");
  return spec.dump(2);
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

TEST(Run, CsvFormat) {
  TempDir dir;
  write_file(dir / "spec.json", small_sweep_without_series());
  const Outcome o = run_qcm({"run", (dir / "spec.json").string(), "--format", "csv", "-o",
                             (dir / "out.csv").string(), "--backend", "cpu"});
  ASSERT_TRUE(o.exited && o.status == 0) << o;
  std::vector<std::string> table;
  for (const std::string& line : lines_of(read_file(dir / "out.csv")))
    if (!line.empty() && line[0] != '#') table.push_back(line);
  ASSERT_EQ(table.size(), 21u);
  EXPECT_EQ(split_csv(table[0]), small_sweep_columns());
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto fields = split_csv(table[r]);
    ASSERT_EQ(fields.size(), small_sweep_columns().size()) << table[r];
    for (const std::string& f : fields) {
      if (!f.empty() && f != "inf" && f != "-inf") {
        EXPECT_NO_THROW((void)std::stod(f)) << f;
      }
    }
  }
}

TEST(Run, CsvWithASeriesIsRefused) {
  TempDir dir;
  const Outcome o =
      run_qcm({"run", kSmallSweep.string(), "--format", "csv", "-o", (dir / "out.csv").string()});
  expect_refused(o, {"--format"});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(Run, ReferenceAndCpuAgree) {
  TempDir dir;
  for (const char* backend : {"reference", "cpu"}) {
    const Outcome o = run_qcm({"run", kSmallSweep.string(), "-o",
                               (dir / (std::string(backend) + ".json")).string(), "--backend",
                               backend, "--quiet"});
    ASSERT_TRUE(o.exited && o.status == 0) << o;
    EXPECT_EQ(o.out, "") << "--quiet prints nothing";
  }
  const Json ref = Json::parse(read_file(dir / "reference.json"));
  const Json cpu = Json::parse(read_file(dir / "cpu.json"));
  ASSERT_EQ(ref.at("columns"), cpu.at("columns"));
  ASSERT_EQ(ref.at("rows").size(), cpu.at("rows").size());
  // The tolerance of `qcm validate` in double (docs/validation.md).
  const auto agree = [](const Json& a, const Json& b) {
    if (!a.is_number() || !b.is_number()) return a == b;
    const double x = a.get<double>(), y = b.get<double>();
    return std::fabs(x - y) <= 1e-8 + 1e-6 * std::fabs(y);
  };
  const auto& columns = ref.at("columns");
  for (std::size_t r = 0; r < ref.at("rows").size(); ++r)
    for (std::size_t c = 0; c < columns.size(); ++c)
      EXPECT_PRED2(agree, cpu["rows"][r][c], ref["rows"][r][c]) << columns[c] << " row " << r;
  const Json& sa = cpu.at("series").at("rows");
  const Json& sb = ref.at("series").at("rows");
  ASSERT_EQ(sa.size(), sb.size());
  for (std::size_t r = 0; r < sa.size(); ++r) {
    ASSERT_EQ(sa[r].size(), sb[r].size());
    for (std::size_t s = 0; s < sa[r].size(); ++s)
      for (std::size_t c = 0; c < sa[r][s].size(); ++c)
        EXPECT_PRED2(agree, sa[r][s][c], sb[r][s][c]) << "series row " << r << " sample " << s;
  }
}

TEST(Run, ValidatePrintsPass) {
  const Outcome o = run_qcm({"validate", kSmallSweep.string(), "--backend", "cpu"});
  ASSERT_TRUE(o.exited) << o;
  EXPECT_EQ(o.status, 0) << o;
  EXPECT_NE(o.out.find("PASS"), std::string::npos) << o;
}

TEST(Cli, VersionAndHelp) {
  const Outcome version = run_qcm({"--version"});
  ASSERT_TRUE(version.exited) << version;
  EXPECT_EQ(version.status, 0) << version;
  EXPECT_EQ(version.out.rfind("qcm ", 0), 0u) << version;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"run", "--help"}, {"validate", "--help"}}) {
    const Outcome help = run_qcm(args);
    ASSERT_TRUE(help.exited) << help;
    EXPECT_EQ(help.status, 0) << args[0] << ": " << help;
    EXPECT_NE(help.out.find("Usage"), std::string::npos) << help;
  }
}

struct BadArgument {
  std::vector<std::string> args;  ///< after "run SMALL_SWEEP -o OUT"
  std::string named;              ///< the message must name this
};

TEST(Cli, BadArgumentsAreRefusedNamingTheArgument) {
  const std::vector<BadArgument> cases = {
      {{"--backend", "nope"}, "--backend"},
      {{"--precision", "half"}, "--precision"},
      {{"--outputs", "bogus"}, "--outputs"},
      {{"--outputs", ""}, "--outputs"},
      {{"--format", "xml"}, "--format"},
      {{"--max-memory", "lots"}, "--max-memory"},
      {{"--max-memory", "-5M"}, "--max-memory"},
      {{"--bogus"}, "--bogus"},
      {{"--precision", "float", "--backend", "reference"}, "reference"},
      {{"extra.json"}, "extra.json"},
  };
  for (const BadArgument& bad : cases) {
    TempDir dir;
    std::vector<std::string> args = {"run", kSmallSweep.string(), "-o",
                                     (dir / "out.json").string()};
    args.insert(args.end(), bad.args.begin(), bad.args.end());
    SCOPED_TRACE("qcm run SPEC -o OUT " + Json(bad.args).dump());
    expect_refused(run_qcm(args), {bad.named});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{});
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"frobnicate"}, {"validate", "--backend", "nope"}}) {
    SCOPED_TRACE("qcm " + Json(args).dump());
    const Outcome o = run_qcm(args);
    ASSERT_TRUE(o.exited) << o;
    EXPECT_EQ(o.status, 2) << o;
    EXPECT_EQ(lines_of(o.err).size(), 1u) << o;
  }
}

// ---------------------------------------------------------------------------
// Interruption (no checkpoint): status 130, a message, no output file
// ---------------------------------------------------------------------------

/// 2 x 10^5 points with a series (about 700 MB of JSON, ten seconds or more on
/// two cores), in chunks of at most 1 MiB of results, so that the driver sees
/// the signal between chunks within a fraction of a second.
std::string long_sweep() {
  return R"({"collisions": 200, "series": {"every": 10},
  "sweep": {"grid": {"ancilla.beta": {"linspace": [0.1, 10, 200]},
                     "coupling.yy": {"linspace": [-2, 2, 1000]}}}})";
}

void expect_interrupted_cleanly(int signal_number) {
  TempDir dir;
  write_file(dir / "spec.json", long_sweep());
  const std::string previous = "previous result\n";
  write_file(dir / "out.json", previous);
  Child child({"run", (dir / "spec.json").string(), "-o", (dir / "out.json").string(), "--backend",
               "cpu", "--max-memory", "1M"});
  // Wait until the run has started: its temporary output file exists, which
  // qcm creates after installing its signal handlers and before the first
  // chunk. The signal then arrives within milliseconds of the start of a run
  // of many seconds, however fast the machine.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline && dir.entries().size() < 3 && child.running())
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(dir.entries().size(), 3u) << "no temporary output file appeared";
  ASSERT_TRUE(child.running()) << "the run ended before the signal (make the sweep bigger): "
                               << child.wait(1);
  const auto sent = Clock::now();
  ASSERT_EQ(::kill(child.pid(), signal_number), 0);
  const Outcome o = child.wait(120);
  const double latency = std::chrono::duration<double>(Clock::now() - sent).count();
  ASSERT_TRUE(o.exited) << o;
  EXPECT_EQ(o.status, 130) << o;
  EXPECT_NE(o.err.find("interrupted"), std::string::npos) << o;
  EXPECT_LT(latency, 10.0) << "the driver checks for the signal between chunks";
  EXPECT_EQ(read_file(dir / "out.json"), previous) << "an interrupted run clobbered the output";
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"out.json", "spec.json"}))
      << "the temporary file was left behind";
}

TEST(Interrupt, SigintWithoutCheckpoint) {
  expect_interrupted_cleanly(SIGINT);
}

TEST(Interrupt, SigtermWithoutCheckpoint) {
  expect_interrupted_cleanly(SIGTERM);
}

// --- Checkpoint and resume (docs/robustness.md) ---

/// The part of a result that an interrupted-and-resumed run must reproduce
/// byte for byte: everything from the rows on (the run metadata holds times).
std::string rows_and_after(const std::string& result) {
  const std::size_t at = result.find("\"rows\": [");
  return at == std::string::npos ? std::string() : result.substr(at);
}

/// A sweep of some seconds in chunks of ~1 MiB: many chunk files.
std::string checkpointed_sweep() {
  return R"({"collisions": 300, "series": {"every": 30},
  "coupling": {"xx": 1, "yy": 0.4, "zy": 0.3},
  "sweep": {"grid": {"ancilla.beta": {"linspace": [-3, 9, 40]},
                     "coupling.yy": {"linspace": [-2, 2, 1000]}}}})";
}

std::size_t chunk_files(const fs::path& dir) {
  std::size_t n = 0;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("chunk-", 0) == 0) ++n;
  return n;
}

/// Kill a checkpointed run once it has stored a few chunks, resume it, and
/// compare with an uninterrupted run.
void expect_resume_reproduces(int signal_number) {
  TempDir dir;
  write_file(dir / "spec.json", checkpointed_sweep());
  const std::vector<std::string> common = {"--backend", "cpu", "--max-memory", "1M", "-q"};
  std::vector<std::string> whole = {"run", (dir / "spec.json").string(), "-o",
                                    (dir / "whole.json").string()};
  whole.insert(whole.end(), common.begin(), common.end());
  const Outcome uninterrupted = run_qcm(whole, 300);
  ASSERT_TRUE(uninterrupted.exited && uninterrupted.status == 0) << uninterrupted;

  std::vector<std::string> first = {"run",          (dir / "spec.json").string(),
                                    "-o",           (dir / "resumed.json").string(),
                                    "--checkpoint", (dir / "ck").string()};
  first.insert(first.end(), common.begin(), common.end());
  Child child(first);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && chunk_files(dir / "ck") < 3 && child.running())
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(child.running()) << "the run ended before it could be killed: " << child.wait(1);
  ASSERT_EQ(::kill(child.pid(), signal_number), 0);
  const Outcome killed = child.wait(60);
  if (signal_number == SIGKILL) {
    EXPECT_FALSE(killed.exited) << killed;
  } else {
    EXPECT_TRUE(killed.exited && killed.status == 130) << killed;
  }
  EXPECT_FALSE(fs::exists(dir / "resumed.json")) << "a killed run left an output file";
  const std::size_t stored = chunk_files(dir / "ck");
  ASSERT_GE(stored, 3u);

  std::vector<std::string> second = {"run",      (dir / "spec.json").string(),
                                     "-o",       (dir / "resumed.json").string(),
                                     "--resume", (dir / "ck").string()};
  second.insert(second.end(), common.begin(), common.end());
  const Outcome resumed = run_qcm(second, 300);
  ASSERT_TRUE(resumed.exited && resumed.status == 0) << resumed;
  const std::string a = rows_and_after(read_file(dir / "whole.json"));
  const std::string b = rows_and_after(read_file(dir / "resumed.json"));
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << "resumed rows differ from an uninterrupted run (" << a.size() << " vs "
                      << b.size() << " bytes)";
  EXPECT_GT(chunk_files(dir / "ck"), stored) << "the resumed run computed no missing chunk";
}

TEST(Checkpoint, KillNineThenResumeGivesTheUninterruptedRows) {
  expect_resume_reproduces(SIGKILL);
}

TEST(Checkpoint, SigintThenResumeGivesTheUninterruptedRows) {
  expect_resume_reproduces(SIGINT);
}

TEST(Checkpoint, ResumeWithAnotherSpecIsRefused) {
  TempDir dir;
  write_file(dir / "a.json", R"({"collisions": 10, "sweep": {"grid": {"dt": [0.1, 0.2]}}})");
  write_file(dir / "b.json", R"({"collisions": 11, "sweep": {"grid": {"dt": [0.1, 0.2]}}})");
  const Outcome made =
      run_qcm({"run", (dir / "a.json").string(), "-o", (dir / "a-out.json").string(),
               "--checkpoint", (dir / "ck").string(), "-q"});
  ASSERT_TRUE(made.exited && made.status == 0) << made;
  const Outcome refused =
      run_qcm({"run", (dir / "b.json").string(), "-o", (dir / "b-out.json").string(), "--resume",
               (dir / "ck").string()});
  EXPECT_TRUE(refused.exited && refused.status == 2) << refused;
  EXPECT_NE(refused.err.find("--resume"), std::string::npos) << refused;
  EXPECT_FALSE(fs::exists(dir / "b-out.json"));
  const Outcome again = run_qcm({"run", (dir / "a.json").string(), "-o", (dir / "c.json").string(),
                                 "--checkpoint", (dir / "ck").string()});
  EXPECT_TRUE(again.exited && again.status == 2)
      << "a second --checkpoint into the same directory: " << again;
}

/// A chunk file whose header lies about its size (a damaged disk, a file
/// from elsewhere) is refused with a message naming it: no crash, no huge
/// allocation, no output.
TEST(Checkpoint, DamagedChunkIsRefusedByName) {
  TempDir dir;
  write_file(dir / "spec.json", R"({"collisions": 20, "series": {"every": 5},
    "sweep": {"grid": {"coupling.yy": {"linspace": [-1, 1, 50]}}}})");
  const Outcome made =
      run_qcm({"run", (dir / "spec.json").string(), "-o", (dir / "a.json").string(), "--checkpoint",
               (dir / "ck").string(), "--max-memory", "4K", "-q"});
  ASSERT_TRUE(made.exited && made.status == 0) << made;
  ASSERT_GE(chunk_files(dir / "ck"), 2u);
  const fs::path chunk = dir / "ck" / "chunk-0.bin";
  const std::string good = read_file(chunk);
  const auto damaged = [&](const std::string& bytes, const std::string& why) {
    write_file(chunk, bytes);
    const Outcome o =
        run_qcm({"run", "-o", (dir / "b.json").string(), "--resume", (dir / "ck").string(), "-q"});
    EXPECT_TRUE(o.exited && o.status == 1) << why << ": " << o;
    EXPECT_NE(o.err.find("chunk-0.bin is damaged"), std::string::npos) << why << ": " << o;
    EXPECT_EQ(lines_of(o.err).size(), 1u) << why << ": " << o;
    EXPECT_FALSE(fs::exists(dir / "b.json")) << why;
  };
  std::string huge = good;
  const std::uint64_t points = std::uint64_t{1} << 60;
  std::memcpy(huge.data() + 8, &points, sizeof points);  // the point count after the magic
  damaged(huge, "a point count of 2^60");
  std::string samples = good;
  const std::uint64_t many = std::uint64_t{1} << 50;
  std::memcpy(samples.data() + 16, &many, sizeof many);  // the series samples per point
  damaged(samples, "2^50 series samples per point");
  damaged(good.substr(0, good.size() - 9), "truncated");
  damaged(good + "extra", "trailing bytes");
  damaged("QCM", "no header");
  // The intact file resumes to the same rows.
  write_file(chunk, good);
  const Outcome resumed =
      run_qcm({"run", "-o", (dir / "c.json").string(), "--resume", (dir / "ck").string(), "-q"});
  ASSERT_TRUE(resumed.exited && resumed.status == 0) << resumed;
  EXPECT_EQ(rows_and_after(read_file(dir / "a.json")), rows_and_after(read_file(dir / "c.json")));
}

/// `qcm validate` applies the rule of `qcm run` to "evolve": false: the
/// stepped groups are left out by default and refused when asked for.
TEST(Validate, EvolveFalseFollowsTheRuleOfRun) {
  TempDir dir;
  write_file(dir / "spec.json",
             R"({"evolve": false, "sweep": {"grid": {"coupling.yy": [0.5, 1]}}})");
  for (const std::string command : {"run", "validate"}) {
    const Outcome asked = run_qcm({command, (dir / "spec.json").string(), "--outputs", "final"});
    EXPECT_TRUE(asked.exited && asked.status == 2) << command << ": " << asked;
    EXPECT_NE(asked.err.find("--outputs: final, decomposition and state need time-stepping"),
              std::string::npos)
        << command << ": " << asked;
  }
  const Outcome by_default =
      run_qcm({"validate", (dir / "spec.json").string(), "--backend", "cpu"});
  EXPECT_TRUE(by_default.exited && by_default.status == 0) << by_default;
  EXPECT_NE(by_default.out.find("stationary.bloch_x"), std::string::npos) << by_default;
  EXPECT_EQ(by_default.out.find("\nbloch_x"), std::string::npos) << by_default;
}

TEST(Cli, HelpStatesTheDefaultOutputGroups) {
  for (const std::string command : {"run", "validate"}) {
    const Outcome help = run_qcm({command, "--help"});
    EXPECT_TRUE(help.exited && help.status == 0) << help;
    EXPECT_NE(help.out.find("default final,stationary,gksl"), std::string::npos)
        << command << ": " << help.out;
  }
}

// ---------------------------------------------------------------------------
// General models (docs/spec.md, "General models") through the real binary
// ---------------------------------------------------------------------------

const char* const kGeneralExamples[] = {"spin1-qubit-bath.json", "micromaser.json",
                                        "qutrit-qutrit.json", "coherent-ancilla.json"};

// Every shipped general example passes `qcm validate` (every column, arrays
// element by element, against the reference engine).
TEST(GeneralRun, ExamplesPassValidate) {
  for (const char* name : kGeneralExamples) {
    const Outcome o = run_qcm({"validate", (kExamples / name).string(), "--backend", "cpu"}, 300);
    ASSERT_TRUE(o.exited) << name << ": " << o;
    EXPECT_EQ(o.status, 0) << name << ": " << o;
    EXPECT_NE(o.out.find("PASS"), std::string::npos) << name << ": " << o;
  }
}

// JSON: populations is an array of d_S numbers per row, in ascending energy;
// group state adds rho, d_S rows of d_S [re, im] pairs in the basis of the space.
TEST(GeneralRun, ArraysInJson) {
  TempDir dir;
  const Outcome o =
      run_qcm({"run", (kExamples / "spin1-qubit-bath.json").string(), "--outputs", "final,state",
               "-o", (dir / "out.json").string(), "--backend", "cpu", "--quiet"});
  ASSERT_TRUE(o.exited && o.status == 0) << o;
  const Json result = Json::parse(read_file(dir / "out.json"));
  const auto& columns = result.at("columns");
  const auto index = [&](const std::string& name) {
    const auto it = std::find(columns.begin(), columns.end(), name);
    EXPECT_NE(it, columns.end()) << name;
    return static_cast<std::size_t>(it - columns.begin());
  };
  EXPECT_EQ(std::find(columns.begin(), columns.end(), "beta_eff"), columns.end())
      << "beta_eff is a qubit quantity (d_S = 2 only)";
  ASSERT_EQ(result.at("rows").size(), 6u);
  for (const Json& row : result.at("rows")) {
    const Json& pops = row.at(index("populations"));
    const Json& rho = row.at(index("rho"));
    ASSERT_EQ(pops.size(), 3u);
    ASSERT_EQ(rho.size(), 3u);
    double sum = 0;
    for (const Json& p : pops) sum += p.get<double>();
    EXPECT_NEAR(sum, 1, 1e-12);
    // H_S = jz + 0.3 jz^2 is diagonal: m = 1, 0, -1 (basis 0, 1, 2) have the
    // energies 1.3, 0, -0.7, so ascending energy is basis 2, 1, 0.
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(rho[i].size(), 3u);
      EXPECT_NEAR(rho[i][i][0].get<double>(), pops[2 - i].get<double>(), 1e-12);
      EXPECT_NEAR(rho[i][i][1].get<double>(), 0, 1e-12);
      for (int j = 0; j < 3; ++j) {
        EXPECT_NEAR(rho[i][j][0].get<double>(), rho[j][i][0].get<double>(), 1e-12);
        EXPECT_NEAR(rho[i][j][1].get<double>(), -rho[j][i][1].get<double>(), 1e-12);
      }
    }
  }
}

// CSV flattens populations to populations[0], populations[1], ... and rho to
// rho[i][j].re, rho[i][j].im.
TEST(GeneralRun, CsvFlattensArrays) {
  TempDir dir;
  const Outcome o =
      run_qcm({"run", (kExamples / "qutrit-qutrit.json").string(), "--format", "csv", "--outputs",
               "final,state", "-o", (dir / "out.csv").string(), "--backend", "cpu"});
  ASSERT_TRUE(o.exited && o.status == 0) << o;
  std::vector<std::string> table;
  for (const std::string& line : lines_of(read_file(dir / "out.csv")))
    if (!line.empty() && line[0] != '#') table.push_back(line);
  ASSERT_EQ(table.size(), 6u);  // header + 5 points
  const auto header = split_csv(table[0]);
  const auto at = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name << " in " << table[0];
    return static_cast<std::size_t>(it - header.begin());
  };
  for (const char* name : {"ancilla.beta", "energy", "populations[0]", "populations[1]",
                           "populations[2]", "rho[0][0].re", "rho[2][1].im"})
    (void)at(name);
  EXPECT_EQ(std::find(header.begin(), header.end(), "populations"), header.end());
  EXPECT_EQ(header.size(), 1u + 16u + 18u) << "ancilla.beta, 16 final numbers, 18 of rho";
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto fields = split_csv(table[r]);
    ASSERT_EQ(fields.size(), header.size()) << table[r];
    const double sum = std::stod(fields[at("populations[0]")]) +
                       std::stod(fields[at("populations[1]")]) +
                       std::stod(fields[at("populations[2]")]);
    EXPECT_NEAR(sum, 1, 1e-12) << table[r];
    EXPECT_NEAR(std::stod(fields[at("rho[1][1].re")]), std::stod(fields[at("populations[1]")]),
                1e-12)
        << "H_S is diagonal and ascending: rho[1][1] is the middle population";
  }
}

std::string oscillator_spec(int levels) {
  return R"({"system": {"space": {"oscillator": )" + std::to_string(levels) +
         R"(}, "hamiltonian": {"n": 1.0}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 1.0},
    "coupling": {"terms": [{"system": {"a": 1.0}, "ancilla": {"sp": 1.0}, "strength": 0.3},
                           {"system": {"ad": 1.0}, "ancilla": {"sm": 1.0}, "strength": 0.3}]},
    "dt": 0.1, "collisions": 3})";
}

// d_S d_A = 66 > 64: the fast backends refuse it (exit 2, nothing written),
// the reference engine takes it.
TEST(GeneralRun, CollisionLargerThanTheFastBackendsTakeIsRefusedThere) {
  TempDir dir;
  write_file(dir / "big.json", oscillator_spec(33));
  write_file(dir / "existing.json", "previous\n");
  const Outcome fast = run_qcm({"run", (dir / "big.json").string(), "--backend", "cpu", "-o",
                                (dir / "existing.json").string()});
  expect_refused(fast, {"--backend", "d_S d_A = 66", "(33 x 2)", "64", "--backend reference"});
  EXPECT_EQ(read_file(dir / "existing.json"), "previous\n");
  // (final only: the fixed point of a 33-level system is an eigenproblem of
  // the 33^2 x 33^2 map, a minute on the reference engine)
  const Outcome ref = run_qcm({"run", (dir / "big.json").string(), "--backend", "reference",
                               "--outputs", "final", "-o", (dir / "ref.json").string(), "--quiet"});
  ASSERT_TRUE(ref.exited && ref.status == 0) << ref;
  const Json result = Json::parse(read_file(dir / "ref.json"));
  const auto& columns = result.at("columns");
  const auto pops = std::find(columns.begin(), columns.end(), "populations") - columns.begin();
  EXPECT_EQ(result.at("rows").at(0).at(pops).size(), 33u);
  // 32 levels x 2 = 64 is still taken by the fast backend.
  write_file(dir / "edge.json", oscillator_spec(32));
  const Outcome edge =
      run_qcm({"run", (dir / "edge.json").string(), "--backend", "cpu", "--outputs", "final", "-o",
               (dir / "edge-out.json").string(), "--quiet"});
  EXPECT_TRUE(edge.exited && edge.status == 0) << edge;
}

// --outputs state exists in the general form only.
TEST(GeneralRun, StateGroupIsRefusedInTheQubitForm) {
  TempDir dir;
  const Outcome o = run_qcm(
      {"run", kSmallSweep.string(), "--outputs", "final,state", "-o", (dir / "out.json").string()});
  expect_refused(o, {"--outputs", "state"});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

}  // namespace
}  // namespace qcm
