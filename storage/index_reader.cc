// IndexReader: a consistent read-only view of the committed state of the live generation.
#include <algorithm>
#include <filesystem>

#include "storage/index.h"
#include "storage/index_files.h"
#include "storage/rocks_store.h"
#include "storage/schema.h"
#include "storage/text_index.h"

namespace hark {
namespace {

using internal::Cf;
using internal::RocksStore;

class IndexReaderImpl : public IndexReader {
 public:
  Status Init(const std::string& dir);

  const IndexState& state() const override { return state_; }
  Result<Record> Get(uint64_t recno) override;
  Status GetMany(const std::vector<uint64_t>& recnos, std::vector<Record>* out) override {
    for (uint64_t r : recnos) {
      if (r == 0 || r > state_.records) return Status::NotFound("record " + std::to_string(r) + " not found");
    }
    return store_->GetRecords(recnos, out);
  }
  Status FindById(const std::string& id, const std::string& source, std::vector<Record>* out) override;
  Status Thread(const std::string& source, const std::string& thread, std::vector<Record>* out) override;
  Result<SearchResponse> Search(const SearchRequest& request) override;
  Result<IndexStats> Stats() override;
  Status ResolveIdentity(const std::string& name, std::string* person, std::vector<std::string>* handles) override;
  Status AuthorMessages(const std::string& author, std::vector<AuthorMessage>* out) override;
  Status ThreadEntries(const std::vector<std::pair<std::string, std::string>>& threads,
                       std::vector<std::vector<ThreadEntry>>* out) override;
  Status ForEachThread(const ThreadFn& fn) override;
  Status CollectMatches(const SearchRequest& request, std::vector<MatchRow>* out) override;
  Result<std::string> StoredBrandLexicon() override { return store_->GetOrEmpty(Cf::kMeta, schema::kMetaBrands); }
  std::pair<int64_t, int64_t> TimeBounds() override {
    if (!text_ || state_.records == 0) return {0, 0};
    return {text_->first_time(), text_->last_time()};
  }
  Status DailyCounts(const std::string& series, int64_t first_day, int64_t last_day,
                     std::map<int64_t, uint64_t>* out) override;

 private:
  std::string dir_, gen_dir_;
  std::unique_ptr<RocksStore> store_;
  std::unique_ptr<internal::TextSearcher> text_;
  IndexState state_;
};

Status IndexReaderImpl::Init(const std::string& dir) {
  dir_ = dir;
  // A writer may swap the text database between our reading the state and opening it,
  // or a reindex may publish a new generation and prune the one CURRENT named: then
  // what we read is stale, so read it again.
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    Result<std::string> current = internal::ReadCurrent(dir);
    if (!current.ok()) return current.status();
    gen_dir_ = dir + "/" + *current;
    Result<std::unique_ptr<RocksStore>> store = RocksStore::OpenForRead(gen_dir_ + "/store");
    if (!store.ok()) {
      last = store.status();
      continue;
    }
    store_ = std::move(*store);
    std::string json;
    HARK_RETURN_IF_ERROR(store_->Get(Cf::kMeta, schema::kMetaState, &json).WithContext("reading index state of " + dir));
    HARK_RETURN_IF_ERROR(internal::StateFromJson(json, &state_));
    if (state_.text_dir.empty()) return Status::Ok();  // nothing committed yet
    Result<std::unique_ptr<internal::TextSearcher>> text = internal::TextSearcher::Open(gen_dir_ + "/" + state_.text_dir);
    if (text.ok()) {
      text_ = std::move(*text);
      return Status::Ok();
    }
    last = text.status();
  }
  return last;
}

Result<Record> IndexReaderImpl::Get(uint64_t recno) {
  if (recno == 0 || recno > state_.records) return Status::NotFound("record " + std::to_string(recno) + " not found");
  return store_->GetRecord(recno);
}

Status IndexReaderImpl::FindById(const std::string& id, const std::string& source, std::vector<Record>* out) {
  out->clear();
  std::vector<std::string> sources;
  if (!source.empty()) {
    sources.push_back(source);
  } else {
    // Source names are few: the ids family is keyed source \0 id, so ask each.
    for (const SourceFile& f : state_.sources) {
      if (std::find(sources.begin(), sources.end(), f.source) == sources.end()) sources.push_back(f.source);
    }
  }
  for (const std::string& s : sources) {
    std::string value;
    Status st = store_->Get(Cf::kIds, schema::IdKey(s, id), &value);
    if (st.code() == Status::Code::kNotFound) continue;
    HARK_RETURN_IF_ERROR(st);
    uint64_t recno = schema::DecodeRecno(value);
    if (recno > state_.records) continue;
    Result<Record> r = store_->GetRecord(recno);
    if (!r.ok()) return r.status();
    out->push_back(std::move(*r));
  }
  return Status::Ok();
}

Status IndexReaderImpl::Thread(const std::string& source, const std::string& thread, std::vector<Record>* out) {
  out->clear();
  std::vector<uint64_t> recnos;
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(Cf::kThreads, schema::ThreadPrefix(source, thread),
                                          [&](std::string_view k, std::string_view) {
                                            recnos.push_back(schema::RecnoFromOrderKey(k));
                                            return true;
                                          }));
  for (uint64_t recno : recnos) {
    if (recno > state_.records) continue;
    Result<Record> r = store_->GetRecord(recno);
    if (!r.ok()) return r.status();
    out->push_back(std::move(*r));
  }
  return Status::Ok();
}

Result<SearchResponse> IndexReaderImpl::Search(const SearchRequest& request) {
  if (!text_) return SearchResponse();
  return text_->Search(request, [this](uint64_t recno) { return Get(recno); });
}

Result<IndexStats> IndexReaderImpl::Stats() {
  IndexStats st;
  st.state = state_;
  st.dir = dir_;
  st.generation_dir = gen_dir_;
  if (text_) {
    st.documents = text_->doc_count();
    st.first_time = text_->first_time();
    st.last_time = text_->last_time();
  }
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(Cf::kCounters, "", [&](std::string_view k, std::string_view v) {
    std::string_view series = k.substr(0, k.size() - 5);  // strip \0 + day
    int64_t n = schema::DecodeCount(v);
    size_t colon = series.find(':');
    if (colon == std::string_view::npos) return true;
    std::string_view kind = series.substr(0, colon);
    std::string name(series.substr(colon + 1));
    if (kind == "source") st.by_source[name] += n;
    else if (kind == "channel") st.by_channel[name] += n;
    else if (kind == "role") st.by_role[name] += n;
    else if (kind == "brand") st.by_brand[name] += n;
    return true;
  }));
  st.store_bytes = internal::DirectoryBytes(gen_dir_ + "/store");
  if (!state_.text_dir.empty()) st.text_bytes = internal::DirectoryBytes(gen_dir_ + "/" + state_.text_dir);
  return st;
}

Status IndexReaderImpl::ResolveIdentity(const std::string& name, std::string* person,
                                        std::vector<std::string>* handles) {
  handles->clear();
  person->clear();
  const std::string lower = schema::Lower(name);
  std::string value;
  Status s = store_->Get(Cf::kMeta, schema::kMetaIdentityHandle + lower, &value);
  if (s.ok()) {
    *person = value;
  } else if (s.code() != Status::Code::kNotFound) {
    return s;
  } else {
    *person = name;  // maybe a person id
  }
  s = store_->Get(Cf::kMeta, schema::kMetaIdentityPerson + *person, &value);
  if (s.code() == Status::Code::kNotFound) {
    person->clear();
    handles->push_back(lower);
    return Status::Ok();
  }
  HARK_RETURN_IF_ERROR(s);
  size_t start = 0;
  for (size_t nl; (nl = value.find('\n', start)) != std::string::npos; start = nl + 1) {
    handles->push_back(value.substr(start, nl - start));
  }
  if (start < value.size()) handles->push_back(value.substr(start));
  return Status::Ok();
}

Status IndexReaderImpl::AuthorMessages(const std::string& author, std::vector<AuthorMessage>* out) {
  const std::string prefix = schema::AuthorPrefix(author);
  return store_->ScanPrefix(Cf::kAuthors, prefix, [&](std::string_view k, std::string_view v) {
    AuthorMessage m;
    m.recno = schema::RecnoFromOrderKey(k);
    if (m.recno > state_.records) return true;
    m.time = schema::DecodeTime(k.substr(prefix.size(), 8));
    if (!schema::DecodeAuthorValue(v, &m.source, &m.thread)) return true;
    out->push_back(std::move(m));
    return true;
  });
}

namespace {

bool DecodeEntry(std::string_view key, std::string_view value, size_t prefix_size, ThreadEntry* e) {
  schema::ThreadEntryFields f;
  if (key.size() < prefix_size + 16 || !schema::DecodeThreadEntry(value, &f)) return false;
  e->recno = schema::RecnoFromOrderKey(key);
  e->time = schema::DecodeTime(key.substr(prefix_size, 8));
  e->role = f.role;
  e->flags = f.flags;
  e->sentiment = f.sentiment;
  e->channel = std::move(f.channel);
  e->brand = std::move(f.brand);
  e->author = std::move(f.author);
  return true;
}

}  // namespace

Status IndexReaderImpl::ThreadEntries(const std::vector<std::pair<std::string, std::string>>& threads,
                                      std::vector<std::vector<ThreadEntry>>* out) {
  out->assign(threads.size(), {});
  std::vector<std::string> prefixes;
  prefixes.reserve(threads.size());
  for (const auto& [source, thread] : threads) prefixes.push_back(schema::ThreadPrefix(source, thread));
  Status bad;
  HARK_RETURN_IF_ERROR(store_->ScanPrefixes(Cf::kThreads, prefixes, [&](size_t i, std::string_view k, std::string_view v) {
    ThreadEntry e;
    if (!DecodeEntry(k, v, prefixes[i].size(), &e)) {
      bad = Status::Corruption("threads entry of " + threads[i].first + "/" + threads[i].second + " cannot be decoded");
      return false;
    }
    if (e.recno <= state_.records) (*out)[i].push_back(std::move(e));
    return true;
  }));
  return bad;
}

Status IndexReaderImpl::ForEachThread(const ThreadFn& fn) {
  std::string current_prefix, source, thread;
  std::vector<ThreadEntry> entries;
  Status result;
  auto flush = [&]() -> bool {
    if (entries.empty()) return true;
    result = fn(source, thread, entries);
    entries.clear();
    return result.ok();
  };
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(Cf::kThreads, "", [&](std::string_view k, std::string_view v) {
    // key: source \0 thread \0 time(8) recno(8)
    if (k.size() < 18) return true;
    std::string_view prefix = k.substr(0, k.size() - 16);
    if (prefix != current_prefix) {
      if (!flush()) return false;
      current_prefix.assign(prefix);
      size_t nul = prefix.find('\0');
      source.assign(prefix.substr(0, nul));
      thread.assign(prefix.substr(nul + 1, prefix.size() - nul - 2));
    }
    ThreadEntry e;
    if (!DecodeEntry(k, v, prefix.size(), &e)) {
      result = Status::Corruption("threads entry of " + source + "/" + thread + " cannot be decoded");
      return false;
    }
    if (e.recno <= state_.records) entries.push_back(std::move(e));
    return true;
  }));
  HARK_RETURN_IF_ERROR(result);
  flush();
  return result;
}

Status IndexReaderImpl::CollectMatches(const SearchRequest& request, std::vector<MatchRow>* out) {
  out->clear();
  if (!text_) return Status::Ok();
  return text_->Collect(request, out);
}

Status IndexReaderImpl::DailyCounts(const std::string& series, int64_t first_day, int64_t last_day,
                                    std::map<int64_t, uint64_t>* out) {
  std::string prefix = series;
  prefix.push_back('\0');
  return store_->ScanPrefix(Cf::kCounters, prefix, [&](std::string_view k, std::string_view v) {
    int64_t day = schema::DayFromCounterKey(k);
    if (day > last_day) return false;  // keys are in day order
    if (day >= first_day) (*out)[day] += static_cast<uint64_t>(schema::DecodeCount(v));
    return true;
  });
}

}  // namespace

Result<std::unique_ptr<IndexReader>> IndexReader::Open(const std::string& dir) {
  auto r = std::make_unique<IndexReaderImpl>();
  HARK_RETURN_IF_ERROR(r->Init(dir));
  return std::unique_ptr<IndexReader>(std::move(r));
}

}  // namespace hark
