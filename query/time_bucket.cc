#include "query/time_bucket.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <cctype>

#include "storage/time_parse.h"

namespace hark {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

struct Civil {
  int64_t year;
  unsigned month, day;
};

Civil CivilOf(int64_t local_seconds) {
  long long y = 0;
  unsigned m = 1, d = 1;
  std::sscanf(FormatDate(local_seconds).c_str(), "%lld-%u-%u", &y, &m, &d);
  return Civil{y, m, d};
}

// "+05:30", "-0800", "+01" -> seconds east of UTC.
bool ParseFixedOffset(std::string_view s, int64_t* out) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  std::string digits;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':' && i == 3) continue;
    if (s[i] < '0' || s[i] > '9') return false;
    digits += s[i];
  }
  if (digits.size() != 2 && digits.size() != 4) return false;
  int64_t h = std::stoi(digits.substr(0, 2)), m = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
  if (h > 14 || m > 59) return false;
  *out = (s[0] == '-' ? -1 : 1) * (h * kHour + m * 60);
  return true;
}

std::string OffsetText(int64_t offset) {
  int64_t a = offset < 0 ? -offset : offset;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c%02lld:%02lld", offset < 0 ? '-' : '+', static_cast<long long>(a / kHour),
                static_cast<long long>(a / 60 % 60));
  return buf;
}

std::string ZoneDir() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

// The C library's zone is process-wide state: every use goes through this mutex, and TZ
// is only rewritten when a different zone is asked for.
std::mutex& ZoneMutex() {
  static std::mutex m;
  return m;
}

int64_t LibcOffset(const std::string& zone, int64_t utc) {
  std::lock_guard<std::mutex> lock(ZoneMutex());
  static std::string current;
  if (current != zone) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
    current = zone;
  }
  std::time_t t = static_cast<std::time_t>(utc);
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr) return 0;
  return tm.tm_gmtoff;
}

}  // namespace

Result<BucketUnit> ParseBucketUnit(std::string_view text) {
  if (text == "hour" || text == "hourly") return BucketUnit::kHour;
  if (text == "day" || text == "daily") return BucketUnit::kDay;
  if (text == "week" || text == "weekly") return BucketUnit::kWeek;
  if (text == "month" || text == "monthly") return BucketUnit::kMonth;
  return Status::InvalidArgument("unknown bucket '" + std::string(text) + "' (expected hour, day, week or month)");
}

const char* BucketUnitName(BucketUnit unit) {
  switch (unit) {
    case BucketUnit::kHour: return "hour";
    case BucketUnit::kDay: return "day";
    case BucketUnit::kWeek: return "week";
    case BucketUnit::kMonth: return "month";
  }
  return "day";
}

Result<TimeZone> TimeZone::Load(std::string_view name) {
  TimeZone z;
  if (name.empty() || name == "UTC" || name == "Z" || name == "utc" || name == "Etc/UTC") return z;
  int64_t offset = 0;
  if (ParseFixedOffset(name, &offset)) {
    z.fixed_offset_ = offset;
    z.name_ = offset == 0 ? "UTC" : OffsetText(offset);
    return z;
  }
  std::string n(name);
  bool safe = n.front() != '/' && n.find("..") == std::string::npos;
  for (char c : n) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) safe = false;
  }
  std::string path = ZoneDir() + "/" + n;
  char magic[4] = {0, 0, 0, 0};
  if (safe) {
    std::ifstream f(path, std::ios::binary);
    f.read(magic, 4);
  }
  if (!safe || std::string(magic, 4) != "TZif") {
    return Status::InvalidArgument("unknown time zone '" + n +
                                   "' (expected UTC, an offset such as +05:30, or an IANA name such as "
                                   "America/New_York from " + ZoneDir() + ")");
  }
  z.kind_ = Kind::kZone;
  z.name_ = n;
  return z;
}

int64_t TimeZone::OffsetAt(int64_t utc) const {
  return kind_ == Kind::kFixed ? fixed_offset_ : LibcOffset(name_, utc);
}

int64_t TimeZone::FromLocal(int64_t local) const {
  if (kind_ == Kind::kFixed) return local - fixed_offset_;
  // Offsets near `local` (a zone changes offset at most once in a day here).
  const int64_t before = OffsetAt(local - kDay), after = OffsetAt(local + kDay);
  const int64_t first = before >= after ? local - before : local - after;   // earlier candidate
  const int64_t second = before >= after ? local - after : local - before;  // later candidate
  if (first + OffsetAt(first) == local) return first;
  if (second + OffsetAt(second) == local) return second;
  // Skipped by a jump forward (after > before): the jump lies in (local - after, local - before].
  int64_t lo = local - after, hi = local - before;  // OffsetAt(lo) == before, OffsetAt(hi) == after
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    (OffsetAt(mid) == before ? lo : hi) = mid;
  }
  return hi;
}

int64_t Bucketer::Floor(int64_t t) const {
  const int64_t offset = zone_.OffsetAt(t);
  const int64_t local = t + offset;
  if (unit_ == BucketUnit::kHour) return t - (local - FloorDiv(local, kHour) * kHour);
  int64_t day = FloorDiv(local, kDay);
  if (unit_ == BucketUnit::kWeek) {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is days since Monday.
    day -= ((day + 3) % 7 + 7) % 7;
  } else if (unit_ == BucketUnit::kMonth) {
    Civil c = CivilOf(day * kDay);
    day = DaysFromCivil(c.year, c.month, 1);
  }
  int64_t start = zone_.FromLocal(day * kDay);
  // Local midnight skipped or repeated can put the start after t: fall back a day.
  return start <= t ? start : Floor(start - 1);
}

int64_t Bucketer::Next(int64_t start) const {
  if (unit_ == BucketUnit::kHour) {
    int64_t next = Floor(start + kHour);
    return next > start ? next : start + kHour;
  }
  const int64_t day = FloorDiv(start + zone_.OffsetAt(start), kDay);
  int64_t next_day = day + 1;
  if (unit_ == BucketUnit::kWeek) {
    next_day = day + 7;
  } else if (unit_ == BucketUnit::kMonth) {
    Civil c = CivilOf(day * kDay);
    next_day = c.month == 12 ? DaysFromCivil(c.year + 1, 1, 1) : DaysFromCivil(c.year, c.month + 1, 1);
  }
  return zone_.FromLocal(next_day * kDay);
}

Result<std::vector<int64_t>> Bucketer::Bounds(int64_t from, int64_t to, size_t max_buckets) const {
  std::vector<int64_t> bounds;
  if (from > to) return bounds;
  int64_t b = Floor(from);
  bounds.push_back(b);
  while (b <= to) {
    b = Next(b);
    bounds.push_back(b);
    if (bounds.size() > max_buckets + 1) {
      return Status::InvalidArgument("more than " + std::to_string(max_buckets) + " " + BucketUnitName(unit_) +
                                     " buckets from " + FormatTime(from) + " to " + FormatTime(to) +
                                     ": use a coarser --by or a shorter --from/--to");
    }
  }
  return bounds;
}

std::string Bucketer::Label(int64_t start) const {
  const int64_t offset = zone_.OffsetAt(start);
  if (unit_ != BucketUnit::kHour) return FormatDate(start + offset);
  std::string local = FormatTime(start + offset);  // 2017-03-12T03:00:00Z
  local.resize(16);                                // 2017-03-12T03:00
  return local + (zone_.is_utc() ? "Z" : OffsetText(offset));
}

}  // namespace hark
