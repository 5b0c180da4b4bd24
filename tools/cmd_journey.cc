// hark journey: one customer's whole story.
#include <iostream>
#include <memory>

#include "query/journey.h"
#include "tools/command.h"

namespace hark::tools {

int ParseJourney(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark journey CUSTOMER [--from T] [--to T] [--identities FILE] [--index DIR] [--format text|json|csv]\n\n"
      "Every message of every conversation CUSTOMER wrote in, in time order, across sources and channels,\n"
      "then per conversation: brand, channel, turns, first-response time, resolved, sentiment at start and\n"
      "end. CUSTOMER is a handle, or a person of the identities stored at ingest or given with --identities.";
  std::string format, customer, from, to, identities;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("from", po::value(&from), "earliest time (date or RFC 3339)")
      ("to", po::value(&to), "latest time, inclusive")
      ("identities", po::value(&identities), "CSV (person,handle) or JSON identities to stitch, on top of the index's")
      ("customer", po::value(&customer)->required(), "handle or person");
  po::positional_options_description pos;
  pos.add("customer", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, pos, kUsage, &vm, &exit)) return exit;
  JourneyRequest req;
  req.customer = customer;
  auto map = std::make_shared<IdentityMap>();  // shared by the job's copies of the request
  if (!ParseTimeBound("journey", from, false, &req.from, io.err) || !ParseTimeBound("journey", to, true, &req.to, io.err) ||
      !LoadIdentities("journey", identities, map.get(), io.err)) {
    return kExitUsage;
  }
  if (!map->empty()) req.identities = map.get();
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  // The job keeps `map` alive: req.identities points into it.
  job->run = [req, render, map](IndexReader& index, std::ostream& out) {
    return hark::RunJourney(index, req, render, out);
  };
  return kExitOk;
}

}  // namespace hark::tools
