#include "query/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace hark {
namespace {

TEST(Output, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  std::ostringstream out;
  WriteCsvRow(out, {"1", "x,y", ""});
  EXPECT_EQ(out.str(), "1,\"x,y\",\r\n");
}

TEST(Output, SnippetForTerminalDecodesAndMarks) {
  EXPECT_EQ(SnippetForTerminal("a <b>refund</b> &amp; more", false), "a *refund* & more");
  EXPECT_EQ(SnippetForTerminal("<b>x</b>", true), "\x1b[1mx\x1b[0m");
  EXPECT_EQ(SnippetForTerminal("line\none", false), "line one");
}

TEST(Output, OneLineFoldsAndCutsOnCharacters) {
  EXPECT_EQ(OneLine("a\n\nb  c", 100), "a b c");
  EXPECT_EQ(OneLine("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(OneLine("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9\xE2\x80\xA6");  // never splits a character
}

TEST(Output, RecordJsonHasTheContractFields) {
  Record r;
  r.id = "7";
  r.source = "s";
  r.time = 0;
  r.role = Role::kAgent;
  r.text = "hi";
  r.score = 3;
  nlohmann::json j = RecordJson(r);
  EXPECT_EQ(j["time"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(j["role"], "agent");
  EXPECT_EQ(j["score"], 3);
  EXPECT_FALSE(j.contains("accepted"));
  EXPECT_EQ(ParseOutputFormat("xml").status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace hark
