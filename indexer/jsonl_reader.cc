// JsonlReader: hark's canonical JSONL (one record object per line, the fields of
// DESIGN.md "The record"), plain or .jsonl.zst, or any JSONL through --map.
//
// Field by field (a JSON null is the same as an absent key):
//   id        required; a string, or an integer-valued number printed in plain decimal
//             (1234, 1.0e3 -> "1000"); missing / empty -> reject.
//   time      required; an RFC 3339 (or any ParseTime) string, or epoch seconds as a
//             number (13 digits: milliseconds) -> reject when missing or unparseable.
//   text      required string; "" is accepted (a title-only question) as long as the
//             title is not empty too.
//   source    string; when absent or "": options.source, else the file stem ("day1" for
//             day1.jsonl.zst). A record's own value wins: it is data, the others defaults.
//   channel   string; when absent or "": options.channel, else none.
//   author, parent, thread   string, or an integer id as for `id`.
//   role      customer | agent | community (any case); anything else -> reject.
//   brand, title   strings.   score: integer.   accepted: bool.   tags: array of strings.
// Any other type -> reject naming the field. Unknown keys are ignored.
//
// With --map (options.map): a mapped field is read from its key, which may be a dotted
// path into nested objects (user.screen_name) or arrays (entities.urls.0.url). An
// unmapped required field (id, time, text) is still read from its canonical key; an
// unmapped optional field is not read at all (a foreign "source" key, such as the
// client HTML in Twitter JSON, must not leak into the record). Reasons name the key:
// "time (created_at): cannot parse time ...".
// A blank line is skipped ("blank line"); bad JSON, invalid UTF-8 and CRLF are handled
// by JsonLinesReader (json_util.h).
#include <array>

#include "indexer/json_util.h"
#include "indexer/readers.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

using simdjson::dom::element;

enum Field {
  kId,
  kSource,
  kChannel,
  kTime,
  kAuthor,
  kRole,
  kBrand,
  kParent,
  kThread,
  kTitle,
  kText,
  kScore,
  kAccepted,
  kTags,
  kFieldCount
};

constexpr const char* kFieldNames[kFieldCount] = {"id",   "source", "channel",  "time",   "author",
                                                  "role", "brand",  "parent",   "thread", "title",
                                                  "text", "score",  "accepted", "tags"};

// Canonical JSONL reader. Serial NextBlock(); Parse() is thread-safe (all members are
// fixed in the constructor).
class JsonlReader final : public JsonLinesReader {
 public:
  JsonlReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, std::string source)
      : JsonLinesReader(std::move(in), options, std::move(source), options.channel) {
    for (int f = 0; f < kFieldCount; ++f) {
      auto it = options.map.columns.find(kFieldNames[f]);
      if (it != options.map.columns.end()) {
        keys_[f] = it->second;
        labels_[f] = std::string(kFieldNames[f]) + " (" + it->second + ")";
      } else {
        bool required = f == kId || f == kTime || f == kText;
        if (options.map.empty() || required) keys_[f] = kFieldNames[f];
        labels_[f] = kFieldNames[f];
      }
    }
  }

  // The key that holds `field` (empty when the field is not read).
  const std::string& key(Field field) const { return keys_[field]; }

 protected:
  Outcome Convert(const simdjson::dom::object& obj, Record* r, std::string* reason) const override {
    element v;
    std::string error;
    auto fail = [&](Field f, std::string what) {
      *reason = labels_[f] + what;
      return Outcome::kReject;
    };
    auto get = [&](Field f) { return !keys_[f].empty() && LookupJson(obj, keys_[f], &v); };

    if (!get(kId)) return fail(kId, " is missing");
    if (!JsonToString(v, true, &r->id, &error)) return fail(kId, ": " + error);
    if (Trim(r->id).empty()) return fail(kId, " is empty");

    if (!get(kTime)) return fail(kTime, " is missing");
    if (!JsonToTime(v, &r->time, &error)) return fail(kTime, ": " + error);

    if (!get(kText)) return fail(kText, " is missing");
    if (!JsonToString(v, false, &r->text, &error)) return fail(kText, ": " + error);

    struct StringField {
      Field field;
      std::string* out;
      bool id_like;  // also accepts integer ids
    };
    for (const StringField& s :
         {StringField{kSource, &r->source, false}, StringField{kChannel, &r->channel, false},
          StringField{kAuthor, &r->author, true}, StringField{kBrand, &r->brand, false},
          StringField{kParent, &r->parent, true}, StringField{kThread, &r->thread, true},
          StringField{kTitle, &r->title, false}}) {
      if (get(s.field) && !JsonToString(v, s.id_like, s.out, &error)) return fail(s.field, ": " + error);
    }
    if (r->text.empty() && Trim(r->title).empty()) return fail(kText, " is empty and there is no title");

    if (get(kRole)) {
      std::string name;
      if (!JsonToString(v, false, &name, &error)) return fail(kRole, ": " + error);
      if (!Trim(name).empty() && !ParseRole(Trim(name), &r->role)) {
        return fail(kRole, ": '" + PrintableSnippet(name, 40) + "' is not customer, agent or community");
      }
    }
    if (get(kScore)) {
      int64_t score;
      if (!JsonToInt(v, false, &score, &error)) return fail(kScore, ": " + error);
      r->score = score;
    }
    if (get(kAccepted)) {
      bool accepted;
      if (v.get_bool().get(accepted))
        return fail(kAccepted, std::string(": expected a bool, found ") + JsonTypeName(v));
      r->accepted = accepted;
    }
    if (get(kTags)) {
      simdjson::dom::array tags;
      if (v.get_array().get(tags)) {
        return fail(kTags, std::string(": expected an array of strings, found ") + JsonTypeName(v));
      }
      size_t index = 0;
      for (element tag : tags) {
        std::string_view sv;
        if (tag.get_string().get(sv)) {
          return fail(kTags, ": element " + std::to_string(index) + " is " + JsonTypeName(tag) +
                                 ", expected a string");
        }
        if (!Trim(sv).empty()) r->tags.emplace_back(sv);
        ++index;
      }
    }
    return Outcome::kRecord;
  }

 private:
  std::array<std::string, kFieldCount> keys_;
  std::array<std::string, kFieldCount> labels_;
};

}  // namespace

Result<std::unique_ptr<FileReader>> NewJsonlReader(std::unique_ptr<InputStream> in,
                                                   const ReaderOptions& options) {
  const std::string path = in->path();
  // Sniff the first line: JSONL that is clearly something else (CSV, XML, a JSON
  // array, a Reddit dump without --map) is a Format error rather than a million rejects.
  constexpr size_t kHead = 64 * 1024;
  Result<std::string> head = in->Peek(kHead);
  if (!head.ok()) return head.status();
  bool complete = false;
  std::string_view first = FirstNonBlankLine(*head, head->size() < kHead, &complete);
  std::string_view trimmed = Trim(first);
  if (!trimmed.empty() && trimmed.front() != '{') {
    return Status::Format(path +
                          ": not JSON lines (one JSON object per line expected; the first line starts '" +
                          PrintableSnippet(trimmed, 40) + "')");
  }
  std::string source = options.source.empty() ? FileStem(path) : options.source;
  auto reader = std::make_unique<JsonlReader>(std::move(in), options, std::move(source));
  if (!trimmed.empty() && complete) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(trimmed);
    simdjson::dom::object obj;
    if (!parser.parse(padded).get_object().get(obj)) {
      // The first line is a valid object. Without a time and a text key it is not a
      // message in this mapping (`id` alone is too common a key to tell).
      bool any = false;
      element unused;
      for (Field f : {kTime, kText}) {
        any = any || LookupJson(obj, reader->key(f), &unused) || !obj.at_key(reader->key(f)).error();
      }
      if (!any) {
        return Status::Format(path + ": not hark JSONL: the first line has neither a " + reader->key(kTime) +
                              " nor a " + reader->key(kText) + " key (found keys " +
                              JsonObjectKeys(trimmed, 12) +
                              "); give --map, or --format reddit for Pushshift dumps");
      }
    }
  }
  return std::unique_ptr<FileReader>(std::move(reader));
}

}  // namespace hark
