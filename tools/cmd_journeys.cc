// hark journeys: customers whose journeys follow a pattern.
#include <iostream>
#include <memory>

#include "query/journeys.h"
#include "tools/command.h"

namespace hark::tools {

int ParseJourneys(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark journeys --step QUERY --step QUERY [...] [--within DURATION] [--brand B] [--from T] [--to T]\n"
      "                     [--limit N] [--identities FILE] [--index DIR] [--format text|json|csv]\n\n"
      "Customers with a message of their own matching each step (Xapian query syntax), in that order, each\n"
      "within DURATION (30m, 12h, 1d, 2w) of the previous. `total` counts every such customer.";
  std::string format, within, from, to, identities;
  std::vector<std::string> steps, brands;
  uint64_t limit = 20;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("step", po::value(&steps), "a step's query (repeat, in order)")
      ("within", po::value(&within), "longest time between consecutive steps: 30m, 12h, 1d, 2w")
      ("brand", po::value(&brands), "only messages with this brand (repeatable)")
      ("from", po::value(&from), "earliest time")
      ("to", po::value(&to), "latest time, inclusive")
      ("limit", po::value(&limit)->default_value(20), "customers to print")
      ("identities", po::value(&identities), "CSV (person,handle) or JSON identities to stitch");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  if (steps.empty()) {
    io.err << "hark journeys: give at least one --step QUERY\n" << kUsage << "\n";
    return kExitUsage;
  }
  JourneysRequest req;
  req.steps = steps;
  req.brands = brands;
  req.limit = limit;
  if (!within.empty() && !ParseDuration(within, &req.within)) {
    io.err << "hark journeys: --within must look like 30m, 12h, 1d or 2w, not '" << within << "'\n";
    return kExitUsage;
  }
  auto map = std::make_shared<IdentityMap>();  // shared by the job's copies of the request
  if (!ParseTimeBound("journeys", from, false, &req.from, io.err) || !ParseTimeBound("journeys", to, true, &req.to, io.err) ||
      !LoadIdentities("journeys", identities, map.get(), io.err)) {
    return kExitUsage;
  }
  if (!map->empty()) req.identities = map.get();
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  // The job keeps `map` alive: req.identities points into it.
  job->run = [req, render, map](IndexReader& index, std::ostream& out) {
    return hark::RunJourneys(index, req, render, out);
  };
  return kExitOk;
}

}  // namespace hark::tools
