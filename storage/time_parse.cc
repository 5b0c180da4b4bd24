#include "storage/time_parse.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace hark {
namespace {

// A small cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  void SkipSpaces() {
    while (!done() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  bool Accept(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // Reads between min and max digits.
  bool Digits(size_t min, size_t max, int64_t* v) {
    size_t start = i;
    int64_t n = 0;
    while (!done() && i - start < max && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      ++i;
    }
    if (i - start < min) return false;
    *v = n;
    return true;
  }
  bool Word(std::string* w) {
    size_t start = i;
    while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    *w = std::string(s.substr(start, i - start));
    return i > start;
  }
};

int MonthFromName(std::string_view name) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  char lower[3];
  for (int k = 0; k < 3; ++k) lower[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[k])));
  for (int m = 0; m < 12; ++m) {
    if (std::memcmp(lower, kMonths[m], 3) == 0) return m + 1;
  }
  return 0;
}

bool ValidDate(int64_t y, int64_t mo, int64_t d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  if (d > kDays[mo - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(mo == 2 && d == 29 && !leap);
}

bool ValidClock(int64_t h, int64_t mi, int64_t s) {
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

// Zone: Z, +hh:mm, +hhmm, +hh, UTC/GMT/UT, or US zone abbreviations. Seconds east of UTC.
bool ParseZone(Cursor* c, int64_t* offset) {
  *offset = 0;
  c->SkipSpaces();
  if (c->done()) return true;
  if (c->Accept('Z') || c->Accept('z')) return true;
  char sign = c->peek();
  if (sign == '+' || sign == '-') {
    ++c->i;
    int64_t hh, mm = 0;
    if (!c->Digits(2, 2, &hh)) return false;
    c->Accept(':');
    if (!c->done() && std::isdigit(static_cast<unsigned char>(c->peek())) && !c->Digits(2, 2, &mm)) {
      return false;
    }
    if (hh > 23 || mm > 59) return false;
    *offset = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
    return true;
  }
  std::string word;
  if (!c->Word(&word)) return false;
  for (auto& ch : word) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  struct Named { const char* name; int hours; };
  static const Named kZones[] = {{"UTC", 0}, {"GMT", 0}, {"UT", 0},  {"EST", -5}, {"EDT", -4},
                                 {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8},
                                 {"PDT", -7}};
  for (const Named& z : kZones) {
    if (word == z.name) {
      *offset = z.hours * 3600;
      return true;
    }
  }
  return false;
}

// Rest of the input may only be a parenthesised comment, as in "-0500 (EST)".
bool OnlyCommentLeft(Cursor* c) {
  c->SkipSpaces();
  if (c->done()) return true;
  if (c->peek() != '(') return false;
  return c->s.back() == ')';
}

int64_t Compose(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s, int64_t off) {
  if (s == 60) s = 59;  // leap second: keep it within the minute
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + s - off;
}

bool ParseIso(std::string_view text, int64_t* out) {
  Cursor c{text};
  int64_t y, mo, d, h = 0, mi = 0, s = 0, off = 0;
  if (!c.Digits(4, 4, &y) || !c.Accept('-') || !c.Digits(1, 2, &mo) || !c.Accept('-') ||
      !c.Digits(1, 2, &d)) {
    return false;
  }
  if (!ValidDate(y, mo, d)) return false;
  if (!c.done()) {
    if (!(c.Accept('T') || c.Accept('t') || c.Accept(' '))) return false;
    c.SkipSpaces();
    if (!c.Digits(1, 2, &h) || !c.Accept(':') || !c.Digits(2, 2, &mi)) return false;
    if (c.Accept(':') && !c.Digits(2, 2, &s)) return false;
    if (c.Accept('.') || c.Accept(',')) {
      int64_t frac;
      if (!c.Digits(1, 9, &frac)) return false;
    }
    if (!ValidClock(h, mi, s) || !ParseZone(&c, &off) || !c.done()) return false;
  }
  *out = Compose(y, mo, d, h, mi, s, off);
  return true;
}

// "Tue Oct 31 22:10:47 +0000 2017"
bool ParseTwitter(std::string_view text, int64_t* out) {
  Cursor c{text};
  std::string wday, mon;
  int64_t d, h, mi, s, y, off;
  if (!c.Word(&wday)) return false;
  c.SkipSpaces();
  if (!c.Word(&mon)) return false;
  int64_t m = MonthFromName(mon);
  c.SkipSpaces();
  if (m == 0 || !c.Digits(1, 2, &d)) return false;
  c.SkipSpaces();
  if (!c.Digits(1, 2, &h) || !c.Accept(':') || !c.Digits(2, 2, &mi) || !c.Accept(':') ||
      !c.Digits(2, 2, &s)) {
    return false;
  }
  if (!ParseZone(&c, &off)) return false;
  c.SkipSpaces();
  if (!c.Digits(4, 4, &y) || !c.done()) return false;
  if (!ValidDate(y, m, d) || !ValidClock(h, mi, s)) return false;
  *out = Compose(y, m, d, h, mi, s, off);
  return true;
}

// "Tue, 2 Mar 2021 10:20:30 -0500 (EST)" or "2 Mar 2021 10:20 GMT"
bool ParseRfc2822(std::string_view text, int64_t* out) {
  Cursor c{text};
  std::string word;
  size_t save = c.i;
  if (c.Word(&word)) {
    c.Accept(',');
  } else {
    c.i = save;
  }
  c.SkipSpaces();
  int64_t d, y, h, mi, s = 0, off;
  std::string mon;
  if (!c.Digits(1, 2, &d)) return false;
  c.SkipSpaces();
  if (!c.Word(&mon)) return false;
  int64_t m = MonthFromName(mon);
  c.SkipSpaces();
  if (m == 0 || !c.Digits(2, 4, &y)) return false;
  if (y < 100) y += y < 50 ? 2000 : 1900;  // obsolete two-digit years (RFC 2822 4.3)
  c.SkipSpaces();
  if (!c.Digits(1, 2, &h) || !c.Accept(':') || !c.Digits(2, 2, &mi)) return false;
  if (c.Accept(':') && !c.Digits(2, 2, &s)) return false;
  if (!ParseZone(&c, &off) || !OnlyCommentLeft(&c)) return false;
  if (!ValidDate(y, m, d) || !ValidClock(h, mi, s)) return false;
  *out = Compose(y, m, d, h, mi, s, off);
  return true;
}

bool ParseEpoch(std::string_view text, int64_t* out) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && text[i] == '-') {
    neg = true;
    ++i;
  }
  size_t start = i;
  int64_t v = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (i - start > 15) return false;
    v = v * 10 + (text[i] - '0');
    ++i;
  }
  size_t ndigits = i - start;
  if (ndigits == 0) return false;
  if (i < text.size()) {
    if (text[i] != '.') return false;
    for (++i; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    }
  }
  if (ndigits == 13) v /= 1000;  // epoch milliseconds
  else if (ndigits > 11) return false;
  *out = neg ? -v : v;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil algorithm.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ParseTime(std::string_view text, int64_t* out, std::string* error) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) {
    *error = "time is empty";
    return false;
  }
  if (ParseEpoch(text, out) || ParseIso(text, out) || ParseTwitter(text, out) ||
      ParseRfc2822(text, out)) {
    return true;
  }
  *error = "cannot parse time '" + std::string(text.substr(0, 64)) +
           "' (expected RFC 3339, epoch seconds, Twitter or RFC 2822 format)";
  return false;
}

CivilDate CivilFromTime(int64_t t) {
  const int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  // Howard Hinnant's civil_from_days algorithm.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate c;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  c.seconds = t - days * 86400;
  return c;
}

std::string FormatTime(int64_t t) {
  const CivilDate c = CivilFromTime(t);
  if (c.year >= 0 && c.year <= 9999) {
    // Digits by hand: snprintf was a fifth of a journey's JSON (one time per message).
    std::string out = "0000-00-00T00:00:00Z";
    auto put = [&out](size_t end, int64_t v, int digits) {
      for (int i = 1; i <= digits; ++i, v /= 10) out[end - i] = static_cast<char>('0' + v % 10);
    };
    put(4, c.year, 4);
    put(7, c.month, 2);
    put(10, c.day, 2);
    put(13, c.seconds / 3600, 2);
    put(16, c.seconds / 60 % 60, 2);
    put(19, c.seconds % 60, 2);
    return out;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(c.year), c.month,
                c.day, static_cast<long long>(c.seconds / 3600), static_cast<long long>(c.seconds / 60 % 60),
                static_cast<long long>(c.seconds % 60));
  return buf;
}

std::string FormatDate(int64_t t) { return FormatTime(t).substr(0, 10); }

}  // namespace hark
