// Internal to storage: the files of an index directory besides the two stores:
// CURRENT, LOCK, generation directories, the committed state's JSON form and the
// manifest.json mirror. Functions are thread-compatible.
#ifndef HARK_STORAGE_INDEX_FILES_H_
#define HARK_STORAGE_INDEX_FILES_H_

#include <string>
#include <vector>

#include "storage/index.h"
#include "storage/status.h"

namespace hark::internal {

inline constexpr char kHarkVersion[] = "0.1.0";

std::string GenerationName(uint64_t generation);  // gen-000001
// The number of a generation directory name; 0 when `name` is not one.
uint64_t GenerationNumber(const std::string& name);
// Marker file inside a generation that a reindex is building (removed at publish).
inline constexpr char kBuildingMarker[] = "BUILDING";

// Reads CURRENT; NotFound when `dir` holds no index.
[[nodiscard]] Result<std::string> ReadCurrent(const std::string& dir);
// Writes `content` to `path` atomically: temp file, fsync, rename, fsync of the directory.
[[nodiscard]] Status WriteFileAtomic(const std::string& path, const std::string& content);

// The writer's lock: flock on INDEX/LOCK holding the pid. Released by the destructor
// or by the kernel when the process dies (so a stale lock never blocks).
class WriterLock {
 public:
  [[nodiscard]] static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& dir);
  ~WriterLock();

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

// PruneGenerations (index.h) for a caller that already holds the writer's lock.
[[nodiscard]] Status PruneGenerationsLocked(const std::string& dir, size_t keep, std::vector<std::string>* removed);

std::string StateToJson(const IndexState& state);
[[nodiscard]] Status StateFromJson(const std::string& json, IndexState* state);
// manifest.json: the state plus the generation's layout, for people and tools.
std::string ManifestJson(const IndexState& state);

std::string NowRfc3339();
uint64_t DirectoryBytes(const std::string& path);

}  // namespace hark::internal

#endif  // HARK_STORAGE_INDEX_FILES_H_
