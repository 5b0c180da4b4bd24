// hark search: full-text search.
#include <iostream>
#include <sstream>

#include "storage/time_parse.h"
#include "tools/command.h"

namespace hark::tools {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int ParseSearch(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark search [QUERY] [--author A] [--brand B] [--channel C] [--role R] [--source S] [--from T] [--to T]\n"
      "                   [--sort relevance|newest|oldest] [--limit N] [--offset N] [--facets F,...]\n"
      "                   [--collapse thread] [--exact] [--index DIR] [--format text|json|csv]\n\n"
      "QUERY uses Xapian's syntax: words (stemmed, all required), \"phrases\", OR, NOT, NEAR, field:value\n"
      "(author: brand: channel: role: thread: source: tag: mention: title: date:YYYY-MM-DD) and time ranges\n"
      "2017-10-01..2017-10-31. With no QUERY the filters alone select (newest first).";
  std::string format, sort, collapse, facets, from, to;
  std::vector<std::string> query_words, authors, brands, channels, roles, sources;
  uint64_t limit = 10, offset = 0;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("author", po::value(&authors), "only messages by this author (repeatable)")
      ("brand", po::value(&brands), "only this brand (repeatable)")
      ("channel", po::value(&channels), "only this channel (repeatable)")
      ("role", po::value(&roles), "only customer, agent or community (repeatable)")
      ("source", po::value(&sources), "only this source (repeatable)")
      ("from", po::value(&from), "earliest time (date or RFC 3339)")
      ("to", po::value(&to), "latest time, inclusive (a date includes its whole day)")
      ("sort", po::value(&sort)->default_value(""), "relevance (default with a query), newest (default without), oldest")
      ("limit", po::value(&limit)->default_value(10), "hits to print (may be as large as the index)")
      ("offset", po::value(&offset)->default_value(0), "hits to skip")
      ("facets", po::value(&facets), "count matches by fields: author,brand,channel,role,source")
      ("collapse", po::value(&collapse), "collapse hits of one thread: thread")
      ("exact", "make the total exact (else Xapian's estimate for large result sets)")
      ("no-snippets", "print the text instead of snippets")
      ("query", po::value(&query_words), "query words");
  po::positional_options_description pos;
  pos.add("query", -1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, pos, kUsage, &vm, &exit)) return exit;

  SearchRequest req;
  for (const std::string& w : query_words) req.query += (req.query.empty() ? "" : " ") + w;
  if (!authors.empty()) req.filters["author"] = authors;
  if (!brands.empty()) req.filters["brand"] = brands;
  if (!channels.empty()) req.filters["channel"] = channels;
  if (!sources.empty()) req.filters["source"] = sources;
  for (const std::string& r : roles) {
    Role role;
    if (!ParseRole(r, &role)) {
      io.err << "hark search: --role must be customer, agent or community, not '" << r << "'\n";
      return kExitUsage;
    }
    req.filters["role"].push_back(r);
  }
  if (!ParseTimeBound("search", from, false, &req.from, io.err) || !ParseTimeBound("search", to, true, &req.to, io.err)) return kExitUsage;
  if (sort.empty()) sort = req.query.empty() ? "newest" : "relevance";
  if (sort == "relevance") req.sort = SortOrder::kRelevance;
  else if (sort == "newest") req.sort = SortOrder::kNewest;
  else if (sort == "oldest") req.sort = SortOrder::kOldest;
  else {
    io.err << "hark search: --sort must be relevance, newest or oldest\n";
    return kExitUsage;
  }
  if (!collapse.empty() && collapse != "thread") {
    io.err << "hark search: --collapse only knows 'thread'\n";
    return kExitUsage;
  }
  req.collapse_thread = collapse == "thread";
  req.limit = limit;
  req.offset = offset;
  req.facets = SplitList(facets);
  req.exact = vm.count("exact") > 0;
  req.snippets = vm.count("no-snippets") == 0;
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunSearch(index, req, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
