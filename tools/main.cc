// hark: a thin main over the subcommand table (tools/command.h).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tools/command.h"

namespace hark::tools {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"ingest", "read archives (JSONL, TWCS, Stack Exchange, mbox, Reddit, CSV) into an index", RunIngest},
      {"search", "full-text search with filters, facets and snippets", nullptr, ParseSearch},
      {"show", "print one record by id", nullptr, ParseShow},
      {"thread", "print the whole conversation of a message, in time order", nullptr, ParseThread},
      {"journey", "one customer's timeline across channels, with per-conversation care metrics", nullptr, ParseJourney},
      {"journeys", "customers whose journeys follow a pattern of steps", nullptr, ParseJourneys},
      {"care", "customer-care metrics per brand, channel or month", nullptr, ParseCare},
      {"trend", "exact volume over time per query, spikes and their drivers, rising terms", nullptr, ParseTrend},
      {"mentions", "brands and competitors: mentions, share of voice, sentiment, switching", nullptr, ParseMentions},
      {"kb", "a draft knowledge base: recurring questions with the best answer given, and gaps", nullptr, ParseKb},
      {"report", "one self-contained HTML page: volume and spikes, brands, response times, KB, journeys", RunReport},
      {"stats", "what an index holds: counts, time range, sizes", nullptr, ParseStats},
      {"serve", "a read-only HTTP JSON API of the query commands, and a search page", RunServe},
      {"reindex", "rebuild the index as a new generation and swap it in atomically", RunReindex},
      {"generations", "list the index's generations, roll back to the previous one, prune old ones", RunGenerations},
      {"verify", "check that the index's two stores agree with each other and with its manifest", RunVerify},
  };
  return kCommands;
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "usage: hark COMMAND [options]   (hark COMMAND --help for a command's options)\n\n"
               "hark indexes archived customer conversations and answers questions about them.\n\ncommands:\n");
  for (const Command& c : Commands()) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
  std::fprintf(out, "\nThe index directory is --index DIR, else $HARK_INDEX, else ./hark-index.\n");
}

}  // namespace
}  // namespace hark::tools

int main(int argc, char** argv) {
  using hark::tools::Commands;
  // A file size limit (ulimit -f) must fail a write with EFBIG, reported like a full
  // disk, instead of killing the process: the run then stops cleanly, index intact.
  std::signal(SIGXFSZ, SIG_IGN);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    if (argc >= 3 && std::strcmp(argv[1], "help") == 0) {
      for (const auto& c : Commands()) {
        if (c.name == std::string(argv[2])) return hark::tools::RunCommand(c, {"--help"});
      }
    }
    hark::tools::PrintUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? hark::tools::kExitUsage : hark::tools::kExitOk;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("hark 0.1.0\n");
    return 0;
  }
  std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : Commands()) {
    if (name == c.name) return hark::tools::RunCommand(c, args);
  }
  std::fprintf(stderr, "hark: unknown command '%s'", name.c_str());
  const char* best = nullptr;
  size_t best_distance = 3;
  for (const auto& c : Commands()) {
    size_t d = hark::tools::EditDistance(name, c.name);
    if (d < best_distance) {
      best_distance = d;
      best = c.name;
    }
  }
  if (best != nullptr) std::fprintf(stderr, "; did you mean '%s'?", best);
  std::fprintf(stderr, "\n(hark --help lists the commands)\n");
  return hark::tools::kExitUsage;
}
