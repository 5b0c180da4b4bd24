// Xapian side of the index: document layout (schema.h), parallel chunked builds merged
// by compaction, and search with hark's query parser.
#include "storage/text_index.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/index_files.h"
#include "storage/schema.h"
#include "storage/text_ceiling.h"
#include "storage/time_parse.h"

namespace hark::internal {
namespace fs = std::filesystem;
using namespace hark::schema;  // NOLINT: the schema constants are this file's vocabulary

namespace {

void AddBoolean(Xapian::Document* doc, const char* prefix, std::string_view value) {
  if (!value.empty()) doc->add_boolean_term(prefix + TermValue(value));
}

std::string ThreadValue(const Record& r) { return r.source + '\x1f' + r.thread; }

// M<YYYYMM>: the month term of a year and month (schema::kPrefixMonth).
std::string MonthTerm(int64_t year, unsigned month) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04lld%02u", kPrefixMonth, static_cast<long long>(year), month);
  return buf;
}

// The boolean terms and values of r's document (everything but the free text), in text
// layout 4 (`packed`) or with one value slot per field as in layout 3: the stock peer's
// documents (what a Xapian user writes for these facets) and the records compared with
// a layout 3 index.
void AddFields(const Record& r, bool packed, Xapian::Document* out) {
  Xapian::Document& doc = *out;
  AddBoolean(&doc, kPrefixAuthor, r.author);
  AddBoolean(&doc, kPrefixBrand, r.brand);
  AddBoolean(&doc, kPrefixChannel, r.channel);
  AddBoolean(&doc, kPrefixRole, RoleName(r.role));
  AddBoolean(&doc, kPrefixThread, r.thread);
  AddBoolean(&doc, kPrefixSource, r.source);
  for (const std::string& t : r.tags) AddBoolean(&doc, kPrefixTag, t);
  for (const std::string& m : r.mentions) AddBoolean(&doc, kPrefixMention, m);
  const CivilDate month = CivilFromTime(r.time);
  doc.add_boolean_term(MonthTerm(month.year, month.month));
  doc.add_value(kSlotTime, Xapian::sortable_serialise(static_cast<double>(r.time)));
  doc.add_value(kSlotThread, ThreadValue(r));
  doc.add_value(kSlotSentiment, Xapian::sortable_serialise(r.sentiment));
  const std::string brand = TermValue(r.brand), channel = TermValue(r.channel), author = TermValue(r.author);
  const std::string_view role = r.role == Role::kUnknown ? std::string_view() : RoleName(r.role);
  const std::string score = r.score ? Xapian::sortable_serialise(static_cast<double>(*r.score)) : std::string();
  if (packed) {
    doc.add_value(kSlotFields, PackFields({brand, channel, author, role, r.source, score, r.id}));
    return;
  }
  if (!brand.empty()) doc.add_value(kSlotBrand, brand);
  if (!channel.empty()) doc.add_value(kSlotChannel, channel);
  if (!author.empty()) doc.add_value(kSlotAuthor, author);
  if (!role.empty()) doc.add_value(kSlotRole, std::string(role));
  doc.add_value(kSlotSource, r.source);
  if (!score.empty()) doc.add_value(kSlotScore, score);
  doc.add_value(kSlotUid, std::string(r.source).append(1, '\x1f').append(r.id));
}

// The value slot of a packed field in text layouts 2 and 3 (kSlotUid holds source \x1f id).
Xapian::valueno LayoutThreeSlot(PackedField f) {
  switch (f) {
    case kFieldBrand: return kSlotBrand;
    case kFieldChannel: return kSlotChannel;
    case kFieldAuthor: return kSlotAuthor;
    case kFieldRole: return kSlotRole;
    case kFieldSource: return kSlotSource;
    case kFieldScore: return kSlotScore;
    case kFieldId:
    case kPackedFields: break;
  }
  return kSlotUid;
}

// Whether `db` keeps brand, channel, author, role, source, score and id in one packed
// value (text layout 4; an empty database is taken to).
bool HasPackedFields(const Xapian::Database& db) {
  return db.get_doccount() == 0 || db.get_value_freq(kSlotFields) > 0;
}

// Reads the packed fields of matching documents in either layout. Not thread-safe.
class FieldReader {
 public:
  explicit FieldReader(bool packed) : packed_(packed) {}
  // Starts on a document: its packed value is read once for all its fields.
  void Load(const Xapian::Document& doc) {
    doc_ = &doc;
    if (packed_) value_ = doc.get_value(kSlotFields);
  }
  // Field `f` of the loaded document ("" when it has none); valid until the next Load.
  std::string_view Get(PackedField f) {
    if (!packed_) {
      value_ = doc_->get_value(LayoutThreeSlot(f));
      return value_;
    }
    std::string_view out;
    return UnpackField(value_, f, &out) ? out : std::string_view();
  }

 private:
  bool packed_;
  const Xapian::Document* doc_ = nullptr;
  std::string value_;
};

// The free text of r: the title (as S terms and plain terms) and the text, with positions.
void IndexText(const Record& r, Xapian::TermGenerator* tg, Xapian::Document* doc) {
  tg->set_document(*doc);
  if (!r.title.empty()) {
    tg->index_text(r.title, 1, kPrefixTitle);
    tg->increase_termpos();
    tg->index_text(r.title);
    tg->increase_termpos(10);
  }
  tg->index_text(r.text);
}

// r's document as stock Xapian makes it (TermGenerator::STEM_SOME: every word also as a
// Z-prefixed stem); the peer of text_ceiling.h.
Xapian::Document MakeStockDocument(const Record& r, Xapian::TermGenerator* tg) {
  Xapian::Document doc;
  IndexText(r, tg, &doc);
  AddFields(r, /*packed=*/false, &doc);
  return doc;
}

// Xapian's rule for which words get a stem (the query parser's and TermGenerator's
// should_stem): those starting with a letter.
bool ShouldStem(const std::string& word, size_t at) {
  const unsigned char c = static_cast<unsigned char>(word[at]);
  if (c < 0x80) return c >= 'a' && c <= 'z';  // terms are lower-cased
  const unsigned mask = (1u << Xapian::Unicode::LOWERCASE_LETTER) | (1u << Xapian::Unicode::TITLECASE_LETTER) |
                        (1u << Xapian::Unicode::MODIFIER_LETTER) | (1u << Xapian::Unicode::OTHER_LETTER);
  Xapian::Utf8Iterator u(word.data() + at, word.size() - at);
  return ((mask >> Xapian::Unicode::get_category(*u)) & 1) != 0;
}

// Makes hark's documents (schema::kTextLayout) for one chunk writer; not thread-safe.
//
// Stock STEM_SOME indexes every word twice: as itself, with positions, and as Z + its
// stem. For most words the stem is the word itself ("flight", "my", "refund"), so the Z
// term only repeats the plain one. hark writes Z terms only for words whose stem differs
// ("flights" -> Zflight) and records, as a Xapian synonym, that Z<w> also means <w> for
// every word w that is its own stem. The query parser (FLAG_AUTO_SYNONYMS) turns a
// stemmed query word into SYNONYM(Zflight, flight): the same documents as the stock
// layout's Zflight, with the same within-document frequency (tests/text_layout_test.cc
// compares every match of thousands of queries with a stock Xapian database of the same
// records). Phrases and capitalised words use the plain terms, as before.
class DocumentMaker {
 public:
  DocumentMaker() { tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE); }

  Xapian::Document Make(const Record& r) {
    Xapian::Document doc;
    IndexText(r, &tg_, &doc);
    stems_.clear();
    for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string& term = *t;
      const size_t at = term[0] == kPrefixTitle[0] ? 1 : 0;  // text terms are lower-case
      if (at >= term.size() || !ShouldStem(term, at)) continue;
      const std::string word = term.substr(at);
      const std::string& stem = stemmer_(word);
      if (stem == word) {
        self_stemmed_.insert(term);
      } else {
        stems_.emplace_back(std::string("Z").append(term, 0, at).append(stem), t.get_wdf());
      }
    }
    for (const auto& [stem, wdf] : stems_) doc.add_term(stem, wdf);
    AddFields(r, /*packed=*/true, &doc);
    return doc;
  }

  // Adds the synonyms Z<w> -> <w> for the words of this maker's documents.
  void AddSynonyms(Xapian::WritableDatabase* db) {
    for (const std::string& term : self_stemmed_) db->add_synonym("Z" + term, term);
  }

 private:
  // English stems of the words seen, remembered: the same few thousand words make most
  // of every chunk, and Snowball stemming each occurrence was 6% of the text build's
  // instructions (callgrind, 20k generated messages). Bounded: a chunk of misspellings
  // and handles clears it.
  struct Stems {
    const std::string& operator()(const std::string& word) {
      auto it = cache.find(word);
      if (it != cache.end()) return it->second;
      if (cache.size() >= 200000) cache.clear();
      return cache.emplace(word, stem(word)).first->second;
    }
    Xapian::Stem stem{"english"};
    std::unordered_map<std::string, std::string> cache;
  };

  Xapian::TermGenerator tg_;
  Stems stemmer_;
  std::vector<std::pair<std::string, Xapian::termcount>> stems_;
  std::unordered_set<std::string> self_stemmed_;
};

Status XapianError(const std::string& what, const Xapian::Error& e) {
  return Status::IOError(what + ": " + e.get_description());
}

// Hands the memory that earlier phases freed back to the system. glibc keeps freed memory
// in its heap for later allocations, where it still counts as the process's memory: after
// the pipeline of a 3M-message ingest 109 MB of the 325 MB heap was free, and after the
// chunk builds 281 MB of 320 (mallinfo2), while RSS stayed at 337 MB. Called before the
// text build and before the final merge; a no-op with other C libraries.
void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// The fewest chunks merged together before the final merge (BuildText).
constexpr uint64_t kMinMergeFanIn = 100;

// Xapian 1.4.22 calls std::terminate when a write fails (a full disk, a file size limit)
// while a database without termlists flushes its postings: the error escapes a cleanup
// inside the library (reproduced with hark's chunks and `ulimit -f`; with termlists the
// first failing write is a termlist's and is thrown normally). Nothing of the run is
// committed at that point, so the index is as it was, as after a kill; this handler says
// so and exits 1 instead of aborting with a core dump. Installed while chunks are built
// and merged.
[[noreturn]] void ChunkWriteFailed() {
  std::string what = "unknown error";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const Xapian::Error& x) {
      what = x.get_description();
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
  }
  std::fprintf(stderr,
               "hark: building the text index failed: %s; nothing of this run was committed; the index is as it "
               "was\n",
               what.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

}  // namespace

namespace {
// Shard s of a sharded text database at `dir`, as its stub file XAPIANDB names it.
std::string ShardName(int s) { return "shard-" + std::to_string(s); }
}  // namespace

int TextShards(const std::string& dir) {
  std::ifstream stub(dir + "/XAPIANDB");
  if (!stub) return 1;
  int shards = 0;
  std::string line;
  while (std::getline(stub, line)) shards += !line.empty();
  return std::max(shards, 1);
}

Status BuildText(const TextBuildPlan& plan, const RecordScanner& scan, const ProgressFn& progress,
                 CommitStats* stats) {
  const auto start = std::chrono::steady_clock::now();
  ReturnFreedMemory();
  std::error_code ec;
  fs::remove_all(plan.work_dir, ec);
  fs::create_directories(plan.work_dir, ec);
  if (ec) return Status::IOError("cannot create " + plan.work_dir + ": " + ec.message());

  // Shards: record r goes to shard (r - 1) % shards as its document (r - 1) / shards + 1,
  // which is how Xapian numbers the documents of databases opened together, so that the
  // database the stub file lists still has docid == recno. Each shard is merged on its
  // own thread at the end: the final merge was one thread's work while the others idled.
  const int wanted = plan.shards > 0 ? plan.shards : plan.threads;
  const int shards = !plan.old_dir.empty() ? TextShards(plan.old_dir) : std::clamp(wanted, 1, kMaxTextShards);
  auto shard_of = [&](const std::string& dir, int s) {
    return shards == 1 ? dir : dir + "/" + ShardName(s);
  };

  // A chunk is a range of chunk_records records, split among the shards' chunk databases:
  // a worker holds one chunk's postings at a time, as without shards. (A chunk database of
  // chunk_records documents per shard doubled what a worker held with two shards and
  // built 18% slower at 3M messages, as chunks of 20,000 records did without shards.)
  const uint64_t n = plan.last >= plan.first ? plan.last - plan.first + 1 : 0;
  const uint64_t span = std::max<uint64_t>(plan.chunk_records, 1);
  const uint64_t chunks = (n + span - 1) / span;
  std::vector<Status> chunk_status(chunks);
  std::atomic<uint64_t> done{0};
  std::mutex progress_mu;
  auto chunk_dir = [&](uint64_t i, int s) {
    return plan.work_dir + "/chunk-" + std::to_string(i) + "-" + std::to_string(s);
  };

  // Chunks merge in groups while the others are still being built, and the final merge
  // takes the groups. Xapian's compaction costs memory and time by the number of its
  // inputs (the same 100,000 documents from 100, 1,000 and 2,000 databases: 39, 299 and
  // 509 MB peak, 4.5, 10.2 and 13.9 s), so merging every chunk at once grew faster than
  // the corpus (10M messages: 1,000 chunks, merge 8.0 s per 1M against 5.4 at 1M, peak
  // RSS 652 MB). Groups of max(100, sqrt(chunks)) chunks keep the final merge's inputs
  // under 2 max(100, sqrt(chunks)). Not fewer than 100: a group merged early is copied
  // once more, which with groups of 10 at 1M messages (100 chunks) cost more in the
  // parallel build (+2.5 s) than it saved in the final merge (-1.0 s); up to 100 chunks
  // (1M records) nothing changes. The last group is left to the final merge: merging it
  // first would only add a step after everything else is built.
  const uint64_t fan_in = std::max<uint64_t>(kMinMergeFanIn, static_cast<uint64_t>(std::ceil(std::sqrt(chunks))));
  const uint64_t groups = (chunks + fan_in - 1) / fan_in;
  std::unique_ptr<std::atomic<uint64_t>[]> group_left(new std::atomic<uint64_t>[groups]);
  for (uint64_t g = 0; g < groups; ++g) group_left[g].store(std::min(chunks, (g + 1) * fan_in) - g * fan_in);
  std::vector<Status> group_status(groups);
  std::vector<char> group_merged(groups, 0);  // each written by the one task that merges it
  auto group_dir = [&](uint64_t g, int s) {
    return plan.work_dir + "/group-" + std::to_string(g) + "-" + std::to_string(s);
  };
  auto merge_group = [&](uint64_t g) {
    const uint64_t lo = g * fan_in, hi = std::min(chunks, lo + fan_in);
    for (int s = 0; s < shards; ++s) {
      try {
        Xapian::Database part;
        for (uint64_t i = lo; i < hi; ++i) part.add_database(Xapian::Database(chunk_dir(i, s)));
        part.compact(group_dir(g, s),
                     Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
      } catch (const Xapian::Error& e) {
        group_status[g] = XapianError("merging text chunks into " + group_dir(g, s), e);
        return;
      }
    }
    std::error_code remove_ec;
    for (uint64_t i = lo; i < hi; ++i) {
      for (int s = 0; s < shards; ++s) fs::remove_all(chunk_dir(i, s), remove_ec);
    }
    group_merged[g] = 1;
  };

  tbb::task_arena arena(std::max(plan.threads, 1));
  struct TerminateGuard {
    std::terminate_handler previous = std::set_terminate(ChunkWriteFailed);
    ~TerminateGuard() { std::set_terminate(previous); }
  } guard;
  arena.execute([&] {
    tbb::parallel_for(uint64_t{0}, chunks, [&](uint64_t i) {
      const uint64_t lo = plan.first + i * span;
      const uint64_t hi = std::min(plan.last, lo + span - 1);
      int s = 0;
      try {
        // One writer per chunk and shard: Xapian allows one writer per database. No
        // termlists (schema::kTextLayout); no fsync: the chunks are scratch until merged.
        std::vector<Xapian::WritableDatabase> dbs;
        for (s = 0; s < shards; ++s) {
          dbs.emplace_back(chunk_dir(i, s), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC |
                                                Xapian::DB_NO_TERMLIST | Xapian::DB_BACKEND_GLASS);
        }
        DocumentMaker maker;
        uint64_t local = 0;
        Status status = scan(lo, hi, [&](const Record& r) {
          const uint64_t k = r.recno - 1;
          dbs[k % shards].replace_document(static_cast<Xapian::docid>(k / shards + 1), maker.Make(r));
          if (++local % 2000 == 0 && progress) {
            uint64_t d = done.fetch_add(2000) + 2000;
            std::lock_guard<std::mutex> lock(progress_mu);
            progress("text", d, n);
          }
        });
        done.fetch_add(local % 2000);
        if (!status.ok()) {
          chunk_status[i] = status;
          return;
        }
        // Every shard gets the chunk's synonyms: one for a word a shard lacks matches nothing.
        for (s = 0; s < shards; ++s) {
          maker.AddSynonyms(&dbs[s]);
          dbs[s].commit();
          dbs[s].close();
        }
      } catch (const Xapian::Error& e) {
        chunk_status[i] = XapianError("building text chunk " + chunk_dir(i, std::min(s, shards - 1)), e);
        return;
      }
      const uint64_t g = i / fan_in;
      if (group_left[g].fetch_sub(1) == 1 && g + 1 < groups) merge_group(g);
    });
  });
  for (const Status& st : chunk_status) HARK_RETURN_IF_ERROR(st);
  for (const Status& st : group_status) HARK_RETURN_IF_ERROR(st);
  if (progress) progress("text", n, n);
  ReturnFreedMemory();
  const auto built = std::chrono::steady_clock::now();
  if (stats != nullptr) {
    stats->chunks = chunks * static_cast<uint64_t>(shards);
    stats->text_seconds = std::chrono::duration<double>(built - start).count();
  }

  // Merge keeping document ids, each shard on its own thread: the old database holds
  // 1..first-1 and each chunk a later contiguous range, so the ranges never overlap.
  if (shards > 1) fs::create_directories(plan.new_dir, ec);
  if (ec) return Status::IOError("cannot create " + plan.new_dir + ": " + ec.message());
  std::vector<Status> merge_status(static_cast<size_t>(shards));
  if (progress) progress("merge", 0, 1);
  arena.execute([&] {
    tbb::parallel_for(0, shards, [&](int s) {
      const std::string out = shard_of(plan.new_dir, s);
      try {
        Xapian::Database all;
        size_t inputs = 0;
        auto add = [&](const std::string& dir) {
          all.add_database(Xapian::Database(dir));
          ++inputs;
        };
        if (!plan.old_dir.empty()) add(shard_of(plan.old_dir, s));
        for (uint64_t g = 0; g < groups; ++g) {
          if (group_merged[g]) {
            add(group_dir(g, s));
            continue;
          }
          for (uint64_t i = g * fan_in; i < std::min(chunks, (g + 1) * fan_in); ++i) add(chunk_dir(i, s));
        }
        if (inputs == 0) {
          Xapian::WritableDatabase db(out, Xapian::DB_CREATE | Xapian::DB_NO_TERMLIST | Xapian::DB_BACKEND_GLASS);
          db.commit();
        } else {
          all.compact(out, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
        }
      } catch (const Xapian::Error& e) {
        merge_status[static_cast<size_t>(s)] = XapianError("merging text index into " + out, e);
      }
    });
  });
  for (const Status& st : merge_status) HARK_RETURN_IF_ERROR(st);
  if (shards > 1) {
    std::string stub;
    for (int s = 0; s < shards; ++s) stub += "glass " + ShardName(s) + "\n";
    HARK_RETURN_IF_ERROR(WriteFileAtomic(plan.new_dir + "/XAPIANDB", stub));
  }
  if (progress) progress("merge", 1, 1);
  fs::remove_all(plan.work_dir, ec);
  if (stats != nullptr) stats->merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Search.

namespace {

// field:value for boolean fields: lower-cased like the indexed terms.
class LowerFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit LowerFieldProcessor(std::string prefix) : prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override { return Xapian::Query(prefix_ + TermValue(value)); }

 private:
  std::string prefix_;
};

// Whether `db` has month terms (layout 3 and later; an empty database is taken to).
bool HasMonthTerms(const Xapian::Database& db) {
  return db.get_doccount() == 0 || db.allterms_begin(kPrefixMonth) != db.allterms_end(kPrefixMonth);
}

// What time filters need to know about a text database: its first and last message
// times (closing one-sided ranges) and whether it has month terms (an index of layout 2,
// not yet rebuilt by an ingest, is filtered by the time value alone).
struct TimeBounds {
  int64_t first = 0, last = 0;
  bool month_terms = true;
};

// Messages with from <= time <= to (epoch seconds, inclusive), as a boolean filter: the
// month term of every month the range covers whole, and for a month it cuts, its month
// term filtered by the time value, so that the value is read only for that month's
// messages (a value range alone reads the value of every candidate: 7.0 ms against 2.9
// ms at p50 for a word, a brand and a month over 1M messages). Ranges over more than 12
// months read the value alone: an OR of many month terms costs more than it saves.
Xapian::Query TimeFilter(int64_t from, int64_t to, bool month_terms) {
  if (from > to) return Xapian::Query::MatchNothing;
  const Xapian::Query range(Xapian::Query::OP_VALUE_RANGE, kSlotTime, Xapian::sortable_serialise(from),
                            Xapian::sortable_serialise(to));
  const CivilDate a = CivilFromTime(from), b = CivilFromTime(to);
  const int64_t months = (b.year - a.year) * 12 + b.month - a.month + 1;
  if (months > 12 || !month_terms) return range;
  std::vector<Xapian::Query> parts;
  int64_t y = a.year;
  unsigned m = a.month;
  for (int64_t i = 0; i < months; ++i) {
    const int64_t start = DaysFromCivil(y, m, 1) * 86400;
    const int64_t end = (m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1)) * 86400 - 1;
    const Xapian::Query month(MonthTerm(y, m));
    parts.push_back(from <= start && to >= end ? month : Xapian::Query(Xapian::Query::OP_FILTER, month, range));
    if (++m == 13) m = 1, ++y;
  }
  return parts.size() == 1 ? parts.front() : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// A time range with either end open, closed by the database's first and last times.
Xapian::Query TimeFilter(std::optional<int64_t> from, std::optional<int64_t> to, const TimeBounds& bounds) {
  return TimeFilter(from.value_or(std::min(bounds.first, to.value_or(bounds.first))),
                    to.value_or(std::max(bounds.last, from.value_or(bounds.last))), bounds.month_terms);
}

// date:2017-10-31, date:2017-10, date:2017: that UTC day, month or year (TimeFilter: the
// month terms, and the time value for a day). A date that does not exist (2017-02-30) matches
// nothing. A value that is none of these matches nothing and is remembered in TakeError(): the caller reports it after parse_query()
// returns. It is never thrown from here, because an exception thrown by a
// FieldProcessor unwinds through Xapian's parser and leaks the parser's state (found by
// tests/fuzz/query_fuzz.cc). Used by one thread at a time, like its QueryParser.
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(const TimeBounds* bounds) : bounds_(bounds) {}

  Xapian::Query operator()(const std::string& value) override {
    std::string digits;
    for (char c : value) {
      if (c >= '0' && c <= '9') {
        digits.push_back(c);
      } else if (c != '-') {
        return Invalid(value);
      }
    }
    if (digits.size() != 8 && digits.size() != 6 && digits.size() != 4) return Invalid(value);
    const int64_t y = std::atoi(digits.substr(0, 4).c_str());
    const unsigned m = digits.size() >= 6 ? static_cast<unsigned>(std::atoi(digits.substr(4, 2).c_str())) : 1;
    const unsigned d = digits.size() == 8 ? static_cast<unsigned>(std::atoi(digits.substr(6, 2).c_str())) : 1;
    if (m < 1 || m > 12) return Xapian::Query::MatchNothing;
    const int64_t month_start = DaysFromCivil(y, m, 1);
    const int64_t next_month = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
    if (d < 1 || static_cast<int64_t>(d) > next_month - month_start) return Xapian::Query::MatchNothing;
    int64_t first_day = month_start + d - 1, end_day = first_day + 1;  // [first_day, end_day)
    if (digits.size() == 6) end_day = next_month;
    if (digits.size() == 4) first_day = DaysFromCivil(y, 1, 1), end_day = DaysFromCivil(y + 1, 1, 1);
    return TimeFilter(first_day * 86400, end_day * 86400 - 1, bounds_->month_terms);
  }

  // The first invalid value's message since the last call ("" when none); clears it.
  std::string TakeError() { return std::exchange(error_, std::string()); }

 private:
  Xapian::Query Invalid(const std::string& value) {
    if (error_.empty()) error_ = "date: expects YYYY, YYYY-MM or YYYY-MM-DD, got '" + value + "'";
    return Xapian::Query::MatchNothing;
  }

  const TimeBounds* bounds_;  // the searcher's, which outlives its query parser
  std::string error_;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses a range end: YYYY, YYYY-MM, YYYY-MM-DD or a full timestamp. `upper` rounds a
// partial date to the end of its year / month / day (inclusive ranges). Anything else,
// e.g. "abcd-10" or "2017-1x", is false (never an exception: this runs inside Xapian's
// parser).
bool ParseRangeEnd(const std::string& s, bool upper, int64_t* out) {
  std::string err;
  if (s.size() == 4 && AllDigits(s)) {
    int y = std::stoi(s);
    *out = DaysFromCivil(upper ? y + 1 : y, 1, 1) * 86400 - (upper ? 1 : 0);
    return true;
  }
  if (s.size() == 7 && s[4] == '-' && AllDigits(std::string_view(s).substr(0, 4)) &&
      AllDigits(std::string_view(s).substr(5, 2))) {
    int y = std::stoi(s.substr(0, 4)), m = std::atoi(s.substr(5, 2).c_str());
    if (m < 1 || m > 12) return false;
    if (!upper) {
      *out = DaysFromCivil(y, static_cast<unsigned>(m), 1) * 86400;
    } else {
      *out = DaysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1u : static_cast<unsigned>(m + 1), 1) * 86400 - 1;
    }
    return true;
  }
  if (!ParseTime(s, out, &err)) return false;
  if (upper && s.size() == 10) *out += 86399;  // a date alone includes its whole day
  return true;
}

// 2017-10-01..2017-10-31 (either end may be empty; TimeFilter).
class TimeRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit TimeRangeProcessor(const TimeBounds* bounds) : Xapian::RangeProcessor(kSlotTime), bounds_(bounds) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    int64_t b = 0, e = 0;
    const bool has_b = !begin.empty(), has_e = !end.empty();
    if ((has_b && !ParseRangeEnd(begin, false, &b)) || (has_e && !ParseRangeEnd(end, true, &e))) {
      return Xapian::Query(Xapian::Query::OP_INVALID);
    }
    return TimeFilter(has_b ? std::optional<int64_t>(b) : std::nullopt, has_e ? std::optional<int64_t>(e) : std::nullopt,
                      *bounds_);
  }

 private:
  const TimeBounds* bounds_;  // the searcher's, which outlives its query parser
};

struct FieldSpec {
  const char* name;
  const char* prefix;
  int facet;  // the PackedField counted for a facet, -1 when not a facet
};
constexpr FieldSpec kBooleanFields[] = {
    {"author", kPrefixAuthor, kFieldAuthor}, {"brand", kPrefixBrand, kFieldBrand},
    {"channel", kPrefixChannel, kFieldChannel}, {"role", kPrefixRole, kFieldRole},
    {"thread", kPrefixThread, -1},            {"source", kPrefixSource, kFieldSource},
    {"tag", kPrefixTag, -1},                  {"mention", kPrefixMention, -1},
};

const FieldSpec* FindField(const std::string& name) {
  for (const FieldSpec& f : kBooleanFields) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

}  // namespace

struct TextSearcher::Impl {
  Xapian::Database db;
  Xapian::Database count_db;  // the same database, for exact counts on another thread (unsharded only)
  TimeBounds time_bounds;     // read by qp's date and range processors: declared before them
  bool packed = true;         // HasPackedFields (text layout 4)
  // The shards of a sharded database, each alone (empty when it is one database): a
  // MatchSpy is given a document's id within its shard, so Collect matches shard by shard.
  std::vector<Xapian::Database> shards;
  Xapian::Stem stem{"english"};
  DateFieldProcessor date_field{&time_bounds};  // qp's date: prefix; declared first, so it outlives qp
  Xapian::QueryParser qp;

  // The query and filters of `req` as one Xapian query. Throws Xapian::QueryParserError
  // and returns InvalidArgument through *status for unknown filter fields.
  Xapian::Query BuildQuery(const SearchRequest& req, Status* status);
};

Xapian::Query TextSearcher::Impl::BuildQuery(const SearchRequest& req, Status* status) {
  Xapian::Query query = Xapian::Query::MatchAll;
  if (!req.query.empty()) {
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
                           Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_AUTO_SYNONYMS;  // Z<w> -> <w> (DocumentMaker)
    date_field.TakeError();
    query = qp.parse_query(req.query, flags);
    const std::string date_error = date_field.TakeError();
    if (!date_error.empty()) throw Xapian::QueryParserError(date_error);
    if (query.empty()) query = Xapian::Query::MatchNothing;
  }
  std::vector<Xapian::Query> filters;
  for (const auto& [field, values] : req.filters) {
    if (field == "sentiment") {  // a class of the sentiment value (schema::SentimentClass)
      std::vector<Xapian::Query> classes;
      for (const std::string& v : values) {
        const std::string c = TermValue(v);
        if (c == "positive") {
          classes.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotSentiment, Xapian::sortable_serialise(0.05));
        } else if (c == "negative") {
          classes.emplace_back(Xapian::Query::OP_VALUE_LE, kSlotSentiment, Xapian::sortable_serialise(-0.05));
        } else if (c == "neutral") {
          classes.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotSentiment,
                               Xapian::sortable_serialise(std::nextafter(-0.05, 0.0)),
                               Xapian::sortable_serialise(std::nextafter(0.05, 0.0)));
        } else {
          *status = Status::InvalidArgument("unknown sentiment class '" + v + "' (expected positive, neutral or negative)");
          return query;
        }
      }
      filters.emplace_back(Xapian::Query::OP_OR, classes.begin(), classes.end());
      continue;
    }
    const FieldSpec* spec = FindField(field);
    if (spec == nullptr) {
      *status = Status::InvalidArgument("unknown filter field '" + field + "'");
      return query;
    }
    std::vector<Xapian::Query> alternatives;
    for (const std::string& v : values) alternatives.emplace_back(spec->prefix + TermValue(v));
    filters.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  if (req.from || req.to) filters.push_back(TimeFilter(req.from, req.to, time_bounds));
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  return query;
}

namespace {

// Collects every match's recno, time and author while Xapian matches, so that no
// ranking or MSet is needed.
class RowCollector : public Xapian::MatchSpy {
 public:
  RowCollector(bool packed, std::vector<MatchRow>* out) : fields_(packed), out_(out) {}
  void operator()(const Xapian::Document& doc, double) override {
    MatchRow row;
    row.recno = doc.get_docid();
    const std::string t = doc.get_value(kSlotTime);
    row.time = t.empty() ? 0 : static_cast<int64_t>(Xapian::sortable_unserialise(t));
    row.thread = doc.get_value(kSlotThread);
    fields_.Load(doc);
    row.author = fields_.Get(kFieldAuthor);
    ParseRole(fields_.Get(kFieldRole), &row.role);
    out_->push_back(std::move(row));
  }

 private:
  FieldReader fields_;
  std::vector<MatchRow>* out_;
};

// Counts the values of one field over every match, for a facet.
class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(bool packed, PackedField field) : fields_(packed), field_(field) {}
  void operator()(const Xapian::Document& doc, double) override {
    fields_.Load(doc);
    const std::string_view v = fields_.Get(field_);
    if (v.empty()) return;  // the message has none: not a facet value
    auto it = counts_.find(v);
    if (it == counts_.end()) it = counts_.emplace(std::string(v), 0).first;
    ++it->second;
  }
  // Values by count, most first; equal counts in byte order.
  std::vector<std::pair<std::string, uint64_t>> Counts() const {
    std::vector<std::pair<std::string, uint64_t>> out(counts_.begin(), counts_.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
  }

 private:
  FieldReader fields_;
  PackedField field_;
  std::map<std::string, uint64_t, std::less<>> counts_;
};

}  // namespace

Status TextSearcher::Collect(const SearchRequest& req, std::vector<MatchRow>* out) {
  try {
    Status status;
    Xapian::Query query = impl_->BuildQuery(req, &status);
    HARK_RETURN_IF_ERROR(status);
    const std::vector<Xapian::Database>& shards = impl_->shards;
    auto collect = [&](const Xapian::Database& db, size_t shard) {
      const size_t from = out->size();
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
      RowCollector collector(impl_->packed, out);
      enquire.add_matchspy(&collector);
      enquire.get_mset(0, 0, db.get_doccount());
      if (shards.empty()) return;
      for (size_t i = from; i < out->size(); ++i) (*out)[i].recno = ((*out)[i].recno - 1) * shards.size() + shard + 1;
    };
    if (shards.empty()) collect(impl_->db, 0);
    for (size_t i = 0; i < shards.size(); ++i) collect(shards[i], i);
    std::sort(out->begin(), out->end(), [](const MatchRow& a, const MatchRow& b) { return a.recno < b.recno; });
  } catch (const Xapian::QueryParserError& e) {
    return Status::InvalidArgument("cannot parse query '" + req.query + "': " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return XapianError("search failed", e);
  }
  return Status::Ok();
}

TextSearcher::TextSearcher() : impl_(std::make_unique<Impl>()) {}
TextSearcher::~TextSearcher() = default;

Result<std::unique_ptr<TextSearcher>> TextSearcher::Open(const std::string& dir) {
  std::unique_ptr<TextSearcher> s(new TextSearcher());
  try {
    s->impl_->db = Xapian::Database(dir);
    s->impl_->time_bounds = {s->first_time(), s->last_time(), HasMonthTerms(s->impl_->db)};
    s->impl_->packed = HasPackedFields(s->impl_->db);
    const int shards = TextShards(dir);
    if (shards == 1) s->impl_->count_db = Xapian::Database(dir);
    for (int i = 0; i < shards && shards > 1; ++i) s->impl_->shards.emplace_back(dir + "/" + ShardName(i));
  } catch (const Xapian::Error& e) {
    return XapianError("cannot open text index " + dir, e);
  }
  Xapian::QueryParser& qp = s->impl_->qp;
  qp.set_database(s->impl_->db);
  qp.set_stemmer(s->impl_->stem);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  for (const FieldSpec& f : kBooleanFields) {
    qp.add_boolean_prefix(f.name, (new LowerFieldProcessor(f.prefix))->release());
  }
  qp.add_boolean_prefix("date", &s->impl_->date_field);
  qp.add_prefix("title", kPrefixTitle);
  qp.add_rangeprocessor((new TimeRangeProcessor(&s->impl_->time_bounds))->release());
  return s;
}

uint64_t TextSearcher::doc_count() const { return impl_->db.get_doccount(); }

uint64_t TextSearcher::term_count() const {
  uint64_t n = 0;
  for (auto it = impl_->db.allterms_begin(); it != impl_->db.allterms_end(); ++it) ++n;
  return n;
}

int64_t TextSearcher::first_time() const {
  std::string v = impl_->db.get_value_lower_bound(kSlotTime);
  return v.empty() ? 0 : static_cast<int64_t>(Xapian::sortable_unserialise(v));
}

int64_t TextSearcher::last_time() const {
  std::string v = impl_->db.get_value_upper_bound(kSlotTime);
  return v.empty() ? 0 : static_cast<int64_t>(Xapian::sortable_unserialise(v));
}

Result<SearchResponse> TextSearcher::Search(const SearchRequest& req, const RecordFetcher& fetch) {
  Impl& im = *impl_;
  SearchResponse resp;
  try {
    Status status;
    Xapian::Query query = im.BuildQuery(req, &status);
    HARK_RETURN_IF_ERROR(status);
    resp.parsed_query = query.get_description();

    Xapian::Enquire enquire(im.db);
    enquire.set_query(query);
    if (req.sort == SortOrder::kNewest) enquire.set_sort_by_value_then_relevance(kSlotTime, true);
    if (req.sort == SortOrder::kOldest) enquire.set_sort_by_value_then_relevance(kSlotTime, false);
    if (req.collapse_thread) enquire.set_collapse_key(kSlotThread);
    std::vector<std::pair<std::string, std::unique_ptr<FacetCounter>>> spies;
    for (const std::string& f : req.facets) {
      const FieldSpec* spec = FindField(f);
      if (spec == nullptr || spec->facet < 0) {
        return Status::InvalidArgument("cannot facet on '" + f + "' (facets: author, brand, channel, role, source)");
      }
      spies.emplace_back(f, std::make_unique<FacetCounter>(im.packed, static_cast<PackedField>(spec->facet)));
      enquire.add_matchspy(spies.back().second.get());
    }
    const Xapian::doccount all = im.db.get_doccount();
    // An exact total without facets or collapsing is counted apart, by a boolean pass:
    // asking the ranked match to check every document makes it weigh every one (BM25
    // reads each document's length), several times the cost of counting them, while the
    // top hits alone stop early. Facets see every match in the ranked pass anyway, and a
    // collapsed total counts threads, which only the ranked pass knows.
    // The count runs on another thread beside the ranked pass (its own Database handle
    // and its own copy of the query: Xapian objects are not thread-safe, and a Query's
    // reference count is not atomic), so an exact search takes about as long as the
    // longer of the two passes instead of their sum.
    const bool count_apart = req.exact && spies.empty() && !req.collapse_thread;
    std::future<Xapian::doccount> counted;
    if (count_apart) {
      // A sharded database is counted shard by shard (the handles Collect uses, which
      // never runs beside Search): Xapian's merging of the shards' posting lists costs
      // more than counting each apart (5.7% more instructions, 200 queries at 1M).
      counted = std::async(std::launch::async, [&im, serialised = query.serialise(), all] {
        const Xapian::Query q = Xapian::Query::unserialise(serialised);
        auto count = [&q, all](const Xapian::Database& db) {
          Xapian::Enquire counter(db);
          counter.set_query(q);
          counter.set_weighting_scheme(Xapian::BoolWeight());
          counter.set_docid_order(Xapian::Enquire::ASCENDING);
          return counter.get_mset(0, 0, all).get_matches_lower_bound();
        };
        if (im.shards.empty()) return count(im.count_db);
        Xapian::doccount n = 0;
        for (const Xapian::Database& shard : im.shards) n += count(shard);
        return n;
      });
    }
    const Xapian::doccount check = ((req.exact && !count_apart) || !spies.empty()) ? all : 0;
    const Xapian::doccount limit = static_cast<Xapian::doccount>(std::min<uint64_t>(req.limit, all));
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset), limit, check);
    resp.total_lower = mset.get_matches_lower_bound();
    resp.total_upper = mset.get_matches_upper_bound();
    resp.total = mset.get_matches_estimated();
    if (count_apart) resp.total_lower = resp.total_upper = counted.get();
    resp.exact = resp.total_lower == resp.total_upper;
    if (resp.exact) resp.total = resp.total_lower;
    uint64_t rank = req.offset;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      SearchHit hit;
      Result<Record> rec = fetch(*it);
      if (!rec.ok()) return rec.status();
      hit.record = std::move(rec).value();
      hit.weight = it.get_weight();
      hit.rank = ++rank;
      hit.collapsed = req.collapse_thread ? it.get_collapse_count() : 0;
      if (req.snippets) {
        const std::string& text = hit.record.text.empty() ? hit.record.title : hit.record.text;
        hit.snippet = mset.snippet(text, req.snippet_length, im.stem,
                                   Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                   "<b>", "</b>", "...");
      }
      resp.hits.push_back(std::move(hit));
    }
    for (auto& [name, spy] : spies) resp.facets[name] = spy->Counts();
  } catch (const Xapian::QueryParserError& e) {
    return Status::InvalidArgument("cannot parse query '" + req.query + "': " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return XapianError("search failed", e);
  }
  return resp;
}

}  // namespace hark::internal

// ---------------------------------------------------------------------------------------
// Verification.

namespace hark::internal {
namespace {

const char* SlotName(Xapian::valueno slot) {
  switch (slot) {
    case kSlotTime: return "time";
    case kSlotThread: return "thread";
    case kSlotBrand: return "brand";
    case kSlotChannel: return "channel";
    case kSlotAuthor: return "author";
    case kSlotRole: return "role";
    case kSlotSource: return "source";
    case kSlotSentiment: return "sentiment";
    case kSlotScore: return "score";
    case kSlotUid: return "uid";
    case kSlotFields: return "fields";
  }
  return "?";
}

const char* FieldName(PackedField f) {
  switch (f) {
    case kFieldBrand: return "brand";
    case kFieldChannel: return "channel";
    case kFieldAuthor: return "author";
    case kFieldRole: return "role";
    case kFieldSource: return "source";
    case kFieldScore: return "score";
    case kFieldId: return "id";
    case kPackedFields: break;
  }
  return "?";
}

// A value for a message: numbers unserialised, strings quoted (cut to 80 bytes).
std::string ShowValue(Xapian::valueno slot, const std::string& v) {
  if (v.empty()) return "(none)";
  if (slot == kSlotTime) return FormatTime(static_cast<int64_t>(Xapian::sortable_unserialise(v)));
  if (slot == kSlotSentiment || slot == kSlotScore) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", Xapian::sortable_unserialise(v));
    return buf;
  }
  std::string shown = v.size() > 80 ? v.substr(0, 80) + "..." : v;
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20) c = '/';  // the \x1f inside thread values
  }
  return "'" + shown + "'";
}

}  // namespace

// Field terms of a layout-2 database are checked without termlists: Open() reads every
// field term's posting list once and keeps, per document, how many field terms it has and
// the sum of their hashes (12 bytes per document); Check() compares those with the terms
// the record would get, and only when they differ looks up which terms are missing (one
// posting list each) and which are extra (searched among prefixes with few terms).
struct TextChecker::Impl {
  Xapian::Database db;
  bool has_uid_values = false;  // layouts 2 and 3; layout 1 keeps the identity as a Q term
  bool has_month_terms = true;  // layout 3 and later
  bool packed = true;           // layout 4: HasPackedFields
  std::vector<uint64_t> field_hash;   // by docid
  std::vector<uint32_t> field_count;  // by docid
  std::map<std::string, uint64_t> terms_per_prefix;  // field prefix ("A", "XM", ...) -> distinct terms
  uint64_t detailed = 0;              // mismatches explained term by term so far
  // One value stream per slot hark writes and the all-documents posting list, read along
  // in docid order: looked up document by document each costs a B-tree descent.
  std::vector<Xapian::ValueIterator> streams;
  Xapian::PostingIterator all;
  Xapian::docid last = 0;  // docid of the previous Check

  static uint64_t Hash(const std::string& term) { return std::hash<std::string>()(term) | 1; }
  static std::string PrefixOf(const std::string& term) { return term.substr(0, term[0] == 'X' ? 2 : 1); }

  // The value of `slot` in document `did` ("" when none), for non-decreasing `did`.
  std::string Value(Xapian::valueno slot, Xapian::docid did) {
    Xapian::ValueIterator& it = streams[slot];
    const Xapian::ValueIterator end = db.valuestream_end(slot);
    if (it != end && it.get_docid() < did) it.skip_to(did);
    return it != end && it.get_docid() == did ? *it : std::string();
  }

  bool Exists(Xapian::docid did) {
    if (all != db.postlist_end("") && *all < did) all.skip_to(did);
    return all != db.postlist_end("") && *all == did;
  }

  bool Has(const std::string& term, Xapian::docid did) {
    Xapian::PostingIterator p = db.postlist_begin(term);
    p.skip_to(did);
    return p != db.postlist_end(term) && *p == did;
  }

  // Reads every field term's posting list (terms from "A" up to "Z", less the title
  // prefix S and, for layout 1, the identity prefix Q).
  void ReadFieldTerms() {
    const Xapian::docid n = db.get_lastdocid();
    field_hash.assign(n + 1, 0);
    field_count.assign(n + 1, 0);
    Xapian::TermIterator t = db.allterms_begin();
    t.skip_to("A");
    while (t != db.allterms_end()) {
      const std::string term = *t;
      if (term[0] >= 'Z' || term[0] < 'A') break;
      if (term[0] == 'S' || term[0] == kPrefixUid[0]) {
        t.skip_to(std::string(1, static_cast<char>(term[0] + 1)));
        continue;
      }
      ++terms_per_prefix[PrefixOf(term)];
      const uint64_t h = Hash(term);
      for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        field_hash[*p] += h;
        ++field_count[*p];
      }
      ++t;
    }
  }
};

TextChecker::TextChecker() : impl_(std::make_unique<Impl>()) {}
TextChecker::~TextChecker() = default;

Result<std::unique_ptr<TextChecker>> TextChecker::Open(const std::string& dir) {
  std::unique_ptr<TextChecker> c(new TextChecker());
  Impl& im = *c->impl_;
  try {
    im.db = Xapian::Database(dir);
    im.packed = HasPackedFields(im.db);
    im.has_uid_values = im.db.get_value_freq(kSlotUid) > 0;
    im.has_month_terms = HasMonthTerms(im.db);
    im.ReadFieldTerms();
  } catch (const Xapian::Error& e) {
    return XapianError("cannot open text index " + dir, e);
  }
  return c;
}

uint64_t TextChecker::doc_count() const { return impl_->db.get_doccount(); }
uint64_t TextChecker::last_docid() const { return impl_->db.get_lastdocid(); }

Status TextChecker::Check(const Record& r, Document* out) {
  *out = Document();
  try {
    Impl& im = *impl_;
    const Xapian::docid did = static_cast<Xapian::docid>(r.recno);
    if (im.streams.empty() || did <= im.last) {  // first call, or out of order: restart the streams
      im.streams.clear();
      for (Xapian::valueno slot = 0; slot <= kSlotFields; ++slot) im.streams.push_back(im.db.valuestream_begin(slot));
      im.all = im.db.postlist_begin("");
    }
    im.last = did;
    if (!im.Exists(did)) return Status::Ok();
    out->exists = true;
    Xapian::Document want;
    AddFields(r, im.packed, &want);

    // Identity: source and id from the packed value (layout 4), the uid value (layouts 2
    // and 3) or the Q term read from the termlist (layout 1).
    const std::string want_uid = std::string(r.source).append(1, '\x1f').append(r.id);
    const std::string have_fields = im.packed ? im.Value(kSlotFields, did) : std::string();
    if (im.packed) {
      std::string_view source, id;
      if (UnpackField(have_fields, kFieldSource, &source) && UnpackField(have_fields, kFieldId, &id)) {
        out->identity = std::string(source).append(1, '\x1f').append(id);
      }
    } else if (im.has_uid_values) {
      out->identity = im.Value(kSlotUid, did);
    } else {
      Xapian::TermIterator t = im.db.termlist_begin(did);
      t.skip_to(kPrefixUid);
      if (t != im.db.termlist_end(did) && (*t)[0] == kPrefixUid[0]) out->identity = (*t).substr(1);
    }
    out->same_identity =
        im.packed || im.has_uid_values ? out->identity == want_uid : out->identity == want_uid.substr(0, 240);

    // Field terms: compare count and hash sum; explain a difference term by term.
    std::vector<std::string> wanted;
    uint64_t want_hash = 0;
    for (Xapian::TermIterator t = want.termlist_begin(); t != want.termlist_end(); ++t) {
      if (!im.has_month_terms && (*t)[0] == kPrefixMonth[0]) continue;  // layout 2: none yet
      wanted.push_back(*t);
      want_hash += Impl::Hash(wanted.back());
    }
    uint64_t have_hash = did < im.field_hash.size() ? im.field_hash[did] : 0;
    uint64_t have_count = did < im.field_count.size() ? im.field_count[did] : 0;
    if (have_hash != want_hash || have_count != wanted.size()) {
      // Explained term by term for the first 100 such documents; the rest are counted.
      if (im.detailed++ >= 100) {
        out->differences.push_back("field terms differ (" + std::to_string(have_count) + " in the document, " +
                                   std::to_string(wanted.size()) + " for the record)");
      } else {
        for (const std::string& t : wanted) {
          if (im.Has(t, did)) {
            have_hash -= Impl::Hash(t);
            --have_count;
          } else {
            out->differences.push_back("term '" + t + "' missing");
          }
        }
        for (const auto& [prefix, terms] : im.terms_per_prefix) {
          if (have_count == 0 || terms > 10000) continue;
          for (Xapian::TermIterator t = im.db.allterms_begin(prefix); t != im.db.allterms_end(prefix); ++t) {
            if (std::binary_search(wanted.begin(), wanted.end(), *t) || !im.Has(*t, did)) continue;
            out->differences.push_back("term '" + *t + "' not the record's");
            have_hash -= Impl::Hash(*t);
            if (--have_count == 0) break;
          }
        }
        if (have_count > 0) {
          out->differences.push_back(std::to_string(have_count) + " other field term(s) not the record's");
        }
      }
    }

    // Values of the slots hark writes in the database's layout (values in other slots are
    // not looked for); the packed fields one by one, named as their layout 3 slots.
    for (Xapian::valueno slot = 0; slot < kSlotUid; ++slot) {  // kSlotUid: the identity, above
      const std::string have = im.Value(slot, did);
      const std::string expected = want.get_value(slot);
      if (have != expected) {
        out->differences.push_back(std::string("value ") + SlotName(slot) + ": document " + ShowValue(slot, have) +
                                   ", record " + ShowValue(slot, expected));
      }
    }
    const std::string want_fields = want.get_value(kSlotFields);
    if (im.packed && have_fields != want_fields) {
      for (unsigned i = 0; i < kFieldId; ++i) {  // kFieldId: the identity, above
        const PackedField f = static_cast<PackedField>(i);
        std::string_view have, expected;
        if (!UnpackField(have_fields, f, &have)) {
          out->differences.push_back("value fields: document's packed value is malformed");
          break;
        }
        (void)UnpackField(want_fields, f, &expected);
        if (have == expected) continue;
        const Xapian::valueno shown_as = LayoutThreeSlot(f);
        out->differences.push_back(std::string("value ") + FieldName(f) + ": document " +
                                   ShowValue(shown_as, std::string(have)) + ", record " +
                                   ShowValue(shown_as, std::string(expected)));
      }
    }
  } catch (const Xapian::Error& e) {
    return XapianError("reading text document " + std::to_string(r.recno), e);
  }
  return Status::Ok();
}

Status TextChecker::DocidsIn(uint64_t first, uint64_t last, size_t limit, std::vector<uint64_t>* out) {
  out->clear();
  try {
    Xapian::PostingIterator it = impl_->db.postlist_begin("");
    it.skip_to(static_cast<Xapian::docid>(first));
    for (; it != impl_->db.postlist_end("") && *it <= last && out->size() < limit; ++it) out->push_back(*it);
  } catch (const Xapian::Error& e) {
    return XapianError("listing text documents", e);
  }
  return Status::Ok();
}

}  // namespace hark::internal

// ---------------------------------------------------------------------------------------
// The stock Xapian peer (text_ceiling.h).

namespace hark {
namespace fs = std::filesystem;

Status BuildStockXapian(const std::vector<Record>& records, int shards, const std::string& dir,
                        CeilingStats* stats) {
  shards = std::max(shards, 1);
  std::error_code ec;
  fs::remove_all(dir, ec);
  auto shard_dir = [&](int i) { return dir + ".shard-" + std::to_string(i); };
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> errors(static_cast<size_t>(shards));
  std::vector<std::thread> writers;
  for (int i = 0; i < shards; ++i) {
    writers.emplace_back([&, i] {
      const size_t lo = records.size() * static_cast<size_t>(i) / static_cast<size_t>(shards);
      const size_t hi = records.size() * static_cast<size_t>(i + 1) / static_cast<size_t>(shards);
      try {
        Xapian::WritableDatabase db(shard_dir(i), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        for (size_t k = lo; k < hi; ++k) {
          db.replace_document(static_cast<Xapian::docid>(records[k].recno), internal::MakeStockDocument(records[k], &tg));
        }
        db.commit();
      } catch (const Xapian::Error& e) {
        errors[static_cast<size_t>(i)] = e.get_description();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const std::string& e : errors) {
    if (!e.empty()) return Status::IOError("stock Xapian shard: " + e);
  }
  const auto built = std::chrono::steady_clock::now();
  try {
    Xapian::Database all;
    for (int i = 0; i < shards; ++i) all.add_database(Xapian::Database(shard_dir(i)));
    all.compact(dir, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error& e) {
    return Status::IOError("compacting stock Xapian shards into " + dir + ": " + e.get_description());
  }
  stats->build_seconds = std::chrono::duration<double>(built - start).count();
  stats->merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
  for (int i = 0; i < shards; ++i) fs::remove_all(shard_dir(i), ec);
  return Status::Ok();
}

}  // namespace hark
