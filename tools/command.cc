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

CommandIo TerminalIo() { return CommandIo{std::cout, std::cerr}; }

namespace {

// hark serve's parameters as a command line (CommandIo::params). False after writing
// what is wrong to `err`; *help when the client asked for the usage.
bool ParamsToArgs(const std::vector<std::pair<std::string, std::string>>& params, const po::options_description& desc,
                  std::ostream& err, std::vector<std::string>* args, bool* help) {
  for (const auto& [name, value] : params) {
    const std::string key = name == "q" ? "query" : name;
    if (key == "help") {
      *help = true;
      continue;
    }
    if (key == "index" || key == "format") {
      err << "parameter '" << name << "' is the server's to choose (hark serve --index; answers are JSON)";
      return false;
    }
    if (key == "identities" || key == "brands") {
      err << "parameter '" << name << "' names a file on the server's disk, which clients may not choose "
          << "(use the command line for it)";
      return false;
    }
    const po::option_description* option = desc.find_nothrow(key, false);
    if (option == nullptr) {
      err << "unknown parameter '" << name << "' (the parameters are the command's options, without --)";
      return false;
    }
    if (option->semantic()->max_tokens() == 0) {  // a switch
      if (value.empty() || value == "1" || value == "true") {
        args->push_back("--" + key);
      } else if (value != "0" && value != "false") {
        err << "parameter '" << name << "' is a switch: give it no value, 1 or true (0 or false: off), not '" << value
            << "'";
        return false;
      }
      continue;
    }
    args->push_back("--" + key + "=" + value);
  }
  args->push_back("--format=json");
  return true;
}

}  // namespace

bool ParseArgs(const CommandIo& io, const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage, po::variables_map* vm,
               int* exit) {
  std::vector<std::string> from_params;
  bool help = false;
  if (io.params != nullptr && !ParamsToArgs(*io.params, desc, io.err, &from_params, &help)) {
    *exit = kExitUsage;
    return true;
  }
  try {
    if (io.params != nullptr) {
      po::store(po::command_line_parser(from_params).options(desc).run(), *vm);
    } else {
      po::store(po::command_line_parser(args).options(desc).positional(positional).run(), *vm);
    }
    if (help || vm->count("help") > 0) {
      io.out << usage << "\n\n" << desc << "\n";
      *exit = kExitOk;
      return true;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    if (io.params != nullptr) {
      io.err << e.what();
    } else {
      io.err << "hark: " << e.what() << "\n" << usage << "\n(--help for all options)\n";
    }
    *exit = kExitUsage;
    return true;
  }
  return false;
}

bool ParseArgs(const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage, po::variables_map* vm,
               int* exit) {
  return ParseArgs(TerminalIo(), args, desc, positional, usage, vm, exit);
}

bool ParseTimeBound(const char* command, const std::string& text, bool upper, std::optional<int64_t>* out,
                    std::ostream& err) {
  if (text.empty()) return true;
  int64_t t;
  std::string message;
  if (!ParseTime(text, &t, &message)) {
    err << "hark " << command << ": " << message << "\n";
    return false;
  }
  if (upper && text.size() == 10) t += 86399;  // --to 2017-10-31 includes that day
  *out = t;
  return true;
}

bool LoadIdentities(const char* command, const std::string& path, IdentityMap* map, std::ostream& err) {
  if (path.empty()) return true;
  Result<IdentityMap> m = IdentityMap::FromFile(path);
  if (!m.ok()) {
    err << "hark " << command << ": " << m.status().message() << "\n";
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

bool ResolveRender(const std::string& format, RenderOptions* render, std::ostream& err) {
  Result<OutputFormat> f = ParseOutputFormat(format);
  if (!f.ok()) {
    err << "hark: " << f.status().message() << "\n";
    return false;
  }
  render->format = *f;
  render->ansi = *f == OutputFormat::kText && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return true;
}

int ParseLookupCommand(const CommandIo& io, const char* usage, const char* id_help, LookupFn lookup,
                       const std::vector<std::string>& args, QueryJob* job) {
  std::string format, id, source;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()("source", po::value(&source), "the record's source, when the id exists in several")(
      "id", po::value(&id)->required(), id_help);
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, pos, usage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return lookup(index, id, source, render, out); };
  return kExitOk;
}

int RunCommand(const Command& command, const std::vector<std::string>& args) {
  if (command.parse == nullptr) return command.run(args);
  QueryJob job;
  int exit = command.parse(TerminalIo(), args, &job);
  if (exit != kExitOk || !job.run) return exit;
  std::unique_ptr<IndexReader> reader = OpenForQuery(job.index);
  if (!reader) return kExitFailure;
  Status s = job.run(*reader, std::cout);
  return s.ok() ? kExitOk : Fail(command.name, s);
}

int Fail(const char* command, const Status& status) {
  std::cerr << "hark " << command << ": " << status.message() << "\n";
  return status.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace hark::tools
