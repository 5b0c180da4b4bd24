// Key and record encodings. DO NOT CHANGE without bumping kSchemaVersion.
#include "storage/schema.h"

#include <cctype>
#include <cstring>
#include <vector>

namespace hark::schema {
namespace {

void PutU64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (i * 8)) & 0xFF));
}
uint64_t GetU64(std::string_view s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

// Reads from a byte string, failing softly on truncation.
struct Decoder {
  std::string_view s;
  bool ok = true;
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (s.empty()) return ok = false;
      unsigned char b = static_cast<unsigned char>(s[0]);
      s.remove_prefix(1);
      *v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return ok = false;
  }
  bool String(std::string* out) {
    uint64_t n;
    if (!Varint(&n) || n > s.size()) return ok = false;
    out->assign(s.data(), n);
    s.remove_prefix(n);
    return true;
  }
  bool Byte(uint8_t* b) {
    if (s.empty()) return ok = false;
    *b = static_cast<uint8_t>(s[0]);
    s.remove_prefix(1);
    return true;
  }
};

constexpr uint8_t kRecordFormat = 1;

// Sentiment in [-1, 1] as stored: in units of 1e-4, rounded.
int64_t SentimentUnits(double sentiment) {
  return static_cast<int64_t>(sentiment * 10000.0 + (sentiment >= 0 ? 0.5 : -0.5));
}

}  // namespace

std::string EncodeRecno(uint64_t recno) {
  std::string k;
  PutU64(&k, recno);
  return k;
}
uint64_t DecodeRecno(std::string_view key) { return key.size() < 8 ? 0 : GetU64(key); }

std::string EncodeTime(int64_t time) {
  std::string k;
  PutU64(&k, static_cast<uint64_t>(time) ^ (1ull << 63));
  return k;
}
int64_t DecodeTime(std::string_view bytes) { return static_cast<int64_t>(GetU64(bytes) ^ (1ull << 63)); }

std::string IdKey(std::string_view source, std::string_view id) {
  std::string k;
  k.reserve(source.size() + id.size() + 1);
  k.append(source);
  k.push_back('\0');
  k.append(id);
  return k;
}

std::string ThreadPrefix(std::string_view source, std::string_view thread) {
  std::string k = IdKey(source, thread);
  k.push_back('\0');
  return k;
}

std::string ThreadKey(std::string_view source, std::string_view thread, int64_t time, uint64_t recno) {
  std::string k = ThreadPrefix(source, thread);
  k += EncodeTime(time);
  PutU64(&k, recno);
  return k;
}

std::string AuthorPrefix(std::string_view author) {
  std::string k = Lower(author);
  k.push_back('\0');
  return k;
}

std::string AuthorKey(std::string_view author, int64_t time, uint64_t recno) {
  std::string k = AuthorPrefix(author);
  k += EncodeTime(time);
  PutU64(&k, recno);
  return k;
}

uint64_t RecnoFromOrderKey(std::string_view key) {
  return key.size() < 8 ? 0 : GetU64(key.substr(key.size() - 8));
}

std::string CounterKey(std::string_view series, int32_t day) {
  std::string k(series);
  k.push_back('\0');
  uint32_t d = static_cast<uint32_t>(day) ^ (1u << 31);
  for (int i = 3; i >= 0; --i) k.push_back(static_cast<char>((d >> (i * 8)) & 0xFF));
  return k;
}

int32_t DayFromCounterKey(std::string_view key) {
  if (key.size() < 4) return 0;
  uint32_t d = 0;
  for (size_t i = key.size() - 4; i < key.size(); ++i) d = (d << 8) | static_cast<unsigned char>(key[i]);
  return static_cast<int32_t>(d ^ (1u << 31));
}

int32_t DayOf(int64_t time) {
  return static_cast<int32_t>(time >= 0 ? time / 86400 : (time - 86399) / 86400);
}

std::string EncodeCount(int64_t n) {
  std::string s(8, '\0');
  uint64_t u = static_cast<uint64_t>(n);
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((u >> (i * 8)) & 0xFF);
  return s;
}

int64_t DecodeCount(std::string_view bytes) {
  if (bytes.size() != 8) return 0;
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<int64_t>(u);
}

void CounterSeries(const Record& r, std::vector<std::string>* series) {
  series->clear();
  series->push_back("all");
  if (!r.brand.empty()) series->push_back("brand:" + TermValue(r.brand));
  if (!r.channel.empty()) series->push_back("channel:" + TermValue(r.channel));
  series->push_back("source:" + r.source);
  if (r.role != Role::kUnknown) series->push_back("role:" + std::string(RoleName(r.role)));
  for (const std::string& m : r.mentions) series->push_back("mention:" + TermValue(m));
  // The class of the sentiment as stored, as everything that reads the record sees it.
  series->push_back(std::string("sentiment:") + SentimentClass(static_cast<double>(SentimentUnits(r.sentiment)) / 10000.0));
}

const char* SentimentClass(double sentiment) {
  return sentiment >= 0.05 ? "positive" : sentiment <= -0.05 ? "negative" : "neutral";
}

std::string EncodeThreadEntry(const Record& r) {
  std::string out;
  out.push_back(static_cast<char>(r.role));
  PutVarint(&out, r.flags);
  PutVarint(&out, ZigZag(SentimentUnits(r.sentiment)));
  PutString(&out, r.channel);
  PutString(&out, r.brand);
  PutString(&out, r.author);
  return out;
}

bool DecodeThreadEntry(std::string_view bytes, ThreadEntryFields* out) {
  Decoder d{bytes};
  uint8_t role;
  uint64_t flags, sentiment;
  if (!d.Byte(&role) || !d.Varint(&flags) || !d.Varint(&sentiment)) return false;
  out->role = role <= 3 ? static_cast<Role>(role) : Role::kUnknown;
  out->flags = static_cast<uint32_t>(flags);
  out->sentiment = static_cast<double>(UnZigZag(sentiment)) / 10000.0;
  return d.String(&out->channel) && d.String(&out->brand) && d.String(&out->author) && d.s.empty();
}

std::string PackFields(const std::array<std::string_view, kPackedFields>& fields) {
  size_t size = 0;
  for (std::string_view f : fields) size += f.size() + 2;
  std::string out;
  out.reserve(size);
  for (std::string_view f : fields) PutString(&out, f);
  return out;
}

bool UnpackField(std::string_view packed, PackedField f, std::string_view* out) {
  *out = {};
  Decoder d{packed};
  for (unsigned i = 0; i <= f; ++i) {
    uint64_t n;
    if (!d.Varint(&n) || n > d.s.size()) return false;
    if (i == f) *out = d.s.substr(0, n);
    d.s.remove_prefix(n);
  }
  return true;
}

std::string EncodeAuthorValue(const Record& r) { return IdKey(r.source, r.thread); }

bool DecodeAuthorValue(std::string_view bytes, std::string* source, std::string* thread) {
  size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos) return false;
  source->assign(bytes.substr(0, nul));
  thread->assign(bytes.substr(nul + 1));
  return true;
}

std::string EncodeRecord(const Record& r) {
  std::string out;
  out.reserve(64 + r.text.size() + r.title.size());
  out.push_back(static_cast<char>(kRecordFormat));
  PutString(&out, r.source);
  PutString(&out, r.id);
  PutString(&out, r.channel);
  PutVarint(&out, ZigZag(r.time));
  PutString(&out, r.author);
  out.push_back(static_cast<char>(r.role));
  PutString(&out, r.brand);
  PutString(&out, r.parent);
  PutString(&out, r.thread);
  PutString(&out, r.title);
  PutString(&out, r.text);
  out.push_back(r.score.has_value() ? 1 : 0);
  if (r.score) PutVarint(&out, ZigZag(*r.score));
  out.push_back(!r.accepted.has_value() ? 0 : (*r.accepted ? 2 : 1));
  PutVarint(&out, r.tags.size());
  for (const std::string& t : r.tags) PutString(&out, t);
  PutString(&out, r.accepted_answer);
  // Sentiment in [-1, 1] kept to 1e-4: enough for every analysis, 3 bytes typical.
  PutVarint(&out, ZigZag(SentimentUnits(r.sentiment)));
  PutVarint(&out, r.mentions.size());
  for (const std::string& m : r.mentions) PutString(&out, m);
  PutVarint(&out, r.flags);
  return out;
}

bool DecodeRecord(std::string_view bytes, Record* r) {
  Decoder d{bytes};
  uint8_t format, b;
  uint64_t v, n;
  *r = Record();
  if (!d.Byte(&format) || format != kRecordFormat) return false;
  d.String(&r->source) && d.String(&r->id) && d.String(&r->channel);
  if (d.Varint(&v)) r->time = UnZigZag(v);
  d.String(&r->author);
  if (d.Byte(&b)) r->role = b <= 3 ? static_cast<Role>(b) : Role::kUnknown;
  d.String(&r->brand) && d.String(&r->parent) && d.String(&r->thread) && d.String(&r->title) &&
      d.String(&r->text);
  if (d.Byte(&b) && b == 1 && d.Varint(&v)) r->score = UnZigZag(v);
  if (d.Byte(&b) && b != 0) r->accepted = (b == 2);
  if (d.Varint(&n)) {
    for (uint64_t i = 0; i < n && d.ok; ++i) {
      std::string t;
      if (d.String(&t)) r->tags.push_back(std::move(t));
    }
  }
  d.String(&r->accepted_answer);
  if (d.Varint(&v)) r->sentiment = static_cast<double>(UnZigZag(v)) / 10000.0;
  if (d.Varint(&n)) {
    for (uint64_t i = 0; i < n && d.ok; ++i) {
      std::string m;
      if (d.String(&m)) r->mentions.push_back(std::move(m));
    }
  }
  if (d.Varint(&v)) r->flags = static_cast<uint32_t>(v);
  return d.ok && d.s.empty();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string TermValue(std::string_view s) {
  std::string out = Lower(s);
  if (out.size() > kMaxTermValue) {
    size_t n = kMaxTermValue;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
  }
  return out;
}

}  // namespace hark::schema
