// Helpers shared by hark's tests: where the real corpora are, temporary directories,
// running the hark binary as a subprocess. Not thread-safe (tests are single-threaded).
#ifndef HARK_TESTS_TEST_SUPPORT_H_
#define HARK_TESTS_TEST_SUPPORT_H_

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace hark::testing {

// The shared corpora directory: $HARK_SHARED/corpora, else ../shared/corpora beside
// the source tree. Empty when absent.
inline std::string SharedCorporaDir() {
  namespace fs = std::filesystem;
  const char* env = std::getenv("HARK_SHARED");
  fs::path base = env != nullptr ? fs::path(env) : fs::path(HARK_SOURCE_DIR) / ".." / "shared";
  fs::path dir = base / "corpora";
  return fs::is_directory(dir) ? fs::canonical(dir).string() : std::string();
}

inline bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace hark::testing

// Resolves `rel` (e.g. "twcs-head-5k/twcs_head_5000.csv") under the shared corpora into
// `var`, or skips the test with a clear message when ../shared is absent; under CI
// (CI=true) a missing corpus is a failure instead.
#define HARK_REQUIRE_CORPUS(var, rel)                                                      \
  std::string var;                                                                         \
  do {                                                                                     \
    std::string hark_dir_ = ::hark::testing::SharedCorporaDir();                           \
    std::string hark_path_ = hark_dir_.empty() ? "" : hark_dir_ + "/" + (rel);             \
    if (hark_dir_.empty() || !std::filesystem::exists(hark_path_)) {                       \
      if (::hark::testing::UnderCi()) {                                                    \
        FAIL() << "CI=true but the shared corpus " << (rel)                                \
               << " is missing (expected ../shared/corpora beside the checkout)";          \
      }                                                                                    \
      GTEST_SKIP() << "shared corpus " << (rel)                                            \
                   << " not found (../shared/corpora absent); skipping";                   \
    }                                                                                      \
    var = hark_path_;                                                                      \
  } while (0)

namespace hark::testing {

// A fresh temporary directory, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hark-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A subprocess's exit code (-1 when it did not exit normally), stdout and stderr.
struct Proc {
  int code = -1;
  std::string out, err;
};

// `s` as one single-quoted shell word.
inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `line` with bash (so `ulimit`, `exec` and other prefixes work), capturing stdout
// and stderr.
inline Proc RunShell(const std::string& line) {
  TempDir scratch;
  const std::string err_path = scratch / "stderr.txt";
  const std::string cmd = "bash -c " + ShellQuote(line) + " 2>" + ShellQuote(err_path);
  Proc r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
  return r;
}

// The shell command line running the built `hark ARGS...`.
inline std::string HarkCommandLine(const std::vector<std::string>& args) {
  std::string line = ShellQuote(std::string(HARK_BINARY_DIR) + "/tools/hark");
  for (const std::string& a : args) line += " " + ShellQuote(a);
  return line;
}

// Runs `hark ARGS...` as a user does.
inline Proc RunHark(const std::vector<std::string>& args) { return RunShell(HarkCommandLine(args)); }

// An independent RFC 4180 reader for the tests (not hark's CSV layer): whole file in
// memory, quotes and doubled quotes, records end at LF outside quotes (a CR before it
// is dropped; any other CR is data).
inline std::vector<std::vector<std::string>> ReadCsvForTest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (quoted) {
      if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) row.push_back(field), rows.push_back(row);
  return rows;
}

}  // namespace hark::testing

#endif  // HARK_TESTS_TEST_SUPPORT_H_
