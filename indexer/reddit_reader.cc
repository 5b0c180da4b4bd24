// RedditReader: Pushshift Reddit NDJSON dumps, comments (RC_YYYY-MM, <sub>_comments)
// and submissions (RS_YYYY-MM, <sub>_submissions), usually .zst written with
// --long=31 (InputStream decompresses with a 2 GiB window). Each line is classified on
// its own: a `body`, `parent_id` or `link_id` key makes it a comment, else a `title`
// or `selftext` key a submission, so mixed files work too.
//
// Mapping (defaults; options.source / options.channel override "reddit"):
//   id       the fullname: `name` when present, else "t1_" + id (comment) or
//            "t3_" + id (submission); an id that already has a tN_ prefix is kept.
//   parent   comments: parent_id (already a fullname, t1_ or t3_); submissions: none.
//   thread   comments: link_id (the submission's fullname; parent_id when that is a
//            t3_ and link_id is missing); submissions: their own fullname.
//   time     created_utc: a number, or a string in old dumps ("1134365188").
//   author   author; "[deleted]" (account gone) -> "" (no author).
//   role     submissions -> customer (the asker); comments -> community. A comment
//            by the submitter is still community: that needs the thread, which one
//            line does not have.
//   title    submissions: title. text: comments: body; submissions: selftext (absent
//            or "" for link and title-only posts: allowed, the title carries it).
//   score    score (absent/null -> none). tags: [subreddit]. brand: none.
// Text clean-up: HTML entities decoded once (&amp; &lt; &gt; ...: Reddit escapes its
// markdown); "&amp;#x200B;" (new Reddit's zero-width-space paragraph spacer, escaped
// twice) removed; CRLF -> LF (old comments use CRLF).
// Removed content: a body/selftext of exactly "[deleted]" or "[removed]" is kept as a
// record (its replies' parent links and the thread stay whole; the score and time
// still count) with empty text and the marker as an extra tag ("[deleted]" /
// "[removed]", which cannot clash with a subreddit name), so that search and KB
// mining never show the placeholder as if it were a message.
#include <cstring>

#include "indexer/json_util.h"
#include "indexer/readers.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

using simdjson::dom::element;

bool Present(const simdjson::dom::object& obj, std::string_view key) {
  element v;
  return LookupJson(obj, key, &v);
}

bool HasFullnamePrefix(std::string_view id) {
  return id.size() > 3 && id[0] == 't' && id[1] >= '1' && id[1] <= '9' && id[2] == '_';
}

// Reddit's stored text -> plain text (see the file comment).
std::string CleanRedditText(std::string_view in) {
  std::string decoded = DecodeHtmlEntities(in);
  std::string out;
  out.reserve(decoded.size());
  constexpr std::string_view kZwspSpacer = "&#x200B;";
  for (size_t i = 0; i < decoded.size(); ++i) {
    char c = decoded[i];
    if (c == '\r' && i + 1 < decoded.size() && decoded[i + 1] == '\n') continue;
    if (c == '&' && decoded.size() - i >= kZwspSpacer.size() &&
        strncasecmp(decoded.data() + i, kZwspSpacer.data(), kZwspSpacer.size()) == 0) {
      i += kZwspSpacer.size() - 1;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// Pushshift reader. Serial NextBlock(); Parse() is thread-safe (no mutable state).
class RedditReader final : public JsonLinesReader {
 public:
  RedditReader(std::unique_ptr<InputStream> in, const ReaderOptions& options)
      : JsonLinesReader(std::move(in), options, options.source.empty() ? "reddit" : options.source,
                        options.channel.empty() ? "reddit" : options.channel) {}

 protected:
  Outcome Convert(const simdjson::dom::object& obj, Record* r, std::string* reason) const override {
    element v;
    std::string error;
    auto fail = [&](std::string why) {
      *reason = std::move(why);
      return Outcome::kReject;
    };
    const bool comment = Present(obj, "body") || Present(obj, "parent_id") || Present(obj, "link_id");
    if (!comment && !Present(obj, "title") && !Present(obj, "selftext")) {
      return fail("neither a comment (no body, parent_id, link_id) nor a submission (no title, selftext)");
    }
    const char* prefix = comment ? "t1_" : "t3_";

    if (LookupJson(obj, "name", &v) && JsonToString(v, false, &r->id, &error) && !Trim(r->id).empty()) {
      // `name` is the fullname already.
    } else {
      r->id.clear();
      if (!LookupJson(obj, "id", &v)) return fail("id is missing");
      if (!JsonToString(v, true, &r->id, &error)) return fail("id: " + error);
      if (Trim(r->id).empty()) return fail("id is empty");
      if (!HasFullnamePrefix(r->id)) r->id = prefix + r->id;
    }

    if (!LookupJson(obj, "created_utc", &v)) return fail("created_utc is missing");
    if (!JsonToTime(v, &r->time, &error)) return fail("created_utc: " + error);

    if (LookupJson(obj, "author", &v)) {
      if (!JsonToString(v, false, &r->author, &error)) return fail("author: " + error);
      if (r->author == "[deleted]") r->author.clear();
    }

    std::string body;
    if (comment) {
      r->role = Role::kCommunity;
      if (!LookupJson(obj, "body", &v)) return fail("body is missing");
      if (!JsonToString(v, false, &body, &error)) return fail("body: " + error);
      if (LookupJson(obj, "parent_id", &v) && !JsonToString(v, true, &r->parent, &error)) {
        return fail("parent_id: " + error);
      }
      if (LookupJson(obj, "link_id", &v)) {
        if (!JsonToString(v, true, &r->thread, &error)) return fail("link_id: " + error);
      } else if (r->parent.rfind("t3_", 0) == 0) {
        r->thread = r->parent;
      }
    } else {
      r->role = Role::kCustomer;
      r->thread = r->id;
      if (!LookupJson(obj, "title", &v)) return fail("title is missing");
      if (!JsonToString(v, false, &r->title, &error)) return fail("title: " + error);
      r->title = CleanRedditText(r->title);
      if (LookupJson(obj, "selftext", &v) && !JsonToString(v, false, &body, &error)) {
        return fail("selftext: " + error);
      }
    }

    if (LookupJson(obj, "score", &v)) {
      int64_t score;
      if (!JsonToInt(v, true, &score, &error)) return fail("score: " + error);
      r->score = score;
    }
    if (LookupJson(obj, "subreddit", &v)) {
      std::string subreddit;
      if (!JsonToString(v, false, &subreddit, &error)) return fail("subreddit: " + error);
      if (!subreddit.empty()) r->tags.push_back(std::move(subreddit));
    }
    if (body == "[deleted]" || body == "[removed]") {
      r->tags.push_back(body);  // text stays empty
    } else {
      r->text = CleanRedditText(body);
    }
    return Outcome::kRecord;
  }
};

bool IsRedditObject(const simdjson::dom::object& obj) {
  return Present(obj, "created_utc") &&
         (Present(obj, "subreddit") || Present(obj, "subreddit_id") || Present(obj, "link_id"));
}

}  // namespace

Result<std::unique_ptr<FileReader>> NewRedditReader(std::unique_ptr<InputStream> in,
                                                    const ReaderOptions& options) {
  const std::string path = in->path();
  constexpr size_t kHead = 64 * 1024;
  Result<std::string> head = in->Peek(kHead);
  if (!head.ok()) return head.status();
  bool complete = false;
  std::string_view first = Trim(FirstNonBlankLine(*head, head->size() < kHead, &complete));
  // An empty file is an empty dump (no records), not some other format.
  if (!first.empty()) {
    const std::string expected = "expected Pushshift Reddit NDJSON: created_utc with subreddit or link_id";
    if (first.front() != '{') {
      return Status::Format(path +
                            ": not a Pushshift Reddit dump: the first line is not a JSON object (starts '" +
                            PrintableSnippet(first, 40) + "'; " + expected + ")");
    }
    simdjson::dom::parser parser;
    simdjson::padded_string padded(first);
    simdjson::dom::object obj;
    bool reddit;
    if (complete && !parser.parse(padded).get_object().get(obj)) {
      reddit = IsRedditObject(obj);
    } else {
      // A damaged or very long first line: look for the keys as text (the bad line
      // itself will be a reject).
      reddit = first.find("\"created_utc\"") != std::string_view::npos &&
               (first.find("\"subreddit\"") != std::string_view::npos ||
                first.find("\"link_id\"") != std::string_view::npos);
    }
    if (!reddit) {
      std::string keys = complete ? JsonObjectKeys(first, 12) : std::string();
      return Status::Format(
          path + ": not a Pushshift Reddit dump: the first line has no Reddit keys (" +
          (keys.empty() ? std::string("found '" + PrintableSnippet(first, 40) + "'") : "found keys " + keys) +
          "; " + expected + ")");
    }
  }
  return std::unique_ptr<FileReader>(std::make_unique<RedditReader>(std::move(in), options));
}

}  // namespace hark
