// hark serve over real HTTP on loopback: a real `hark serve` subprocess on a real index
// built from a real corpus, real clients (cpp-httplib's and raw sockets), its answers
// compared byte for byte with what the command line prints.
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/test_support.h"

extern char** environ;

namespace hark {
namespace {

using testing::HarkCommandLine;
using testing::Proc;
using testing::RunHark;
using testing::TempDir;

// A `hark serve` subprocess on an ephemeral loopback port; stopped with SIGTERM.
class ServeProcess {
 public:
  ServeProcess(const std::string& index, const std::vector<std::string>& extra, const std::string& err_path)
      : err_path_(err_path) {
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> args = {std::string(HARK_BINARY_DIR) + "/tools/hark", "serve", "--index", index,
                                     "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    // The first line names the port: "hark serve: listening on http://127.0.0.1:PORT/ ...".
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    while (pid_ > 0 && line.find('\n') == std::string::npos && poll(&p, 1, 30000) > 0) {
      char buf[256];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    first_line_ = line;
    size_t at = line.find("127.0.0.1:");
    if (at != std::string::npos) port_ = std::atoi(line.c_str() + at + 10);
  }
  ~ServeProcess() { Stop(); }

  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  // SIGTERM, then the exit code (-1 when it did not exit by itself).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

  std::string Stderr() const {
    std::ifstream in(err_path_);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::string err_path_, first_line_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

// An index of the first 5,000 messages of the Customer Support on Twitter corpus, tagged
// with the bundled brand lexicon. False (with a failure recorded) when hark ingest fails.
bool BuildIndex(const std::string& corpus, const std::string& index) {
  Proc p = RunHark({"ingest", "--index", index, "--brands", std::string(HARK_SOURCE_DIR) + "/corpora/brands/twcs-brands.json",
                    corpus});
  EXPECT_EQ(p.code, 0) << p.err;
  return p.code == 0;
}

// What `hark ARGS --format json` prints.
std::string CliJson(const std::string& index, std::vector<std::string> args) {
  args.insert(args.end(), {"--index", index, "--format", "json"});
  Proc p = RunHark(args);
  EXPECT_EQ(p.code, 0) << p.err;
  return p.out;
}

// Paths, sizes and modification times of everything under `dir`.
std::map<std::string, std::pair<uintmax_t, int64_t>> Snapshot(const std::string& dir) {
  std::map<std::string, std::pair<uintmax_t, int64_t>> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    out[e.path().string()] = {e.file_size(), e.last_write_time().time_since_epoch().count()};
  }
  return out;
}

// Sends `raw` on a new connection and returns the server's answer, up to the end of its
// headers (or what came within 10 s).
std::string RawExchange(int port, const std::string& raw) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  EXPECT_EQ(write(fd, raw.data(), raw.size()), static_cast<ssize_t>(raw.size()));
  std::string answer;
  pollfd p{fd, POLLIN, 0};
  while (answer.find("\r\n\r\n") == std::string::npos && poll(&p, 1, 10000) > 0) {
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return answer;
}

TEST(Serve, EveryEndpointAnswersWhatTheCommandPrints) {
  HARK_REQUIRE_CORPUS(corpus, "twcs-head-5k/twcs_head_5000.csv");
  TempDir dir;
  const std::string index = dir / "idx";
  ASSERT_TRUE(BuildIndex(corpus, index));
  // A customer with a conversation, and one of their messages, found by the CLI.
  nlohmann::json hits = nlohmann::json::parse(CliJson(index, {"search", "refund", "--role", "customer", "--limit", "1"}));
  ASSERT_FALSE(hits["hits"].empty());
  const std::string id = hits["hits"][0]["id"], customer = hits["hits"][0]["author"];
  const auto before = Snapshot(index);

  ServeProcess server(index, {"--threads", "2"}, dir / "serve.err");
  ASSERT_GT(server.port(), 0) << server.first_line() << server.Stderr();
  httplib::Client client("127.0.0.1", server.port());
  struct Case {
    std::string target;
    std::vector<std::string> cli;
  };
  const std::vector<Case> cases = {
      {"/search?q=refund&limit=5&facets=brand,role&exact", {"search", "refund", "--limit", "5", "--facets", "brand,role", "--exact"}},
      {"/search?brand=AmazonHelp&sort=oldest&limit=3&offset=2", {"search", "--brand", "AmazonHelp", "--sort", "oldest", "--limit", "3", "--offset", "2"}},
      {"/search?q=%22my%20order%22&exact=1&no-snippets", {"search", "\"my order\"", "--exact", "--no-snippets"}},
      {"/show?id=" + id, {"show", id}},
      {"/thread?id=" + id, {"thread", id}},
      {"/journey?customer=" + customer, {"journey", customer}},
      {"/journeys?step=order&step=refund&within=2w", {"journeys", "--step", "order", "--step", "refund", "--within", "2w"}},
      {"/care?by=brand", {"care", "--by", "brand"}},
      {"/trend?q=refund&q=delivery&by=week", {"trend", "refund", "delivery", "--by", "week"}},
      {"/trend?spikes", {"trend", "--spikes"}},
      {"/mentions?by=day", {"mentions", "--by", "day"}},
      {"/kb?limit=3", {"kb", "--limit", "3"}},
      {"/kb?gaps=true&min-support=2", {"kb", "--gaps", "--min-support", "2"}},
      {"/stats", {"stats"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    httplib::Result r = client.Get(c.target.c_str());
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r->get_header_value("X-Hark-Generation"), "1");
    EXPECT_EQ(r->body, CliJson(index, c.cli));
  }
  // HEAD: the headers of the GET, no body.
  httplib::Result head = client.Head("/stats");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  // The search page: self-contained, calling the API.
  httplib::Result page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("fetch(url)"), std::string::npos);
  EXPECT_NE(page->body.find("\"/search?\""), std::string::npos);
  EXPECT_EQ(page->body.find("http://"), std::string::npos);
  EXPECT_EQ(page->body.find("https://"), std::string::npos);

  EXPECT_EQ(server.Stop(), 0);
  const std::string log = server.Stderr();
  EXPECT_NE(log.find("127.0.0.1 GET /stats 200"), std::string::npos) << log;
  EXPECT_NE(log.find("hark serve: stopped"), std::string::npos) << log;
  EXPECT_EQ(Snapshot(index), before) << "hark serve wrote into the index directory";
}

TEST(Serve, MalformedRequestsGetClearErrors) {
  HARK_REQUIRE_CORPUS(corpus, "twcs-head-5k/twcs_head_5000.csv");
  TempDir dir;
  const std::string index = dir / "idx";
  ASSERT_TRUE(BuildIndex(corpus, index));
  ServeProcess server(index, {"--max-limit", "100"}, dir / "serve.err");
  ASSERT_GT(server.port(), 0) << server.first_line() << server.Stderr();
  httplib::Client client("127.0.0.1", server.port());
  struct Case {
    std::string target;
    int status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/search?limit=abc", 400, "the argument ('abc') for option '--limit' is invalid"},
      {"/search?limit=101", 400, "limit 101 is above this server's --max-limit 100"},
      {"/search?colour=red", 400, "unknown parameter 'colour'"},
      {"/search?exact=maybe", 400, "parameter 'exact' is a switch"},
      {"/search?sort=sideways", 400, "--sort must be relevance, newest or oldest"},
      {"/search?from=yesterday", 400, "hark search: "},
      {"/search?index=/etc", 400, "parameter 'index' is the server's to choose"},
      {"/search?format=csv", 400, "parameter 'format' is the server's to choose"},
      {"/journey?customer=x&identities=/etc/passwd", 400, "names a file on the server's disk"},
      {"/mentions?brands=/etc/passwd", 400, "names a file on the server's disk"},
      {"/journey", 400, "customer"},
      {"/journeys", 400, "give at least one --step QUERY"},
      {"/trend?by=fortnight", 400, "fortnight"},
      {"/show?id=no-such-id", 404, "no record with id 'no-such-id'"},
      {"/nothing-here", 404, "no such path: /nothing-here"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    httplib::Result r = client.Get(c.target.c_str());
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, c.status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
    nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r->body;
    EXPECT_EQ(j["status"], c.status);
    EXPECT_NE(j["error"].get<std::string>().find(c.message), std::string::npos) << r->body;
  }
  // ?help is the command's usage, as text.
  httplib::Result help = client.Get("/search?help");
  ASSERT_TRUE(help);
  EXPECT_EQ(help->status, 200);
  EXPECT_EQ(help->body.rfind("usage: hark search", 0), 0u) << help->body;
  // Writing methods: 405 with Allow, with a body or without.
  httplib::Result post = client.Post("/search", "q=refund", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  httplib::Result del = client.Delete("/stats");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  // Bounded sizes: a 9,000-byte target, and a header line past 8 KiB.
  httplib::Result long_uri = client.Get(("/search?q=" + std::string(9000, 'a')).c_str());
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(long_uri->status, 414);
  EXPECT_EQ(RawExchange(server.port(), "GET /stats HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'b') +
                                           "\r\n\r\n")
                .rfind("HTTP/1.1 400", 0),
            0u);
  // Not HTTP at all: refused (405: HELLO is no method of this server's).
  const std::string hello = RawExchange(server.port(), "HELLO THERE\r\n\r\n");
  EXPECT_EQ(hello.rfind("HTTP/1.1 4", 0), 0u) << hello;
  // A truncated percent escape is a parameter the command rejects, not a crash.
  httplib::Result trunc = client.Get("/search?q=%E2%82");
  ASSERT_TRUE(trunc);
  EXPECT_NE(trunc->status, 500);
  // After all that the server still answers.
  httplib::Result stats = client.Get("/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, ConcurrentClientsDuringAReindexSeeTheOldGenerationThenTheNew) {
  HARK_REQUIRE_CORPUS(corpus, "twcs-head-5k/twcs_head_5000.csv");
  TempDir dir;
  const std::string index = dir / "idx";
  ASSERT_TRUE(BuildIndex(corpus, index));
  const nlohmann::json expected = nlohmann::json::parse(CliJson(index, {"search", "refund", "--exact", "--limit", "3"}));
  ServeProcess server(index, {"--threads", "3"}, dir / "serve.err");
  ASSERT_GT(server.port(), 0) << server.first_line() << server.Stderr();

  std::atomic<bool> done{false};
  struct Seen {
    int requests = 0, failures = 0, went_back = 0;
    uint64_t first = 0, last = 0;
    std::string problem;
  };
  std::vector<Seen> seen(4);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < seen.size(); ++i) {
    clients.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", server.port());
      Seen& s = seen[i];
      while (!done.load()) {
        httplib::Result r = client.Get(i % 2 == 0 ? "/search?q=refund&exact&limit=3" : "/stats");
        ++s.requests;
        if (!r || r->status != 200) {
          ++s.failures;
          if (s.problem.empty()) s.problem = r ? r->body : httplib::to_string(r.error());
          continue;
        }
        nlohmann::json j = nlohmann::json::parse(r->body);
        const uint64_t generation = j["generation"].get<uint64_t>();
        if (std::to_string(generation) != r->get_header_value("X-Hark-Generation")) ++s.failures;
        if (i % 2 == 0 && (j["total"] != expected["total"] || j["hits"] != expected["hits"])) {
          ++s.failures;
          if (s.problem.empty()) s.problem = "different hits: " + r->body;
        }
        if (s.first == 0) s.first = generation;
        if (generation < s.last) ++s.went_back;
        s.last = generation;
      }
    });
  }
  // The reindex removes the generation the server was reading (--keep 1) while it reads.
  Proc reindex = RunHark({"reindex", "--index", index, "--from-manifest", "--keep", "1"});
  EXPECT_EQ(reindex.code, 0) << reindex.err;
  // Every client's next request after the swap must see generation 2.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  done = true;
  for (std::thread& t : clients) t.join();
  for (size_t i = 0; i < seen.size(); ++i) {
    SCOPED_TRACE("client " + std::to_string(i));
    EXPECT_GT(seen[i].requests, 5);
    EXPECT_EQ(seen[i].failures, 0) << seen[i].problem;
    EXPECT_EQ(seen[i].went_back, 0);
    EXPECT_EQ(seen[i].first, 1u);
    EXPECT_EQ(seen[i].last, 2u);
  }
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result after = client.Get("/stats");
  ASSERT_TRUE(after);
  EXPECT_EQ(nlohmann::json::parse(after->body)["generation"], 2);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, BusyAndSlowQueriesAreAnsweredInTime) {
  HARK_REQUIRE_CORPUS(corpus, "twcs-head-5k/twcs_head_5000.csv");
  TempDir dir;
  const std::string index = dir / "idx";
  ASSERT_TRUE(BuildIndex(corpus, index));
  {
    // A 1 ms limit: the knowledge base of 5,000 messages takes longer than that.
    ServeProcess server(index, {"--timeout", "0.001"}, dir / "serve1.err");
    ASSERT_GT(server.port(), 0) << server.first_line() << server.Stderr();
    httplib::Client client("127.0.0.1", server.port());
    httplib::Result r = client.Get("/kb");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 504);
    EXPECT_NE(r->body.find("did not finish within this server's --timeout"), std::string::npos) << r->body;
    EXPECT_EQ(server.Stop(), 0);
  }
  {
    // One query thread and no queue: of eight knowledge bases asked at once, the ones that
    // find the thread taken get 503 with Retry-After at once.
    ServeProcess server(index, {"--threads", "1", "--queue", "0"}, dir / "serve2.err");
    ASSERT_GT(server.port(), 0) << server.first_line() << server.Stderr();
    std::vector<int> status(8, 0);
    std::vector<std::string> retry(8);
    std::atomic<int> ready{0};
    std::vector<std::thread> clients;
    for (size_t i = 0; i < status.size(); ++i) {
      clients.emplace_back([&, i] {
        httplib::Client client("127.0.0.1", server.port());
        ++ready;
        while (ready.load() < static_cast<int>(status.size())) std::this_thread::yield();
        httplib::Result r = client.Get("/kb?limit=50");
        if (r) {
          status[i] = r->status;
          retry[i] = r->get_header_value("Retry-After");
        }
      });
    }
    for (std::thread& t : clients) t.join();
    int ok = 0, busy = 0;
    for (size_t i = 0; i < status.size(); ++i) {
      if (status[i] == 200) ++ok;
      if (status[i] == 503) {
        ++busy;
        EXPECT_EQ(retry[i], "1");
      }
    }
    EXPECT_EQ(ok + busy, 8);
    EXPECT_GE(ok, 1);
    EXPECT_GE(busy, 1);
    EXPECT_EQ(server.Stop(), 0);
  }
}

TEST(Serve, RefusesBadOptionsAndMissingIndexes) {
  TempDir dir;
  Proc p = RunHark({"serve", "--index", dir / "none", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(p.code, 1);
  EXPECT_NE(p.err.find("cannot open index"), std::string::npos) << p.err;
  p = RunHark({"serve", "--listen", "nowhere"});
  EXPECT_EQ(p.code, 2);
  EXPECT_NE(p.err.find("--listen wants HOST:PORT"), std::string::npos) << p.err;
  p = RunHark({"serve", "--timeout", "0"});
  EXPECT_EQ(p.code, 2);
  p = RunHark({"serve", "--help"});
  EXPECT_EQ(p.code, 0);
  EXPECT_NE(p.out.find("GET /search"), std::string::npos);
}

}  // namespace
}  // namespace hark
