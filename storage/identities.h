// IdentityMap: which handles (author names, e-mail addresses, user ids, on any channel)
// belong to one person, for identity stitching. Handles compare case-insensitively.
// A value type: thread-compatible.
//
// File formats (hark ingest --identities, hark journey --identities):
//   CSV:  one `person,handle` pair per row; a header row `person,handle` is optional;
//         blank lines and lines starting with '#' are ignored.
//   JSON: {"p0001": ["x_kevin105", "kevin.moore@mail.example"], ...}
#ifndef HARK_STORAGE_IDENTITIES_H_
#define HARK_STORAGE_IDENTITIES_H_

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/status.h"

namespace hark {

class IdentityMap {
 public:
  // Reads a CSV or JSON identities file (chosen by content). Errors name the file and line.
  [[nodiscard]] static Result<IdentityMap> FromFile(const std::string& path);

  // Adds `handle` to `person`. A handle already given to another person is an error
  // (one handle, one person).
  [[nodiscard]] Status Add(const std::string& person, std::string_view handle);

  bool empty() const { return handles_.empty(); }
  size_t persons() const { return handles_.size(); }
  // The person a handle belongs to, or nullptr.
  const std::string* PersonOf(std::string_view handle) const;
  // person -> lower-cased handles.
  const std::map<std::string, std::vector<std::string>>& by_person() const { return handles_; }

 private:
  std::unordered_map<std::string, std::string> person_of_;
  std::map<std::string, std::vector<std::string>> handles_;
};

}  // namespace hark

#endif  // HARK_STORAGE_IDENTITIES_H_
