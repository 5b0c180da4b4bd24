#include "query/conversation.h"

#include <algorithm>
#include <cmath>

namespace hark {

ConversationSummary Summarize(const std::string& source, const std::string& thread,
                              const std::vector<ThreadEntry>& entries,
                              const std::function<bool(const ThreadEntry&)>& is_customer) {
  ConversationSummary s;
  s.source = source;
  s.thread = thread;
  s.messages = entries.size();
  if (entries.empty()) return s;
  s.first = &entries.front();
  s.last = &entries.back();
  s.channel = entries.front().channel;
  for (const ThreadEntry& e : entries) {
    if (e.role == Role::kAgent && !e.brand.empty()) {
      s.brand = e.brand;
      break;
    }
  }
  if (s.brand.empty()) {
    for (const ThreadEntry& e : entries) {
      if (!e.brand.empty()) {
        s.brand = e.brand;
        break;
      }
    }
  }
  int last_side = -1;
  bool someone_else_replied = false;
  for (const ThreadEntry& e : entries) {
    const bool customer = is_customer(e);
    const int side = customer ? 0 : (e.role == Role::kAgent ? 1 : 2);
    if (side != last_side) ++s.turns;
    last_side = side;
    if (customer) {
      if (s.first_customer == nullptr) s.first_customer = &e;
      s.last_customer = &e;
      if (someone_else_replied && (e.flags & kFlagThanks) != 0 && !s.resolved) {
        s.resolved = true;
        s.resolved_by = "customer";
      }
    } else if (s.first_customer != nullptr) {
      someone_else_replied = true;
      if (e.role == Role::kAgent && s.first_response == nullptr && e.time >= s.first_customer->time) {
        s.first_response = &e;
        s.first_response_s = e.time - s.first_customer->time;
      }
    }
  }
  const ThreadEntry& end = entries.back();
  if (!s.resolved && end.role == Role::kAgent && !is_customer(end) && (end.flags & kFlagAgentClose) != 0 &&
      s.first_customer != nullptr) {
    s.resolved = true;
    s.resolved_by = "agent";
  }
  return s;
}

std::optional<double> Median(std::vector<int64_t>* values) {
  if (values->empty()) return std::nullopt;
  std::sort(values->begin(), values->end());
  size_t n = values->size();
  if (n % 2 == 1) return static_cast<double>((*values)[n / 2]);
  return ((*values)[n / 2 - 1] + static_cast<double>((*values)[n / 2])) / 2.0;
}

std::optional<int64_t> Percentile(std::vector<int64_t>* values, double p) {
  if (values->empty()) return std::nullopt;
  std::sort(values->begin(), values->end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * values->size()));
  rank = std::clamp<size_t>(rank, 1, values->size());
  return (*values)[rank - 1];
}

}  // namespace hark
