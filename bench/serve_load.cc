// hark-bench-serve: a loopback load generator for hark serve, and its peer, the same
// requests as one `hark` process each (what a notebook without the server would do).
//
//   hark-bench-serve --queries Q.tsv --kind search|journey (--url http://127.0.0.1:PORT
//                    [--clients K] [--seconds S] | --cli build/tools/hark --index DIR [--requests N])
//
// Q.tsv is bench/make_queries.py's format (kind, query, FTS5 expression, brand, from,
// to): the search kinds (term, and, phrase, filtered) become GET /search?q=..&exact
// (top 10 with an exact total), journey lines GET /journey?customer=... Each client runs
// its own slice of the queries in a loop, one request at a time, on one keep-alive
// connection. Prints one row: kind, mode, clients, requests, errors, requests/s, p50 and
// p99 latency (ms).
#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

struct Query {
  std::string path;              // the HTTP target
  std::vector<std::string> cli;  // the same as `hark` arguments (without --index)
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, '\t')) out.push_back(field);
  while (out.size() < 6) out.emplace_back();
  return out;
}

bool LoadQueries(const std::string& path, const std::string& kind, std::vector<Query>* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = SplitTabs(line);
    const bool is_search = f[0] == "term" || f[0] == "and" || f[0] == "phrase" || f[0] == "filtered";
    Query q;
    if (kind == "search" && is_search) {
      q.path = "/search?exact&q=" + httplib::detail::encode_query_param(f[1]);
      q.cli = {"search", f[1], "--exact", "--format", "json"};
      if (!f[3].empty()) {
        q.path += "&brand=" + httplib::detail::encode_query_param(f[3]);
        q.cli.insert(q.cli.end(), {"--brand", f[3]});
      }
      if (!f[4].empty()) {
        q.path += "&from=" + httplib::detail::encode_query_param(f[4]) + "&to=" + httplib::detail::encode_query_param(f[5]);
        q.cli.insert(q.cli.end(), {"--from", f[4], "--to", f[5]});
      }
    } else if (kind == "journey" && f[0] == "journey") {
      q.path = "/journey?customer=" + httplib::detail::encode_query_param(f[1]);
      q.cli = {"journey", f[1], "--format", "json"};
    } else {
      continue;
    }
    out->push_back(std::move(q));
  }
  return true;
}

double Percentile(std::vector<double>* v, double p) {
  if (v->empty()) return 0;
  std::sort(v->begin(), v->end());
  return (*v)[std::min(v->size() - 1, static_cast<size_t>(p * static_cast<double>(v->size())))];
}

void PrintRow(const std::string& kind, const char* mode, int clients, size_t errors, double seconds,
              std::vector<double>* ms) {
  const size_t n = ms->size() + errors;
  std::printf("%-8s %-14s %7d %9zu %6zu %10.1f %9.2f %9.2f\n", kind.c_str(), mode, clients, n, errors,
              static_cast<double>(n) / seconds, Percentile(ms, 0.5), Percentile(ms, 0.99));
}

// Runs `hark ARGS --index DIR` with its output thrown away; its exit code.
int RunCli(const std::string& hark, const std::string& index, const std::vector<std::string>& args) {
  std::vector<std::string> full = {hark};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--index", index});
  std::vector<char*> argv;
  for (std::string& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, queries_path, kind, cli, index;
  int clients = 1;
  double seconds = 10;
  size_t requests = 200;
  po::options_description desc("hark-bench-serve options");
  desc.add_options()("help,h", "show this help")("url", po::value(&url), "hark serve's address (http://HOST:PORT)")(
      "queries", po::value(&queries_path)->required(), "bench/make_queries.py query file")(
      "kind", po::value(&kind)->required(), "search or journey")(
      "clients", po::value(&clients)->default_value(1), "concurrent clients (with --url)")(
      "seconds", po::value(&seconds)->default_value(10), "how long to run (with --url)")(
      "cli", po::value(&cli), "the peer: this hark binary, one process per request")(
      "index", po::value(&index), "index of the peer (with --cli)")(
      "requests", po::value(&requests)->default_value(200), "requests of the peer (with --cli)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help") > 0) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hark-bench-serve: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (url.empty() == cli.empty() || (!cli.empty() && index.empty()) || clients < 1) {
    std::cerr << "hark-bench-serve: give either --url (with --clients) or --cli and --index\n";
    return 2;
  }
  std::vector<Query> queries;
  if (!LoadQueries(queries_path, kind, &queries) || queries.empty()) {
    std::cerr << "hark-bench-serve: no " << kind << " queries in " << queries_path << "\n";
    return 1;
  }

  if (!cli.empty()) {
    std::vector<double> ms;
    size_t errors = 0;
    const Clock::time_point start = Clock::now();
    for (size_t i = 0; i < requests; ++i) {
      const Clock::time_point t0 = Clock::now();
      if (RunCli(cli, index, queries[i % queries.size()].cli) != 0) {
        ++errors;
        continue;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    PrintRow(kind, "cli-process", 1, errors, std::chrono::duration<double>(Clock::now() - start).count(), &ms);
    return errors == 0 ? 0 : 1;
  }

  std::vector<std::vector<double>> ms(clients);
  std::vector<size_t> errors(clients, 0);
  std::string first_error;
  std::mutex error_mu;
  const Clock::time_point start = Clock::now();
  const Clock::time_point stop = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client(url);
      client.set_read_timeout(60);
      for (size_t i = static_cast<size_t>(c) * queries.size() / clients; Clock::now() < stop; ++i) {
        const Query& q = queries[i % queries.size()];
        const Clock::time_point t0 = Clock::now();
        httplib::Result r = client.Get(q.path.c_str());
        if (!r || r->status != 200) {
          ++errors[c];
          std::lock_guard<std::mutex> lock(error_mu);
          if (first_error.empty()) first_error = q.path + ": " + (r ? r->body : httplib::to_string(r.error()));
          continue;
        }
        ms[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  size_t all_errors = 0;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), ms[c].begin(), ms[c].end());
    all_errors += errors[c];
  }
  PrintRow(kind, "serve", clients, all_errors, elapsed, &all);
  if (!first_error.empty()) std::cerr << "hark-bench-serve: first error: " << first_error << "\n";
  return all_errors == 0 ? 0 : 1;
}
