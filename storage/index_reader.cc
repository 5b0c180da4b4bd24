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
  Status FindById(const std::string& id, const std::string& source, std::vector<Record>* out) override;
  Status Thread(const std::string& source, const std::string& thread, std::vector<Record>* out) override;
  Result<SearchResponse> Search(const SearchRequest& request) override;
  Result<IndexStats> Stats() override;

 private:
  std::string dir_, gen_dir_;
  std::unique_ptr<RocksStore> store_;
  std::unique_ptr<internal::TextSearcher> text_;
  IndexState state_;
};

Status IndexReaderImpl::Init(const std::string& dir) {
  dir_ = dir;
  // A writer may swap the text database between our reading the state and opening it:
  // then the state we read is stale, so read it again.
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<std::string> current = internal::ReadCurrent(dir);
    if (!current.ok()) return current.status();
    gen_dir_ = dir + "/" + *current;
    Result<std::unique_ptr<RocksStore>> store = RocksStore::OpenForRead(gen_dir_ + "/store");
    if (!store.ok()) return store.status();
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

}  // namespace

Result<std::unique_ptr<IndexReader>> IndexReader::Open(const std::string& dir) {
  auto r = std::make_unique<IndexReaderImpl>();
  HARK_RETURN_IF_ERROR(r->Init(dir));
  return std::unique_ptr<IndexReader>(std::move(r));
}

}  // namespace hark
