#include <gtest/gtest.h>

#include "storage/time_parse.h"

namespace hark {
namespace {

int64_t T(const char* s) {
  int64_t t = 0;
  std::string err;
  EXPECT_TRUE(ParseTime(s, &t, &err)) << s << ": " << err;
  return t;
}

TEST(ParseTime, AllArchiveForms) {
  const int64_t kRef = 1509487847;  // 2017-10-31T22:10:47Z
  EXPECT_EQ(T("2017-10-31T22:10:47Z"), kRef);
  EXPECT_EQ(T("2017-10-31T23:10:47+01:00"), kRef);
  EXPECT_EQ(T("2017-10-31 14:10:47 -0800"), kRef);
  EXPECT_EQ(T("2017-10-31T22:10:47.797"), kRef);
  EXPECT_EQ(T("Tue Oct 31 22:10:47 +0000 2017"), kRef);
  EXPECT_EQ(T("Tue, 31 Oct 2017 17:10:47 -0500 (EST)"), kRef);
  EXPECT_EQ(T("31 Oct 2017 22:10:47 GMT"), kRef);
  EXPECT_EQ(T("1509487847"), kRef);
  EXPECT_EQ(T("1509487847.0"), kRef);
  EXPECT_EQ(T("1509487847123"), kRef);
  EXPECT_EQ(T("2017-10-31"), kRef - (22 * 3600 + 10 * 60 + 47));
  EXPECT_EQ(T("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(T("2000-02-29T00:00:00Z"), 951782400);
}

TEST(ParseTime, RejectsWithReason) {
  int64_t t;
  std::string err;
  EXPECT_FALSE(ParseTime("yesterday", &t, &err));
  EXPECT_NE(err.find("cannot parse time 'yesterday'"), std::string::npos) << err;
  EXPECT_FALSE(ParseTime("2017-02-30T00:00:00Z", &t, &err));
  EXPECT_FALSE(ParseTime("2017-10-31T25:00:00Z", &t, &err));
  EXPECT_FALSE(ParseTime("", &t, &err));
  EXPECT_EQ(err, "time is empty");
}

TEST(FormatTime, RoundTrips) {
  EXPECT_EQ(FormatTime(1509487847), "2017-10-31T22:10:47Z");
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatDate(951782400), "2000-02-29");
  for (int64_t t = -100000; t < 4102444800; t += 7777777) {
    int64_t back;
    std::string err;
    ASSERT_TRUE(ParseTime(FormatTime(t), &back, &err));
    EXPECT_EQ(back, t);
  }
}

}  // namespace
}  // namespace hark
