// The `hark` subcommand table and helpers shared by the subcommands (one file each).
#ifndef HARK_TOOLS_COMMAND_H_
#define HARK_TOOLS_COMMAND_H_

#include <boost/program_options.hpp>
#include <functional>
#include <iostream>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "query/search.h"
#include "storage/index.h"

namespace hark::tools {

// Exit codes of every command (DESIGN.md).
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitRejects = 3 };

namespace po = boost::program_options;

// Where a command's argument parsing writes: --help to `out`, usage errors to `err`.
// Not thread-safe to share between threads that parse at once (the streams are not).
struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  // Set by hark serve: a request's parameters (name, value), in order, stand for the
  // command line. ParseArgs turns them into `--name=value` (a switch takes an empty value,
  // 1 or true; 0 or false leaves it off; `q` is `query`), refuses the names that are not
  // the command's options and those a server must not take from a client (--index,
  // --format, files on the server's disk), and answers in JSON.
  const std::vector<std::pair<std::string, std::string>>* params = nullptr;
};
// The terminal: std::cout and std::cerr.
CommandIo TerminalIo();

// A query command's parsed command line: what to run against an open index.
struct QueryJob {
  std::string index;                                        // --index
  std::function<Status(IndexReader&, std::ostream&)> run;  // empty after --help
};
// Parses a query command's arguments into *job: kExitOk (job->run empty after --help,
// which went to io.out) or kExitUsage after writing the error to io.err.
using QueryParser = int (*)(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);  // the commands that are not queries
  QueryParser parse = nullptr;                        // the query commands, which hark serve serves too
};

const std::vector<Command>& Commands();
// Runs `command` with `args` on the terminal; returns the exit code.
int RunCommand(const Command& command, const std::vector<std::string>& args);

int RunIngest(const std::vector<std::string>& args);
int ParseSearch(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseShow(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseThread(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseStats(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseJourney(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseJourneys(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseCare(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseTrend(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseMentions(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int ParseKb(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job);
int RunServe(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunReindex(const std::vector<std::string>& args);
int RunGenerations(const std::vector<std::string>& args);

// hark ingest, or with `reindex` hark reindex (a new generation, --from-manifest, --keep).
int IngestCommand(const std::vector<std::string>& args, bool reindex);
int RunVerify(const std::vector<std::string>& args);

// Adds --index and --format (text|json|csv) to a query command's options.
void AddQueryOptions(po::options_description* desc, std::string* index, std::string* format);
// Default index directory: $HARK_INDEX, else ./hark-index.
std::string DefaultIndexDir();

// Parses `args` (or io.params) into `vm`. On --help prints usage to io.out and returns
// true with kExitOk in *exit; on a usage error prints it to io.err and returns true with
// kExitUsage; else returns false.
bool ParseArgs(const CommandIo& io, const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage, po::variables_map* vm,
               int* exit);
// The same on the terminal.
bool ParseArgs(const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage, po::variables_map* vm,
               int* exit);

// --from/--to: a date (whole day; --to includes it) or a timestamp. Prints a usage error to `err`.
bool ParseTimeBound(const char* command, const std::string& text, bool upper, std::optional<int64_t>* out,
                    std::ostream& err = std::cerr);
// Loads --identities FILE when given (else leaves *map empty). Prints the error to `err`.
bool LoadIdentities(const char* command, const std::string& path, IdentityMap* map, std::ostream& err = std::cerr);

// Opens the index for reading, printing a clear error on failure.
std::unique_ptr<IndexReader> OpenForQuery(const std::string& dir);
// Resolves --format, printing a usage error to `err` on failure. Bold matches only on a terminal.
bool ResolveRender(const std::string& format, RenderOptions* render, std::ostream& err = std::cerr);
// Parses a look-up by id (show, thread): ID [--source S] plus the query options.
using LookupFn = Status (*)(IndexReader& index, const std::string& id, const std::string& source,
                            const RenderOptions& render, std::ostream& out);
int ParseLookupCommand(const CommandIo& io, const char* usage, const char* id_help, LookupFn lookup,
                       const std::vector<std::string>& args, QueryJob* job);

// Prints "hark CMD: message" to stderr and returns the exit code for the status.
int Fail(const char* command, const Status& status);

}  // namespace hark::tools

#endif  // HARK_TOOLS_COMMAND_H_
