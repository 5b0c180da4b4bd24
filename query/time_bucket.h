// Calendar buckets (hour, day, ISO week, month) in UTC, a fixed offset or an IANA time
// zone, for `hark trend` and every analysis that groups by time.
//
// A bucket is the half-open interval [start, next start) of UTC epoch seconds. Days,
// weeks and months begin at local midnight of the zone (weeks on Monday, as ISO 8601),
// so a day across a daylight-saving change lasts 23 or 25 hours; an hour bucket is one
// local clock hour, so that day has 23 or 25 of them.
//
// TimeZone and Bucketer are immutable values: safe to share between threads. IANA zones
// are resolved through the C library (the tzdata files under /usr/share/zoneinfo, or
// $TZDIR) under one process-wide mutex; UTC and fixed offsets never touch it.
#ifndef HARK_QUERY_TIME_BUCKET_H_
#define HARK_QUERY_TIME_BUCKET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace hark {

enum class BucketUnit { kHour, kDay, kWeek, kMonth };

// "hour", "day", "week", "month" (also "hourly", "daily", "weekly", "monthly").
[[nodiscard]] Result<BucketUnit> ParseBucketUnit(std::string_view text);
const char* BucketUnitName(BucketUnit unit);

class TimeZone {
 public:
  TimeZone() = default;  // UTC
  static TimeZone Utc() { return TimeZone(); }
  // "UTC", "Z" or "" (UTC); a fixed offset "+05:30", "-0800", "+01"; or an IANA name
  // such as "America/New_York". An unknown name is an InvalidArgument naming it.
  [[nodiscard]] static Result<TimeZone> Load(std::string_view name);

  bool is_utc() const { return kind_ == Kind::kFixed && fixed_offset_ == 0; }
  const std::string& name() const { return name_; }

  // Seconds east of UTC in force at the instant `utc`.
  int64_t OffsetAt(int64_t utc) const;
  // The instant at which local wall-clock time reads `local_seconds` (seconds since
  // 1970-01-01T00:00 local). A time skipped by a daylight-saving jump maps to the
  // instant of the jump; a time that occurs twice maps to its first occurrence.
  int64_t FromLocal(int64_t local_seconds) const;

 private:
  enum class Kind { kFixed, kZone };
  Kind kind_ = Kind::kFixed;
  int64_t fixed_offset_ = 0;
  std::string name_ = "UTC";
};

// Maps instants to the bucket that holds them, in a zone.
class Bucketer {
 public:
  Bucketer(BucketUnit unit, TimeZone zone) : unit_(unit), zone_(std::move(zone)) {}

  BucketUnit unit() const { return unit_; }
  const TimeZone& zone() const { return zone_; }

  // The start of the bucket holding `t`.
  int64_t Floor(int64_t t) const;
  // The start of the bucket after the one starting at `start`.
  int64_t Next(int64_t start) const;
  // The starts of every bucket that overlaps [from, to] (inclusive), followed by the end
  // of the last one: n buckets give n + 1 values. More than max_buckets is an error.
  [[nodiscard]] Result<std::vector<int64_t>> Bounds(int64_t from, int64_t to, size_t max_buckets = 1000000) const;
  // The bucket's label: its local date ("2017-03-12") for days, weeks and months; for
  // hours the date-time, "2017-03-12T07:00Z" in UTC or "2017-03-12T03:00-04:00" in a zone.
  std::string Label(int64_t start) const;

 private:
  BucketUnit unit_;
  TimeZone zone_;
};

}  // namespace hark

#endif  // HARK_QUERY_TIME_BUCKET_H_
