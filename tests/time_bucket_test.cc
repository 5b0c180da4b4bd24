// Calendar buckets in UTC, fixed offsets and IANA zones: floors, labels, bounds, and
// the days that daylight saving makes 23 or 25 hours long.
#include "query/time_bucket.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/time_parse.h"

namespace hark {
namespace {

int64_t T(const char* text) {
  int64_t t = 0;
  std::string error;
  EXPECT_TRUE(ParseTime(text, &t, &error)) << error;
  return t;
}

TimeZone Zone(const char* name) {
  Result<TimeZone> z = TimeZone::Load(name);
  EXPECT_TRUE(z.ok()) << z.status().ToString();
  return z.ok() ? *z : TimeZone::Utc();
}

TEST(BucketUnit, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseBucketUnit("hour"), BucketUnit::kHour);
  EXPECT_EQ(*ParseBucketUnit("daily"), BucketUnit::kDay);
  EXPECT_EQ(*ParseBucketUnit("week"), BucketUnit::kWeek);
  EXPECT_EQ(*ParseBucketUnit("month"), BucketUnit::kMonth);
  Result<BucketUnit> bad = ParseBucketUnit("fortnight");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'fortnight'"), std::string::npos);
  EXPECT_STREQ(BucketUnitName(BucketUnit::kWeek), "week");
}

TEST(TimeZone, LoadsUtcOffsetsAndNamesAndRejectsUnknownOnes) {
  EXPECT_TRUE(TimeZone::Utc().is_utc());
  EXPECT_TRUE(Zone("UTC").is_utc());
  EXPECT_TRUE(Zone("").is_utc());
  EXPECT_TRUE(Zone("+00:00").is_utc());
  EXPECT_EQ(Zone("+05:30").OffsetAt(0), 19800);
  EXPECT_EQ(Zone("-0800").OffsetAt(0), -28800);
  EXPECT_EQ(Zone("-0800").name(), "-08:00");
  EXPECT_EQ(Zone("+01").OffsetAt(0), 3600);
  for (const char* bad : {"Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "+25:00", "America/"}) {
    Result<TimeZone> z = TimeZone::Load(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_EQ(z.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(z.status().message().find(std::string("'") + bad + "'"), std::string::npos) << z.status().message();
  }
}

TEST(TimeZone, NamedZoneOffsetsFollowDaylightSaving) {
  TimeZone ny = Zone("America/New_York");
  EXPECT_FALSE(ny.is_utc());
  EXPECT_EQ(ny.OffsetAt(T("2017-01-15T12:00:00Z")), -5 * 3600);
  EXPECT_EQ(ny.OffsetAt(T("2017-07-15T12:00:00Z")), -4 * 3600);
  // Before 1970 and after 2038 (the tzdata rule carries on).
  EXPECT_EQ(ny.OffsetAt(T("1965-07-15T12:00:00Z")), -4 * 3600);
  EXPECT_EQ(ny.OffsetAt(T("2050-07-15T12:00:00Z")), -4 * 3600);
  EXPECT_EQ(ny.OffsetAt(T("2050-12-15T12:00:00Z")), -5 * 3600);
  EXPECT_EQ(Zone("Asia/Kolkata").OffsetAt(T("2020-06-01T00:00:00Z")), 19800);
}

TEST(TimeZone, FromLocalHandlesSkippedAndRepeatedTimes) {
  TimeZone ny = Zone("America/New_York");
  // An ordinary local time.
  EXPECT_EQ(ny.FromLocal(T("2017-03-11T12:00:00Z")), T("2017-03-11T17:00:00Z"));
  // 02:30 on 2017-03-12 never happened: the instant of the jump (07:00 UTC).
  EXPECT_EQ(ny.FromLocal(T("2017-03-12T02:30:00Z")), T("2017-03-12T07:00:00Z"));
  // 01:30 on 2017-11-05 happened twice: the first one (EDT).
  EXPECT_EQ(ny.FromLocal(T("2017-11-05T01:30:00Z")), T("2017-11-05T05:30:00Z"));
  EXPECT_EQ(Zone("+05:30").FromLocal(T("2020-01-01T00:00:00Z")), T("2019-12-31T18:30:00Z"));
}

TEST(Bucketer, UtcFloorsNextAndLabels) {
  Bucketer hour(BucketUnit::kHour, TimeZone::Utc());
  EXPECT_EQ(hour.Floor(T("2015-02-22T13:59:59Z")), T("2015-02-22T13:00:00Z"));
  EXPECT_EQ(hour.Label(T("2015-02-22T13:00:00Z")), "2015-02-22T13:00Z");
  Bucketer day(BucketUnit::kDay, TimeZone::Utc());
  EXPECT_EQ(day.Floor(T("2015-02-22T23:59:59Z")), T("2015-02-22"));
  EXPECT_EQ(day.Next(T("2015-02-22")), T("2015-02-23"));
  EXPECT_EQ(day.Label(T("2015-02-22")), "2015-02-22");
  // ISO weeks start on Monday: 2015-02-22 was a Sunday.
  Bucketer week(BucketUnit::kWeek, TimeZone::Utc());
  EXPECT_EQ(week.Floor(T("2015-02-22T12:00:00Z")), T("2015-02-16"));
  EXPECT_EQ(week.Floor(T("2015-02-23T00:00:00Z")), T("2015-02-23"));
  EXPECT_EQ(week.Next(T("2015-02-16")), T("2015-02-23"));
  // 1970-01-01 was a Thursday; pre-1970 instants floor the same way.
  EXPECT_EQ(week.Floor(0), T("1969-12-29"));
  EXPECT_EQ(day.Floor(T("1969-07-20T20:17:40Z")), T("1969-07-20"));
  Bucketer month(BucketUnit::kMonth, TimeZone::Utc());
  EXPECT_EQ(month.Floor(T("2016-02-29T23:00:00Z")), T("2016-02-01"));
  EXPECT_EQ(month.Next(T("2016-12-01")), T("2017-01-01"));
  EXPECT_EQ(month.Label(T("2016-02-01")), "2016-02-01");
  EXPECT_EQ(month.Floor(T("2040-03-15T00:00:00Z")), T("2040-03-01"));
}

TEST(Bucketer, BoundsCoverTheRangeAndRefuseTooMany) {
  Bucketer day(BucketUnit::kDay, TimeZone::Utc());
  Result<std::vector<int64_t>> b = day.Bounds(T("2015-02-17T08:00:00Z"), T("2015-02-24T11:00:00Z"));
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 9u);  // 8 days and the end of the last
  EXPECT_EQ(b->front(), T("2015-02-17"));
  EXPECT_EQ(b->back(), T("2015-02-25"));
  // A range ending exactly at midnight includes that midnight's day.
  b = day.Bounds(T("2015-02-17"), T("2015-02-18"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 3u);
  Bucketer hour(BucketUnit::kHour, TimeZone::Utc());
  Result<std::vector<int64_t>> many = hour.Bounds(0, T("2020-01-01"), 1000);
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.status().message().find("more than 1000 hour buckets"), std::string::npos);
}

TEST(Bucketer, DaylightSavingDaysHave23And25Hours) {
  TimeZone ny = Zone("America/New_York");
  Bucketer day(BucketUnit::kDay, ny), hour(BucketUnit::kHour, ny);
  int64_t spring = day.Floor(T("2017-03-12T12:00:00Z"));
  EXPECT_EQ(spring, T("2017-03-12T05:00:00Z"));
  EXPECT_EQ(day.Next(spring) - spring, 23 * 3600);
  EXPECT_EQ(day.Label(spring), "2017-03-12");
  Result<std::vector<int64_t>> hours = hour.Bounds(spring, day.Next(spring) - 1);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->size(), 24u);  // 23 buckets
  EXPECT_EQ(hour.Label((*hours)[1]), "2017-03-12T01:00-05:00");
  EXPECT_EQ(hour.Label((*hours)[2]), "2017-03-12T03:00-04:00");

  int64_t fall = day.Floor(T("2017-11-05T12:00:00Z"));
  EXPECT_EQ(fall, T("2017-11-05T04:00:00Z"));
  EXPECT_EQ(day.Next(fall) - fall, 25 * 3600);
  hours = hour.Bounds(fall, day.Next(fall) - 1);
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 26u);  // 25 buckets, 01:00 twice
  EXPECT_EQ(hour.Label((*hours)[1]), "2017-11-05T01:00-04:00");
  EXPECT_EQ(hour.Label((*hours)[2]), "2017-11-05T01:00-05:00");
  // Every instant of those days floors into the bucket that holds it.
  for (int64_t t = spring - 7200; t < day.Next(fall) + 7200; t += 3 * 86400 + 1234) {
    int64_t f = hour.Floor(t);
    EXPECT_LE(f, t);
    EXPECT_GT(hour.Next(f), t);
  }
}

TEST(Bucketer, HalfHourZoneAndFixedOffsets) {
  Bucketer day(BucketUnit::kDay, Zone("Asia/Kolkata"));
  EXPECT_EQ(day.Floor(T("2020-06-01T20:00:00Z")), T("2020-06-01T18:30:00Z"));
  EXPECT_EQ(day.Label(T("2020-06-01T18:30:00Z")), "2020-06-02");
  Bucketer hour(BucketUnit::kHour, Zone("Asia/Kolkata"));
  EXPECT_EQ(hour.Floor(T("2020-06-01T20:10:00Z")), T("2020-06-01T19:30:00Z"));
  EXPECT_EQ(hour.Label(T("2020-06-01T19:30:00Z")), "2020-06-02T01:00+05:30");
  Bucketer week(BucketUnit::kWeek, Zone("-0800"));
  // 2015-02-23T05:00Z is Sunday 21:00 at -08:00: still the week of Monday 2015-02-16.
  EXPECT_EQ(week.Floor(T("2015-02-23T05:00:00Z")), T("2015-02-16T08:00:00Z"));
  EXPECT_EQ(week.Label(T("2015-02-16T08:00:00Z")), "2015-02-16");
  Bucketer month(BucketUnit::kMonth, Zone("Europe/Berlin"));
  EXPECT_EQ(month.Floor(T("2021-04-15T00:00:00Z")), T("2021-03-31T22:00:00Z"));  // CEST
  EXPECT_EQ(month.Next(T("2021-03-31T22:00:00Z")), T("2021-04-30T22:00:00Z"));
}

}  // namespace
}  // namespace hark
