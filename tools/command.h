// The `hark` subcommand table and helpers shared by the subcommands (one file each).
#ifndef HARK_TOOLS_COMMAND_H_
#define HARK_TOOLS_COMMAND_H_

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "query/search.h"
#include "storage/index.h"

namespace hark::tools {

// Exit codes of every command (DESIGN.md).
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitRejects = 3 };

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Command>& Commands();

int RunIngest(const std::vector<std::string>& args);
int RunSearch(const std::vector<std::string>& args);
int RunShow(const std::vector<std::string>& args);
int RunThread(const std::vector<std::string>& args);
int RunStats(const std::vector<std::string>& args);
int RunJourney(const std::vector<std::string>& args);
int RunJourneys(const std::vector<std::string>& args);
int RunCare(const std::vector<std::string>& args);
int RunTrend(const std::vector<std::string>& args);
int RunMentions(const std::vector<std::string>& args);
int RunKb(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunReindex(const std::vector<std::string>& args);
int RunGenerations(const std::vector<std::string>& args);

// hark ingest, or with `reindex` hark reindex (a new generation, --from-manifest, --keep).
int IngestCommand(const std::vector<std::string>& args, bool reindex);
int RunVerify(const std::vector<std::string>& args);

namespace po = boost::program_options;

// Adds --index and --format (text|json|csv) to a query command's options.
void AddQueryOptions(po::options_description* desc, std::string* index, std::string* format);
// Default index directory: $HARK_INDEX, else ./hark-index.
std::string DefaultIndexDir();

// Parses `args` into `vm`. On --help prints usage to stdout and returns kExitOk in *exit;
// on a usage error prints it to stderr and returns kExitUsage; else returns false.
bool ParseArgs(const std::vector<std::string>& args, const po::options_description& desc,
               const po::positional_options_description& positional, const char* usage,
               po::variables_map* vm, int* exit);

// --from/--to: a date (whole day; --to includes it) or a timestamp. Prints a usage error.
bool ParseTimeBound(const char* command, const std::string& text, bool upper, std::optional<int64_t>* out);
// Loads --identities FILE when given (else leaves *map empty). Prints the error.
bool LoadIdentities(const char* command, const std::string& path, IdentityMap* map);

// Opens the index for reading, printing a clear error on failure.
std::unique_ptr<IndexReader> OpenForQuery(const std::string& dir);
// Resolves --format, printing a usage error on failure.
bool ResolveRender(const std::string& format, RenderOptions* render);
// Runs a look-up by id (show, thread): parses ID [--source S] plus the query options,
// opens the index and calls `lookup`.
using LookupFn = Status (*)(IndexReader& index, const std::string& id, const std::string& source,
                            const RenderOptions& render, std::ostream& out);
int RunLookupCommand(const char* name, const char* usage, const char* id_help, LookupFn lookup,
                     const std::vector<std::string>& args);

// Prints "hark CMD: message" to stderr and returns the exit code for the status.
int Fail(const char* command, const Status& status);

}  // namespace hark::tools

#endif  // HARK_TOOLS_COMMAND_H_
