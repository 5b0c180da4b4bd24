#include "storage/index_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark::internal {

namespace fs = std::filesystem;

std::string GenerationName(uint64_t generation) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "gen-%06llu", static_cast<unsigned long long>(generation));
  return buf;
}

uint64_t GenerationNumber(const std::string& name) {
  if (name.size() <= 4 || name.rfind("gen-", 0) != 0) return 0;
  uint64_t n = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || n > UINT64_MAX / 10 - 9) return 0;
    n = n * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return n;
}

Result<std::string> ReadCurrent(const std::string& dir) {
  std::ifstream in(dir + "/CURRENT");
  if (!in) return Status::NotFound("no hark index at " + dir + " (no CURRENT file)");
  std::string name;
  std::getline(in, name);
  if (name.rfind("gen-", 0) != 0 || name.find('/') != std::string::npos) {
    return Status::Corruption(dir + "/CURRENT does not name a generation: '" + name + "'");
  }
  return name;
}

Status WriteFileAtomic(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + std::strerror(errno));
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError("cannot write " + tmp + ": " + std::strerror(e));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IOError("cannot sync " + tmp + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Status::IOError("cannot rename " + tmp + " to " + path + ": " + std::strerror(e));
  }
  std::string parent = fs::path(path).parent_path().string();
  int dfd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& dir) {
  std::string path = dir + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[64] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Status::Busy("index " + dir + " is being written by another hark process (pid " + holder +
                        "); wait for it to finish");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ::close(fd);
    return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<WriterLock>(new WriterLock(fd));
}

WriterLock::~WriterLock() {
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing to do: the lock itself is what matters, and close() releases it.
  }
  ::close(fd_);
}

namespace {
nlohmann::json SourceToJson(const SourceFile& s) {
  return {{"path", s.path},       {"format", s.format},         {"source", s.source},
          {"size", s.size},       {"mtime", s.mtime},           {"hash", s.hash},
          {"records", s.records}, {"duplicates", s.duplicates}, {"rejected", s.rejected},
          {"offset", s.offset},   {"ingested_at", s.ingested_at}, {"map", s.map},
          {"source_option", s.source_option}, {"channel_option", s.channel_option}};
}

nlohmann::json StateJson(const IndexState& st) {
  nlohmann::json sources = nlohmann::json::array();
  for (const SourceFile& s : st.sources) sources.push_back(SourceToJson(s));
  return {{"schema_version", st.schema_version}, {"generation", st.generation},
          {"records", st.records},               {"text_dir", st.text_dir},
          {"text_layout", st.text_layout},
          {"created_at", st.created_at},         {"updated_at", st.updated_at},
          {"hark_version", st.hark_version},     {"sources", sources}};
}
}  // namespace

std::string StateToJson(const IndexState& state) { return StateJson(state).dump(); }

Status StateFromJson(const std::string& text, IndexState* st) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    st->schema_version = j.at("schema_version").get<int>();
    st->generation = j.at("generation").get<uint64_t>();
    st->records = j.at("records").get<uint64_t>();
    st->text_dir = j.at("text_dir").get<std::string>();
    st->text_layout = j.value("text_layout", 1);
    st->created_at = j.value("created_at", "");
    st->updated_at = j.value("updated_at", "");
    st->hark_version = j.value("hark_version", "");
    st->sources.clear();
    for (const auto& s : j.at("sources")) {
      SourceFile f;
      f.path = s.at("path").get<std::string>();
      f.format = s.value("format", "");
      f.source = s.value("source", "");
      f.size = s.value("size", uint64_t{0});
      f.mtime = s.value("mtime", int64_t{0});
      f.hash = s.value("hash", uint64_t{0});
      f.records = s.value("records", uint64_t{0});
      f.duplicates = s.value("duplicates", uint64_t{0});
      f.rejected = s.value("rejected", uint64_t{0});
      f.offset = s.value("offset", uint64_t{0});
      f.ingested_at = s.value("ingested_at", "");
      f.map = s.value("map", "");
      f.source_option = s.value("source_option", "");
      f.channel_option = s.value("channel_option", "");
      st->sources.push_back(std::move(f));
    }
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("index state is not valid JSON: ") + e.what());
  }
  if (st->schema_version != schema::kSchemaVersion) {
    return Status::Corruption("index schema version " + std::to_string(st->schema_version) +
                              " is not the version this hark reads (" +
                              std::to_string(schema::kSchemaVersion) +
                              "); ingest the sources again into a new index directory");
  }
  return Status::Ok();
}

std::string ManifestJson(const IndexState& state) {
  nlohmann::json j = StateJson(state);
  j["store"] = "store";
  j["layout"] = "see storage/schema.h";
  return j.dump(2) + "\n";
}

std::string NowRfc3339() { return FormatTime(static_cast<int64_t>(std::time(nullptr))); }

uint64_t DirectoryBytes(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

}  // namespace hark::internal
