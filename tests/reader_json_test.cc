// Tests for the JSON family: canonical JSONL (jsonl_reader.cc) and Pushshift Reddit
// (reddit_reader.cc), on inline inputs and on the shared reddit-pushshift corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "indexer/readers.h"
#include "storage/time_parse.h"
#include "tests/test_support.h"

namespace hark {
namespace {

using ::hark::testing::TempDir;

// Everything a reader produced for one file.
struct FileRun {
  std::vector<Record> records;
  std::vector<uint64_t> lines;
  std::vector<Reject> rejects;
  std::map<std::string, uint64_t> skipped;
  size_t blocks = 0;
};

void Merge(ParsedBlock&& pb, FileRun* run) {
  EXPECT_EQ(pb.records.size(), pb.lines.size()) << "records and lines must stay parallel";
  for (auto& r : pb.records) run->records.push_back(std::move(r));
  run->lines.insert(run->lines.end(), pb.lines.begin(), pb.lines.end());
  for (auto& r : pb.rejects) run->rejects.push_back(std::move(r));
  for (auto& [k, v] : pb.skipped) run->skipped[k] += v;
}

// Runs NextBlock + Parse over the whole file; returns the first NextBlock error.
Status ReadAll(FileReader& reader, FileRun* run) {
  for (;;) {
    Block block;
    Result<bool> more = reader.NextBlock(&block);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    EXPECT_EQ(block.reader, &reader);
    ++run->blocks;
    ParsedBlock pb;
    reader.Parse(block, &pb);
    Merge(std::move(pb), run);
  }
}

using Factory = Result<std::unique_ptr<FileReader>> (*)(std::unique_ptr<InputStream>, const ReaderOptions&);

Result<std::unique_ptr<FileReader>> Open(Factory factory, const std::string& path,
                                         const ReaderOptions& options) {
  Result<std::unique_ptr<InputStream>> in = InputStream::Open(path);
  if (!in.ok()) return in.status();
  return factory(std::move(*in), options);
}

// Opens and reads a whole file, failing the test on any error.
FileRun ReadFile(Factory factory, const std::string& path, ReaderOptions options = {}) {
  FileRun run;
  Result<std::unique_ptr<FileReader>> reader = Open(factory, path, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return run;
  Status s = ReadAll(**reader, &run);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return run;
}

FileRun ReadJsonl(const std::string& path, ReaderOptions options = {}) {
  return ReadFile(NewJsonlReader, path, options);
}
FileRun ReadReddit(const std::string& path, ReaderOptions options = {}) {
  return ReadFile(NewRedditReader, path, options);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool HaveZstdCli() { return std::system("zstd --version >/dev/null 2>&1") == 0; }

// Output of a shell command (an independent computation, e.g. zstd | wc -l).
std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

const Record* FindId(const FileRun& run, const std::string& id) {
  for (const Record& r : run.records) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Reject* RejectAtLine(const FileRun& run, uint64_t line) {
  for (const Reject& r : run.rejects) {
    if (r.line == line) return &r;
  }
  return nullptr;
}

constexpr int64_t kRef = 1509487847;  // 2017-10-31T22:10:47Z
constexpr const char* kRefText = "2017-10-31T22:10:47Z";

// =====================================================================================
// Canonical JSONL

TEST(JsonlReader, AllFieldTypes) {
  TempDir dir;
  std::string path = dir / "day1.jsonl";
  WriteFile(path,
            R"({"id":"m1","source":"crm","channel":"chat","time":"2017-10-31T22:10:47Z","author":"ann",)"
            R"("role":"Agent","brand":"acme","parent":"m0","thread":"t9","title":"Refund?","text":"Hello",)"
            R"("score":-3,"accepted":true,"tags":["billing","refund"],"extra":{"ignored":[1,2]}})"
            "\n"
            R"({"id":42,"time":1509487847,"text":"minimal","author":7,"parent":41,"score":5.0,"tags":[]})"
            "\n");
  FileRun run = ReadJsonl(path);
  ASSERT_EQ(run.records.size(), 2u);
  EXPECT_TRUE(run.rejects.empty());
  EXPECT_EQ(run.lines, (std::vector<uint64_t>{1, 2}));

  const Record& a = run.records[0];
  EXPECT_EQ(a.id, "m1");
  EXPECT_EQ(a.source, "crm");
  EXPECT_EQ(a.channel, "chat");
  EXPECT_EQ(a.time, kRef);
  EXPECT_EQ(a.author, "ann");
  EXPECT_EQ(a.role, Role::kAgent);  // case-insensitive
  EXPECT_EQ(a.brand, "acme");
  EXPECT_EQ(a.parent, "m0");
  EXPECT_EQ(a.thread, "t9");
  EXPECT_EQ(a.title, "Refund?");
  EXPECT_EQ(a.text, "Hello");
  EXPECT_EQ(a.score, -3);
  EXPECT_EQ(a.accepted, true);
  EXPECT_EQ(a.tags, (std::vector<std::string>{"billing", "refund"}));

  const Record& b = run.records[1];
  EXPECT_EQ(b.id, "42");        // numeric id printed as an integer
  EXPECT_EQ(b.source, "day1");  // default: the file stem
  EXPECT_EQ(b.channel, "");
  EXPECT_EQ(b.author, "7");
  EXPECT_EQ(b.parent, "41");
  EXPECT_EQ(b.role, Role::kUnknown);
  EXPECT_EQ(b.score, 5);
  EXPECT_FALSE(b.accepted.has_value());
  EXPECT_TRUE(b.tags.empty());
}

TEST(JsonlReader, NumericIdsAndTimes) {
  TempDir dir;
  std::string path = dir / "x.jsonl";
  WriteFile(path,
            "{\"id\":1.0e3,\"time\":\"2017-10-31T23:10:47+01:00\",\"text\":\"a\"}\n"  // 1
            "{\"id\":18446744073709551615,\"time\":1509487847000,\"text\":\"b\"}\n"   // 2: uint64, ms
            "{\"id\":-5,\"time\":1509487847.75,\"text\":\"c\"}\n"                     // 3: fractional epoch
            "{\"id\":\"d\",\"time\":\"Tue Oct 31 22:10:47 +0000 2017\",\"text\":\"d\"}\n"  // 4: Twitter form
            "{\"id\":1.5,\"time\":1509487847,\"text\":\"e\"}\n"                            // 5: reject
            "{\"id\":\"f\",\"time\":\"yesterday\",\"text\":\"f\"}\n"                       // 6: reject
            "{\"id\":\"g\",\"time\":true,\"text\":\"g\"}\n"                                // 7: reject
            "{\"id\":\"h\",\"time\":null,\"text\":\"h\"}\n");                              // 8: reject
  FileRun run = ReadJsonl(path);
  ASSERT_EQ(run.records.size(), 4u);
  EXPECT_EQ(run.records[0].id, "1000");
  EXPECT_EQ(run.records[1].id, "18446744073709551615");
  EXPECT_EQ(run.records[2].id, "-5");
  EXPECT_EQ(run.records[3].id, "d");
  for (const Record& r : run.records) EXPECT_EQ(r.time, kRef) << r.id;
  ASSERT_EQ(run.rejects.size(), 4u);
  EXPECT_EQ(run.rejects[0].line, 5u);
  EXPECT_EQ(run.rejects[0].reason, "id: number 1.5 is not an integer");
  EXPECT_EQ(run.rejects[1].line, 6u);
  EXPECT_EQ(
      run.rejects[1].reason,
      "time: cannot parse time 'yesterday' (expected RFC 3339, epoch seconds, Twitter or RFC 2822 format)");
  EXPECT_EQ(run.rejects[2].line, 7u);
  EXPECT_EQ(run.rejects[2].reason, "time: expected an RFC 3339 string or epoch seconds, found bool");
  EXPECT_EQ(run.rejects[3].line, 8u);
  EXPECT_EQ(run.rejects[3].reason, "time is missing");  // null is "not given"
}

// One bad line of each kind, with exact line numbers, offsets, reasons and raw text.
TEST(JsonlReader, BadLinesExactLineNumbersAndReasons) {
  const std::string good = std::string("{\"id\":\"ok\",\"time\":\"") + kRefText + "\",\"text\":\"fine\"}";
  const std::string t = std::string("\"time\":\"") + kRefText + "\"";
  const std::string trailing_comma = "{\"id\":\"6\"," + t + ",\"text\":\"x\",}";
  const std::string unterminated = "{\"id\":\"7\"," + t + ",\"text\":\"unterminated";
  const std::vector<std::string> lines = {
      good,                                                             // 1
      "",                                                               // 2 blank
      "{\"id\":\"3\"," + t + "}",                                       // 3
      "{\"id\":\"\"," + t + ",\"text\":\"x\"}",                         // 4
      "[1,2]",                                                          // 5
      trailing_comma,                                                   // 6
      unterminated,                                                     // 7
      "{\"id\":\"8\"," + t + ",\"text\":\"x\",\"role\":\"bot\"}",       // 8
      "{\"id\":\"9\"," + t + ",\"text\":\"x\",\"score\":\"5\"}",        // 9
      "{\"id\":\"10\"," + t + ",\"text\":\"x\",\"accepted\":\"yes\"}",  // 10
      "{\"id\":\"11\"," + t + ",\"text\":\"x\",\"tags\":[\"a\",1]}",    // 11
      "{\"id\":\"12\"," + t + ",\"text\":5}",                           // 12
      "   \t",                                                          // 13 blank
      "{" + t + ",\"text\":\"x\"}",                                     // 14
      "{\"id\":\"15\",\"text\":\"x\"}",                                 // 15
      "{\"id\":\"16\"," + t + ",\"text\":\"x\",\"author\":[1]}",        // 16
      "\"just a string\"",                                              // 17
      "{\"id\":\"18\"," + t + ",\"text\":\"\",\"title\":\"\"}",         // 18
      "{\"id\":\"19\"," + t + ",\"text\":\"\",\"title\":\"Q?\"}",       // 19 ok: title only
      "{\"id\":\"20\"," + t + ",\"text\":\"crlf\"}\r",                  // 20 ok: CRLF
      "{\"id\":\"21\"," + t + ",\"text\":\"x\",\"score\":2.5}",         // 21
      "{\"id\":\"22\"," + t + ",\"text\":\"x\",\"tags\":\"a\"}",        // 22
      "{\"id\":\"23\"," + t + ",\"text\":\"x\"} {}",                    // 23
      "{\"id\":\"24\"," + t + ",\"text\":\"no newline at end\"}",       // 24 ok
  };
  std::string content;
  std::vector<uint64_t> offsets;  // byte offset of each line, computed here
  for (size_t i = 0; i < lines.size(); ++i) {
    offsets.push_back(content.size());
    content += lines[i];
    if (i + 1 < lines.size()) content += "\n";
  }
  TempDir dir;
  std::string path = dir / "bad.jsonl";
  WriteFile(path, content);

  for (size_t block_bytes : {size_t{1}, size_t{100}, size_t{1} << 20}) {
    SCOPED_TRACE("block_bytes=" + std::to_string(block_bytes));
    ReaderOptions options;
    options.block_bytes = block_bytes;
    FileRun run = ReadJsonl(path, options);
    std::vector<std::string> ids;
    for (const Record& r : run.records) ids.push_back(r.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"ok", "19", "20", "24"}));
    EXPECT_EQ(run.lines, (std::vector<uint64_t>{1, 19, 20, 24}));
    EXPECT_EQ(run.skipped, (std::map<std::string, uint64_t>{{"blank line", 2}}));
    EXPECT_EQ(run.records[2].text, "crlf");
    EXPECT_EQ(run.records[1].title, "Q?");
    EXPECT_EQ(run.records[1].text, "");

    const std::map<uint64_t, std::string> expected = {
        {3, "text is missing"},
        {4, "id is empty"},
        {5, "not a JSON object (found array)"},
        // Column of the '}' after the superfluous comma / of the unclosed string's quote.
        {6,
         "invalid JSON at column " + std::to_string(trailing_comma.size()) +
             ": The JSON document has an improper structure: missing or superfluous commas, braces, missing "
             "keys, etc."},
        {7, "invalid JSON at column " + std::to_string(unterminated.rfind('"') + 1) +
                ": A string is opened, but never closed."},
        {8, "role: 'bot' is not customer, agent or community"},
        {9, "score: expected an integer, found string"},
        {10, "accepted: expected a bool, found string"},
        {11, "tags: element 1 is integer, expected a string"},
        {12, "text: expected a string, found integer"},
        {14, "id is missing"},
        {15, "time is missing"},
        {16, "author: expected a string or an integer, found array"},
        {17, "not a JSON object (found string)"},
        {18, "text is empty and there is no title"},
        {21, "score: expected an integer, found 2.5"},
        {22, "tags: expected an array of strings, found string"},
        {23,
         "invalid JSON at column " + std::to_string(lines[22].rfind('{') + 1) +
             ": The JSON document has an improper structure: missing or superfluous commas, braces, missing "
             "keys, etc."},
    };
    ASSERT_EQ(run.rejects.size(), expected.size());
    for (const auto& [line, reason] : expected) {
      const Reject* r = RejectAtLine(run, line);
      ASSERT_NE(r, nullptr) << "no reject at line " << line;
      EXPECT_EQ(r->reason, reason) << "line " << line;
      EXPECT_EQ(r->file, path);
      EXPECT_EQ(r->offset, offsets[line - 1]) << "line " << line;
      EXPECT_EQ(r->raw, lines[line - 1]) << "line " << line;
    }
  }
}

TEST(JsonlReader, TinyBlocksGiveTheSameRecords) {
  TempDir dir;
  std::string path = dir / "many.jsonl";
  std::string content;
  for (int i = 0; i < 700; ++i) {
    content += "{\"id\":\"r" + std::to_string(i) + "\",\"time\":" + std::to_string(kRef + i) +
               ",\"text\":\"message number " + std::to_string(i) + " " + std::string(i % 50, 'x') + "\"}\n";
    if (i % 97 == 0) content += "\n";
    if (i % 101 == 0) content += "{broken\n";
  }
  WriteFile(path, content);
  FileRun big = ReadJsonl(path);
  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun tiny = ReadJsonl(path, small);
  EXPECT_EQ(big.records.size(), 700u);
  EXPECT_EQ(big.records, tiny.records);
  EXPECT_EQ(big.lines, tiny.lines);
  EXPECT_EQ(big.rejects.size(), 7u);  // i = 0, 101, ..., 606
  ASSERT_EQ(big.rejects.size(), tiny.rejects.size());
  for (size_t i = 0; i < big.rejects.size(); ++i) {
    EXPECT_EQ(big.rejects[i].line, tiny.rejects[i].line);
    EXPECT_EQ(big.rejects[i].offset, tiny.rejects[i].offset);
    EXPECT_EQ(big.rejects[i].reason, tiny.rejects[i].reason);
  }
  EXPECT_EQ(big.skipped["blank line"], 8u);  // i = 0, 97, ..., 679
  EXPECT_GT(tiny.blocks, 40u);
  // Line numbers, found independently: the line of "r<i>" in the file.
  std::istringstream in(content);
  std::string line;
  uint64_t n = 0;
  std::map<std::string, uint64_t> line_of;
  while (std::getline(in, line)) {
    ++n;
    size_t p = line.find("\"id\":\"");
    if (p != std::string::npos) line_of[line.substr(p + 6, line.find('"', p + 6) - p - 6)] = n;
  }
  for (size_t i = 0; i < big.records.size(); ++i) EXPECT_EQ(big.lines[i], line_of[big.records[i].id]);
}

TEST(JsonlReader, ZstdCompressedFile) {
  if (!HaveZstdCli()) GTEST_SKIP() << "zstd CLI not installed";
  TempDir dir;
  std::string plain = dir / "day1.jsonl";
  std::string content;
  for (int i = 0; i < 3000; ++i) {
    content += "{\"id\":\"z" + std::to_string(i) + "\",\"time\":" + std::to_string(kRef + i * 60) +
               ",\"text\":\"compressed " + std::to_string(i * 7919 % 10007) + "\"}\n";
  }
  WriteFile(plain, content);
  ASSERT_EQ(std::system(("zstd -q -f " + plain + " -o " + plain + ".zst").c_str()), 0);
  FileRun a = ReadJsonl(plain);
  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun b = ReadJsonl(plain + ".zst", small);
  ASSERT_EQ(a.records.size(), 3000u);
  EXPECT_EQ(a.records, b.records);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(b.records.back().id, "z2999");
  EXPECT_EQ(b.records.back().time, kRef + 2999 * 60);
  EXPECT_EQ(b.records.front().source, "day1");  // stem of day1.jsonl.zst

  // Overrides.
  ReaderOptions named;
  named.source = "nightly";
  named.channel = "email";
  FileRun c = ReadJsonl(plain + ".zst", named);
  EXPECT_EQ(c.records.front().source, "nightly");
  EXPECT_EQ(c.records.front().channel, "email");
}

TEST(JsonlReader, TruncatedZstdErrorNamesTheFile) {
  if (!HaveZstdCli()) GTEST_SKIP() << "zstd CLI not installed";
  TempDir dir;
  // Small: the truncation is found while sniffing the first line, by the factory.
  {
    std::string plain = dir / "small.jsonl";
    WriteFile(plain, std::string("{\"id\":\"1\",\"time\":1509487847,\"text\":\"hello there\"}\n"));
    ASSERT_EQ(std::system(("zstd -q -f " + plain + " -o " + plain + ".zst").c_str()), 0);
    std::string z = ReadBytes(plain + ".zst");
    std::string cut = dir / "small-cut.jsonl.zst";
    WriteFile(cut, z.substr(0, z.size() - 6));
    Result<std::unique_ptr<FileReader>> reader = Open(NewJsonlReader, cut, {});
    ASSERT_FALSE(reader.ok());
    EXPECT_NE(reader.status().message().find(cut), std::string::npos) << reader.status().ToString();
  }
  // Large (pseudo-random text, so the compressed file is big): found by NextBlock
  // after the first records were read.
  {
    std::string plain = dir / "large.jsonl";
    std::string content;
    uint64_t x = 12345;
    for (int i = 0; i < 100000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      content += "{\"id\":\"" + std::to_string(i) + "\",\"time\":1509487847,\"text\":\"" + std::to_string(x) +
                 "\"}\n";
    }
    WriteFile(plain, content);
    ASSERT_EQ(std::system(("zstd -q -f " + plain + " -o " + plain + ".zst").c_str()), 0);
    std::string z = ReadBytes(plain + ".zst");
    ASSERT_GT(z.size(), 200000u);
    std::string cut = dir / "large-cut.jsonl.zst";
    WriteFile(cut, z.substr(0, z.size() / 2));
    ReaderOptions options;
    options.block_bytes = 1000;
    Result<std::unique_ptr<FileReader>> reader = Open(NewJsonlReader, cut, options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    FileRun run;
    Status s = ReadAll(**reader, &run);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find(cut), std::string::npos) << s.ToString();
    EXPECT_GT(run.records.size(), 1000u);
    EXPECT_TRUE(run.rejects.empty());  // only whole lines were parsed
  }
}

TEST(JsonlReader, FieldMapWithDottedPaths) {
  TempDir dir;
  std::string path = dir / "tweets.json";
  WriteFile(
      path,
      R"({"id_str":"923","created_at":"Tue Oct 31 22:10:47 +0000 2017","text":"hi @acme",)"
      R"("source":"<a href=\"x\">Twitter for iPhone</a>","user":{"screen_name":"bob","id":7},)"
      R"("entities":{"hashtags":[{"text":"help"},{"text":"fail"}]},"retweet_count":3,)"
      R"("in_reply_to_status_id_str":null,"user.name":"literal dotted key"})"
      "\n"
      R"({"id_str":"924","text":"no time"})"
      "\n"
      R"({"id_str":"925","created_at":"Tue Oct 31 22:10:47 +0000 2017","text":"x","user":{"screen_name":[]}})"
      "\n");
  Result<FieldMap> map = ParseFieldMap(
      "id=id_str,time=created_at,author=user.screen_name,score=retweet_count,brand=entities.hashtags.1.text,"
      "title=user.name,parent=in_reply_to_status_id_str");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ReaderOptions options;
  options.map = *map;
  FileRun run = ReadJsonl(path, options);
  ASSERT_EQ(run.records.size(), 1u);
  const Record& r = run.records[0];
  EXPECT_EQ(r.id, "923");
  EXPECT_EQ(r.time, kRef);
  EXPECT_EQ(r.text, "hi @acme");  // unmapped required field: canonical key
  EXPECT_EQ(r.author, "bob");
  EXPECT_EQ(r.score, 3);
  EXPECT_EQ(r.brand, "fail");
  EXPECT_EQ(r.title, "literal dotted key");  // a literal key wins over the path
  EXPECT_EQ(r.parent, "");                   // null
  EXPECT_EQ(r.source, "tweets");             // the foreign "source" key is not read
  ASSERT_EQ(run.rejects.size(), 2u);
  EXPECT_EQ(run.rejects[0].line, 2u);
  EXPECT_EQ(run.rejects[0].reason, "time (created_at) is missing");
  EXPECT_EQ(run.rejects[1].line, 3u);
  EXPECT_EQ(run.rejects[1].reason, "author (user.screen_name): expected a string or an integer, found array");
}

TEST(JsonlReader, InvalidUtf8AndOtherRepairs) {
  TempDir dir;
  std::string path = dir / "utf8.jsonl";
  const std::string bad_outside = "{\"id\":\"5\",\xFF\"time\":1509487847,\"text\":\"x\"}";
  WriteFile(path,
            "\xEF\xBB\xBF{\"id\":\"1\",\"time\":1509487847,\"text\":\"bom first\"}\n"  // 1: BOM
            "{\"id\":\"2\",\"time\":1509487847,\"text\":\"caf\xE9 \xC3\xA9t\xE9\"}\n"  // 2: Latin-1 bytes
            "{\"id\":\"3\",\"time\":1509487847,\"text\":\"cut \\ud83d emoji \\ud83d\\ude00\"}\n"  // 3: lone
                                                                                                  // surrogate
            "{\"id\":\"4\",\"time\":1509487847,\"text\":\"tab\there\",\"title\":\"nul\\u0000\"}\n" +  // 4
                bad_outside +
                "\n");  // 5
  FileRun run = ReadJsonl(path);
  ASSERT_EQ(run.records.size(), 4u);
  EXPECT_EQ(run.records[0].text, "bom first");
  EXPECT_EQ(run.records[1].text, "caf\xEF\xBF\xBD \xC3\xA9t\xEF\xBF\xBD");  // invalid bytes -> U+FFFD
  EXPECT_EQ(run.records[2].text, "cut \xEF\xBF\xBD emoji \xF0\x9F\x98\x80");
  EXPECT_EQ(run.records[3].text, "tab\there");
  EXPECT_EQ(run.records[3].title, "nul");  // NUL dropped by SanitizeUtf8
  ASSERT_EQ(run.rejects.size(), 1u);
  EXPECT_EQ(run.rejects[0].line, 5u);
  // Still invalid after the repair: the column is that of the bad byte.
  EXPECT_EQ(run.rejects[0].reason.substr(0, 26),
            "invalid JSON at column " + std::to_string(bad_outside.find('\xFF') + 1) + ":");
  EXPECT_EQ(run.rejects[0].raw, bad_outside);
}

TEST(JsonlReader, HugeLineAndGarbageNeverCrash) {
  TempDir dir;
  std::string path = dir / "huge.jsonl";
  std::string big(3 << 20, 'a');
  WriteFile(path, "{\"id\":\"h\",\"time\":1509487847,\"text\":\"" + big + "\"}\n");
  FileRun run = ReadJsonl(path);
  ASSERT_EQ(run.records.size(), 1u);
  EXPECT_EQ(run.records[0].text.size(), big.size());

  // Binary garbage that starts like an object: every non-blank line is a reject.
  std::string garbage = "{";
  uint32_t x = 7;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 24));
  }
  std::string gpath = dir / "garbage.jsonl";
  WriteFile(gpath, garbage);
  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun g = ReadJsonl(gpath, small);
  EXPECT_TRUE(g.records.empty());
  size_t lines = std::count(garbage.begin(), garbage.end(), '\n') + 1;
  EXPECT_EQ(g.rejects.size() + g.skipped["blank line"], lines);

  // Empty file: no records, no error.
  std::string empty = dir / "empty.jsonl";
  WriteFile(empty, "");
  FileRun e = ReadJsonl(empty);
  EXPECT_TRUE(e.records.empty());
  EXPECT_TRUE(e.rejects.empty());
}

// Every line of near-valid input (one byte of a good line changed) becomes exactly one
// record or one reject.
TEST(JsonlReader, MutatedLinesAreRecordsOrRejects) {
  const std::string good =
      std::string(R"({"id":"m","time":")") + kRefText +
      R"(","text":"caf\u00e9 \"q\"","score":-2,"tags":["a","b"],"x":{"y":[1.5e3,null,true]}})";
  const std::string alphabet = "{}[]\":,\\ 0123456789.eE+-tfnu\x01\x7f\xC3\xFF";
  std::string content;
  uint32_t x = 99;
  for (int i = 0; i < 3000; ++i) {
    std::string line = good;
    x = x * 1103515245u + 12345u;
    size_t at = (x >> 8) % line.size();
    x = x * 1103515245u + 12345u;
    line[at] = alphabet[(x >> 8) % alphabet.size()];
    content += line + "\n";
  }
  TempDir dir;
  std::string path = dir / "mutated.jsonl";
  WriteFile(path, content);
  FileRun run = ReadJsonl(path);
  EXPECT_EQ(run.records.size() + run.rejects.size(), 3000u);
  EXPECT_GT(run.rejects.size(), 100u);
  for (const Reject& r : run.rejects) EXPECT_FALSE(r.reason.empty());
}

TEST(JsonlReader, NotJsonlIsAFormatErrorNamingTheFile) {
  TempDir dir;
  std::string csv = dir / "tweets.csv";
  WriteFile(csv, "tweet_id,author_id,inbound\n1,2,True\n");
  Result<std::unique_ptr<FileReader>> r = Open(NewJsonlReader, csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFormat);
  EXPECT_EQ(r.status().message(), csv +
                                      ": not JSON lines (one JSON object per line expected; the first line "
                                      "starts 'tweet_id,author_id,inbound')");

  std::string reddit = dir / "RC_x.jsonl";
  WriteFile(reddit,
            R"({"body":"hi","created_utc":1,"id":"c1","subreddit":"a","link_id":"t3_1","parent_id":"t3_1"})"
            "\n");
  r = Open(NewJsonlReader, reddit, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFormat);
  EXPECT_NE(r.status().message().find(reddit + ": not hark JSONL"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("--format reddit"), std::string::npos);
}

// Parse() is const and thread-safe: blocks parsed on several threads at once give
// what one thread gives.
TEST(JsonlReader, ParseIsThreadSafe) {
  TempDir dir;
  std::string path = dir / "mt.jsonl";
  std::string content;
  for (int i = 0; i < 4000; ++i) {
    content += "{\"id\":\"" + std::to_string(i) + "\",\"time\":" + std::to_string(kRef + i) +
               ",\"text\":\"t" + std::to_string(i) + "\",\"tags\":[\"a\",\"b\"]}\n";
    if (i % 500 == 0) content += "{\"id\":\"bad\xFF\",\"time\":1,\"text\":[}\n";
  }
  WriteFile(path, content);
  ReaderOptions options;
  options.block_bytes = 2000;
  Result<std::unique_ptr<FileReader>> reader = Open(NewJsonlReader, path, options);
  ASSERT_TRUE(reader.ok());
  std::vector<Block> blocks;
  for (;;) {
    Block b;
    Result<bool> more = (*reader)->NextBlock(&b);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    blocks.push_back(std::move(b));
  }
  std::vector<ParsedBlock> serial(blocks.size()), parallel(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) (*reader)->Parse(blocks[i], &serial[i]);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < blocks.size(); i += 4) (*reader)->Parse(blocks[i], &parallel[i]);
    });
  }
  for (auto& th : threads) th.join();
  size_t records = 0, rejects = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(serial[i].records, parallel[i].records);
    EXPECT_EQ(serial[i].rejects.size(), parallel[i].rejects.size());
    records += parallel[i].records.size();
    rejects += parallel[i].rejects.size();
  }
  EXPECT_EQ(records, 4000u);
  EXPECT_EQ(rejects, 8u);
}

// =====================================================================================
// Pushshift Reddit: inline quirks

TEST(RedditReader, CommentAndSubmissionMapping) {
  TempDir dir;
  std::string path = dir / "mixed.ndjson";
  WriteFile(
      path,
      // 1: comment, string created_utc (old dumps), entities, CRLF, deleted author
      R"({"author":"[deleted]","body":"a &gt; b &amp; c\r\nnext","created_utc":"1134365188","id":"c13",)"
      R"("link_id":"t3_17863","parent_id":"t1_c12","score":"5","subreddit":"reddit.com"})"
      "\n"
      // 2: submission with name, empty selftext (title-only), zero-width spacer
      R"({"author":"op","created_utc":1569888094.0,"id":"dbkq9e","name":"t3_dbkq9e","selftext":"",)"
      R"("title":"Tom &amp; Jerry?","score":1,"subreddit":"AskMen","num_comments":3})"
      "\n"
      // 3: removed submission
      R"({"author":"x","created_utc":1569888094,"id":"s2","selftext":"[removed]","title":"Gone","subreddit":"AskMen"})"
      "\n"
      // 4: deleted comment without link_id: thread from a t3_ parent
      R"({"author":"y","body":"[deleted]","created_utc":1134365188,"id":"c14","parent_id":"t3_9","score":null})"
      "\n"
      // 5: new-Reddit spacer, escaped twice
      R"({"author":"z","selftext":"one\n\n&amp;#x200B;\n\ntwo","created_utc":1569888094,"id":"s3","title":"T"})"
      "\n"
      // 6: neither kind
      R"({"author":"z","created_utc":1569888094,"id":"q"})"
      "\n"
      // 7: comment without body
      R"({"created_utc":1569888094,"id":"c15","link_id":"t3_1","parent_id":"t3_1"})"
      "\n"
      // 8: bad created_utc
      R"({"body":"x","created_utc":"soon","id":"c16","link_id":"t3_1","parent_id":"t3_1"})"
      "\n"
      // 9: missing id
      R"({"body":"x","created_utc":1,"link_id":"t3_1","parent_id":"t3_1"})"
      "\n");
  FileRun run = ReadReddit(path);
  ASSERT_EQ(run.records.size(), 5u);
  EXPECT_EQ(run.lines, (std::vector<uint64_t>{1, 2, 3, 4, 5}));

  const Record& c = run.records[0];
  EXPECT_EQ(c.id, "t1_c13");
  EXPECT_EQ(c.parent, "t1_c12");
  EXPECT_EQ(c.thread, "t3_17863");
  EXPECT_EQ(c.time, 1134365188);
  EXPECT_EQ(c.author, "");
  EXPECT_EQ(c.text, "a > b & c\nnext");
  EXPECT_EQ(c.score, 5);
  EXPECT_EQ(c.role, Role::kCommunity);
  EXPECT_EQ(c.source, "reddit");
  EXPECT_EQ(c.channel, "reddit");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"reddit.com"}));

  const Record& s = run.records[1];
  EXPECT_EQ(s.id, "t3_dbkq9e");
  EXPECT_EQ(s.thread, "t3_dbkq9e");
  EXPECT_EQ(s.parent, "");
  EXPECT_EQ(s.title, "Tom & Jerry?");
  EXPECT_EQ(s.text, "");
  EXPECT_EQ(s.time, 1569888094);
  EXPECT_EQ(s.role, Role::kCustomer);
  EXPECT_EQ(s.author, "op");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"AskMen"}));

  EXPECT_EQ(run.records[2].id, "t3_s2");
  EXPECT_EQ(run.records[2].text, "");
  EXPECT_EQ(run.records[2].tags, (std::vector<std::string>{"AskMen", "[removed]"}));

  EXPECT_EQ(run.records[3].id, "t1_c14");
  EXPECT_EQ(run.records[3].thread, "t3_9");
  EXPECT_EQ(run.records[3].text, "");
  EXPECT_FALSE(run.records[3].score.has_value());
  EXPECT_EQ(run.records[3].tags, (std::vector<std::string>{"[deleted]"}));

  EXPECT_EQ(run.records[4].text, "one\n\n\n\ntwo");

  ASSERT_EQ(run.rejects.size(), 4u);
  EXPECT_EQ(run.rejects[0].line, 6u);
  EXPECT_EQ(run.rejects[0].reason,
            "neither a comment (no body, parent_id, link_id) nor a submission (no title, selftext)");
  EXPECT_EQ(run.rejects[1].line, 7u);
  EXPECT_EQ(run.rejects[1].reason, "body is missing");
  EXPECT_EQ(run.rejects[2].line, 8u);
  EXPECT_EQ(
      run.rejects[2].reason,
      "created_utc: cannot parse time 'soon' (expected RFC 3339, epoch seconds, Twitter or RFC 2822 format)");
  EXPECT_EQ(run.rejects[3].line, 9u);
  EXPECT_EQ(run.rejects[3].reason, "id is missing");

  ReaderOptions named;
  named.source = "askmen-dump";
  named.channel = "forum";
  FileRun over = ReadReddit(path, named);
  EXPECT_EQ(over.records[0].source, "askmen-dump");
  EXPECT_EQ(over.records[0].channel, "forum");
}

TEST(RedditReader, NotRedditIsAFormatErrorNamingTheFile) {
  TempDir dir;
  std::string canonical = dir / "day1.jsonl";
  WriteFile(canonical, std::string("{\"id\":\"1\",\"time\":\"") + kRefText + "\",\"text\":\"hi\"}\n");
  Result<std::unique_ptr<FileReader>> r = Open(NewRedditReader, canonical, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFormat);
  EXPECT_EQ(
      r.status().message(),
      canonical +
          ": not a Pushshift Reddit dump: the first line has no Reddit keys (found keys id, time, text; "
          "expected Pushshift Reddit NDJSON: created_utc with subreddit or link_id)");

  std::string csv = dir / "x.csv";
  WriteFile(csv, "\n\nid,text\n1,hello\n");
  r = Open(NewRedditReader, csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFormat);
  EXPECT_EQ(r.status().message(),
            csv +
                ": not a Pushshift Reddit dump: the first line is not a JSON object (starts 'id,text'; "
                "expected Pushshift Reddit NDJSON: created_utc with subreddit or link_id)");

  // Empty: an empty dump, not an error.
  std::string empty = dir / "RC_empty";
  WriteFile(empty, "");
  FileRun e = ReadReddit(empty);
  EXPECT_TRUE(e.records.empty());
}

// =====================================================================================
// Pushshift Reddit: the shared corpus. Expected numbers were computed independently
// with `zstd -dc --long=31 FILE | python3` (json.loads per line, collections.Counter)
// and agree with SOURCE.md where it gives them.

struct CorpusFacts {
  size_t records;
  int64_t min_time, max_time;
  size_t distinct_authors;  // not counting [deleted]
  size_t deleted_authors;   // author "[deleted]" -> ""
  size_t deleted_text;      // body/selftext "[deleted]"
  size_t removed_text;      // body/selftext "[removed]"
  size_t empty_text;        // genuinely empty body/selftext
  size_t threads;           // distinct thread ids
  size_t reply_links;       // comment -> comment (parent t1_)
  size_t replies_in_file;   // ... whose parent is in the file
  int64_t score_sum;
};

void CheckCorpus(const FileRun& run, const CorpusFacts& f) {
  EXPECT_EQ(run.records.size(), f.records);
  EXPECT_TRUE(run.rejects.empty()) << run.rejects.front().reason;
  EXPECT_TRUE(run.skipped.empty());
  int64_t lo = INT64_MAX, hi = INT64_MIN, score_sum = 0;
  std::set<std::string> authors, threads, ids;
  size_t no_author = 0, deleted = 0, removed = 0, empty = 0, reply_links = 0, in_file = 0;
  for (const Record& r : run.records) {
    lo = std::min(lo, r.time);
    hi = std::max(hi, r.time);
    if (r.author.empty())
      ++no_author;
    else
      authors.insert(r.author);
    threads.insert(r.thread);
    ids.insert(r.id);
    score_sum += r.score.value_or(0);
    bool is_deleted = std::find(r.tags.begin(), r.tags.end(), "[deleted]") != r.tags.end();
    bool is_removed = std::find(r.tags.begin(), r.tags.end(), "[removed]") != r.tags.end();
    deleted += is_deleted;
    removed += is_removed;
    if (r.text.empty() && !is_deleted && !is_removed) ++empty;
    if (is_deleted || is_removed) {
      EXPECT_EQ(r.text, "") << r.id;
    }
    EXPECT_EQ(r.text.find('\r'), std::string::npos) << r.id;     // CRLF -> LF
    EXPECT_EQ(r.text.find("&amp;"), std::string::npos) << r.id;  // entities decoded
    EXPECT_EQ(r.text.find("&gt;"), std::string::npos) << r.id;
    EXPECT_EQ(r.text.find("&lt;"), std::string::npos) << r.id;
    EXPECT_EQ(r.text.find("&#x200B;"), std::string::npos) << r.id;
    EXPECT_EQ(r.title.find("&amp;"), std::string::npos) << r.id;
    EXPECT_EQ(r.source, "reddit");
    EXPECT_EQ(r.channel, "reddit");
  }
  for (const Record& r : run.records) {
    if (r.parent.rfind("t1_", 0) == 0) {
      ++reply_links;
      in_file += ids.count(r.parent);
    }
  }
  EXPECT_EQ(ids.size(), f.records) << "fullnames are unique";
  EXPECT_EQ(lo, f.min_time);
  EXPECT_EQ(hi, f.max_time);
  EXPECT_EQ(authors.size(), f.distinct_authors);
  EXPECT_EQ(no_author, f.deleted_authors);
  EXPECT_EQ(deleted, f.deleted_text);
  EXPECT_EQ(removed, f.removed_text);
  EXPECT_EQ(empty, f.empty_text);
  EXPECT_EQ(threads.size(), f.threads);
  EXPECT_EQ(reply_links, f.reply_links);
  EXPECT_EQ(in_file, f.replies_in_file);
  EXPECT_EQ(score_sum, f.score_sum);
}

// Lines of the decompressed file, counted by the zstd CLI (independent of InputStream).
void CheckLineCountWithZstdCli(const std::string& path, size_t records) {
  if (!HaveZstdCli()) return;
  std::string out = Shell("zstd -dc --long=31 '" + path + "' | wc -l");
  EXPECT_EQ(std::stoul(out), records) << path;
}

std::map<std::string, size_t> ThreadSizes(const FileRun& run) {
  std::map<std::string, size_t> sizes;
  for (const Record& r : run.records) ++sizes[r.thread];
  return sizes;
}

TEST(RedditCorpus, Comments2005_12) {
  HARK_REQUIRE_CORPUS(path, "reddit-pushshift/RC_2005-12.zst");
  FileRun run = ReadReddit(path);
  // SOURCE.md: 1,075 comments, 2005-12-12 05:26 .. 2005-12-31 23:53, 329 comment->comment
  // replies (314 parents in file), 185 [deleted] authors.
  CheckCorpus(run, {.records = 1075,
                    .min_time = 1134365188,
                    .max_time = 1136073220,
                    .distinct_authors = 393,
                    .deleted_authors = 185,
                    .deleted_text = 105,
                    .removed_text = 15,
                    .empty_text = 0,
                    .threads = 396,
                    .reply_links = 329,
                    .replies_in_file = 314,
                    .score_sum = 1680});
  EXPECT_EQ(FormatTime(1134365188), "2005-12-12T05:26:28Z");
  EXPECT_EQ(FormatTime(1136073220), "2005-12-31T23:53:40Z");
  CheckLineCountWithZstdCli(path, 1075);

  // The first line, field by field.
  const Record& first = run.records.front();
  EXPECT_EQ(run.lines.front(), 1u);
  EXPECT_EQ(first.id, "t1_c13");
  EXPECT_EQ(first.parent, "t3_17863");
  EXPECT_EQ(first.thread, "t3_17863");
  EXPECT_EQ(first.author, "frjo");
  EXPECT_EQ(first.time, 1134365188);
  EXPECT_EQ(first.score, 2);
  EXPECT_EQ(first.text, "A look at Vietnam and Mexico exposes the myth of market liberalisation.");
  EXPECT_EQ(first.tags, (std::vector<std::string>{"reddit.com"}));
  EXPECT_EQ(first.role, Role::kCommunity);
  // Entities, and CRLF -> LF.
  ASSERT_NE(FindId(run, "t1_c1773"), nullptr);
  EXPECT_EQ(FindId(run, "t1_c1773")->text, "Part of the fun is <i>not</i> having instructions.");
  EXPECT_EQ(FindId(run, "t1_c2650")->text, "The third edition is here: <http://www.scheme.com/tspl3/>\n");
  EXPECT_EQ(FindId(run, "t1_c2642")->text, "http://slashdot.org/comments.pl?sid=134092&cid=11192313");
  // Thread membership: the three largest threads (python: Counter(link_id).most_common(3)).
  std::map<std::string, size_t> sizes = ThreadSizes(run);
  EXPECT_EQ(sizes["t3_21259"], 85u);
  EXPECT_EQ(sizes["t3_22199"], 46u);
  EXPECT_EQ(sizes["t3_20775"], 40u);
  // Every comment answering the submission directly has parent == thread.
  for (const Record& r : run.records) {
    if (r.parent.rfind("t3_", 0) == 0) {
      EXPECT_EQ(r.parent, r.thread) << r.id;
    }
    EXPECT_EQ(r.role, Role::kCommunity);
  }

  // Cutting: tiny blocks give the same records.
  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun tiny = ReadReddit(path, small);
  EXPECT_EQ(tiny.records, run.records);
  EXPECT_EQ(tiny.lines, run.lines);
  EXPECT_GT(tiny.blocks, 100u);
}

TEST(RedditCorpus, Comments2006_01) {
  HARK_REQUIRE_CORPUS(path, "reddit-pushshift/RC_2006-01.zst");
  FileRun run = ReadReddit(path);
  // SOURCE.md: 3,666 comments, 2006-01-01 00:07 .. 2006-01-31 23:53, 1,362 replies
  // (1,304 parents in file), 893 [deleted] authors, 2 comments in r/nsfw.
  CheckCorpus(run, {.records = 3666,
                    .min_time = 1136074029,
                    .max_time = 1138751620,
                    .distinct_authors = 790,
                    .deleted_authors = 893,
                    .deleted_text = 471,
                    .removed_text = 57,
                    .empty_text = 1,
                    .threads = 1173,
                    .reply_links = 1362,
                    .replies_in_file = 1304,
                    .score_sum = 4954});
  EXPECT_EQ(FormatTime(1136074029), "2006-01-01T00:07:09Z");
  EXPECT_EQ(FormatTime(1138751620), "2006-01-31T23:53:40Z");
  CheckLineCountWithZstdCli(path, 3666);
  // The one comment with a genuinely empty body: kept, empty text, no marker tag.
  const Record* empty = FindId(run, "t1_c3662");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->text, "");
  EXPECT_EQ(empty->author, "borga");
  EXPECT_EQ(empty->score, 7);
  EXPECT_EQ(empty->tags, (std::vector<std::string>{"reddit.com"}));
  // The two r/nsfw comments.
  size_t nsfw = 0;
  for (const Record& r : run.records) nsfw += r.tags.front() == "nsfw";
  EXPECT_EQ(nsfw, 2u);
  EXPECT_EQ(FindId(run, "t1_c103c")->tags.front(), "nsfw");
  EXPECT_EQ(FindId(run, "t1_c104k")->tags.front(), "nsfw");
  EXPECT_EQ(FindId(run, "t1_c5283")->text, "C&H is the best strip ever done!");
  EXPECT_EQ(ThreadSizes(run)["t3_25099"], 145u);

  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun tiny = ReadReddit(path, small);
  EXPECT_EQ(tiny.records, run.records);
  EXPECT_EQ(tiny.lines, run.lines);
}

TEST(RedditCorpus, AskMenSubmissions) {
  HARK_REQUIRE_CORPUS(path, "reddit-pushshift/AskMen_submissions.zst");
  FileRun run = ReadReddit(path);
  // SOURCE.md: 13,050 submissions, 2019-10-01 00:01 .. 2019-10-31 23:59, 6,671 [deleted]
  // authors, 86 distinct keys with nested objects (ignored), no comments.
  CheckCorpus(run, {.records = 13050,
                    .min_time = 1569888094,
                    .max_time = 1572566374,
                    .distinct_authors = 4976,
                    .deleted_authors = 6671,
                    .deleted_text = 1476,
                    .removed_text = 8897,
                    .empty_text = 1316,
                    .threads = 13050,
                    .reply_links = 0,
                    .replies_in_file = 0,
                    .score_sum = 532939});
  EXPECT_EQ(FormatTime(1569888094), "2019-10-01T00:01:34Z");
  EXPECT_EQ(FormatTime(1572566374), "2019-10-31T23:59:34Z");
  CheckLineCountWithZstdCli(path, 13050);
  for (const Record& r : run.records) {
    EXPECT_EQ(r.role, Role::kCustomer);
    EXPECT_EQ(r.thread, r.id);
    EXPECT_EQ(r.parent, "");
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_EQ(r.tags.front(), "AskMen");
  }
  const Record& first = run.records.front();
  EXPECT_EQ(first.id, "t3_dbkq9e");
  EXPECT_EQ(first.title, "Could I have some male insight into this?");
  EXPECT_EQ(first.author, "");
  EXPECT_EQ(first.text, "");
  EXPECT_EQ(first.score, 1);
  EXPECT_EQ(first.tags, (std::vector<std::string>{"AskMen", "[removed]"}));
  // Title-only question (empty selftext), with non-ASCII punctuation.
  const Record* q = FindId(run, "t3_dbl10i");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->title,
            "What\xE2\x80\x99s the nicest thing you\xE2\x80\x99ve ever done for someone you consider "
            "\xE2\x80\x9C"
            "a good friend\xE2\x80\x9D?");
  EXPECT_EQ(q->text, "");
  EXPECT_EQ(q->author, "yaloha95");
  EXPECT_EQ(q->score, 27);
  EXPECT_EQ(FindId(run, "t3_dem18r")->title, "From asshole > better man");
  // "&amp;#x200B;" spacer removed (21 submissions have it).
  EXPECT_EQ(
      FindId(run, "t3_djd6ga")->text,
      "Last and only compliment I got was around 6 years ago, and I rode that high for about a year. always "
      "thinking back to it. \n\n\n\nhow about you guys?");

  ReaderOptions small;
  small.block_bytes = 1000;
  FileRun tiny = ReadReddit(path, small);
  EXPECT_EQ(tiny.records, run.records);
}

TEST(RedditCorpus, DetectedAndOpenedThroughTheRegistry) {
  HARK_REQUIRE_CORPUS(path, "reddit-pushshift/RC_2005-12.zst");
  Result<Format> format = DetectFormat(path);
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  EXPECT_EQ(*format, Format::kReddit);
  Result<std::unique_ptr<FileReader>> reader = OpenReader(path, Format::kAuto, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  FileRun run;
  ASSERT_TRUE(ReadAll(**reader, &run).ok());
  EXPECT_EQ(run.records.size(), 1075u);
  // A Reddit dump given as canonical JSONL is a clear Format error, not 1,075 rejects.
  Result<std::unique_ptr<FileReader>> wrong = OpenReader(path, Format::kJsonl, {});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Status::Code::kFormat);
  EXPECT_NE(wrong.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace hark
