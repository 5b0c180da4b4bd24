// hark serve: the query commands as a read-only HTTP JSON API, and a search page.
//
// GET /COMMAND?name=value&... answers what `hark COMMAND --name value ... --format json`
// prints, byte for byte: the parameters are the command's options (tools/command.h,
// CommandIo::params), parsed by the command's own parser. Queries run on a fixed set of
// query threads, each with an IndexReader of the live generation taken from a pool that
// drops readers of an older one (a reindex or an ingest is picked up at the next request).
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tools/command.h"
#include "tools/serve_page.h"

namespace hark::tools {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// Readers of the live generation for reuse. Thread-safe.
class ReaderPool {
 public:
  explicit ReaderPool(std::string dir) : dir_(std::move(dir)) {}

  // An idle reader of what is live now, else a newly opened one; *version is what it reads.
  Result<std::unique_ptr<IndexReader>> Take(std::string* version) {
    Result<std::string> live = LiveIndexVersion(dir_);
    if (!live.ok()) return live.status();
    *version = *live;
    std::vector<std::unique_ptr<IndexReader>> stale;  // closed outside the lock
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (version_ != *live) {
        stale.swap(idle_);
        version_ = *live;
      }
      if (!idle_.empty()) {
        std::unique_ptr<IndexReader> r = std::move(idle_.back());
        idle_.pop_back();
        return r;
      }
    }
    return IndexReader::Open(dir_);
  }

  // Gives a reader back; dropped when the index has moved on since it was taken.
  void Give(std::unique_ptr<IndexReader> reader, const std::string& version) {
    std::lock_guard<std::mutex> lock(mu_);
    if (version == version_) idle_.push_back(std::move(reader));
  }

 private:
  const std::string dir_;
  std::mutex mu_;
  std::string version_;  // of the idle readers
  std::vector<std::unique_ptr<IndexReader>> idle_;
};

// One query's answer, filled on a query thread. The HTTP thread that waits for it may
// give up (time limit): the task is shared so that a late answer has somewhere to go.
struct QueryTask {
  QueryJob job;
  int status = 500;
  std::string body;
  uint64_t generation = 0;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool abandoned = false;
};

// A fixed number of query threads and a bounded queue of queries waiting for one.
// Thread-safe. The destructor lets running queries finish and drops waiting ones.
class QueryRunner {
 public:
  QueryRunner(ReaderPool* pool, size_t threads, size_t queue) : pool_(pool), max_queue_(queue) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~QueryRunner() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // Queues `task`; false when every thread is taken and `queue` tasks wait already.
  bool Submit(const std::shared_ptr<QueryTask>& task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.size() >= max_queue_ + idle_) return false;
      queue_.push_back(task);
    }
    cv_.notify_one();
    return true;
  }

 private:
  void Loop() {
    for (;;) {
      std::shared_ptr<QueryTask> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ++idle_;
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (stopping_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      {
        std::lock_guard<std::mutex> lock(task->mu);
        if (task->abandoned) continue;  // its client got its answer (time limit) already
      }
      Execute(task.get());
      {
        std::lock_guard<std::mutex> lock(task->mu);
        task->done = true;
      }
      task->cv.notify_all();
    }
  }

  void Execute(QueryTask* task) {
    std::string version;
    Result<std::unique_ptr<IndexReader>> reader = pool_->Take(&version);
    if (!reader.ok()) {
      task->status = 503;
      task->body = "cannot open the index: " + reader.status().message();
      return;
    }
    std::ostringstream out;
    Status s = task->job.run(**reader, out);
    task->generation = (*reader)->state().generation;
    pool_->Give(std::move(*reader), version);
    if (s.ok()) {
      task->status = 200;
      task->body = std::move(out).str();
      return;
    }
    task->status = s.code() == Status::Code::kInvalidArgument ? 400 : s.code() == Status::Code::kNotFound ? 404 : 500;
    task->body = s.message();
  }

  ReaderPool* pool_;
  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<QueryTask>> queue_;
  size_t idle_ = 0;  // threads waiting for a task
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

std::string ErrorJson(int status, const std::string& message) {
  std::string m = message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  nlohmann::json j = {{"error", m}, {"status", status}};
  return j.dump() + "\n";
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(ErrorJson(status, message), "application/json; charset=utf-8");
}

struct ServeOptions {
  std::string index, listen;
  size_t threads = 0, queue = 0;
  double timeout_s = 0;
  uint64_t max_limit = 0;
};

// Bounds a client may not exceed: --max-limit on `limit` (hits, customers, entries printed).
bool CheckBounds(const Params& params, const ServeOptions& opts, std::string* error) {
  for (const auto& [name, value] : params) {
    if (name != "limit") continue;
    char* end = nullptr;
    unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (!value.empty() && *end == '\0' && value[0] != '-' && n > opts.max_limit) {
      *error = "limit " + value + " is above this server's --max-limit " + std::to_string(opts.max_limit);
      return false;
    }
  }
  return true;
}

void HandleQuery(const Command& command, const ServeOptions& opts, QueryRunner* runner, const httplib::Request& req,
                 httplib::Response& res) {
  Params params(req.params.begin(), req.params.end());
  std::string bound_error;
  if (!CheckBounds(params, opts, &bound_error)) return SendError(res, 400, bound_error);
  std::ostringstream help, err;
  CommandIo io{help, err, &params};
  auto task = std::make_shared<QueryTask>();
  if (command.parse(io, {}, &task->job) != kExitOk) return SendError(res, 400, err.str());
  if (!task->job.run) {  // ?help
    res.set_content(help.str(), "text/plain; charset=utf-8");
    return;
  }
  auto start = std::chrono::steady_clock::now();
  if (!runner->Submit(task)) {
    res.set_header("Retry-After", "1");
    return SendError(res, 503, "busy: every query thread is taken and the queue is full; try again");
  }
  std::unique_lock<std::mutex> lock(task->mu);
  auto limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(opts.timeout_s));
  if (!task->cv.wait_for(lock, limit, [&] { return task->done; })) {
    task->abandoned = true;
    char message[200];
    std::snprintf(message, sizeof message,
                  "the query did not finish within this server's --timeout of %g s; narrow it (from, to, a query, "
                  "a brand) or run it with the command line",
                  opts.timeout_s);
    return SendError(res, 504, message);
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char timing[64];
  std::snprintf(timing, sizeof timing, "query;dur=%.3f", ms);
  res.set_header("Server-Timing", timing);
  res.set_header("X-Hark-Generation", std::to_string(task->generation));
  if (task->status != 200) return SendError(res, task->status, task->body);
  res.set_content(std::move(task->body), "application/json; charset=utf-8");
}

bool ParseListen(const std::string& listen, std::string* host, int* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  char* end = nullptr;
  long p = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (end == listen.c_str() + colon + 1 || *end != '\0' || p < 0 || p > 65535) return false;
  *port = static_cast<int>(p);
  return true;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark serve [--index DIR] [--listen HOST:PORT] [--threads N] [--queue N] [--timeout SECONDS]\n"
      "                  [--max-limit N]\n\n"
      "A read-only HTTP JSON API over the index: GET /search, /show, /thread, /journey, /journeys, /care, /trend,\n"
      "/mentions, /kb, /stats, each taking the command's options as parameters (/search?q=refund&brand=X&limit=5;\n"
      "a switch as ?exact or ?exact=1; repeat a parameter to repeat the option) and answering what the command\n"
      "prints with --format json; ?help gives the command's options. A search page is at /. Errors: 400 for bad\n"
      "parameters, 404 for nothing found, 503 when busy, 504 past --timeout, each as {\"error\": ..., \"status\": ...}.\n"
      "A reindex or an ingest is picked up at the next request. Stop with Ctrl-C (SIGINT) or SIGTERM.";
  ServeOptions opts;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")(
      "index", po::value(&opts.index)->default_value(DefaultIndexDir()), "index directory ($HARK_INDEX)")(
      "listen", po::value(&opts.listen)->default_value("127.0.0.1:7070"), "address and port (port 0: any free one)")(
      "threads", po::value(&opts.threads)->default_value(0), "queries run at once (0: one per core)")(
      "queue", po::value(&opts.queue)->default_value(64), "queries that may wait for a thread; more get 503")(
      "timeout", po::value(&opts.timeout_s)->default_value(30.0), "seconds a query may take before its 504")(
      "max-limit", po::value(&opts.max_limit)->default_value(1000), "largest `limit` a client may ask for");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  std::string host;
  int port = 0;
  if (!ParseListen(opts.listen, &host, &port)) {
    std::cerr << "hark serve: --listen wants HOST:PORT (such as 127.0.0.1:7070), not '" << opts.listen << "'\n";
    return kExitUsage;
  }
  if (opts.timeout_s <= 0) {
    std::cerr << "hark serve: --timeout must be more than 0 seconds\n";
    return kExitUsage;
  }
  if (opts.threads == 0) opts.threads = std::max(1u, std::thread::hardware_concurrency());
  // SIGINT and SIGTERM go to a thread that stops the server (blocked before any thread starts,
  // RocksDB's included, so every thread inherits the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  {
    // Fails early, with the command line's message, when there is no index.
    std::unique_ptr<IndexReader> probe = OpenForQuery(opts.index);
    if (!probe) return kExitFailure;
  }

  ReaderPool pool(opts.index);
  QueryRunner runner(&pool, opts.threads, opts.queue);
  httplib::Server server;
  // Connections beyond the query threads wait in the HTTP threads, which only read,
  // wait and write.
  const size_t http_threads = opts.threads + 8;
  server.new_task_queue = [http_threads] { return new httplib::ThreadPool(http_threads); };
  server.set_read_timeout(5);
  server.set_write_timeout(std::max<time_t>(5, static_cast<time_t>(opts.timeout_s)));
  server.set_keep_alive_timeout(5);
  server.set_payload_max_length(64 * 1024);  // GET only: bodies are refused anyway
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kSearchPage, "text/html; charset=utf-8");
  });
  for (const Command& c : Commands()) {
    if (c.parse == nullptr) continue;
    server.Get(std::string("/") + c.name, [&c, &opts, &runner](const httplib::Request& req, httplib::Response& res) {
      HandleQuery(c, opts, &runner, req, res);
    });
  }
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    SendError(res, 405, "hark serve is read-only: only GET (and HEAD)");
  };
  server.Post(".*", not_allowed);
  server.Put(".*", not_allowed);
  server.Patch(".*", not_allowed);
  server.Delete(".*", not_allowed);
  server.Options(".*", not_allowed);
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (req.method != "GET" && req.method != "HEAD" && res.status == 400) {  // e.g. a POST without a length
      res.set_header("Allow", "GET, HEAD");
      return SendError(res, 405, "hark serve is read-only: only GET (and HEAD)");
    }
    std::string message = res.status == 404 ? "no such path: " + req.path +
                                                  " (paths: /search /show /thread /journey /journeys /care /trend "
                                                  "/mentions /kb /stats, and / for the search page)"
                                            : "bad request";
    SendError(res, res.status, message);
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "internal error";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what += std::string(": ") + ex.what();
    } catch (...) {
    }
    SendError(res, 500, what);
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::string timing = res.get_header_value("Server-Timing");
    std::fprintf(stderr, "%s %s %s %d %zu%s%s\n", req.remote_addr.c_str(), req.method.c_str(), req.target.c_str(),
                 res.status, res.body.size(), timing.empty() ? "" : " ", timing.c_str());
  });

  if (port == 0) {
    port = server.bind_to_any_port(host);
    if (port < 0) port = -1;
  } else if (!server.bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "hark serve: cannot listen on " << opts.listen << " (address in use, or not this machine's)\n";
    return kExitFailure;
  }
  std::thread stopper([&server, &stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (sig != 0) server.stop();
  });
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;  // IPv6
  std::printf("hark serve: listening on http://%s:%d/ (index %s, %zu query threads)\n", shown.c_str(), port,
              opts.index.c_str(), opts.threads);
  std::fflush(stdout);
  bool ok = server.listen_after_bind();
  // The stopper waits in sigwait: wake it if the server stopped for another reason.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  std::fprintf(stderr, "hark serve: stopped\n");
  return ok ? kExitOk : kExitFailure;
}

}  // namespace hark::tools
