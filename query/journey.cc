#include "query/journey.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "query/conversation.h"
#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

std::string Duration(int64_t s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  else if (s < 86400) std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60));
  else std::snprintf(buf, sizeof buf, "%lldd%02lldh", static_cast<long long>(s / 86400), static_cast<long long>(s / 3600 % 24));
  return buf;
}

}  // namespace

Status ResolveCustomer(IndexReader& index, const std::string& name, const IdentityMap* extra, Customer* out) {
  out->name = name;
  HARK_RETURN_IF_ERROR(index.ResolveIdentity(name, &out->person, &out->handles));
  if (extra != nullptr) {
    const std::string* person = extra->PersonOf(name);
    std::string key = person != nullptr ? *person : name;
    auto it = extra->by_person().find(key);
    if (it != extra->by_person().end()) {
      // A person id known only to the file is nobody's handle: drop the placeholder
      // handle the index resolved it to.
      if (out->person.empty() && person == nullptr) out->handles.clear();
      if (out->person.empty()) out->person = key;
      for (const std::string& h : it->second) {
        // A handle of the file may be stitched in the index to more handles still.
        std::string p;
        std::vector<std::string> more;
        HARK_RETURN_IF_ERROR(index.ResolveIdentity(h, &p, &more));
        out->handles.insert(out->handles.end(), more.begin(), more.end());
      }
    }
  }
  std::sort(out->handles.begin(), out->handles.end());
  out->handles.erase(std::unique(out->handles.begin(), out->handles.end()), out->handles.end());
  return Status::Ok();
}

Status RunJourney(IndexReader& index, const JourneyRequest& req, const RenderOptions& render, std::ostream& out) {
  Customer customer;
  HARK_RETURN_IF_ERROR(ResolveCustomer(index, req.customer, req.identities, &customer));
  const std::set<std::string> handles(customer.handles.begin(), customer.handles.end());

  // The conversations the customer wrote in.
  std::vector<AuthorMessage> own;
  for (const std::string& h : customer.handles) HARK_RETURN_IF_ERROR(index.AuthorMessages(h, &own));
  std::vector<std::pair<std::string, std::string>> threads;  // ascending: one pass over the threads order
  for (const AuthorMessage& m : own) threads.emplace_back(m.source, m.thread);
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());

  auto in_range = [&](int64_t t) { return (!req.from || t >= *req.from) && (!req.to || t <= *req.to); };
  auto is_customer = [&](const ThreadEntry& e) { return handles.count(schema::Lower(e.author)) > 0; };

  struct Conversation {
    std::string source, thread;
    std::vector<ThreadEntry> entries;
    ConversationSummary summary;
  };
  std::vector<std::vector<ThreadEntry>> entries;
  HARK_RETURN_IF_ERROR(index.ThreadEntries(threads, &entries));
  std::vector<Conversation> conversations;
  for (size_t i = 0; i < threads.size(); ++i) {
    Conversation c{threads[i].first, threads[i].second, std::move(entries[i]), {}};
    c.entries.erase(std::remove_if(c.entries.begin(), c.entries.end(), [&](const ThreadEntry& e) { return !in_range(e.time); }),
                    c.entries.end());
    if (std::any_of(c.entries.begin(), c.entries.end(), is_customer)) conversations.push_back(std::move(c));
  }
  if (conversations.empty()) {
    return Status::NotFound("no messages by '" + req.customer + "'" + (req.from || req.to ? " in that time range" : ""));
  }
  // Summaries point into the entries: take them once the vector no longer moves.
  for (Conversation& c : conversations) c.summary = Summarize(c.source, c.thread, c.entries, is_customer);
  std::sort(conversations.begin(), conversations.end(), [](const Conversation& a, const Conversation& b) {
    return std::make_pair(a.summary.first->time, a.summary.first->recno) <
           std::make_pair(b.summary.first->time, b.summary.first->recno);
  });

  // The timeline: every message of those conversations, in time order.
  std::vector<std::pair<const ThreadEntry*, const Conversation*>> timeline;
  for (const Conversation& c : conversations) {
    for (const ThreadEntry& e : c.entries) timeline.emplace_back(&e, &c);
  }
  std::sort(timeline.begin(), timeline.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.first->time, a.first->recno) < std::make_pair(b.first->time, b.first->recno);
  });
  std::vector<uint64_t> recnos;
  recnos.reserve(timeline.size());
  for (const auto& [e, c] : timeline) recnos.push_back(e->recno);
  std::vector<Record> records;
  HARK_RETURN_IF_ERROR(index.GetMany(recnos, &records));
  std::map<uint64_t, const Record*> by_recno;
  for (const Record& r : records) by_recno[r.recno] = &r;

  // Summary over the journey.
  std::set<std::string> channels, brands;
  std::vector<int64_t> responses;
  uint64_t answered = 0, resolved = 0;
  for (const Conversation& c : conversations) {
    if (!c.summary.channel.empty()) channels.insert(c.summary.channel);
    if (!c.summary.brand.empty()) brands.insert(c.summary.brand);
    if (c.summary.first_response_s) {
      ++answered;
      responses.push_back(*c.summary.first_response_s);
    }
    if (c.summary.resolved) ++resolved;
  }
  std::optional<double> median = Median(&responses);
  const int64_t first_contact = timeline.front().first->time;
  const int64_t last_contact = timeline.back().first->time;

  if (render.format == OutputFormat::kJson) {
    // Written as it goes (JsonWriter): keys in the order nlohmann prints them.
    JsonWriter w(out, true);
    auto ref = [&](const ThreadEntry* e) {
      if (e == nullptr) return w.Null();
      w.BeginObject();
      w.Key("id").String(by_recno[e->recno]->id);
      w.Key("time").String(FormatTime(e->time));
      w.EndObject();
    };
    auto strings = [&](const auto& list) {
      w.BeginArray();
      for (const std::string& s : list) w.String(s);
      w.EndArray();
    };
    w.BeginObject();
    w.Key("conversations").BeginArray();
    for (const Conversation& c : conversations) {
      const ConversationSummary& s = c.summary;
      w.BeginObject();
      w.Key("answered").Bool(s.first_response_s.has_value());
      w.Key("brand").String(s.brand);
      w.Key("channel").String(s.channel);
      w.Key("first_message");
      ref(s.first);
      w.Key("first_response_s");
      s.first_response_s ? w.Int(*s.first_response_s) : w.Null();
      w.Key("last_message");
      ref(s.last);
      w.Key("messages").Uint(s.messages);
      w.Key("resolved").Bool(s.resolved);
      w.Key("resolved_by");
      s.resolved ? w.String(s.resolved_by) : w.Null();
      w.Key("sentiment_end").Double(s.last_customer->sentiment);
      w.Key("sentiment_start").Double(s.first_customer->sentiment);
      w.Key("source").String(s.source);
      w.Key("thread").String(s.thread);
      w.Key("turns").Uint(s.turns);
      w.EndObject();
    }
    w.EndArray();
    w.Key("customer").String(customer.name);
    w.Key("handles");
    strings(customer.handles);
    w.Key("messages").BeginArray();
    for (size_t i = 0; i < records.size(); ++i) {
      const Record& r = records[i];
      w.BeginObject();
      w.Key("author").String(r.author);
      w.Key("brand").String(r.brand);
      w.Key("channel").String(r.channel);
      w.Key("customer").Bool(is_customer(*timeline[i].first));
      w.Key("id").String(r.id);
      w.Key("role").String(RoleName(r.role));
      w.Key("sentiment").Double(r.sentiment);
      w.Key("source").String(r.source);
      w.Key("text").String(r.text);
      w.Key("thread").String(r.thread);
      w.Key("time").String(FormatTime(r.time));
      w.EndObject();
    }
    w.EndArray();
    w.Key("person");
    customer.person.empty() ? w.Null() : w.String(customer.person);
    w.Key("summary").BeginObject();
    w.Key("answered").Uint(answered);
    w.Key("brands");
    strings(brands);
    w.Key("channels");
    strings(channels);
    w.Key("conversations").Uint(conversations.size());
    w.Key("first_contact").String(FormatTime(first_contact));
    w.Key("last_contact").String(FormatTime(last_contact));
    w.Key("median_first_response_s");
    median ? w.Double(*median) : w.Null();
    w.Key("messages").Uint(records.size());
    w.Key("resolved").Uint(resolved);
    w.Key("unanswered").Uint(conversations.size() - answered);
    w.EndObject();
    w.EndObject();
    w.Finish();
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"time", "id", "source", "author", "role", "channel", "brand", "thread", "customer", "sentiment", "text"});
    for (size_t i = 0; i < records.size(); ++i) {
      const Record& r = records[i];
      char sentiment[16];
      std::snprintf(sentiment, sizeof sentiment, "%.4f", r.sentiment);
      WriteCsvRow(out, {FormatTime(r.time), r.id, r.source, r.author, std::string(RoleName(r.role)), r.channel, r.brand,
                        r.thread, is_customer(*timeline[i].first) ? "1" : "0", sentiment, r.text});
    }
    return Status::Ok();
  }
  out << "journey of " << customer.name;
  if (!customer.person.empty()) out << " (person " << customer.person << ")";
  out << ": " << records.size() << " messages in " << conversations.size() << " conversations, "
      << FormatTime(first_contact) << " .. " << FormatTime(last_contact) << "\n";
  if (customer.handles.size() > 1) {
    out << "handles:";
    for (const std::string& h : customer.handles) out << " " << h;
    out << "\n";
  }
  out << "\n";
  const Conversation* current = nullptr;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (timeline[i].second != current) {
      current = timeline[i].second;
      out << "  -- " << (current->summary.channel.empty() ? "?" : current->summary.channel) << " conversation "
          << current->source << ":" << current->thread << (current->summary.brand.empty() ? "" : " with " + current->summary.brand)
          << "\n";
    }
    out << "  " << FormatTime(r.time) << (is_customer(*timeline[i].first) ? "  > " : "    ") << r.author
        << (r.role == Role::kUnknown ? "" : " (" + std::string(RoleName(r.role)) + ")") << ": " << OneLine(r.text, 110) << "\n";
  }
  out << "\nconversations:\n";
  for (const Conversation& c : conversations) {
    const ConversationSummary& s = c.summary;
    char line[256];
    std::snprintf(line, sizeof line, "  %s %-10s %-18s %3llu msgs %3llu turns  first response %-9s %s  sentiment %+.2f -> %+.2f\n",
                  FormatDate(s.first->time).c_str(), s.channel.c_str(), s.brand.substr(0, 18).c_str(),
                  static_cast<unsigned long long>(s.messages), static_cast<unsigned long long>(s.turns),
                  s.first_response_s ? Duration(*s.first_response_s).c_str() : "unanswered",
                  s.resolved ? ("resolved (" + s.resolved_by + ")").c_str() : "not resolved", s.first_customer->sentiment,
                  s.last_customer->sentiment);
    out << line;
  }
  out << "\nchannels:";
  for (const std::string& c : channels) out << " " << c;
  out << "\nbrands:";
  for (const std::string& b : brands) out << " " << b;
  out << "\nanswered " << answered << " of " << conversations.size() << ", resolved " << resolved
      << ", median first response " << (median ? Duration(static_cast<int64_t>(*median)) : "-") << "\n";
  return Status::Ok();
}

}  // namespace hark
