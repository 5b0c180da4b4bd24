// Generations of an index: listing, rollback and pruning (contracts in index.h).
//
// A generation is a directory gen-NNNNNN holding a whole index (store, text database,
// manifest.json). CURRENT names the live one; a reader reads CURRENT once when it opens
// and keeps that generation's files open, so replacing CURRENT (atomically, by rename)
// never disturbs it. Old generations are kept for rollback until pruned.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/index.h"
#include "storage/index_files.h"

namespace hark {
namespace {

namespace fs = std::filesystem;

Status ScanGenerations(const std::string& dir, std::vector<GenerationInfo>* out) {
  out->clear();
  Result<std::string> current = internal::ReadCurrent(dir);
  if (!current.ok()) return current.status();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    GenerationInfo g;
    g.name = entry.path().filename().string();
    g.number = internal::GenerationNumber(g.name);
    if (g.number == 0 || !entry.is_directory(ec)) continue;
    g.live = g.name == *current;
    g.building = !g.live && fs::exists(entry.path() / internal::kBuildingMarker, ec);
    std::ifstream in(entry.path() / "manifest.json");
    std::stringstream text;
    text << in.rdbuf();
    IndexState state;
    if (in && internal::StateFromJson(text.str(), &state).ok()) {
      g.records = state.records;
      g.created_at = state.created_at;
      g.updated_at = state.updated_at;
      g.sources = state.sources.size();
    }
    g.bytes = internal::DirectoryBytes(entry.path().string());
    out->push_back(std::move(g));
  }
  if (ec) return Status::IOError("cannot list " + dir + ": " + ec.message());
  std::sort(out->begin(), out->end(), [](const GenerationInfo& a, const GenerationInfo& b) { return a.number < b.number; });
  return Status::Ok();
}

}  // namespace

Result<std::string> LiveIndexVersion(const std::string& dir) {
  Result<std::string> current = internal::ReadCurrent(dir);
  if (!current.ok()) return current.status();
  struct stat st {};
  const std::string manifest = dir + "/" + *current + "/manifest.json";
  if (::stat(manifest.c_str(), &st) != 0) return Status::NotFound("no manifest.json in the live generation " + manifest);
  // WriteFileAtomic renames a new file over the old one: a new inode at every commit.
  return *current + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_size);
}

Result<std::vector<GenerationInfo>> ListGenerations(const std::string& dir) {
  std::vector<GenerationInfo> out;
  HARK_RETURN_IF_ERROR(ScanGenerations(dir, &out));
  return out;
}

Result<uint64_t> RollBackGeneration(const std::string& dir) {
  Result<std::unique_ptr<internal::WriterLock>> lock = internal::WriterLock::Acquire(dir);
  if (!lock.ok()) return lock.status();
  std::vector<GenerationInfo> gens;
  HARK_RETURN_IF_ERROR(ScanGenerations(dir, &gens));
  auto live = std::find_if(gens.begin(), gens.end(), [](const GenerationInfo& g) { return g.live; });
  const GenerationInfo* target = nullptr;
  for (const GenerationInfo& g : gens) {
    if (live != gens.end() && g.number < live->number && !g.building && !g.created_at.empty()) target = &g;
  }
  if (target == nullptr) {
    return Status::NotFound("index " + dir + " has no older generation to roll back to (hark generations lists them)");
  }
  HARK_RETURN_IF_ERROR(internal::WriteFileAtomic(dir + "/CURRENT", target->name + "\n"));
  return target->number;
}

Status PruneGenerations(const std::string& dir, size_t keep, std::vector<std::string>* removed) {
  Result<std::unique_ptr<internal::WriterLock>> lock = internal::WriterLock::Acquire(dir);
  if (!lock.ok()) return lock.status();
  return internal::PruneGenerationsLocked(dir, keep, removed);
}

namespace internal {

Status PruneGenerationsLocked(const std::string& dir, size_t keep, std::vector<std::string>* removed) {
  removed->clear();
  if (keep == 0) return Status::InvalidArgument("--keep must be at least 1 (the live generation)");
  std::vector<GenerationInfo> gens;
  HARK_RETURN_IF_ERROR(ScanGenerations(dir, &gens));
  // Newest first; the live one always stays and counts towards `keep`.
  size_t kept = 1;
  for (auto it = gens.rbegin(); it != gens.rend(); ++it) {
    if (it->live || it->building) continue;
    if (kept < keep) {
      ++kept;
      continue;
    }
    std::error_code ec;
    fs::remove_all(dir + "/" + it->name, ec);
    if (ec) return Status::IOError("cannot remove old generation " + dir + "/" + it->name + ": " + ec.message());
    removed->push_back(it->name);
  }
  return Status::Ok();
}

}  // namespace internal
}  // namespace hark
