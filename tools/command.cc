#include "tools/command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "storage/time_parse.h"

namespace hark::tools {

std::string DefaultIndexDir() {
  const char* env = std::getenv("HARK_INDEX");
  return env != nullptr && *env != '\0' ? env : "hark-index";
}

void AddQueryOptions(po::options_description* desc, std::string* index, std::string* format) {
  desc->add_options()
      ("index", po::value(index)->default_value(DefaultIndexDir()), "index directory ($HARK_INDEX)")
      ("format", po::value(format)->default_value("text"), "output: text, json or csv");
}

bool ParseArgs(const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage, po::variables_map* vm,
               int* exit) {
  try {
    po::store(po::command_line_parser(args).options(desc).positional(positional).run(), *vm);
    if (vm->count("help") > 0) {
      std::cout << usage << "\n\n" << desc << "\n";
      *exit = kExitOk;
      return true;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    std::cerr << "hark: " << e.what() << "\n" << usage << "\n(--help for all options)\n";
    *exit = kExitUsage;
    return true;
  }
  return false;
}

bool ParseTimeBound(const char* command, const std::string& text, bool upper, std::optional<int64_t>* out) {
  if (text.empty()) return true;
  int64_t t;
  std::string err;
  if (!ParseTime(text, &t, &err)) {
    std::cerr << "hark " << command << ": " << err << "\n";
    return false;
  }
  if (upper && text.size() == 10) t += 86399;  // --to 2017-10-31 includes that day
  *out = t;
  return true;
}

bool LoadIdentities(const char* command, const std::string& path, IdentityMap* map) {
  if (path.empty()) return true;
  Result<IdentityMap> m = IdentityMap::FromFile(path);
  if (!m.ok()) {
    std::cerr << "hark " << command << ": " << m.status().message() << "\n";
    return false;
  }
  *map = std::move(*m);
  return true;
}

std::unique_ptr<IndexReader> OpenForQuery(const std::string& dir) {
  Result<std::unique_ptr<IndexReader>> r = IndexReader::Open(dir);
  if (!r.ok()) {
    std::cerr << "hark: cannot open index: " << r.status().message() << "\n";
    if (r.status().code() == Status::Code::kNotFound) {
      std::cerr << "(create one with: hark ingest --index " << dir << " FILE...)\n";
    }
    return nullptr;
  }
  return std::move(*r);
}

bool ResolveRender(const std::string& format, RenderOptions* render) {
  Result<OutputFormat> f = ParseOutputFormat(format);
  if (!f.ok()) {
    std::cerr << "hark: " << f.status().message() << "\n";
    return false;
  }
  render->format = *f;
  render->ansi = *f == OutputFormat::kText && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return true;
}

int RunLookupCommand(const char* name, const char* usage, const char* id_help, LookupFn lookup,
                     const std::vector<std::string>& args) {
  std::string index, format, id, source;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &index, &format);
  desc.add_options()("source", po::value(&source), "the record's source, when the id exists in several")(
      "id", po::value(&id)->required(), id_help);
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, pos, usage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render)) return kExitUsage;
  std::unique_ptr<IndexReader> reader = OpenForQuery(index);
  if (!reader) return kExitFailure;
  Status s = lookup(*reader, id, source, render, std::cout);
  return s.ok() ? kExitOk : Fail(name, s);
}

int Fail(const char* command, const Status& status) {
  std::cerr << "hark " << command << ": " << status.message() << "\n";
  return status.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace hark::tools
