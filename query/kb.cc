#include "query/kb.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "query/kb_cluster.h"
#include "query/output.h"
#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

std::string ThreadKey(const std::string& source, const std::string& thread) { return source + '\x1f' + thread; }

KbAnswer AnswerOf(const RankedAnswer& a) {
  KbAnswer k;
  k.id = a.record.id;
  k.source = a.record.source;
  k.author = a.record.author;
  k.text = a.record.text;
  k.score = a.score;
  k.deflection = a.deflection;
  k.why = a.why;
  return k;
}

// What is kept of a mined thread: its question and its three best answers.
struct Kept {
  std::string source, thread;
  Record question;
  std::vector<RankedAnswer> answers;
  bool resolved = false, reasked = false;
};

// A good answer: one that is not a deflection, in a thread the asker confirmed or with
// an accepted answer, or the best-scored substantive answer that nobody re-asked after.
bool GoodAnswer(const Kept& k) {
  if (k.answers.empty() || k.answers.front().deflection) return false;
  return k.resolved || !k.reasked;
}

nlohmann::json AnswerJson(const KbAnswer& a) {
  return {{"id", a.id}, {"source", a.source}, {"author", a.author}, {"text", a.text},
          {"score", std::round(a.score * 100) / 100}, {"deflection", a.deflection}, {"why", a.why}};
}

}  // namespace

Status ComputeKb(IndexReader& index, const KbRequest& req, KbReport* out, KbReport* gaps) {
  *out = KbReport();
  // Threads in scope: those holding a message that matches the query and filters.
  std::unordered_set<std::string> scope;
  const bool scoped = !req.query.empty() || !req.brands.empty() || !req.sources.empty();
  if (scoped) {
    SearchRequest sr;
    sr.query = req.query;
    if (!req.brands.empty()) sr.filters["brand"] = req.brands;
    if (!req.sources.empty()) sr.filters["source"] = req.sources;
    std::vector<MatchRow> rows;
    HARK_RETURN_IF_ERROR(index.CollectMatches(sr, &rows));
    for (const MatchRow& r : rows) scope.insert(r.thread);
  }

  std::vector<Kept> kept;
  std::vector<uint64_t> recnos;
  std::vector<Record> records;
  HARK_RETURN_IF_ERROR(index.ForEachThread([&](const std::string& source, const std::string& thread,
                                               const std::vector<ThreadEntry>& entries) -> Status {
    if (scoped && !scope.count(ThreadKey(source, thread))) return Status::Ok();
    ++out->threads;
    recnos.clear();
    for (const ThreadEntry& e : entries) recnos.push_back(e.recno);
    HARK_RETURN_IF_ERROR(index.GetMany(recnos, &records));
    MinedThread mined;
    if (!MineThread(records, &mined)) {
      out->opening_missing += mined.opening_missing;
      return Status::Ok();
    }
    const int64_t t = mined.question.time;
    if ((req.from && t < *req.from) || (req.to && t > *req.to)) return Status::Ok();
    ++out->questions;
    Kept k;
    k.source = source;
    k.thread = thread;
    k.question = std::move(mined.question);
    if (mined.answers.size() > 3) mined.answers.resize(3);
    k.answers = std::move(mined.answers);
    k.resolved = mined.resolved;
    k.reasked = mined.reasked;
    kept.push_back(std::move(k));
    return Status::Ok();
  }));

  // Questions are clustered within a brand (the same words addressed to two brands are
  // two different questions); questions without a brand form one group.
  std::map<std::string, std::vector<size_t>> by_brand;
  for (size_t i = 0; i < kept.size(); ++i) by_brand[schema::Lower(kept[i].question.brand)].push_back(i);
  std::map<size_t, std::vector<size_t>> members;  // cluster -> kept indexes, clusters numbered across brands
  std::vector<double> centrality(kept.size(), 1.0);  // per kept question (kb_cluster.h)
  size_t next_cluster = 0;
  for (const auto& [brand, group] : by_brand) {
    std::vector<std::string> texts;
    texts.reserve(group.size());
    for (size_t i : group) {
      const Record& q = kept[i].question;
      texts.push_back(q.title.empty() ? q.text : q.title + "\n" + q.text);
    }
    std::vector<double> central;
    const std::vector<size_t> cluster = ClusterQuestions(texts, ClusterOptions(), &central);
    size_t most = 0;
    for (size_t g = 0; g < group.size(); ++g) {
      centrality[group[g]] = central[g];
      members[next_cluster + cluster[g]].push_back(group[g]);
      most = std::max(most, cluster[g] + 1);
    }
    next_cluster += most;
  }
  out->clusters = members.size();
  if (gaps != nullptr) *gaps = *out;  // the counts; no entry is made yet
  // Where a cluster's entry goes: entries with a good answer and gaps, or only the kind
  // the request asks for (nullptr: not made).
  KbReport* answered_to = out;
  KbReport* gap_to = gaps;
  if (gaps == nullptr) {
    answered_to = req.gaps ? nullptr : out;
    gap_to = req.gaps ? out : nullptr;
  }

  for (const auto& [id, threads] : members) {
    if (threads.size() < req.min_support) continue;
    size_t good = 0;
    for (size_t i : threads) good += GoodAnswer(kept[i]);
    KbReport* to = good == 0 ? gap_to : answered_to;  // a gap: no thread of the cluster has a good answer
    if (to == nullptr) continue;
    KbEntry e;
    e.support = threads.size();
    // Every answer of the cluster, best first. The representative question is the most
    // central one (the cluster's most typical wording; ties to the earliest) among
    // those worded as questions (flagged at ingest or titled), if any: the entry states
    // the question as customers usually ask it, with the best answer given to any of
    // them.
    std::vector<std::pair<const RankedAnswer*, size_t>> answers;
    for (size_t i : threads) {
      for (const RankedAnswer& a : kept[i].answers) answers.emplace_back(&a, i);
    }
    std::stable_sort(answers.begin(), answers.end(), [](const auto& a, const auto& b) {
      if (a.first->deflection != b.first->deflection) return !a.first->deflection;
      return a.first->score > b.first->score;
    });
    auto worded = [&](size_t i) {
      return (kept[i].question.flags & kFlagQuestion) != 0 || !kept[i].question.title.empty();
    };
    size_t rep = threads.front();
    for (size_t i : threads) {
      if (worded(i) != worded(rep)) {
        if (worded(i)) rep = i;
      } else if (centrality[i] > centrality[rep] ||
                 (centrality[i] == centrality[rep] && kept[i].question.time < kept[rep].question.time)) {
        rep = i;
      }
    }
    if (!answers.empty()) {
      e.answer = AnswerOf(*answers.front().first);
      for (size_t a = 1; a < answers.size() && e.runners_up.size() < 2; ++a) {
        if (answers[a].first->record.id == e.answer->id) continue;
        e.runners_up.push_back(AnswerOf(*answers[a].first));
      }
    }
    const Record& q = kept[rep].question;
    e.question_id = q.id;
    e.question_source = q.source;
    e.question_title = q.title;
    e.question_text = q.text;
    std::set<std::string> brands, channels;
    e.first_seen = q.time;
    e.last_seen = q.time;
    for (size_t i : threads) {
      const Kept& k = kept[i];
      e.resolved += k.resolved;
      e.first_seen = std::min(e.first_seen, k.question.time);
      e.last_seen = std::max(e.last_seen, k.question.time);
      if (!k.question.brand.empty()) brands.insert(k.question.brand);
      if (!k.question.channel.empty()) channels.insert(k.question.channel);
      e.sources.push_back(k.source + ":" + k.thread);
      if (i != rep && e.similar.size() < req.similar) {
        e.similar.emplace_back(k.question.id, k.question.title.empty() ? k.question.text : k.question.title);
      }
    }
    e.brands.assign(brands.begin(), brands.end());
    e.channels.assign(channels.begin(), channels.end());
    char line[160];
    std::snprintf(line, sizeof line, "asked in %zu conversations; %zu confirmed resolved by the asker", e.support,
                  e.resolved);
    e.why.push_back(line);
    if (e.answer) {
      std::snprintf(line, sizeof line, "best of %zu answers in the cluster", answers.size());
      e.why.push_back(line);
      for (const std::string& w : e.answer->why) e.why.push_back(w);
    } else {
      e.why.push_back("no answer in any of these conversations");
    }
    to->entries.push_back(std::move(e));
  }
  for (KbReport* r : {out, gaps}) {
    if (r == nullptr) continue;
    std::stable_sort(r->entries.begin(), r->entries.end(), [](const KbEntry& a, const KbEntry& b) {
      return a.support != b.support ? a.support > b.support : a.last_seen > b.last_seen;
    });
  }
  return Status::Ok();
}

Status RunKb(IndexReader& index, const KbRequest& req, const RenderOptions& render, std::ostream& out) {
  KbReport r;
  HARK_RETURN_IF_ERROR(ComputeKb(index, req, &r));
  const size_t n = std::min(req.limit, r.entries.size());
  if (render.format == OutputFormat::kJson) {
    nlohmann::json entries = nlohmann::json::array();
    for (size_t i = 0; i < n; ++i) {
      const KbEntry& e = r.entries[i];
      nlohmann::json similar = nlohmann::json::array(), runners = nlohmann::json::array();
      for (const auto& [id, text] : e.similar) similar.push_back({{"id", id}, {"text", text}});
      for (const KbAnswer& a : e.runners_up) runners.push_back(AnswerJson(a));
      entries.push_back({{"question", {{"id", e.question_id}, {"source", e.question_source},
                                       {"title", e.question_title}, {"text", e.question_text}}},
                         {"similar", similar},
                         {"answer", e.answer ? AnswerJson(*e.answer) : nlohmann::json()},
                         {"runners_up", runners},
                         {"why", e.why},
                         {"support", e.support},
                         {"resolved", e.resolved},
                         {"first_seen", FormatTime(e.first_seen)},
                         {"last_seen", FormatTime(e.last_seen)},
                         {"brands", e.brands},
                         {"channels", e.channels},
                         {"sources", e.sources}});
    }
    WriteJson(out, {{"gaps", req.gaps},
                    {"threads", r.threads},
                    {"opening_missing", r.opening_missing},
                    {"questions", r.questions},
                    {"clusters", r.clusters},
                    {"entries", entries}});
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"support", "resolved", "first_seen", "last_seen", "question_id", "question", "answer_id",
                      "answer_author", "answer", "brands", "channels"});
    for (size_t i = 0; i < n; ++i) {
      const KbEntry& e = r.entries[i];
      std::string brands, channels;
      for (const std::string& b : e.brands) brands += (brands.empty() ? "" : ";") + b;
      for (const std::string& c : e.channels) channels += (channels.empty() ? "" : ";") + c;
      WriteCsvRow(out, {std::to_string(e.support), std::to_string(e.resolved), FormatTime(e.first_seen),
                        FormatTime(e.last_seen), e.question_id,
                        e.question_title.empty() ? e.question_text : e.question_title,
                        e.answer ? e.answer->id : "", e.answer ? e.answer->author : "",
                        e.answer ? e.answer->text : "", brands, channels});
    }
    return Status::Ok();
  }
  // Markdown: a readable draft.
  out << "# " << (req.gaps ? "Knowledge gaps" : "Knowledge base draft") << "\n\n";
  out << r.threads << " conversations read";
  if (r.opening_missing > 0) out << " (" << r.opening_missing << " begin after their opening message, not archived)";
  out << ", " << r.questions << " with a question, " << r.clusters
      << " distinct questions; " << r.entries.size() << (req.gaps ? " asked again and again without a good answer"
                                                               : " asked in at least " + std::to_string(req.min_support) +
                                                                     " conversations")
      << (n < r.entries.size() ? " (first " + std::to_string(n) + " below)" : "") << ".\n";
  for (size_t i = 0; i < n; ++i) {
    const KbEntry& e = r.entries[i];
    out << "\n## " << (i + 1) << ". " << OneLine(e.question_title.empty() ? e.question_text : e.question_title, 120)
        << "\n\n";
    if (!e.question_title.empty()) out << "> " << OneLine(e.question_text, 400) << "\n\n";
    out << "*Asked in " << e.support << " conversations, " << FormatDate(e.first_seen) << " to "
        << FormatDate(e.last_seen);
    if (!e.brands.empty()) {
      out << "; ";
      for (size_t b = 0; b < e.brands.size() && b < 5; ++b) out << (b ? ", " : "") << e.brands[b];
    }
    out << ". Question: `hark show " << e.question_id << "`.*\n\n";
    if (e.answer) {
      out << "**Answer** (" << e.answer->author << ", `hark thread " << e.answer->id << "`):\n\n"
          << OneLine(e.answer->text, 800) << "\n\n";
    } else {
      out << "**No answer yet.**\n\n";
    }
    out << "Why: ";
    for (size_t w = 0; w < e.why.size(); ++w) out << (w ? "; " : "") << e.why[w];
    out << ".\n";
    for (const KbAnswer& a : e.runners_up) {
      out << "\n- Also answered (" << a.author << ", `hark thread " << a.id << "`): " << OneLine(a.text, 200) << "\n";
    }
    if (!e.similar.empty()) {
      out << "\nSimilar questions:\n";
      for (const auto& [id, text] : e.similar) out << "- " << OneLine(text, 120) << " (`hark show " << id << "`)\n";
    }
    out << "\nSources:";
    for (size_t s = 0; s < e.sources.size() && s < 20; ++s) out << " `" << e.sources[s] << "`";
    if (e.sources.size() > 20) out << " and " << (e.sources.size() - 20) << " more (--format json lists all)";
    out << "\n";
  }
  return Status::Ok();
}

}  // namespace hark
