// Format names, detection and the reader factory table.
#include <fstream>
#include <sstream>

#include "indexer/readers.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

struct FormatEntry {
  Format format;
  const char* name;
  Result<std::unique_ptr<FileReader>> (*make)(std::unique_ptr<InputStream>, const ReaderOptions&);
};

constexpr FormatEntry kFormats[] = {
    {Format::kJsonl, "jsonl", NewJsonlReader},
    {Format::kTwcs, "twcs", NewTwcsReader},
    {Format::kStackExchange, "stackexchange", NewStackExchangeReader},
    {Format::kMbox, "mbox", NewMboxReader},
    {Format::kReddit, "reddit", NewRedditReader},
    {Format::kCsv, "csv", NewCsvReader},
};

const char* kCanonicalFields[] = {"id",   "source", "channel", "time", "author", "role",     "brand",
                                  "parent", "thread", "title", "text", "score", "accepted", "tags"};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 60)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  return out;
}

}  // namespace

std::string_view FormatName(Format format) {
  if (format == Format::kAuto) return "auto";
  for (const FormatEntry& e : kFormats) {
    if (e.format == format) return e.name;
  }
  return "?";
}

Result<Format> ParseFormat(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  std::string known = "auto";
  for (const FormatEntry& e : kFormats) {
    if (name == e.name) return e.format;
    known += std::string(", ") + e.name;
  }
  return Status::InvalidArgument("unknown format '" + std::string(name) + "' (known: " + known + ")");
}

Result<FieldMap> ParseFieldMap(std::string_view spec) {
  std::string text(spec);
  if (text.find('=') == std::string::npos) {  // a mapping file
    std::ifstream in(text);
    if (!in) return Status::InvalidArgument("--map: '" + text + "' is neither field=column pairs nor a readable file");
    std::stringstream ss;
    std::string line;
    while (std::getline(in, line)) {
      size_t hash = line.find('#');
      if (hash != std::string::npos) line.erase(hash);
      ss << line << ',';
    }
    text = ss.str();
  }
  FieldMap map;
  std::stringstream ss(text);
  std::string pair;
  while (std::getline(ss, pair, ',')) {
    std::string_view p = Trim(pair);
    if (p.empty()) continue;
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("--map: '" + std::string(p) + "' is not field=column");
    }
    std::string field(Trim(p.substr(0, eq)));
    std::string column(Trim(p.substr(eq + 1)));
    bool known = false;
    for (const char* f : kCanonicalFields) known = known || field == f;
    if (!known) {
      std::string list;
      for (const char* f : kCanonicalFields) list += std::string(list.empty() ? "" : " ") + f;
      return Status::InvalidArgument("--map: unknown field '" + field + "' (fields: " + list + ")");
    }
    if (column.empty()) return Status::InvalidArgument("--map: field '" + field + "' maps to an empty column name");
    map.columns[field] = column;
  }
  if (map.columns.empty()) return Status::InvalidArgument("--map: no field=column pairs given");
  return map;
}

Result<Format> DetectFormat(const std::string& path) {
  Result<std::unique_ptr<InputStream>> in = InputStream::Open(path);
  if (!in.ok()) return in.status();
  Result<std::string> head = (*in)->Peek(64 * 1024);
  if (!head.ok()) return head.status();
  std::string_view h = *head;
  if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  std::string_view t = Trim(h);
  if (t.empty()) return Status::Format(path + ": file is empty; cannot detect its format");
  if (t.substr(0, 5) == "From ") return Format::kMbox;
  if (t[0] == '<') {
    if (t.find("<posts") != std::string_view::npos) return Format::kStackExchange;
    return Status::Format(path + ": XML without a <posts> element; only Stack Exchange Posts.xml is supported");
  }
  if (t[0] == '{') {
    std::string_view first_line = t.substr(0, t.find('\n'));
    bool reddit = (first_line.find("\"subreddit\"") != std::string_view::npos &&
                   (first_line.find("\"link_id\"") != std::string_view::npos ||
                    first_line.find("\"num_comments\"") != std::string_view::npos));
    return reddit ? Format::kReddit : Format::kJsonl;
  }
  std::string_view first_line = h.substr(0, h.find('\n'));
  if (first_line.find("tweet_id") != std::string_view::npos &&
      first_line.find("author_id") != std::string_view::npos &&
      first_line.find("inbound") != std::string_view::npos) {
    return Format::kTwcs;
  }
  if (first_line.find(',') != std::string_view::npos || EndsWith(path, ".csv")) return Format::kCsv;
  return Status::Format(path + ": cannot detect the format (first line: '" + Printable(first_line) +
                        "'); give --format");
}

Result<std::unique_ptr<FileReader>> OpenReader(const std::string& path, Format format,
                                               const ReaderOptions& options) {
  if (format == Format::kAuto) {
    Result<Format> detected = DetectFormat(path);
    if (!detected.ok()) return detected.status();
    format = *detected;
    if (format == Format::kCsv && options.map.empty()) {
      return Status::InvalidArgument(path + ": a CSV that is not TWCS needs --map (e.g. --map id=tweet_id,time=created,text=text)");
    }
  }
  Result<std::unique_ptr<InputStream>> in = InputStream::Open(path);
  if (!in.ok()) return in.status();
  for (const FormatEntry& e : kFormats) {
    if (e.format == format) return e.make(std::move(*in), options);
  }
  return Status::InvalidArgument("no reader for format " + std::string(FormatName(format)));
}

}  // namespace hark
