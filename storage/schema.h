// The on-disk schema of a hark index: the one file that owns every key encoding,
// column family, Xapian prefix and value slot. DO NOT CHANGE an encoding without
// bumping kSchemaVersion and writing the migration: indexes on disk depend on it.
//
// INDEX/
//   CURRENT            "gen-000001\n": the live generation, replaced atomically
//   LOCK               flock'ed by the one writer; holds its pid
//   gen-NNNNNN/
//     manifest.json    human-readable mirror of the committed state (see Manifest)
//     store/           RocksDB, column families below
//     text-NNNNNN/     Xapian (glass) database; the live one is named in the state
//
// RocksDB column families (all keys are byte strings; integers big-endian so that
// byte order is numeric order):
//   default   meta: "state" -> JSON of the committed state (the commit point);
//             "identity:h:" lower(handle) -> person; "identity:p:" person -> handles, one per line
//   records   recno(u64)                         -> EncodeRecord(record)
//   ids       source \0 id                       -> recno(u64)
//   threads   source \0 thread \0 time(t64) recno(u64) -> EncodeThreadEntry (a thread in time order,
//             with what conversation metrics need, so they never decode records)
//   authors   lower(author) \0 time(t64) recno(u64)    -> source \0 thread (an author's messages in
//             time order, with their conversations)
//   counters  series \0 day(i32)                 -> count (int64, little-endian; merge = add)
//             series: "all", "brand:<b>", "channel:<c>", "source:<s>", "role:<r>", "mention:<b>",
//             "sentiment:<positive|neutral|negative>" (SentimentClass; since schema 2)
// t64 is the epoch time + 2^63 (so negative times sort first); i32 is days + 2^31.
//
// Xapian: docid == recno. Terms (boolean values are lower-cased, cut to 200 bytes):
//   free text: unprefixed + stemmed "Z" terms with positions (title and text)
//   S title words   A author   B brand   C channel   R role   G thread   O source
//   K tag   XM mentioned brand   M month YYYYMM (layout 3 and later)
//   layout 1 only: D date YYYYMMDD, Y year YYYY, Q unique id: source \x1f id
// Value slots: see ValueSlot. Document data is empty: records live in RocksDB.
#ifndef HARK_STORAGE_SCHEMA_H_
#define HARK_STORAGE_SCHEMA_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/record.h"

namespace hark::schema {

// 2: sentiment counter series.
inline constexpr int kSchemaVersion = 2;

inline constexpr char kCfRecords[] = "records";
inline constexpr char kCfIds[] = "ids";
inline constexpr char kCfThreads[] = "threads";
inline constexpr char kCfAuthors[] = "authors";
inline constexpr char kCfCounters[] = "counters";
inline constexpr char kMetaState[] = "state";

inline constexpr char kPrefixTitle[] = "S";
inline constexpr char kPrefixAuthor[] = "A";
inline constexpr char kPrefixBrand[] = "B";
inline constexpr char kPrefixChannel[] = "C";
inline constexpr char kPrefixRole[] = "R";
inline constexpr char kPrefixThread[] = "G";
inline constexpr char kPrefixSource[] = "O";
inline constexpr char kPrefixTag[] = "K";
inline constexpr char kPrefixMention[] = "XM";
// The UTC month of the record's time, M<YYYYMM> (text layout 3): time filters read it
// for the months they cover whole, and the time value only inside a month they cut.
inline constexpr char kPrefixMonth[] = "M";
// The record's identity (source \x1f id) as a unique term: text layout 1 only.
inline constexpr char kPrefixUid[] = "Q";

// How the text database is laid out (IndexState::text_layout).
// 1: Xapian's stock layout: a termlist per document and the identity as a Q term.
// 2: no termlists (DB_NO_TERMLIST), the identity in value slot kSlotUid, no day, month
//    and year terms (date: reads the time value), Z stems only where a word's stem
//    differs (DocumentMaker in text_index.cc). A termlist
//    is Xapian's copy of each document's terms, needed only to replace or delete a
//    document in place; hark rebuilds from its records instead (a commit that changes an
//    already indexed record rebuilds the text database). Building without termlists took
//    the text phase from 11.3 s to 6.8 s (100k generated messages, 1 thread, best of 3).
// 3: 2 plus a month term per document (kPrefixMonth): a search filtered to a month took
//    7.0 ms at p50 through the time value alone, 2.9 ms with the brand filter alone
//    (1M generated messages; bench/README.md "Search and the analyst's night").
// 4: 3 with brand, channel, author, role, source, score and id in one value (kSlotFields,
//    PackFields) instead of seven slots: Xapian's writer keeps every slot of a document
//    apart (its pending changes, bounds and chunks per slot), and values were about 9%
//    of the text build's instructions. Searches read time, thread and sentiment from
//    their own slots as before (ranges, sorting, collapsing); facets and match rows read
//    the packed value.
inline constexpr int kTextLayout = 4;

enum ValueSlot : unsigned {
  kSlotTime = 0,       // sortable_serialise(epoch seconds)
  kSlotThread = 1,     // source \x1f thread (collapse key)
  kSlotBrand = 2,      // lower-cased brand
  kSlotChannel = 3,    // lower-cased channel
  kSlotAuthor = 4,     // lower-cased author
  kSlotRole = 5,       // role name
  kSlotSource = 6,     // source
  kSlotSentiment = 7,  // sortable_serialise(sentiment)
  kSlotScore = 8,      // sortable_serialise(score), absent when none
  kSlotUid = 9,        // source \x1f id (text layouts 2 and 3)
  kSlotFields = 10,    // PackFields (text layout 4, which has no values in slots 2-6, 8 and 9)
};

// The fields of text layout 4's packed value, in their order there: each as in its own
// slot of layout 3 (brand, channel and author as TermValue, the role's name or "" when
// unknown, the source, sortable_serialise(score) or "" when none) and the id.
enum PackedField : unsigned {
  kFieldBrand,
  kFieldChannel,
  kFieldAuthor,
  kFieldRole,
  kFieldSource,
  kFieldScore,
  kFieldId,
  kPackedFields,  // how many
};
// Each field as a varint length and its bytes, in PackedField order.
std::string PackFields(const std::array<std::string_view, kPackedFields>& fields);
// Field `f` of a packed value; false (and *out empty) when `packed` is malformed.
bool UnpackField(std::string_view packed, PackedField f, std::string_view* out);

// Longest boolean term value kept (Xapian's limit is 245 bytes per term).
inline constexpr size_t kMaxTermValue = 200;

std::string EncodeRecno(uint64_t recno);
uint64_t DecodeRecno(std::string_view key);  // 8 bytes big-endian
std::string EncodeTime(int64_t time);        // t64
int64_t DecodeTime(std::string_view bytes);

std::string IdKey(std::string_view source, std::string_view id);
std::string ThreadPrefix(std::string_view source, std::string_view thread);  // ends with \0
std::string ThreadKey(std::string_view source, std::string_view thread, int64_t time, uint64_t recno);
std::string AuthorPrefix(std::string_view author);  // lower-cased, ends with \0
std::string AuthorKey(std::string_view author, int64_t time, uint64_t recno);
// Last 8 bytes of a threads/authors key.
uint64_t RecnoFromOrderKey(std::string_view key);

std::string CounterKey(std::string_view series, int32_t day);
int32_t DayFromCounterKey(std::string_view key);
int32_t DayOf(int64_t time);  // floor(time / 86400)
std::string EncodeCount(int64_t n);
int64_t DecodeCount(std::string_view bytes);

// threads family values: role, flags, sentiment, channel, brand, author of one message.
std::string EncodeThreadEntry(const Record& r);
struct ThreadEntryFields {
  Role role = Role::kUnknown;
  uint32_t flags = 0;
  double sentiment = 0;
  std::string channel, brand, author;
};
bool DecodeThreadEntry(std::string_view bytes, ThreadEntryFields* out);
// authors family values.
std::string EncodeAuthorValue(const Record& r);
bool DecodeAuthorValue(std::string_view bytes, std::string* source, std::string* thread);

// The brand lexicon the index's mentions were tagged with (BrandLexicon::canonical()).
inline constexpr char kMetaBrands[] = "brands";
inline constexpr char kMetaIdentityHandle[] = "identity:h:";
inline constexpr char kMetaIdentityPerson[] = "identity:p:";

// The counter series a record contributes to (all, brand, channel, source, role,
// mentions, sentiment class: of the sentiment as stored, to 1e-4).
void CounterSeries(const Record& r, std::vector<std::string>* series);
// VADER's usual reading of a compound score: >= 0.05 "positive", <= -0.05 "negative",
// else "neutral".
const char* SentimentClass(double sentiment);

// Record <-> bytes. DecodeRecord returns false on malformed bytes.
std::string EncodeRecord(const Record& r);
bool DecodeRecord(std::string_view bytes, Record* r);

std::string Lower(std::string_view s);
// Lower-cased and cut to kMaxTermValue bytes on a UTF-8 boundary.
std::string TermValue(std::string_view s);

}  // namespace hark::schema

#endif  // HARK_STORAGE_SCHEMA_H_
