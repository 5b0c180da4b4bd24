#include "storage/record.h"

#include <algorithm>
#include <cctype>

namespace hark {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCustomer: return "customer";
    case Role::kAgent: return "agent";
    case Role::kCommunity: return "community";
    case Role::kUnknown: break;
  }
  return "";
}

bool ParseRole(std::string_view name, Role* role) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "customer") *role = Role::kCustomer;
  else if (lower == "agent") *role = Role::kAgent;
  else if (lower == "community") *role = Role::kCommunity;
  else return false;
  return true;
}

}  // namespace hark
