#include "indexer/text_util.h"

#include <gtest/gtest.h>

namespace hark {
namespace {

TEST(DecodeHtmlEntities, NamedNumericAndUnknown) {
  EXPECT_EQ(DecodeHtmlEntities("a &amp; b &gt; c &lt;d&gt;"), "a & b > c <d>");
  EXPECT_EQ(DecodeHtmlEntities("it&#39;s &#x2019; &hellip;"), "it's \xE2\x80\x99 \xE2\x80\xA6");
  EXPECT_EQ(DecodeHtmlEntities("AT&T &bogus; & done"), "AT&T &bogus; & done");
  EXPECT_EQ(DecodeHtmlEntities("&#0; &#xD800;"), "\xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(HtmlToText, BlocksTagsScriptsAndEntities) {
  EXPECT_EQ(HtmlToText("<p>Hello <b>world</b></p><p>2 &lt; 3</p>"), "Hello world\n\n2 < 3");
  EXPECT_EQ(HtmlToText("<script>var x = '<p>';</script>text<!-- c -->!"), "text!");
  EXPECT_EQ(HtmlToText("a < b and c > d"), "a < b and c > d");
  EXPECT_EQ(HtmlToText("<ul><li>one</li><li>two</li></ul>"), "one\ntwo");
  EXPECT_EQ(HtmlToText("x&nbsp;y"), "x y");
}

TEST(SanitizeUtf8, ReplacesInvalidSequencesAndControls) {
  std::string valid = "caf\xC3\xA9 \xF0\x9F\x98\x80";
  EXPECT_EQ(SanitizeUtf8(&valid), 0u);
  EXPECT_EQ(valid, "caf\xC3\xA9 \xF0\x9F\x98\x80");

  std::string latin1 = "caf\xE9!";  // Latin-1 e-acute: invalid in UTF-8
  EXPECT_EQ(SanitizeUtf8(&latin1), 1u);
  EXPECT_EQ(latin1, "caf\xEF\xBF\xBD!");

  std::string overlong = "a\xC0\xAF" "b";
  EXPECT_EQ(SanitizeUtf8(&overlong), 1u);
  EXPECT_EQ(overlong, "a\xEF\xBF\xBD" "b");

  std::string truncated = "ab\xE2\x82";
  EXPECT_EQ(SanitizeUtf8(&truncated), 1u);
  EXPECT_EQ(truncated, "ab\xEF\xBF\xBD");

  std::string controls = std::string("a\0b\x01\tc\n", 7);
  EXPECT_EQ(SanitizeUtf8(&controls), 0u);
  EXPECT_EQ(controls, "ab\tc\n");
}

}  // namespace
}  // namespace hark
