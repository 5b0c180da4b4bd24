#include "indexer/thread_linker.h"

#include <tuple>

namespace hark {

Status ThreadLinker::LinkToParent(Record* child, Record* parent_in_batch, Record* parent_stored) {
  Record* parent = parent_in_batch != nullptr ? parent_in_batch : parent_stored;
  bool parent_changed = false;
  // The conversation is with the brand whose agent speaks in it.
  if (child->role == Role::kCustomer && parent->role == Role::kAgent && !parent->brand.empty()) {
    child->brand = parent->brand;
  }
  if (child->role == Role::kAgent && parent->role == Role::kCustomer && !child->brand.empty() &&
      parent->brand != child->brand) {
    parent->brand = child->brand;
    parent_changed = true;
  }
  if (!parent->accepted_answer.empty() && parent->accepted_answer == child->id) child->accepted = true;
  if (parent_changed && parent_stored != nullptr) return writer_->Update(*parent_stored);
  return Status::Ok();
}

Status ThreadLinker::Assign(std::vector<Record>* batch) {
  // Records of this batch by (source, id): they are not in the store yet.
  std::unordered_map<std::string, Record*> in_batch;
  in_batch.reserve(batch->size());
  for (Record& r : *batch) {
    const bool explicit_thread = !r.thread.empty();
    if (!r.parent.empty()) {
      std::string key = r.source + '\0' + r.parent;
      auto it = in_batch.find(key);
      if (it != in_batch.end()) {
        if (!explicit_thread) r.thread = it->second->thread;
        HARK_RETURN_IF_ERROR(LinkToParent(&r, it->second, nullptr));
      } else {
        Result<std::optional<Record>> parent = writer_->Find(r.source, r.parent);
        if (!parent.ok()) return parent.status();
        if (parent->has_value()) {
          if (!explicit_thread) r.thread = (*parent)->thread;
          HARK_RETURN_IF_ERROR(LinkToParent(&r, nullptr, &**parent));
        } else if (!explicit_thread) {
          r.thread = r.parent;  // named after the missing parent until it arrives
          HARK_RETURN_IF_ERROR(writer_->MarkDangling(r.source, r.parent));
        }
      }
    } else if (!explicit_thread) {
      r.thread = r.id;
    }
    // Did earlier replies name a thread after this record?
    Result<bool> dangling = writer_->TakeDangling(r.source, r.id);
    if (!dangling.ok()) return dangling.status();
    if (*dangling) {
      if (r.thread != r.id) merges_[{r.source, r.id}] = r.thread;
      else to_enrich_.insert({r.source, r.thread});
    }
    // An accepted answer stored before its question.
    if (!r.accepted_answer.empty()) {
      auto it = in_batch.find(r.source + '\0' + r.accepted_answer);
      if (it != in_batch.end()) {
        it->second->accepted = true;
      } else {
        Result<std::optional<Record>> answer = writer_->Find(r.source, r.accepted_answer);
        if (!answer.ok()) return answer.status();
        if (answer->has_value() && !(*answer)->accepted.value_or(false)) {
          (*answer)->accepted = true;
          HARK_RETURN_IF_ERROR(writer_->Update(**answer));
        }
      }
    }
    in_batch[r.source + '\0' + r.id] = &r;
  }
  return Status::Ok();
}

std::string ThreadLinker::Resolve(const std::string& source, const std::string& thread) {
  std::string t = thread;
  std::vector<std::map<ThreadName, std::string>::iterator> path;
  for (size_t guard = 0; guard < merges_.size() + 1; ++guard) {  // a cycle cannot loop forever
    auto it = merges_.find({source, t});
    if (it == merges_.end() || it->second == t) break;
    path.push_back(it);
    t = it->second;
  }
  for (auto& it : path) it->second = t;  // path compression
  return t;
}

Status ThreadLinker::Finish(uint64_t* moved) {
  *moved = 0;
  std::vector<uint64_t> members;
  for (auto& [from, to] : merges_) {
    std::string final_thread = Resolve(from.source, from.thread);
    if (final_thread == from.thread) continue;
    HARK_RETURN_IF_ERROR(writer_->ThreadMembers(from.source, from.thread, &members));
    for (uint64_t recno : members) {
      Result<Record> r = writer_->Get(recno);
      if (!r.ok()) return r.status();
      r->thread = final_thread;
      HARK_RETURN_IF_ERROR(writer_->Update(*r));
      ++*moved;
    }
    to_enrich_.insert({from.source, final_thread});
  }
  for (const ThreadName& t : to_enrich_) HARK_RETURN_IF_ERROR(Enrich(t));
  merges_.clear();
  to_enrich_.clear();
  return Status::Ok();
}

// Re-applies the parent -> child rules over a whole thread whose members arrived out of
// order, so the result does not depend on input order.
Status ThreadLinker::Enrich(const ThreadName& thread) {
  std::vector<uint64_t> recnos;
  HARK_RETURN_IF_ERROR(writer_->ThreadMembers(thread.source, thread.thread, &recnos));
  std::vector<Record> records;
  std::unordered_map<std::string, size_t> by_id;
  for (uint64_t recno : recnos) {
    Result<Record> r = writer_->Get(recno);
    if (!r.ok()) return r.status();
    by_id[r->id] = records.size();
    records.push_back(std::move(*r));
  }
  std::vector<Record> before = records;
  // Agents first answer customers; then customers inherit from the agents they reply to.
  for (int pass = 0; pass < 2; ++pass) {
    for (Record& child : records) {
      if (child.parent.empty()) continue;
      auto it = by_id.find(child.parent);
      if (it == by_id.end()) continue;
      Record& parent = records[it->second];
      if (pass == 0 && child.role == Role::kAgent && parent.role == Role::kCustomer && !child.brand.empty()) {
        parent.brand = child.brand;
      }
      if (pass == 1 && child.role == Role::kCustomer && parent.role == Role::kAgent && !parent.brand.empty()) {
        child.brand = parent.brand;
      }
      if (!parent.accepted_answer.empty() && parent.accepted_answer == child.id) child.accepted = true;
    }
  }
  for (size_t i = 0; i < records.size(); ++i) {
    if (!(records[i] == before[i])) HARK_RETURN_IF_ERROR(writer_->Update(records[i]));
  }
  return Status::Ok();
}

}  // namespace hark
