// hark verify: the two stores agree with each other and with the committed state
// (storage/verify.h does the checking; this prints it).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "indexer/progress.h"
#include "storage/verify.h"
#include "tools/command.h"

namespace hark::tools {
namespace {

std::string Plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Checked(const VerifyReport& r) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", r.seconds);
  return "checked: " + Plural(r.records, "record", "records") + ", " + Plural(r.documents, "document", "documents") +
         ", " + Plural(r.ids, "id", "ids") + ", " + Plural(r.thread_entries, "thread entry", "thread entries") + ", " +
         Plural(r.author_entries, "author entry", "author entries") + ", " +
         Plural(r.counters, "counter", "counters") + ", " + Plural(r.sources, "source file", "source files") +
         " and manifest.json in " + seconds;
}

void PrintText(const VerifyReport& r, std::ostream& out) {
  if (r.ok()) {
    out << "ok: " << Plural(r.records, "record", "records") << " in both stores, "
        << Plural(r.counters, "counter", "counters") << ", " << Plural(r.sources, "source file", "source files")
        << "; generation " << r.generation << "\n";
  } else {
    out << "FAILED: " << Plural(r.problem_total(), "problem", "problems") << " in " << r.dir;
    if (r.generation != 0) out << " (generation " << r.generation << ", " << r.records << " records committed)";
    out << "\n";
    for (const auto& [kind, n] : r.problem_counts) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-18s %llu\n", kind.c_str(), static_cast<unsigned long long>(n));
      out << line;
    }
    if (!r.problems.empty()) {
      out << (r.problems.size() < r.problem_total() ? "first " + std::to_string(r.problems.size()) + ":\n" : "problems:\n");
      for (const VerifyProblem& p : r.problems) out << "  " << p.kind << ": " << p.detail << "\n";
    }
  }
  for (const std::string& w : r.warnings) out << "warning: " << w << "\n";
  out << Checked(r) << "\n";
}

void PrintJson(const VerifyReport& r, std::ostream& out) {
  nlohmann::json problems = nlohmann::json::array();
  for (const VerifyProblem& p : r.problems) {
    nlohmann::json j = {{"kind", p.kind}, {"detail", p.detail}};
    if (p.recno != 0) j["recno"] = p.recno;
    if (!p.key.empty()) j["key"] = p.key;
    if (!p.stored.empty()) j["stored"] = p.stored;
    if (!p.expected.empty()) j["expected"] = p.expected;
    problems.push_back(std::move(j));
  }
  nlohmann::json j = {
      {"ok", r.ok()},
      {"index", r.dir},
      {"generation", r.generation},
      {"records", r.records},
      {"checked",
       {{"records", r.records},
        {"documents", r.documents},
        {"ids", r.ids},
        {"thread_entries", r.thread_entries},
        {"author_entries", r.author_entries},
        {"counters", r.counters},
        {"sources", r.sources},
        {"source_records", r.source_records},
        {"uncommitted", r.uncommitted},
        {"seconds", r.seconds}}},
      {"problems_total", r.problem_total()},
      {"problem_counts", r.problem_counts},
      {"problems", problems},
      {"warnings", r.warnings},
  };
  if (r.writer_pid != 0) j["writer_pid"] = r.writer_pid;
  out << j.dump(2) << "\n";
}

}  // namespace

int RunVerify(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark verify [--index DIR] [--format text|json] [--max-problems N] [--progress auto|bar|off]\n\n"
      "Checks that the index's two stores agree (every record in both, ids aligned, thread and author orders\n"
      "complete, counters equal to a recount, manifest.json equal to the committed state), reading everything\n"
      "once without blocking a writer. Records a writer has not committed yet are warnings, not problems.\n"
      "Exit codes: 0 all holds, 1 problems found (or no index), 2 usage error.";
  std::string index, format, progress;
  int max_problems = 20;
  po::options_description desc("options");
  desc.add_options()
      ("help,h", "show this help")
      ("index", po::value(&index)->default_value(DefaultIndexDir()), "index directory ($HARK_INDEX)")
      ("format", po::value(&format)->default_value("text"), "output: text or json")
      ("max-problems", po::value(&max_problems)->default_value(20), "problems listed in full (all are counted)")
      ("progress", po::value(&progress)->default_value("auto"), "progress on stderr: auto (on a terminal), bar, off");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  if (format != "text" && format != "json") {
    std::cerr << "hark verify: --format must be text or json, not '" << format << "'\n";
    return kExitUsage;
  }
  if (max_problems < 0) {
    std::cerr << "hark verify: --max-problems must be >= 0\n";
    return kExitUsage;
  }
  if (progress != "auto" && progress != "bar" && progress != "off") {
    std::cerr << "hark verify: --progress must be auto, bar or off\n";
    return kExitUsage;
  }

  VerifyOptions options;
  options.max_problems = static_cast<size_t>(max_problems);
  std::unique_ptr<Progress> bar;  // made at the first report, when the number of records is known
  if (progress == "bar" || (progress == "auto" && isatty(fileno(stderr)))) {
    options.progress = [&bar](const char* step, uint64_t done, uint64_t total) {
      const bool records = std::string(step) == "records";
      if (!bar) {
        bar = std::make_unique<Progress>("verify", records ? total : 0, Progress::Mode::kTerminal);
        bar->CountRecords();
      }
      if (records) bar->Update(done, done);
      else bar->Step(step, done, total);
    };
  }
  VerifyReport report;
  Status s = VerifyIndex(index, options, &report);
  if (bar) bar->Finish();
  if (!s.ok()) return Fail("verify", s);
  if (format == "json") PrintJson(report, std::cout);
  else PrintText(report, std::cout);
  return report.ok() ? kExitOk : kExitFailure;
}

}  // namespace hark::tools
