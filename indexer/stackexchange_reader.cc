// Stack Exchange data dump reader: Posts.xml, one `<row .../>` element per line inside
// `<posts>`.
//
// Blocks are cut at line ends: the dumps write every row on one line (newlines inside
// attribute values are escaped as &#xA;), so a line is a record. Each row line is parsed
// on its own by expat as a tiny document; a broken row therefore costs only itself, and
// expat (not hand-written code) decides what is well-formed XML and decodes entities and
// character references.
//
// Mapping (questions PostTypeId=1, answers PostTypeId=2; every other post type is counted
// in ParsedBlock::skipped by name):
//   id = Id; thread = Id (question) or ParentId (answer); parent = ParentId (answer);
//   title = Title; text = HtmlToText(Body) (may be empty: a body-less row is kept);
//   author = OwnerUserId, else OwnerDisplayName, else ""; score = Score;
//   time = CreationDate (no zone: UTC); tags = Tags in the classic "<a><b>" or the 2024
//   "|a|b|" form; accepted_answer = AcceptedAnswerId; role = customer (asker) for a
//   question, community for an answer; channel "forum"; source = the name of the
//   directory holding Posts.xml (e.g. "beer.stackexchange.com"), so that two sites'
//   ids never collide.
#include <expat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "indexer/readers.h"
#include "indexer/text_util.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Name of a non-message post type, for ParsedBlock::skipped.
std::string SkippedPostTypeName(std::string_view type_id) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"3", "orphaned tag wiki post"},
      {"4", "tag wiki excerpt post"},
      {"5", "tag wiki post"},
      {"6", "moderator nomination post"},
      {"7", "wiki placeholder post"},
      {"8", "privilege wiki post"},
      {"9", "article post"},
      {"10", "help article post"},
      {"12", "collection post"},
      {"13", "moderator questionnaire response post"},
      {"14", "announcement post"},
      {"15", "collective discussion post"},
      {"17", "collective collection post"},
  };
  auto it = kNames.find(type_id);
  if (it != kNames.end()) return std::string(it->second);
  return "post type " + std::string(type_id);
}

// Splits a Tags attribute in either dump format: "<python><pandas>" (until 2023) or
// "|python|pandas|" (2024 dumps). Anything else is split on whitespace.
std::vector<std::string> SplitTags(std::string_view value) {
  std::vector<std::string> tags;
  value = Trim(value);
  auto add = [&tags](std::string_view tag) {
    tag = Trim(tag);
    if (!tag.empty()) tags.emplace_back(tag);
  };
  if (!value.empty() && value.front() == '<') {
    size_t pos = 0;
    while (pos < value.size()) {
      size_t open = value.find('<', pos);
      if (open == std::string_view::npos) break;
      size_t close = value.find('>', open + 1);
      if (close == std::string_view::npos) {
        add(value.substr(open + 1));
        break;
      }
      add(value.substr(open + 1, close - open - 1));
      pos = close + 1;
    }
  } else if (!value.empty() && value.front() == '|') {
    size_t pos = 0;
    while (pos <= value.size()) {
      size_t bar = value.find('|', pos);
      if (bar == std::string_view::npos) bar = value.size();
      add(value.substr(pos, bar - pos));
      pos = bar + 1;
    }
  } else {
    size_t pos = 0;
    while (pos < value.size()) {
      size_t end = value.find_first_of(" \t", pos);
      if (end == std::string_view::npos) end = value.size();
      add(value.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  return tags;
}

// What expat saw in one row document: the root element's name and attributes.
struct RowAttributes {
  bool seen_root = false;
  std::string element;
  std::map<std::string, std::string, std::less<>> attrs;

  const std::string* Get(std::string_view name) const {
    auto it = attrs.find(name);
    return it == attrs.end() ? nullptr : &it->second;
  }
};

void XMLCALL OnStartElement(void* user_data, const XML_Char* name, const XML_Char** atts) {
  auto* row = static_cast<RowAttributes*>(user_data);
  if (row->seen_root) return;  // nested elements carry nothing we use
  row->seen_root = true;
  row->element = name;
  for (size_t i = 0; atts[i] != nullptr && atts[i + 1] != nullptr; i += 2) {
    row->attrs.emplace(atts[i], atts[i + 1]);
  }
}

// Parses one trimmed row line with `parser` (reset here, so one parser serves a whole
// block). Returns an empty string on success, else why the line is not well-formed
// (columns are 1-based bytes in the file's line).
// `column_base` is where `line` starts in the file's line, for the error column.
std::string ParseRowXml(XML_Parser parser, std::string_view line, size_t column_base, RowAttributes* row) {
  XML_ParserReset(parser, "UTF-8");
  XML_SetUserData(parser, row);
  XML_SetStartElementHandler(parser, OnStartElement);
  // Lines can exceed INT_MAX only in pathological input; feed in slices.
  constexpr size_t kSlice = 1 << 30;
  size_t pos = 0;
  do {
    size_t n = std::min(kSlice, line.size() - pos);
    bool last = pos + n == line.size();
    if (XML_Parse(parser, line.data() + pos, static_cast<int>(n), last ? 1 : 0) == XML_STATUS_ERROR) {
      return std::string("not well-formed XML: ") + XML_ErrorString(XML_GetErrorCode(parser)) +
             " at column " + std::to_string(column_base + XML_GetCurrentColumnNumber(parser) + 1);
    }
    pos += n;
  } while (pos < line.size());
  return std::string();
}

// Removes the XML structure that surrounds the rows from a trimmed line: a BOM, the XML
// declaration, comments, the <posts> start tag (leading) and the </posts> end tag
// (trailing). What remains is a row, or empty when the line was only structure.
std::string_view StripStructure(std::string_view t) {
  for (;;) {
    t = Trim(t);
    if (t.substr(0, kBom.size()) == kBom) {
      t.remove_prefix(kBom.size());
    } else if (t.substr(0, 2) == "<?") {
      size_t end = t.find("?>");
      if (end == std::string_view::npos) return t;
      t.remove_prefix(end + 2);
    } else if (t.substr(0, 4) == "<!--") {
      size_t end = t.find("-->");
      if (end == std::string_view::npos) return t;
      t.remove_prefix(end + 3);
    } else if (t.substr(0, 6) == "<posts" && t.size() > 6 && std::strchr(" \t/>", t[6]) != nullptr) {
      size_t end = t.find('>');
      if (end == std::string_view::npos) return t;
      t.remove_prefix(end + 1);
    } else {
      break;
    }
  }
  constexpr std::string_view kEnd = "</posts>";
  if (t.size() >= kEnd.size() && t.substr(t.size() - kEnd.size()) == kEnd) {
    t = Trim(t.substr(0, t.size() - kEnd.size()));
  }
  return t;
}

// Reads a Stack Exchange Posts.xml. NextBlock() is serial; Parse() is const and
// thread-safe (it owns a private expat parser per call; the only shared state is the
// immutable source/channel strings fixed at construction).
class StackExchangeReader : public BlockReader {
 public:
  StackExchangeReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, std::string source)
      : BlockReader(std::move(in), options),
        source_(std::move(source)),
        channel_(options.channel.empty() ? "forum" : options.channel) {}

  void Parse(const Block& block, ParsedBlock* out) const override;

 protected:
  size_t FindCut(std::string_view buf, bool eof) override {
    if (eof) return buf.size();
    size_t nl = buf.rfind('\n');
    return nl == std::string_view::npos ? 0 : nl + 1;
  }

 private:
  // Turns one row line into a record, a skip, or a reject.
  void ParseLine(XML_Parser parser, std::string_view line, uint64_t line_no, uint64_t offset,
                 ParsedBlock* out) const;
  void AddReject(std::string_view line, uint64_t line_no, uint64_t offset, std::string reason,
                 ParsedBlock* out) const {
    out->rejects.push_back(Reject{path(), line_no, offset, std::move(reason), RejectRaw(line)});
  }

  const std::string source_;
  const std::string channel_;
};

void StackExchangeReader::Parse(const Block& block, ParsedBlock* out) const {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(
      XML_ParserCreate("UTF-8"), XML_ParserFree);
  std::string_view data = block.data;
  uint64_t line_no = block.first_line;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    std::string_view line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (parser == nullptr) {
      AddReject(line, line_no, block.offset + pos, "internal: cannot create an XML parser", out);
    } else {
      ParseLine(parser.get(), line, line_no, block.offset + pos, out);
    }
    ++line_no;
    pos = end + 1;
  }
}

void StackExchangeReader::ParseLine(XML_Parser parser, std::string_view line, uint64_t line_no,
                                    uint64_t offset, ParsedBlock* out) const {
  std::string_view t = StripStructure(line);
  if (t.empty()) return;
  if (t.substr(0, 4) != "<row") {
    AddReject(line, line_no, offset, "not a <row> element", out);
    return;
  }
  // Invalid UTF-8 is repaired, not rejected (expat would refuse the whole row).
  std::string text(t);
  SanitizeUtf8(&text);
  RowAttributes row;
  std::string error = ParseRowXml(parser, text, static_cast<size_t>(t.data() - line.data()), &row);
  if (!error.empty()) {
    AddReject(line, line_no, offset, error, out);
    return;
  }
  if (row.element != "row") {
    AddReject(line, line_no, offset, "expected a <row> element, found <" + row.element + ">", out);
    return;
  }

  const std::string* id = row.Get("Id");
  if (id == nullptr) return AddReject(line, line_no, offset, "id: no Id attribute", out);
  if (Trim(*id).empty()) return AddReject(line, line_no, offset, "id is empty", out);
  const std::string* created = row.Get("CreationDate");
  if (created == nullptr) {
    return AddReject(line, line_no, offset, "time: no CreationDate attribute", out);
  }
  Record rec;
  std::string time_error;
  if (!ParseTime(*created, &rec.time, &time_error)) {
    return AddReject(line, line_no, offset, "time: " + time_error, out);
  }
  const std::string* type = row.Get("PostTypeId");
  if (type == nullptr) return AddReject(line, line_no, offset, "no PostTypeId attribute", out);
  const bool question = *type == "1";
  const bool answer = *type == "2";
  if (!question && !answer) {
    ++out->skipped[SkippedPostTypeName(*type)];
    return;
  }

  rec.id = std::string(Trim(*id));
  rec.source = source_;
  rec.channel = channel_;
  if (question) {
    rec.role = Role::kCustomer;
    rec.thread = rec.id;
    if (const std::string* accepted = row.Get("AcceptedAnswerId")) {
      rec.accepted_answer = std::string(Trim(*accepted));
    }
    if (const std::string* tags = row.Get("Tags")) rec.tags = SplitTags(*tags);
  } else {
    const std::string* parent = row.Get("ParentId");
    if (parent == nullptr || Trim(*parent).empty()) {
      return AddReject(line, line_no, offset, "answer without ParentId", out);
    }
    rec.role = Role::kCommunity;
    rec.parent = std::string(Trim(*parent));
    rec.thread = rec.parent;
  }
  if (const std::string* title = row.Get("Title")) rec.title = *title;
  if (const std::string* body = row.Get("Body")) rec.text = HtmlToText(*body);
  if (const std::string* owner = row.Get("OwnerUserId"); owner != nullptr && !Trim(*owner).empty()) {
    rec.author = std::string(Trim(*owner));
  } else if (const std::string* name = row.Get("OwnerDisplayName")) {
    rec.author = std::string(Trim(*name));
  }
  if (const std::string* score = row.Get("Score")) {
    std::string_view s = Trim(*score);
    char* end = nullptr;
    errno = 0;
    std::string digits(s);
    long long v = std::strtoll(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || errno == ERANGE) {
      return AddReject(line, line_no, offset, "score: '" + digits + "' is not an integer", out);
    }
    rec.score = v;
  }
  SanitizeUtf8(&rec.text);
  SanitizeUtf8(&rec.title);
  SanitizeUtf8(&rec.author);
  out->records.push_back(std::move(rec));
  out->lines.push_back(line_no);
}

// The root element of an XML document's head: skips a BOM, the declaration, comments,
// processing instructions and a DOCTYPE. Empty when none is found; *not_xml is set when
// the head does not start like XML at all.
std::string RootElementName(std::string_view head, bool* not_xml) {
  *not_xml = false;
  if (head.substr(0, kBom.size()) == kBom) head.remove_prefix(kBom.size());
  size_t pos = 0;
  for (;;) {
    while (pos < head.size() && (head[pos] == ' ' || head[pos] == '\t' || head[pos] == '\r' ||
                                 head[pos] == '\n')) {
      ++pos;
    }
    if (pos >= head.size()) return std::string();
    if (head[pos] != '<') {
      *not_xml = true;
      return std::string();
    }
    std::string_view rest = head.substr(pos);
    size_t close;
    if (rest.substr(0, 4) == "<!--") {
      close = rest.find("-->");
      if (close == std::string_view::npos) return std::string();
      pos += close + 3;
    } else if (rest.substr(0, 2) == "<?" || rest.substr(0, 2) == "<!") {
      close = rest.find('>');
      if (close == std::string_view::npos) return std::string();
      pos += close + 1;
    } else {
      size_t end = 1;
      while (end < rest.size() && std::strchr(" \t\r\n/>", rest[end]) == nullptr) ++end;
      return std::string(rest.substr(1, end - 1));
    }
  }
}

// The default source: the name of the directory that holds the file.
std::string DefaultSource(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  std::string dir = ec ? std::string() : abs.parent_path().filename().string();
  if (dir.empty() || dir == "." || dir == "/") return "stackexchange";
  return dir;
}

}  // namespace

Result<std::unique_ptr<FileReader>> NewStackExchangeReader(std::unique_ptr<InputStream> in,
                                                           const ReaderOptions& options) {
  const std::string path = in->path();
  Result<std::string> head = in->Peek(64 * 1024);
  if (!head.ok()) return head.status();
  std::string_view h = *head;
  if (h.substr(0, kBom.size()) == kBom) h.remove_prefix(kBom.size());
  h = Trim(h);
  if (h.empty()) return Status::Format(path + ": file is empty (expected a Stack Exchange Posts.xml)");
  bool not_xml = false;
  std::string root = RootElementName(h, &not_xml);
  if (not_xml) {
    std::string shown(h.substr(0, std::min<size_t>(h.find('\n'), 40)));
    SanitizeUtf8(&shown);
    return Status::Format(path + ": not a Stack Exchange Posts.xml (not XML: starts with '" + shown +
                          "', expected <posts>)");
  }
  if (root.empty()) {
    return Status::Format(path + ": not a Stack Exchange Posts.xml (no root element in the first 64 KiB, "
                                 "expected <posts>)");
  }
  if (root != "posts") {
    SanitizeUtf8(&root);
    return Status::Format(path + ": not a Stack Exchange Posts.xml (root element <" + root +
                          ">, expected <posts>)");
  }
  std::string source = options.source.empty() ? DefaultSource(path) : options.source;
  return std::unique_ptr<FileReader>(
      std::make_unique<StackExchangeReader>(std::move(in), options, std::move(source)));
}

}  // namespace hark
