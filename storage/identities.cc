#include "storage/identities.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "storage/schema.h"

namespace hark {
namespace {

std::string TrimCopy(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Status IdentityMap::Add(const std::string& person, std::string_view handle) {
  std::string h = schema::Lower(handle);
  if (person.empty() || h.empty()) return Status::InvalidArgument("identity with an empty person or handle");
  auto [it, inserted] = person_of_.emplace(h, person);
  if (!inserted) {
    if (it->second == person) return Status::Ok();
    return Status::InvalidArgument("handle '" + h + "' is given to two persons: '" + it->second + "' and '" + person + "'");
  }
  handles_[person].push_back(std::move(h));
  return Status::Ok();
}

const std::string* IdentityMap::PersonOf(std::string_view handle) const {
  auto it = person_of_.find(schema::Lower(handle));
  return it == person_of_.end() ? nullptr : &it->second;
}

Result<IdentityMap> IdentityMap::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot open identities file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  IdentityMap map;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    try {
      nlohmann::json j = nlohmann::json::parse(text);
      for (const auto& [person, handles] : j.items()) {
        if (!handles.is_array()) {
          return Status::InvalidArgument(path + ": person '" + person + "' must map to an array of handles");
        }
        for (const auto& h : handles) {
          if (!h.is_string()) return Status::InvalidArgument(path + ": handles of '" + person + "' must be strings");
          HARK_RETURN_IF_ERROR(map.Add(person, h.get<std::string>()).WithContext(path));
        }
      }
    } catch (const nlohmann::json::exception& e) {
      return Status::InvalidArgument(path + ": not valid JSON: " + e.what());
    }
    return map;
  }
  std::istringstream lines(text);
  std::string line;
  uint64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string trimmed = TrimCopy(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    size_t comma = line.find(',');
    if (comma == std::string::npos) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": expected person,handle, found '" +
                                     trimmed.substr(0, 80) + "'");
    }
    std::string person = TrimCopy(std::string_view(line).substr(0, comma));
    std::string handle = TrimCopy(std::string_view(line).substr(comma + 1));
    if (number == 1 && schema::Lower(person) == "person") continue;  // header
    Status s = map.Add(person, handle);
    if (!s.ok()) return Status::InvalidArgument(path + ":" + std::to_string(number) + ": " + s.message());
  }
  return map;
}

}  // namespace hark
