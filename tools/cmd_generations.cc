// hark generations: the generations of an index (hark reindex builds them), rollback to
// the previous one, pruning of old ones.
#include <cstdio>
#include <iostream>

#include "query/output.h"
#include "tools/command.h"

namespace hark::tools {

int RunGenerations(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark generations [--index DIR] [--rollback] [--keep N] [--format text|json|csv]\n\n"
      "Lists the generations of the index, oldest first; the live one is marked. --rollback makes the\n"
      "newest generation older than the live one live (CURRENT replaced atomically; readers see one or the\n"
      "other). --keep N removes all but the N newest generations (never the live one). Both take the\n"
      "writer's lock and fail while a writer runs.\n"
      "Exit codes: 0 success, 1 failure (no generation to roll back to, index busy), 2 usage error.";
  std::string index, format;
  size_t keep = 0;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")("rollback", "make the previous generation live")(
      "keep", po::value(&keep), "keep only the N newest generations (>= 1)");
  AddQueryOptions(&desc, &index, &format);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render)) return kExitUsage;
  if (vm.count("keep") && keep < 1) {
    std::cerr << "hark generations: --keep must be at least 1 (the live generation)\n";
    return kExitUsage;
  }
  if (vm.count("rollback")) {
    Result<uint64_t> to = RollBackGeneration(index);
    if (!to.ok()) return Fail("generations", to.status());
    std::fprintf(stderr, "hark generations: generation %llu is live again\n", static_cast<unsigned long long>(*to));
  }
  if (vm.count("keep")) {
    std::vector<std::string> removed;
    Status s = PruneGenerations(index, keep, &removed);
    if (!s.ok()) return Fail("generations", s);
    for (const std::string& r : removed) std::fprintf(stderr, "hark generations: removed %s\n", r.c_str());
  }
  Result<std::vector<GenerationInfo>> gens = ListGenerations(index);
  if (!gens.ok()) return Fail("generations", gens.status());
  if (render.format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const GenerationInfo& g : *gens) {
      list.push_back({{"generation", g.number}, {"name", g.name}, {"live", g.live}, {"building", g.building},
                      {"records", g.records}, {"sources", g.sources}, {"created_at", g.created_at},
                      {"updated_at", g.updated_at}, {"bytes", g.bytes}});
    }
    WriteJson(std::cout, {{"index", index}, {"generations", list}});
  } else if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(std::cout, {"generation", "name", "live", "building", "records", "sources", "created_at",
                            "updated_at", "bytes"});
    for (const GenerationInfo& g : *gens) {
      WriteCsvRow(std::cout, {std::to_string(g.number), g.name, g.live ? "true" : "false",
                              g.building ? "true" : "false", std::to_string(g.records), std::to_string(g.sources),
                              g.created_at, g.updated_at, std::to_string(g.bytes)});
    }
  } else {
    std::printf("%-4s %-12s %10s %7s  %-20s  %-20s %10s\n", "", "generation", "records", "sources", "created",
                "updated", "MB");
    for (const GenerationInfo& g : *gens) {
      std::printf("%-4s %-12s %10llu %7zu  %-20s  %-20s %10.1f%s\n", g.live ? "live" : "", g.name.c_str(),
                  static_cast<unsigned long long>(g.records), g.sources, g.created_at.c_str(), g.updated_at.c_str(),
                  static_cast<double>(g.bytes) / 1e6, g.building ? "  (being built, or left by a crash)" : "");
    }
  }
  return kExitOk;
}

}  // namespace hark::tools
