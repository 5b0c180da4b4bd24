// Time parsing for every format hark reads. Pure functions: thread-safe.
#ifndef HARK_STORAGE_TIME_PARSE_H_
#define HARK_STORAGE_TIME_PARSE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace hark {

// Parses a timestamp in any of the forms archives use, returning seconds since the
// epoch (UTC) in *out, or false with *error saying why:
//   RFC 3339 / ISO 8601: 2017-10-31T22:10:47Z, 2017-10-31 22:10:47+01:00,
//     2018-03-12T18:40:02.797 (no zone = UTC), 2017-10-31 (midnight UTC),
//     2015-02-24 11:35:52 -0800 (space before the zone);
//   Twitter: Tue Oct 31 22:10:47 +0000 2017;
//   RFC 2822 (e-mail): Tue, 2 Mar 2021 10:20:30 -0500 (EST), with or without weekday;
//   epoch seconds: 1509487847 or 1509487847.0; 13-digit values are epoch milliseconds.
bool ParseTime(std::string_view text, int64_t* out, std::string* error);

// 2017-10-31T22:10:47Z
std::string FormatTime(int64_t epoch_seconds);
// 2017-10-31
std::string FormatDate(int64_t epoch_seconds);

// The UTC calendar date of a time, and the seconds since that day's midnight.
struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1, day = 1;  // 1-based
  int64_t seconds = 0;          // [0, 86400)
};
CivilDate CivilFromTime(int64_t epoch_seconds);

// Days since 1970-01-01 for a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace hark

#endif  // HARK_STORAGE_TIME_PARSE_H_
