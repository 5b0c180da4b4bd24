#include "query/output.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
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

// Writes `j` through JsonWriter's calls, subtrees at depth `whole_at` and deeper
// through JsonWriter::Json.
void WriteThrough(JsonWriter& w, const nlohmann::json& j, int depth, int whole_at) {
  if (depth >= whole_at) return w.Json(j);
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      w.BeginObject();
      for (const auto& [k, v] : j.items()) {
        w.Key(k);
        WriteThrough(w, v, depth + 1, whole_at);
      }
      return w.EndObject();
    case nlohmann::json::value_t::array:
      w.BeginArray();
      for (const auto& v : j) WriteThrough(w, v, depth + 1, whole_at);
      return w.EndArray();
    case nlohmann::json::value_t::string: return w.String(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::number_integer: return w.Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: return w.Uint(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float: return w.Double(j.get<double>());
    case nlohmann::json::value_t::boolean: return w.Bool(j.get<bool>());
    default: return w.Null();
  }
}

TEST(Output, JsonWriterPrintsWhatDumpPrints) {
  // Strings that take each path: plain ASCII, quotes and backslashes, control bytes,
  // UTF-8, invalid UTF-8 (replaced), empty; numbers nlohmann formats its own way.
  const std::vector<std::string> strings = {"plain words", "say \"hi\" \\ back", "tab\tnew\nline\x01\x1f\x7f",
                                            "caf\xC3\xA9 \xF0\x9F\x98\x80", "bad \xC3 \xFF\xFE end", "", "/slash"};
  const std::vector<double> doubles = {0.0, -0.0, 1.0, 0.1, -0.4767, 1e-05, 123456789012345678.0, 1e300, 2.5e-300};
  std::mt19937 rng(11);
  std::function<nlohmann::json(int)> make = [&](int depth) -> nlohmann::json {
    const int kind = static_cast<int>(rng() % (depth < 4 ? 9 : 7));
    switch (kind) {
      case 0: return strings[rng() % strings.size()];
      case 1: return static_cast<int64_t>(rng()) - (1LL << 31);
      case 2: return static_cast<uint64_t>(rng()) << 32;
      case 3: return doubles[rng() % doubles.size()];
      case 4: return rng() % 2 == 0;
      case 5: return nullptr;
      case 6: return nlohmann::json::array();  // empty containers print as [] and {}
      case 7: {
        nlohmann::json o = nlohmann::json::object();
        for (int i = static_cast<int>(rng() % 5); i > 0; --i) o[strings[rng() % strings.size()] + std::to_string(i)] = make(depth + 1);
        return o;
      }
      default: {
        nlohmann::json a = nlohmann::json::array();
        for (int i = static_cast<int>(rng() % 5); i > 0; --i) a.push_back(make(depth + 1));
        return a;
      }
    }
  };
  for (int doc = 0; doc < 301; ++doc) {
    nlohmann::json j = nlohmann::json::object();
    for (int i = 0; i < 4; ++i) j["k" + std::to_string(i)] = make(0);
    if (doc == 300) {  // well past the writer's 64 KiB chunks
      for (int i = 0; i < 4000; ++i) j["big"].push_back({{"n", i}, {"s", strings[i % strings.size()]}});
    }
    for (bool pretty : {true, false}) {
      std::ostringstream expected;
      WriteJson(expected, j, pretty);
      for (int whole_at : {1, 2, 100}) {
        std::ostringstream got;
        JsonWriter w(got, pretty);
        WriteThrough(w, j, 0, whole_at);
        w.Finish();
        ASSERT_EQ(got.str(), expected.str()) << "document " << doc << (pretty ? " pretty" : " compact") << ", whole from depth " << whole_at;
      }
    }
  }
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
