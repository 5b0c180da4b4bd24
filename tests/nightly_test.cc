// The nightly job, run the way cron runs it: real `hark` subprocesses on real files and
// a real index directory. Incremental runs (unchanged files skipped, grown files read
// from where they ended), kill -9 at many points followed by the same command (the
// result equals an uninterrupted run, record numbers included), reindex into a new
// generation while searches run, rollback and --keep, the writer's lock, and faults:
// a file size limit (a full disk), a read-only index directory, missing and unreadable
// input, a truncated .zst and a file that changes while it is read. After every fault
// the index is exactly as it was before the run, and `hark verify` finds both stores
// in agreement after every kill and fault.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "storage/index.h"
#include "tests/test_support.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::HarkCommandLine;
using testing::Proc;
using testing::RunHark;
using testing::RunShell;
using testing::ShellQuote;
using testing::TempDir;

const std::string kHark = std::string(HARK_BINARY_DIR) + "/tools/hark";
const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";

// Starts `hark ARGS` as a child with output to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kHark.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(kHark.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Everything a user can observe of an index: every record in record-number order, the
// stats, search totals and the per-day counters of the busiest series.
struct Snapshot {
  uint64_t records = 0;
  std::vector<std::string> rows;
  std::string stats;
  std::vector<uint64_t> totals;

  bool operator==(const Snapshot& o) const {
    return records == o.records && rows == o.rows && stats == o.stats && totals == o.totals;
  }
};

Snapshot Take(const std::string& dir) {
  Snapshot s;
  Result<std::unique_ptr<IndexReader>> opened = IndexReader::Open(dir);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.status().ToString();
    return s;
  }
  IndexReader& r = **opened;
  s.records = r.state().records;
  for (uint64_t recno = 1; recno <= s.records; ++recno) {
    Result<Record> rec = r.Get(recno);
    if (!rec.ok()) {
      ADD_FAILURE() << rec.status().ToString();
      return s;
    }
    char sentiment[32];
    std::snprintf(sentiment, sizeof sentiment, "%.4f", rec->sentiment);
    s.rows.push_back(std::to_string(recno) + "|" + rec->source + "|" + rec->id + "|" + rec->thread + "|" +
                     rec->brand + "|" + rec->author + "|" + sentiment);
  }
  Result<IndexStats> st = r.Stats();
  if (st.ok()) {
    json j = {{"documents", st->documents}, {"terms", st->terms},      {"first", st->first_time},
              {"last", st->last_time},      {"source", st->by_source}, {"channel", st->by_channel},
              {"role", st->by_role},        {"brand", st->by_brand}};
    s.stats = j.dump();
  }
  for (const char* q : {"refund", "account OR password", "\"customer service\"", "delay*", ""}) {
    SearchRequest req;
    req.query = q;
    req.limit = 0;
    req.exact = true;
    Result<SearchResponse> resp = r.Search(req);
    s.totals.push_back(resp.ok() ? resp->total : UINT64_MAX);
  }
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A generated corpus (hark-gen, deterministic), `n` messages of canonical JSONL.
std::string Generate(const TempDir& tmp, int n, int seed, const std::string& name) {
  const std::string out = tmp / name;
  const std::string cmd = std::string(HARK_BINARY_DIR) + "/tools/hark-gen --messages " + std::to_string(n) +
                          " --seed " + std::to_string(seed) + " --out " + out + " 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return out;
}

// ---------------------------------------------------------------------------------
// Incremental runs.
// ---------------------------------------------------------------------------------

TEST(Nightly, SameCommandAddsOnlyWhatIsNew) {
  TempDir tmp;
  const std::string all = Generate(tmp, 6000, 5, "all.jsonl");
  const std::string text = ReadFile(all);
  // Night 1: the first 4000 lines; night 2: the file grew by 2000 lines and a second
  // file appeared; night 3: nothing changed.
  size_t cut = 0;
  for (int i = 0; i < 4000; ++i) cut = text.find('\n', cut) + 1;
  const std::string log = tmp / "log.jsonl";
  std::ofstream(log, std::ios::binary) << text.substr(0, cut);
  const std::string index = tmp / "idx";
  const std::vector<std::string> night = {"ingest", "--index", index, "--progress", "off", "--stats-json",
                                          tmp / "stats.json", log, kSample};
  std::vector<std::string> first = night;
  first.pop_back();
  Proc n1 = RunHark(first);
  ASSERT_EQ(n1.code, 0) << n1.err;
  json s1 = json::parse(ReadFile(tmp / "stats.json"));
  EXPECT_EQ(s1["indexed"], 4000);

  std::ofstream(log, std::ios::binary | std::ios::app) << text.substr(cut);
  Proc n2 = RunHark(night);
  ASSERT_EQ(n2.code, 0) << n2.err;
  json s2 = json::parse(ReadFile(tmp / "stats.json"));
  EXPECT_EQ(s2["files"][0]["resumed_at"], cut) << "the grown file is read from where it ended";
  EXPECT_EQ(s2["files"][0]["indexed"], 2000);
  EXPECT_EQ(s2["files"][0]["duplicates"], 0) << "nothing read twice";
  EXPECT_EQ(s2["files"][1]["indexed"], 5000);
  EXPECT_NE(n2.out.find("grown: read from byte " + std::to_string(cut)), std::string::npos) << n2.out;

  Proc n3 = RunHark(night);
  ASSERT_EQ(n3.code, 0) << n3.err;
  json s3 = json::parse(ReadFile(tmp / "stats.json"));
  EXPECT_EQ(s3["indexed"], 0);
  EXPECT_TRUE(s3["files"][0]["unchanged"].get<bool>());
  EXPECT_TRUE(s3["files"][1]["unchanged"].get<bool>());

  // The same as one run over the final files, record numbers included.
  const std::string fresh = tmp / "fresh";
  Proc once = RunHark({"ingest", "--index", fresh, "--progress", "off", log, kSample});
  ASSERT_EQ(once.code, 0) << once.err;
  Snapshot a = Take(index), b = Take(fresh);
  EXPECT_EQ(a.records, 11000u);
  EXPECT_TRUE(a == b) << "incremental runs differ from one run";

  // A file rewritten (not only grown) is read again whole; its known records are
  // duplicates, the new one is added.
  std::string changed = R"({"id":"new-1","time":"2017-11-01T10:00:00Z","text":"a brand new line","author":"x"})";
  std::ofstream(log, std::ios::binary) << changed << "\n" << text;
  Proc n4 = RunHark(night);
  ASSERT_EQ(n4.code, 0) << n4.err;
  json s4 = json::parse(ReadFile(tmp / "stats.json"));
  EXPECT_EQ(s4["files"][0]["resumed_at"], 0);
  EXPECT_EQ(s4["files"][0]["indexed"], 1);
  EXPECT_EQ(s4["files"][0]["duplicates"], 6000);
}

// A night whose replies change messages indexed on an earlier night (an agent's answer
// gives the customer's message its brand): the text index holds no termlists, so it is
// rebuilt from every record instead of merged, and equals one run over both files.
TEST(Nightly, ChangedRecordsRebuildTheTextIndex) {
  TempDir tmp;
  const std::string base = Generate(tmp, 3000, 9, "base.jsonl");
  const std::string day1 = tmp / "day1.jsonl", day2 = tmp / "day2.jsonl";
  std::ofstream(day1) << ReadFile(base)
                      << R"({"id":"q1","source":"gen","channel":"twitter","time":"2017-03-01T10:00:00Z",)"
                         R"("author":"someone","role":"customer","text":"my order never arrived, what now"})"
                      << "\n";
  std::ofstream(day2) << R"({"id":"a1","source":"gen","channel":"twitter","time":"2017-03-01T11:00:00Z",)"
                         R"("author":"AcmeHelp","role":"agent","brand":"Acmezon","parent":"q1",)"
                         R"("text":"sorry to hear that, we will send a new one"})"
                      << "\n";
  const std::string index = tmp / "idx", stats = tmp / "stats.json";
  Proc n1 = RunHark({"ingest", "--index", index, "--progress", "off", "--stats-json", stats, day1});
  ASSERT_EQ(n1.code, 0) << n1.err;
  EXPECT_FALSE(json::parse(ReadFile(stats))["text_rebuilt"].get<bool>());
  Proc n2 = RunHark({"ingest", "--index", index, "--progress", "off", "--stats-json", stats, day1, day2});
  ASSERT_EQ(n2.code, 0) << n2.err;
  EXPECT_TRUE(json::parse(ReadFile(stats))["text_rebuilt"].get<bool>());
  EXPECT_NE(n2.out.find("text rebuilt from every record"), std::string::npos) << n2.out;
  Proc n3 = RunHark({"ingest", "--index", index, "--progress", "off", "--stats-json", stats, day1, day2});
  ASSERT_EQ(n3.code, 0) << n3.err;
  EXPECT_FALSE(json::parse(ReadFile(stats))["text_rebuilt"].get<bool>()) << "nothing changed: nothing rebuilt";

  Proc search = RunHark({"search", "--index", index, "--format", "json", "--limit", "5", "brand:acmezon"});
  ASSERT_EQ(search.code, 0) << search.err;
  json hits = json::parse(search.out);
  EXPECT_EQ(hits["total"], 2) << "the question now carries the brand its answer gave it";
  const std::string fresh = tmp / "fresh";
  Proc once = RunHark({"ingest", "--index", fresh, "--progress", "off", day1, day2});
  ASSERT_EQ(once.code, 0) << once.err;
  EXPECT_TRUE(Take(index) == Take(fresh)) << "incremental runs differ from one run";
  Proc verify = RunHark({"verify", "--index", index});
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
}

// ---------------------------------------------------------------------------------
// kill -9 at many points.
// ---------------------------------------------------------------------------------

TEST(Nightly, KillNineAnywhereThenTheSameCommandGivesTheUninterruptedIndex) {
  TempDir tmp;
  const std::string gen = Generate(tmp, 8000, 7, "gen.jsonl");
  const std::vector<std::string> files = {gen, kSample};
  auto command = [&](const std::string& index) {
    std::vector<std::string> args = {"ingest", "--index", index, "--progress", "off", "--threads", "2"};
    args.insert(args.end(), files.begin(), files.end());
    return args;
  };
  // The uninterrupted run, timed: kills land anywhere in it (reading, storing,
  // building the text index, publishing, cleaning up).
  const std::string reference = tmp / "reference";
  auto start = std::chrono::steady_clock::now();
  Proc ref = RunHark(command(reference));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(ref.code, 0) << ref.err;
  const Snapshot expected = Take(reference);
  ASSERT_EQ(expected.records, 13000u);

  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> when(0.0, seconds * 1.05);
  const int kills = std::getenv("HARK_KILL_POINTS") ? std::atoi(std::getenv("HARK_KILL_POINTS")) : 10;
  int killed_mid_run = 0;
  for (int k = 0; k < kills; ++k) {
    const std::string index = tmp / ("killed-" + std::to_string(k));
    // Every third index is killed twice: during the first run and during its re-run.
    const int rounds = k % 3 == 2 ? 2 : 1;
    for (int round = 0; round < rounds; ++round) {
      const double delay = when(rng);
      pid_t pid = Spawn(command(index), tmp / "killed.log");
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      const bool running = kill(pid, 0) == 0 && waitpid(pid, nullptr, WNOHANG) == 0;
      kill(pid, SIGKILL);
      Wait(pid);
      killed_mid_run += running;
      std::printf("[nightly] kill %d.%d after %.2f s of a %.2f s run%s\n", k, round, delay, seconds,
                  running ? "" : " (it had finished)");
    }
    Proc again = RunHark(command(index));
    ASSERT_EQ(again.code, 0) << again.err;
    Snapshot got = Take(index);
    EXPECT_EQ(got.records, expected.records) << "kill " << k;
    EXPECT_TRUE(got == expected) << "kill " << k << ": the resumed index differs from the uninterrupted one";
    Proc verify = RunHark({"verify", "--index", index});
    EXPECT_EQ(verify.code, 0) << "kill " << k << ": " << verify.out << verify.err;
    fs::remove_all(index);
  }
  EXPECT_GE(killed_mid_run, kills / 2) << "most kills must land while the run is going";
}

// ---------------------------------------------------------------------------------
// Generations.
// ---------------------------------------------------------------------------------

TEST(Nightly, ReindexSwapsGenerationsWhileSearchesKeepWorking) {
  TempDir tmp;
  const std::string gen = Generate(tmp, 8000, 9, "gen.jsonl");
  const std::string index = tmp / "idx";
  Proc first = RunHark({"ingest", "--index", index, "--progress", "off", gen, "--map",
                        "id=id,time=time,text=text,author=author,role=role,brand=brand,channel=channel,"
                        "thread=thread,parent=parent,title=title,source=source"});
  ASSERT_EQ(first.code, 0) << first.err;
  Proc second = RunHark({"ingest", "--index", index, "--progress", "off", kSample});
  ASSERT_EQ(second.code, 0) << second.err;
  const Snapshot before = Take(index);

  // Searches in a loop, each opening the index afresh as a new `hark search` would,
  // while three reindexes run one after the other: none may fail or see a mix.
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0};
  std::string first_failure;
  std::thread reader([&] {
    while (!done) {
      Result<std::unique_ptr<IndexReader>> r = IndexReader::Open(index);
      SearchRequest req;
      req.query = "refund";
      req.limit = 5;
      req.exact = true;
      Result<SearchResponse> resp = r.ok() ? (*r)->Search(req) : Result<SearchResponse>(r.status());
      if (!resp.ok() || resp->total != before.totals[0] || (*r)->state().records != before.records) {
        if (failures++ == 0) first_failure = resp.ok() ? "total " + std::to_string(resp->total) : resp.status().ToString();
      }
      ++searches;
    }
  });
  for (int i = 0; i < 3; ++i) {
    Proc re = RunHark({"reindex", "--index", index, "--from-manifest", "--progress", "off", "--keep", "2"});
    EXPECT_EQ(re.code, 0) << re.err;
    EXPECT_NE(re.out.find("(now live)"), std::string::npos) << re.out;
  }
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GT(searches.load(), 20);
  std::printf("[nightly] %d searches during 3 reindexes, %d failed\n", searches.load(), failures.load());

  // Each file was read as it was first read (the --map of the first one), so the new
  // generation holds the same index.
  EXPECT_TRUE(Take(index) == before);
  Proc verify = RunHark({"verify", "--index", index});
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
  Proc list = RunHark({"generations", "--index", index, "--format", "json"});
  ASSERT_EQ(list.code, 0) << list.err;
  json gens = json::parse(list.out)["generations"];
  ASSERT_EQ(gens.size(), 2u) << "--keep 2";
  EXPECT_EQ(gens[0]["generation"], 3);
  EXPECT_EQ(gens[1]["generation"], 4);
  EXPECT_TRUE(gens[1]["live"].get<bool>());
  EXPECT_EQ(gens[1]["records"], before.records);

  // Rollback, then ingest more into the generation rolled back to.
  Proc back = RunHark({"generations", "--index", index, "--rollback"});
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_NE(back.err.find("generation 3 is live again"), std::string::npos) << back.err;
  EXPECT_TRUE(Take(index) == before);
  Proc again = RunHark({"generations", "--index", index, "--rollback"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("no older generation"), std::string::npos) << again.err;
  Proc keep = RunHark({"generations", "--index", index, "--keep", "1", "--format", "json"});
  ASSERT_EQ(keep.code, 0) << keep.err;
  json kept = json::parse(keep.out)["generations"];
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0]["generation"], 3) << "the live generation is never pruned";

  // A reindex killed midway leaves the live generation as it was; the next writer
  // removes the partial build.
  pid_t pid = Spawn({"reindex", "--index", index, "--from-manifest", "--progress", "off"}, tmp / "re.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(pid, SIGKILL);
  Wait(pid);
  EXPECT_TRUE(Take(index) == before);
  Proc ingest = RunHark({"ingest", "--index", index, "--progress", "off", kSample});
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  Proc after = RunHark({"generations", "--index", index, "--format", "json"});
  json left = json::parse(after.out)["generations"];
  for (const json& g : left) EXPECT_FALSE(g["building"].get<bool>()) << g.dump();
}

// ---------------------------------------------------------------------------------
// The writer's lock.
// ---------------------------------------------------------------------------------

TEST(Nightly, OneWriterAtATimeAndAStaleLockIsRecovered) {
  TempDir tmp;
  const std::string gen = Generate(tmp, 15000, 11, "gen.jsonl");
  const std::string index = tmp / "idx";
  pid_t pid = Spawn({"ingest", "--index", index, "--progress", "off", "--threads", "1", gen}, tmp / "a.log");
  // Wait until it holds the lock (LOCK names its pid).
  for (int i = 0; i < 200 && ReadFile(index + "/LOCK").find(std::to_string(pid)) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Proc second = RunHark({"ingest", "--index", index, "--progress", "off", kSample});
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("pid " + std::to_string(pid)), std::string::npos) << second.err;
  Proc reindex = RunHark({"reindex", "--index", index, "--progress", "off", kSample});
  EXPECT_EQ(reindex.code, 1);
  Proc rollback = RunHark({"generations", "--index", index, "--rollback"});
  EXPECT_EQ(rollback.code, 1);
  EXPECT_NE(rollback.err.find("pid " + std::to_string(pid)), std::string::npos) << rollback.err;
  // Readers never block: stats answers while the writer runs.
  if (fs::exists(index + "/CURRENT")) {
    Proc stats = RunHark({"stats", "--index", index});
    EXPECT_EQ(stats.code, 0) << stats.err;
  }
  // The writer dies without releasing anything: its lock is stale, the next run takes it.
  kill(pid, SIGKILL);
  Wait(pid);
  EXPECT_NE(ReadFile(index + "/LOCK").find(std::to_string(pid)), std::string::npos) << "the dead writer's pid stays";
  Proc next = RunHark({"ingest", "--index", index, "--progress", "off", "--threads", "1", gen});
  ASSERT_EQ(next.code, 0) << next.err;
  EXPECT_EQ(Take(index).records, 15000u);
}

// ---------------------------------------------------------------------------------
// Faults: a clear message, a non-zero exit, the index as it was.
// ---------------------------------------------------------------------------------

class NightlyFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    chmod(tmp_.path().c_str(), 0755);  // a dropped-privilege run must reach the files
    Proc p = RunHark({"ingest", "--index", index_, "--progress", "off", kSample});
    ASSERT_EQ(p.code, 0) << p.err;
    before_ = Take(index_);
    gen_ = Generate(tmp_, 20000, 13, "gen.jsonl");
    chmod(gen_.c_str(), 0644);
  }
  void ExpectUnchanged(const std::string& what) {
    EXPECT_TRUE(Take(index_) == before_) << what << ": the index changed";
    Proc verify = RunHark({"verify", "--index", index_});
    EXPECT_EQ(verify.code, 0) << what << ": " << verify.out << verify.err;
    // And the next clean run works and adds the file.
    Proc p = RunHark({"ingest", "--index", index_, "--progress", "off", gen_});
    EXPECT_EQ(p.code, 0) << what << ": " << p.err;
    EXPECT_EQ(Take(index_).records, before_.records + 20000) << what;
  }
  TempDir tmp_;
  std::string index_ = tmp_ / "idx";
  std::string gen_;
  Snapshot before_;
};

TEST_F(NightlyFaults, DiskFullAsAFileSizeLimit) {
  // ulimit -f: no file of the process may grow past 2 MB (a full disk for RocksDB's
  // tables and Xapian's chunks alike).
  Proc p =
      RunShell("ulimit -f 2048; exec " + HarkCommandLine({"ingest", "--index", index_, "--progress", "off", gen_}));
  EXPECT_EQ(p.code, 1) << p.out << p.err;
  // "hark ingest: ..." from the store or a Xapian merge (IndexWriter::Commit says nothing was
  // committed), or "hark: building the text index failed: ..." when a Xapian chunk flush
  // hits the limit (text_index.cc ChunkWriteFailed).
  EXPECT_NE(p.err.find("hark"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("File too large"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("nothing of this run was committed; the index is as it was"), std::string::npos) << p.err;
  ExpectUnchanged("file size limit");
}

TEST_F(NightlyFaults, ReadOnlyIndexDirectory) {
  // Root ignores permissions, so the run drops to nobody when the test runs as root.
  const std::string prefix = geteuid() == 0 ? "exec setpriv --reuid=65534 --regid=65534 --clear-groups " : "exec ";
  RunShell("chmod -R a-w " + ShellQuote(index_));
  Proc p = RunShell(prefix + HarkCommandLine({"ingest", "--index", index_, "--progress", "off", gen_}));
  RunShell("chmod -R u+w " + ShellQuote(index_));
  EXPECT_EQ(p.code, 1) << p.out << p.err;
  EXPECT_NE(p.err.find("Permission denied"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find(index_), std::string::npos) << "names the index: " << p.err;
  ExpectUnchanged("read-only index");
}

TEST_F(NightlyFaults, MissingAndUnreadableInput) {
  Proc missing = RunHark({"ingest", "--index", index_, "--progress", "off", gen_, tmp_ / "absent.jsonl"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("absent.jsonl: No such file or directory"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("nothing of this run was committed"), std::string::npos) << missing.err;
  Proc dir = RunHark({"ingest", "--index", index_, "--progress", "off", gen_, tmp_.path()});
  EXPECT_EQ(dir.code, 1);
  EXPECT_NE(dir.err.find("not a regular file"), std::string::npos) << dir.err;
  if (geteuid() == 0) {
    const std::string secret = tmp_ / "secret.jsonl";
    std::ofstream(secret) << R"({"id":"s","time":1,"text":"x"})" << "\n";
    chmod(secret.c_str(), 0600);
    fs::create_directories(tmp_ / "other");
    chmod((tmp_ / "other").c_str(), 0777);
    Proc p = RunShell("exec setpriv --reuid=65534 --regid=65534 --clear-groups " +
                      HarkCommandLine({"ingest", "--index", tmp_ / "other/idx", "--progress", "off", secret}));
    EXPECT_EQ(p.code, 1) << p.err;
    EXPECT_NE(p.err.find("secret.jsonl: Permission denied"), std::string::npos) << p.err;
  }
  ExpectUnchanged("missing input");
}

TEST_F(NightlyFaults, TruncatedZst) {
  ASSERT_EQ(RunShell("zstd -q -f " + ShellQuote(gen_) + " -o " + ShellQuote(tmp_ / "gen.jsonl.zst")).code, 0);
  const std::string zst = ReadFile(tmp_ / "gen.jsonl.zst");
  std::ofstream(tmp_ / "cut.jsonl.zst", std::ios::binary) << zst.substr(0, zst.size() / 2);
  Proc p = RunHark({"ingest", "--index", index_, "--progress", "off", tmp_ / "cut.jsonl.zst"});
  EXPECT_EQ(p.code, 1) << p.out << p.err;
  EXPECT_NE(p.err.find("cut.jsonl.zst"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("at byte "), std::string::npos) << "names where: " << p.err;
  ExpectUnchanged("truncated .zst");
}

TEST_F(NightlyFaults, FileChangedWhileRead) {
  // Another process keeps appending to the file while it is read.
  const std::string growing = tmp_ / "growing.jsonl";
  fs::copy_file(gen_, growing);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      std::ofstream(growing, std::ios::app) << R"({"id":"late-)" << i << R"(","time":1,"text":"late"})" << "\n";
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  Proc p = RunHark({"ingest", "--index", index_, "--progress", "off", growing});
  stop = true;
  writer.join();
  EXPECT_EQ(p.code, 1) << p.out << p.err;
  EXPECT_NE(p.err.find("growing.jsonl: changed while it was read"), std::string::npos) << p.err;
  ExpectUnchanged("changed while read");
}

}  // namespace
}  // namespace hark
