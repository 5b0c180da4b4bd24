// Integration tests of the ingest pipeline and the stores, through the library API,
// on real files: a real RocksDB directory and a real Xapian database in a temp dir.
// Expected numbers are computed inside each test from the raw files by a separate,
// deliberately simple method (not hark's readers).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "indexer/ingest.h"
#include "storage/index.h"
#include "storage/time_parse.h"
#include "test_support.h"

namespace hark {
namespace {

using testing::TempDir;

using testing::ReadCsvForTest;

IngestReport Ingest(const std::string& index, const std::vector<std::string>& files, Format format = Format::kAuto,
                    const std::string& map = "") {
  IngestOptions opts;
  opts.index_dir = index;
  opts.files = files;
  opts.format = format;
  opts.threads = 2;
  opts.progress = Progress::Mode::kOff;
  opts.reader.block_bytes = 64 * 1024;  // many blocks: exercise the pipeline
  if (!map.empty()) {
    Result<FieldMap> m = ParseFieldMap(map);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    opts.reader.map = *m;
  }
  Result<IngestReport> r = RunIngest(opts);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : IngestReport();
}

std::unique_ptr<IndexReader> OpenIndex(const std::string& dir) {
  Result<std::unique_ptr<IndexReader>> r = IndexReader::Open(dir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

uint64_t CountMatches(IndexReader& index, SearchRequest req) {
  req.exact = true;
  req.limit = 0;
  Result<SearchResponse> r = index.Search(req);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->exact);
  return r->total;
}

std::vector<std::string> ThreadIds(IndexReader& index, const std::string& source, const std::string& id) {
  std::vector<Record> found, thread;
  EXPECT_TRUE(index.FindById(id, source, &found).ok());
  if (found.empty()) return {};
  EXPECT_TRUE(index.Thread(source, found[0].thread, &thread).ok());
  std::vector<std::string> ids;
  for (const Record& r : thread) ids.push_back(r.id);
  return ids;
}

// ---------------------------------------------------------------------------------------

TEST(IngestTwcs, HeadFiveThousandExactCountsThreadsAndDedupe) {
  HARK_REQUIRE_CORPUS(path, "twcs-head-5k/twcs_head_5000.csv");
  // Independent expectation: rows of the raw CSV, header
  // ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id".
  auto rows = ReadCsvForTest(path);
  ASSERT_EQ(rows[0][1], "tweet_id");
  std::map<std::string, uint64_t> by_author;
  std::map<std::string, std::string> parent_of;
  int64_t min_time = INT64_MAX, max_time = INT64_MIN;
  uint64_t inbound = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 8u) << "row " << i;  // the bare CR record stays whole
    by_author[rows[i][2]]++;
    if (rows[i][3] == "True") ++inbound;
    std::string parent = rows[i][7];
    if (parent.size() > 2 && parent.substr(parent.size() - 2) == ".0") parent.resize(parent.size() - 2);
    parent_of[rows[i][1]] = parent;
    int64_t t;
    std::string err;
    ASSERT_TRUE(ParseTime(rows[i][4], &t, &err)) << err;
    min_time = std::min(min_time, t);
    max_time = std::max(max_time, t);
  }
  ASSERT_EQ(rows.size() - 1, 5000u);

  TempDir dir;
  IngestReport report = Ingest(dir / "idx", {path});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.read, 5000u);
  EXPECT_EQ(report.indexed, 5000u);
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_EQ(report.duplicates, 0u);

  auto index = OpenIndex(dir / "idx");
  ASSERT_TRUE(index);
  Result<IndexStats> stats = index->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 5000u);
  EXPECT_EQ(stats->first_time, min_time);
  EXPECT_EQ(stats->last_time, max_time);
  EXPECT_EQ(stats->by_role["customer"], inbound);
  EXPECT_EQ(stats->by_role["agent"], 5000u - inbound);

  // Exact counts by author, through the author filter, for the ten most active.
  std::vector<std::pair<uint64_t, std::string>> top;
  for (const auto& [a, n] : by_author) top.emplace_back(n, a);
  std::sort(top.rbegin(), top.rend());
  for (size_t i = 0; i < 10; ++i) {
    SearchRequest req;
    req.filters["author"] = {top[i].second};
    EXPECT_EQ(CountMatches(*index, req), top[i].first) << top[i].second;
  }

  // Thread membership: the conversation of tweet 8 is everything whose parent chain
  // reaches 8, computed here from the raw parent column.
  auto root_of = [&](std::string id) {
    for (int guard = 0; guard < 1000; ++guard) {
      auto it = parent_of.find(id);
      if (it == parent_of.end() || it->second.empty()) return id;
      id = it->second;
    }
    return id;
  };
  for (const std::string probe : {"8", "3399", "1", "2577"}) {
    std::set<std::string> expected;
    for (const auto& [id, p] : parent_of) {
      if (root_of(id) == root_of(probe)) expected.insert(id);
    }
    std::vector<std::string> got = ThreadIds(*index, "twcs", probe);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), expected) << "thread of " << probe;
  }
  // Thread 8 in time order, as the raw timestamps say.
  EXPECT_EQ(ThreadIds(*index, "twcs", "8"), (std::vector<std::string>{"8", "6", "5", "4", "3", "1", "2"}));

  // The same file again: nothing new, and it says so.
  IngestReport again = Ingest(dir / "idx", {path});
  ASSERT_EQ(again.files.size(), 1u);
  EXPECT_TRUE(again.files[0].unchanged);
  EXPECT_EQ(again.indexed, 0u);
  IngestOptions force;
  force.index_dir = dir / "idx";
  force.files = {path};
  force.force = true;
  force.progress = Progress::Mode::kOff;
  Result<IngestReport> forced = RunIngest(force);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->duplicates, 5000u);
  EXPECT_EQ(forced->indexed, 0u);
  EXPECT_EQ(forced->index_records, 5000u);
}

TEST(IngestAirline, MappedCsvDedupesRepeatedIdsAndCountsByAirline) {
  HARK_REQUIRE_CORPUS(path, "airline-sentiment-tweets/Tweets.csv");
  auto rows = ReadCsvForTest(path);
  std::vector<std::string> header = rows[0];
  auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::set<std::string> ids;
  std::map<std::string, uint64_t> by_airline;  // first occurrence of each id wins
  std::map<int64_t, uint64_t> united_by_day;   // UTC days
  for (size_t i = 1; i < rows.size(); ++i) {
    if (!ids.insert(rows[i][col("tweet_id")]).second) continue;
    by_airline[rows[i][col("airline")]]++;
    if (rows[i][col("airline")] != "United") continue;
    // "2015-02-24 11:35:52 -0800": local date and time, then the zone.
    const std::string& t = rows[i][col("tweet_created")];
    int64_t local = DaysFromCivil(std::stoi(t.substr(0, 4)), std::stoi(t.substr(5, 2)), std::stoi(t.substr(8, 2))) * 86400 +
                    std::stoi(t.substr(11, 2)) * 3600 + std::stoi(t.substr(14, 2)) * 60 + std::stoi(t.substr(17, 2));
    int offset = (std::stoi(t.substr(21, 2)) * 3600 + std::stoi(t.substr(23, 2)) * 60) * (t[20] == '-' ? -1 : 1);
    int64_t utc = local - offset;
    united_by_day[utc >= 0 ? utc / 86400 : (utc - 86399) / 86400]++;
  }
  ASSERT_EQ(rows.size() - 1, 14640u);

  TempDir dir;
  IngestReport report =
      Ingest(dir / "idx", {path}, Format::kCsv, "id=tweet_id,time=tweet_created,text=text,author=name,brand=airline");
  EXPECT_EQ(report.read, 14640u);
  EXPECT_EQ(report.duplicates, 14640u - ids.size());  // 155 ids judged twice
  EXPECT_EQ(report.indexed, ids.size());
  auto index = OpenIndex(dir / "idx");
  ASSERT_TRUE(index);
  for (const auto& [airline, n] : by_airline) {
    SearchRequest req;
    req.filters["brand"] = {airline};
    EXPECT_EQ(CountMatches(*index, req), n) << airline;
  }
  // The per-day counters equal the raw counts by UTC day; the sentiment classes
  // partition the messages.
  std::map<int64_t, uint64_t> united;
  ASSERT_TRUE(index->DailyCounts("brand:united", 0, 1 << 20, &united).ok());
  EXPECT_EQ(united, united_by_day);
  std::map<int64_t, uint64_t> some;
  ASSERT_TRUE(index->DailyCounts("brand:united", united_by_day.begin()->first + 1, united_by_day.begin()->first + 2,
                                 &some).ok());
  EXPECT_EQ(some.size(), 2u);
  uint64_t classes = 0;
  for (const char* c : {"positive", "neutral", "negative"}) {
    std::map<int64_t, uint64_t> days;
    ASSERT_TRUE(index->DailyCounts(std::string("sentiment:") + c, 0, 1 << 20, &days).ok());
    for (const auto& [day, n] : days) classes += n;
  }
  EXPECT_EQ(classes, ids.size());
}

// Pushshift comments (.zst, long window): counts by author and thread membership equal
// an independent pass over the decompressed lines (zstd CLI + nlohmann::json).
TEST(IngestReddit, CommentsZstCountsByAuthorAndThread) {
  HARK_REQUIRE_CORPUS(path, "reddit-pushshift/RC_2006-01.zst");
  TempDir dir;
  std::string plain = dir / "rc.jsonl";
  ASSERT_EQ(std::system(("zstd -q -d --long=31 -c '" + path + "' > '" + plain + "'").c_str()), 0);
  std::ifstream in(plain);
  std::string line;
  std::map<std::string, uint64_t> by_author, by_thread;
  uint64_t lines = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++lines;
    nlohmann::json j = nlohmann::json::parse(line);
    std::string author = j.value("author", "");
    if (author != "[deleted]") by_author[author]++;
    by_thread[j.value("link_id", "")]++;
  }
  IngestReport report = Ingest(dir / "idx", {path});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.indexed, lines);
  EXPECT_EQ(report.rejected, 0u);
  ASSERT_EQ(report.files.size(), 1u);
  EXPECT_EQ(report.files[0].format, "reddit");
  auto index = OpenIndex(dir / "idx");
  std::vector<std::pair<uint64_t, std::string>> authors, threads;
  for (const auto& [a, n] : by_author) authors.emplace_back(n, a);
  for (const auto& [t, n] : by_thread) threads.emplace_back(n, t);
  std::sort(authors.rbegin(), authors.rend());
  std::sort(threads.rbegin(), threads.rend());
  for (size_t i = 0; i < 5; ++i) {
    SearchRequest by_a;
    by_a.filters["author"] = {authors[i].second};
    EXPECT_EQ(CountMatches(*index, by_a), authors[i].first) << authors[i].second;
    std::vector<Record> thread;
    ASSERT_TRUE(index->Thread("reddit", threads[i].second, &thread).ok());
    EXPECT_EQ(thread.size(), threads[i].first) << threads[i].second;
    EXPECT_TRUE(std::is_sorted(thread.begin(), thread.end(),
                               [](const Record& a, const Record& b) { return a.time < b.time; }));
  }
}

// The value of attribute `name` in one Posts.xml row line ("" when absent).
std::string XmlAttr(const std::string& row, const std::string& name) {
  std::string key = " " + name + "=\"";
  size_t at = row.find(key);
  if (at == std::string::npos) return "";
  size_t start = at + key.size();
  return row.substr(start, row.find('"', start) - start);
}

// Stack Exchange: every question is a thread holding its answers; counts by author and
// accepted answers equal an independent scan of the raw rows.
TEST(IngestStackExchange, BeerThreadsAuthorsAndAcceptedAnswers) {
  HARK_REQUIRE_CORPUS(path, "stackexchange-beer/Posts.xml");
  std::ifstream in(path);
  std::string line;
  std::map<std::string, uint64_t> thread_size, by_author;
  std::vector<std::string> accepted;
  uint64_t messages = 0;
  while (std::getline(in, line)) {
    if (line.find("<row ") == std::string::npos) continue;
    std::string type = XmlAttr(line, "PostTypeId"), id = XmlAttr(line, "Id");
    if (type != "1" && type != "2") continue;  // tag wikis etc. are not messages
    ++messages;
    thread_size[type == "1" ? id : XmlAttr(line, "ParentId")]++;
    std::string owner = XmlAttr(line, "OwnerUserId");
    if (owner.empty()) owner = XmlAttr(line, "OwnerDisplayName");
    if (!owner.empty()) by_author[owner]++;
    if (type == "1" && !XmlAttr(line, "AcceptedAnswerId").empty()) accepted.push_back(XmlAttr(line, "AcceptedAnswerId"));
  }
  TempDir dir;
  IngestReport report = Ingest(dir / "idx", {path});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.indexed, messages);
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_GT(report.skipped, 0u);  // tag wiki posts, counted not dropped
  auto index = OpenIndex(dir / "idx");
  const std::string source = "stackexchange-beer";
  for (const auto& [thread, n] : thread_size) {
    std::vector<Record> members;
    ASSERT_TRUE(index->Thread(source, thread, &members).ok());
    ASSERT_EQ(members.size(), n) << "thread " << thread;
    EXPECT_EQ(members.front().id, thread) << "the question comes first";
  }
  for (const auto& [author, n] : by_author) {
    SearchRequest req;
    req.filters["author"] = {author};
    req.filters["source"] = {source};
    ASSERT_EQ(CountMatches(*index, req), n) << author;
  }
  uint64_t accepted_found = 0;
  for (const std::string& id : accepted) {
    std::vector<Record> r;
    ASSERT_TRUE(index->FindById(id, source, &r).ok());
    if (r.empty()) continue;  // an accepted answer missing from the dump
    EXPECT_TRUE(r[0].accepted.value_or(false)) << id;
    ++accepted_found;
  }
  EXPECT_GT(accepted_found, accepted.size() * 9 / 10);
  SearchRequest tagged;
  tagged.query = "tag:history";
  EXPECT_GT(CountMatches(*index, tagged), 0u);
}

// Mailing list: threads rebuilt from In-Reply-To / References match an independent
// header scan of the raw mbox.
TEST(IngestMbox, UsrpThreadsFromReplyHeaders) {
  HARK_REQUIRE_CORPUS(path, "mailinglist-usrp-users/usrp-users_2021-03_to_2021-05.mbox");
  std::ifstream in(path);
  std::string line;
  std::vector<std::pair<std::string, std::string>> msgs;  // (message id, parent id)
  bool in_headers = false, prev_blank = true;
  std::string last_header;
  auto angle = [](const std::string& v, bool last) {
    size_t open = last ? v.rfind('<') : v.find('<');
    if (open == std::string::npos) {  // some mailers omit the brackets: "In-Reply-To: id@host"
      std::string bare;
      for (char c : v) {
        if (!std::isspace(static_cast<unsigned char>(c))) bare += c;
      }
      return bare;
    }
    size_t close = v.find('>', open);
    return close == std::string::npos ? std::string() : v.substr(open + 1, close - open - 1);
  };
  std::string mid, irt, refs;
  auto flush = [&] {
    if (in_headers || !mid.empty() || !msgs.empty() || !irt.empty()) {
      std::string parent = angle(irt, false);
      if (parent.empty()) parent = angle(refs, true);
      msgs.emplace_back(angle(mid, false), parent);
    }
    mid.clear(), irt.clear(), refs.clear();
  };
  bool started = false;
  while (std::getline(in, line)) {
    if (prev_blank && line.rfind("From ", 0) == 0) {
      if (started) flush();
      started = true;
      in_headers = true;
      last_header.clear();
      prev_blank = false;
      continue;
    }
    prev_blank = line.empty();
    if (!in_headers) continue;
    if (line.empty()) {
      in_headers = false;
      continue;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !last_header.empty()) {
      if (last_header == "message-id") mid += line;
      if (last_header == "in-reply-to") irt += line;
      if (last_header == "references") refs += line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last_header = line.substr(0, colon);
    for (char& c : last_header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    if (last_header == "message-id") mid = value;
    if (last_header == "in-reply-to") irt = value;
    if (last_header == "references") refs = value;
  }
  if (started) flush();
  ASSERT_EQ(msgs.size(), 719u);  // SOURCE.md: 719 messages
  std::map<std::string, std::string> parent_of;
  for (const auto& [id, parent] : msgs) parent_of[id] = parent;
  auto root_of = [&](std::string id) {
    for (int guard = 0; guard < 1000; ++guard) {
      auto it = parent_of.find(id);
      if (it == parent_of.end() || it->second.empty()) return id;
      id = it->second;
    }
    return id;
  };
  std::map<std::string, uint64_t> thread_size;
  for (const auto& [id, parent] : msgs) thread_size[root_of(id)]++;

  TempDir dir;
  IngestReport report = Ingest(dir / "idx", {path});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.indexed, 719u);
  EXPECT_EQ(report.rejected, 0u);
  auto index = OpenIndex(dir / "idx");
  Result<IndexStats> stats = index->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(FormatTime(stats->first_time), "2021-03-02T18:52:50Z");  // SOURCE.md date range
  EXPECT_EQ(FormatTime(stats->last_time), "2021-05-31T21:35:46Z");
  for (const auto& [root, n] : thread_size) {
    std::vector<Record> members;
    ASSERT_TRUE(index->Thread("email", root, &members).ok());
    EXPECT_EQ(members.size(), n) << "thread " << root;
  }
}

// A reply that arrives before its parent (later in the file, in another file, in a
// later run) still joins its thread, and brand/accepted facts flow along the links.
TEST(IngestThreads, OutOfOrderRepliesAcrossFilesAndRuns) {
  TempDir dir;
  auto write = [&](const std::string& name, const std::string& body) {
    std::ofstream(dir / name) << body;
    return dir / name;
  };
  // Chain: a <- b <- c <- d (d replies to c ...). Run 1 sees d and c (reversed), run 2 b,
  // run 3 a. An unrelated root e is in run 1.
  std::string run1 = write("run1.jsonl",
                           R"({"id":"d","time":"2020-01-01T00:04:00Z","author":"u1","role":"customer","parent":"c","text":"still broken"})"
                           "\n"
                           R"({"id":"c","time":"2020-01-01T00:03:00Z","author":"AcmeCare","role":"agent","brand":"Acme","parent":"b","text":"try a restart"})"
                           "\n"
                           R"({"id":"e","time":"2020-01-02T00:00:00Z","author":"u2","role":"customer","text":"unrelated"})"
                           "\n");
  std::string run2 = write("run2.jsonl",
                           R"({"id":"b","time":"2020-01-01T00:02:00Z","author":"AcmeCare","role":"agent","brand":"Acme","parent":"a","text":"what model?"})"
                           "\n");
  std::string run3 = write("run3.jsonl",
                           R"({"id":"a","time":"2020-01-01T00:01:00Z","author":"u1","role":"customer","text":"my router is broken"})"
                           "\n");
  const std::string idx = dir / "idx";
  Ingest(idx, {run1});
  {
    auto index = OpenIndex(idx);
    EXPECT_EQ(ThreadIds(*index, "run1", "d"), (std::vector<std::string>{"c", "d"}));
  }
  // Files carry their own source name by default (the file stem); use one source.
  IngestOptions opts;
  opts.index_dir = dir / "idx2";
  opts.progress = Progress::Mode::kOff;
  opts.reader.source = "acme";
  for (const std::string& f : {run1, run2, run3}) {
    opts.files = {f};
    Result<IngestReport> r = RunIngest(opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  auto index = OpenIndex(dir / "idx2");
  std::vector<std::string> expected = {"a", "b", "c", "d"};
  for (const std::string& id : expected) EXPECT_EQ(ThreadIds(*index, "acme", id), expected) << id;
  EXPECT_EQ(ThreadIds(*index, "acme", "e"), std::vector<std::string>{"e"});
  // The customer's messages take the brand of the agent who answered them.
  std::vector<Record> a;
  ASSERT_TRUE(index->FindById("a", "acme", &a).ok());
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].brand, "Acme");
  EXPECT_EQ(a[0].thread, "a");
  // thread: search prefix finds the whole conversation.
  SearchRequest req;
  req.query = "thread:a";
  EXPECT_EQ(CountMatches(*index, req), 4u);
}

TEST(IngestErrors, MissingFileStopsTheRunAndRejectsAreQuarantined) {
  TempDir dir;
  std::ofstream(dir / "good.jsonl") << R"({"id":"1","time":1509487847,"text":"hello world"})" << "\n"
                                    << R"({"id":"2","time":"not a time","text":"x"})" << "\n"
                                    << "{broken json\n"
                                    << R"({"id":"3","time":"2017-10-31T22:10:47Z","text":"bye"})" << "\n";
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {dir / "missing.jsonl", dir / "good.jsonl"};
  opts.progress = Progress::Mode::kOff;
  opts.rejects_path = dir / "rejects.jsonl";
  Result<IngestReport> r = RunIngest(opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 1);  // the missing file: the run is one batch, nothing committed
  EXPECT_FALSE(r->committed);
  EXPECT_NE(r->files[0].error.find("missing.jsonl"), std::string::npos) << r->files[0].error;
  EXPECT_NE(r->files[0].error.find("No such file"), std::string::npos) << r->files[0].error;
  EXPECT_NE(r->error.find("nothing of this run was committed"), std::string::npos) << r->error;
  EXPECT_EQ(r->indexed, 0u);
  EXPECT_EQ(r->index_records, 0u);

  opts.files = {dir / "good.jsonl"};
  r = RunIngest(opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(r->committed);
  EXPECT_EQ(r->indexed, 2u);
  EXPECT_EQ(r->rejected, 2u);
  std::ifstream rejects(dir / "rejects.jsonl");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(rejects, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"line\":2"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("good.jsonl"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"line\":3"), std::string::npos) << lines[1];

  // Reject rate limit: 2 of 4 rejected is above 10%.
  opts.files = {dir / "good.jsonl"};
  opts.force = true;
  opts.max_reject_rate = 0.1;
  Result<IngestReport> limited = RunIngest(opts);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->exit_code, 3);
  EXPECT_EQ(limited->index_records, 2u);  // nothing lost, nothing doubled
}

TEST(IngestErrors, AFileNamedTwiceIsReadOnce) {
  TempDir dir;
  std::ofstream(dir / "a.jsonl") << R"({"id":"1","time":1509487847,"text":"hello"})" << "\n"
                                 << R"({"id":"2","time":1509487848,"text":"world"})" << "\n";
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {dir / "a.jsonl", dir / "../" + std::filesystem::path(dir.path()).filename().string() + "/a.jsonl"};
  opts.progress = Progress::Mode::kOff;
  Result<IngestReport> r = RunIngest(opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->files.size(), 1u);
  EXPECT_EQ(r->indexed, 2u);
  auto index = IndexReader::Open(dir / "idx").value();
  ASSERT_EQ(index->state().sources.size(), 1u);
  EXPECT_EQ(index->state().sources[0].records, 2u) << "the manifest keeps the file's count";
}

TEST(IngestCrash, UncommittedAppendsAreRolledBack) {
  TempDir dir;
  std::ofstream(dir / "a.jsonl") << R"({"id":"1","time":1509487847,"text":"first"})" << "\n";
  Ingest(dir / "idx", {dir / "a.jsonl"});
  {
    // A run that appends but dies before Commit (the writer is dropped).
    Result<std::unique_ptr<IndexWriter>> w = IndexWriter::Open(dir / "idx", WriterOptions());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::vector<Record> recs(1);
    recs[0].source = "a";
    recs[0].id = "2";
    recs[0].thread = "2";
    recs[0].time = 1509487848;
    recs[0].text = "never committed";
    ASSERT_TRUE((*w)->Append(&recs).ok());
    // Readers do not see it.
    auto index = OpenIndex(dir / "idx");
    std::vector<Record> found;
    ASSERT_TRUE(index->FindById("2", "a", &found).ok());
    EXPECT_TRUE(found.empty());
  }
  std::ofstream(dir / "a.jsonl", std::ios::app) << R"({"id":"2","time":1509487848,"text":"second"})" << "\n";
  IngestReport r = Ingest(dir / "idx", {dir / "a.jsonl"});
  EXPECT_EQ(r.indexed, 1u);
  EXPECT_EQ(r.duplicates, 1u);
  auto index = OpenIndex(dir / "idx");
  std::vector<Record> found;
  ASSERT_TRUE(index->FindById("2", "a", &found).ok());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "second");
  EXPECT_EQ(found[0].recno, 2u);
}

TEST(IndexLock, SecondWriterIsToldWhoHoldsTheLock) {
  TempDir dir;
  Result<std::unique_ptr<IndexWriter>> first = IndexWriter::Open(dir / "idx", WriterOptions());
  ASSERT_TRUE(first.ok());
  Result<std::unique_ptr<IndexWriter>> second = IndexWriter::Open(dir / "idx", WriterOptions());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kBusy);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(getpid())), std::string::npos)
      << second.status().message();
}

}  // namespace
}  // namespace hark
