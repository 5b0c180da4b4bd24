// Knowledge-base mining of one thread: which message is the question, which messages
// answer it, and how the answers rank.
//
// Question. The asker is the thread's first author or, on a customer-care thread (one
// with an agent message), its first customer. The question is what the asker opened
// with (the opening turn: the asker's messages before anyone else's; later messages are
// follow-ups to it), represented by its first message (the thread root), when:
//   1. the root has a title (a Q&A post: Stack Exchange questions are titled roots);
//   2. or an opening message is flagged kFlagQuestion at ingest (question marks,
//      interrogative openings, "can't", "doesn't work": indexer/analyzer.cc) or, on a
//      care thread, reads as a problem report (negative sentiment or a trouble word
//      such as "broken", "charged", "delayed");
//   3. or, on a care thread, an agent replied directly to an opening message and the
//      root is not positive (praise is not a request).
// A question without a brand takes the brand of the thread's agent.
// A thread without such a message holds no question (MineThread returns false). Nor
// does a care thread whose first message is not the asker's: its opening is not in the
// archive, and what the customer wrote next are follow-ups to an unknown question
// (MinedThread::opening_missing); nor does any thread whose first message replies to
// a message the archive lacks.
//
// Answers. Every message after the question by someone other than the asker: agent
// replies, community answers, email replies, other customers explaining; but not
// another customer's question ("same here, any fix?" joins the question). The asker's
// own later messages are
// follow-ups (evidence about the answers, not answers), except a self-answer on a Q&A
// site: the asker's post replying directly to a titled question that carries votes or
// acceptance (Stack Exchange lets askers answer and accept their own question).
//
// Follow-ups are attributed to an answer: an asker message replying to an answer
// (parent = its id) belongs to that answer; any other asker message belongs to the
// latest answer before it.
//
// Ranking: an additive score; every term that applies is recorded in RankedAnswer::why.
//   +100                      accepted by the asker (Q&A sites)
//   +4 * log2(1 + votes)      votes; negative votes: -4 * log2(1 + |votes|)
//   +6                        a follow-up carries the asker's closing signal
//                             (kFlagThanks: "thanks, that worked", "fixed", "sorted now")
//   +3                        the asker started negative (question sentiment < 0) and a
//                             follow-up is positive and at least 0.4 higher
//   -4                        the asker asked again in a follow-up (a question without a
//                             closing signal): the answer did not settle it
//   -2                        a follow-up is clearly negative (sentiment <= -0.3) without
//                             a closing signal ("still broken")
//   +4                        agent reply (the brand's own support, on care threads)
//   +1                        on care threads: the asker did not ask again after it
//   +min(3, log2(1 + words/8))  substance: words of text without @handles and links
//   -20                       deflection (LooksLikeDeflection): only redirects to a DM,
//                             a phone line or a form; it gets no substance term
// Answers sort by score, best first, except that a deflection that was not accepted
// always sorts after every non-deflection: deflections are best only when nothing
// better exists. Ties go to the earlier answer.
//
// The weights make acceptance decisive on Q&A sites (the asker's own verdict), votes
// next (the community's), then the asker's reaction on care channels. A Record carries
// no author reputation, so "high-reputation author" is not a term here.
#include "query/kb_mining.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>

namespace hark {
namespace {

constexpr double kAccepted = 100;
constexpr double kVoteWeight = 4;
constexpr double kAskerThanks = 6;
constexpr double kSentimentRise = 3;
constexpr double kReask = -4;
constexpr double kNegativeFollowUp = -2;
constexpr double kAgent = 4;
constexpr double kNoReask = 1;
constexpr double kMaxSubstance = 3;
constexpr double kDeflection = -20;

// Words of `text` lower-cased, without @handles, links, hashtags' '#', and
// sign-offs of care agents ("^JD", "*NickSuzuki", "/LS", "-Mary"); apostrophes
// kept (U+2019 and U+00B4 folded to '; typographic quotes are separators),
// every other non-alphanumeric byte a separator, apostrophes trimmed from word
// ends. Sentence ends are kept as a token: "?" after a question, "." after '.',
// '!', ';' or a newline.
std::vector<std::string> Words(std::string_view text) {
  std::string s(text);
  for (size_t p; (p = s.find("\xE2\x80\x99")) != std::string::npos;) s.replace(p, 3, "'");
  for (size_t p; (p = s.find("\xC2\xB4")) != std::string::npos;) s.replace(p, 2, "'");  // "it´s"
  for (const char* quote : {"\xE2\x80\x98", "\xE2\x80\x9C", "\xE2\x80\x9D"}) {
    for (size_t p; (p = s.find(quote)) != std::string::npos;) s.replace(p, 3, " ");
  }
  std::vector<std::string> out;
  auto flush = [&out](std::string* word) {
    while (!word->empty() && word->back() == '\'') word->pop_back();
    size_t lead = 0;
    while (lead < word->size() && (*word)[lead] == '\'') ++lead;
    if (lead < word->size()) out.push_back(word->substr(lead));
    word->clear();
  };
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      if (c == '\n' && (out.empty() || out.back() != ".")) out.push_back(".");
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
    std::string_view raw = std::string_view(s).substr(i, end - i);
    i = end;
    if (raw[0] == '@' || raw[0] == '^' || raw[0] == '*' || raw.find("://") != std::string_view::npos ||
        raw.substr(0, 4) == "www.") {
      continue;
    }
    if (raw[0] == '/' && raw.size() <= 4) continue;  // "/LS" sign-off
    // "-Mary", "~Jo", an en dash + "XG": an agent's sign-off (a lone dash is
    // punctuation).
    const size_t lead = raw.substr(0, 3) == "\xE2\x80\x93" ? 3 : 1;
    if ((lead == 3 || raw[0] == '-' || raw[0] == '~') && raw.size() > lead && raw.size() <= 20 &&
        std::isalpha(static_cast<unsigned char>(raw[lead]))) {
      continue;
    }
    std::string word;
    for (char ch : raw) {
      unsigned char u = static_cast<unsigned char>(ch);
      if (std::isalnum(u) || u >= 0x80 || ch == '\'') {
        word.push_back(static_cast<char>(std::tolower(u)));
        continue;
      }
      flush(&word);
      if (ch == '?' && !out.empty() && out.back() == ".") out.back() = "?";
      if ((ch == '.' || ch == '!' || ch == '?' || ch == ';') &&
          (out.empty() || (out.back() != "." && out.back() != "?"))) {
        out.push_back(ch == '?' ? "?" : ".");
      }
    }
    flush(&word);
  }
  return out;
}

size_t WordCount(const std::vector<std::string>& words) {
  return static_cast<size_t>(
      std::count_if(words.begin(), words.end(), [](const std::string& w) { return w != "." && w != "?"; }));
}

// Phrases that move the conversation elsewhere, as word sequences (" "-joined,
// matched on word boundaries of the sentence).
constexpr const char* kRedirects[] = {"dm",
                                      "dms",
                                      "dm's",
                                      "dm'd",
                                      "dmd",
                                      "direct message",
                                      "private message",
                                      "privately",
                                      "pm us",
                                      "pm me",
                                      "inbox us",
                                      "message us",
                                      "send us a message",
                                      "send me a message",
                                      "drop us a message",
                                      "drop us a line",
                                      "reach out",
                                      "contact us",
                                      "contact our",
                                      "get in touch",
                                      "call us",
                                      "give us a call",
                                      "give us a ring",
                                      "call our",
                                      "chat with us",
                                      "chat with our",
                                      "email us",
                                      "e mail us",
                                      "follow us",
                                      "follow and",
                                      "fill out",
                                      "fill in",
                                      "our support team",
                                      "our team via",
                                      "our website",
                                      "contact page",
                                      "support page",
                                      "speak with our",
                                      "speak to our",
                                      "talk to our",
                                      "let's connect",
                                      "let's meet",
                                      "meet you there",
                                      "meet in",
                                      "in touch"};

// Outcomes an agent commits to inside a redirect ("DM us your order number and
// we'll refund it today"): the customer learns what will happen, so the reply
// has substance.
constexpr const char* kCommitments[] = {
    "refund",         "refunded",   "reimburse",    "reimbursed",  "replace",        "replacement", "credit",
    "credited",       "compensate", "compensation", "voucher",     "waive",          "waived",      "reship",
    "resend",         "cancel it",  "cancel that",  "cancel your", "send you a new", "send a new",  "fix it",
    "fix this today", "today",      "right away",   "immediately", "within 24",      "within 48"};

// Words of a troubleshooting step: a sentence holding one (and no redirect) is
// advice.
constexpr const char* kInstructions[] = {
    "try",       "trying",     "restart",     "restarting",  "reboot",   "reinstall", "reinstalling",
    "uninstall", "update the", "update your", "update to",   "updating", "upgrade",   "reset",
    "resetting", "clear the",  "clear your",  "clear cache", "clearing", "delete",    "deleting",
    "log out",   "sign out",   "log back",    "sign back",   "turn off", "turn on",   "switch off",
    "go to",     "head to",    "tap",         "select",      "enable",   "disable",   "toggle",
    "settings",  "install",    "download",    "unplug",      "plug",     "make sure"};

// Words that carry no information in a care reply: function words, courtesy,
// empathy, restatements of "your issue", and the details agents ask for in a
// DM.
const std::unordered_set<std::string>& Filler() {
  static const std::unordered_set<std::string> kWords = {
      // function words
      "a", "an", "the", "and", "or", "but", "so", "that", "this", "these", "those", "it", "it's", "its", "is", "are",
      "was", "were", "be", "been", "being", "am", "i", "i'm", "i'd", "i'll", "i've", "me", "my", "we", "we're", "we'd",
      "we'll", "we've", "us", "our", "ours", "you", "you're", "you'd", "you'll", "you've", "your", "yours", "they",
      "them", "their", "he", "she", "to", "of", "in", "on", "at", "for", "with", "from", "by", "about", "as", "into",
      "onto", "out", "up", "over", "here", "there", "what", "which", "who", "when", "where", "how", "why", "can",
      "could", "would", "should", "will", "shall", "may", "might", "must", "do", "does", "did", "done", "have", "has",
      "had", "if", "then", "than", "also", "too", "just", "any", "some", "all", "more", "further", "again", "way",
      "via", "through", "let", "let's", "get", "got", "make", "sure", "see", "take", "look", "looking", "check", "know",
      "please", "pls", "plz", "kindly", "feel", "free", "now", "once", "soon", "first", "one", "can't", "don't", "not",
      "no", "yes", "ok", "okay", "s", "t", "d", "ll", "re", "ve", "m", "pm",
      // courtesy, empathy, restatement
      "hi", "hey", "hello", "hiya", "dear", "thanks", "thank", "thx", "cheers", "regards", "best", "sorry", "apologies",
      "apologize", "apologise", "hear", "hearing", "heard", "reaching", "reached", "contacting", "understand",
      "understandable", "frustration", "frustrating", "frustrated", "inconvenience", "trouble", "troubles", "issue",
      "issues", "problem", "problems", "concern", "concerns", "experience", "situation", "happened", "happening",
      "going", "wrong", "right", "help", "helping", "assist", "assistance", "support", "happy", "glad", "love", "like",
      "want", "need", "able", "better", "team", "care", "oh", "yikes", "hmm", "uh", "oops", "wow", "great", "good",
      "definitely", "certainly", "absolutely", "course", "sounds", "hope", "hoping", "appreciate", "patience",
      "understanding", "bring", "attention", "letting", "telling", "sharing", "share", "shoot", "send", "sending",
      "sent", "message", "messages", "follow", "following", "reply", "replied", "respond", "responded", "continue",
      "conversation", "chat", "talk", "connect", "meet", "details", "detail", "info", "information", "specifics",
      "together", "loop", "touch", "worries", "worry", "moment", "while", "thing", "things", "there's", "that's",
      "what's", "here's",
      // what agents ask for
      "account", "number", "order", "email", "address", "full", "name", "phone", "zip", "code", "postcode",
      "confirmation", "reference", "booking", "record", "locator", "username", "handle", "id", "serial", "ticket",
      "case", "street", "area", "location", "city", "state", "country", "device", "model",
      // more of the same, seen in TWCS replies
      "truly", "matter", "caused", "cause", "status", "still", "arrived", "hasn't", "haven't", "isn't", "loud", "clear",
      "options", "option", "gather", "few", "review", "clarify", "strange", "odd", "weird", "pleasure", "speaking",
      "anytime", "needed", "click", "profile", "top", "under", "hood", "backstage", "closer", "shot", "giving",
      "correct", "alright", "carry", "chatting", "figure", "exactly", "seems", "doesn't", "sound", "happen", "provide",
      "instead", "private", "personal", "secure", "securely", "quick", "quickly", "directly"};
  return kWords;
}

bool Contains(const std::string& padded, const char* phrase) {
  return padded.find(" " + std::string(phrase) + " ") != std::string::npos;
}

// The words joined as " w1 w2 ... ", so that Contains() matches whole words.
std::string Padded(const std::vector<std::string>& words) {
  std::string s = " ";
  for (const std::string& w : words) s += w + " ";
  return s;
}

// On care threads: a customer message that reports a problem even without a
// question mark ("my order never arrived", "charged twice").
bool ReadsAsProblem(const Record& r) {
  if (r.sentiment < 0) return true;
  const std::string t = Padded(Words(r.text));
  for (const char* w :
       {"broken",  "broke", "issue",   "issues",  "problem", "problems", "error", "fail",      "failed",
        "fails",   "crash", "crashes", "crashed", "charged", "delayed",  "delay", "cancelled", "canceled",
        "missing", "lost",  "never",   "still",   "refund",  "stuck",    "down",  "outage",    "wrong",
        "late",    "not",   "won't",   "isn't",   "doesn't", "didn't",   "can't", "cannot"}) {
    if (Contains(t, w)) return true;
  }
  return false;
}

bool SameAuthor(const std::string& a, const std::string& b) {
  if (a.empty() || a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// A short quote of a follow-up for the evidence strings.
std::string Quote(const std::string& text) {
  std::vector<std::string> words = Words(text);
  std::string out;
  for (const std::string& w : words) {
    if (w == "." || w == "?") continue;
    if (out.size() + w.size() > 60) {
      out += " ...";
      break;
    }
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string Format(const char* fmt, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

}  // namespace

// A deflection redirects (kRedirects) and says nothing else. Each sentence is either
//   - a redirect: it holds a kRedirects phrase; if it also commits to an outcome
//     (kCommitments) the reply is not a deflection;
//   - an instruction (kInstructions; not in a sentence about a tweet or one thanking
//     for a step tried): the reply is not a deflection;
//   - a question back to the customer ("which device are you using?"): no content, as
//     asking back is not answering;
//   - a remark about the tweet itself ("please delete your tweet, it shows your
//     address"): no content;
//   - otherwise its words outside Filler() (and the name after a greeting) are content.
// A reply with a redirect and at most 3 content words is a deflection. So "Sorry to hear
// that! Please DM us your order number." is one; "DM us your order number and we'll
// refund it today" is not (a concrete outcome); "Try restarting the app. If that fails,
// DM us." is not (an instruction). Sign-offs, handles, links and emoji are ignored.
bool LooksLikeDeflection(std::string_view text) {
  std::vector<std::string> words = Words(text);
  struct Sentence {
    std::vector<std::string> words;
    bool question = false;
  };
  std::vector<Sentence> sentences(1);
  for (std::string& w : words) {
    if (w == "." || w == "?") {
      sentences.back().question = w == "?";
      if (!sentences.back().words.empty()) sentences.emplace_back();
    } else {
      sentences.back().words.push_back(std::move(w));
    }
  }
  bool redirect = false;
  size_t content = 0;
  const std::unordered_set<std::string>& filler = Filler();
  for (const Sentence& sentence : sentences) {
    if (sentence.words.empty()) continue;
    const std::string padded = Padded(sentence.words);
    bool here = false;
    for (const char* r : kRedirects) here = here || Contains(padded, r);
    if (here) {
      redirect = true;
      for (const char* c : kCommitments) {
        if (Contains(padded, c)) return false;
      }
      continue;
    }
    const bool about_tweet = Contains(padded, "tweet") || Contains(padded, "tweets");
    // "Thanks for trying that" acknowledges a step; it does not give one.
    const bool thanks = sentence.words[0] == "thanks" || sentence.words[0] == "thank";
    if (!about_tweet && !thanks) {
      for (const char* i : kInstructions) {
        if (Contains(padded, i)) return false;
      }
    }
    if (sentence.question || about_tweet) continue;
    for (size_t i = 0; i < sentence.words.size(); ++i) {
      const std::string& w = sentence.words[i];
      // The name after a greeting ("Hi Kellen") is not content.
      if (i > 0 && (sentence.words[i - 1] == "hi" || sentence.words[i - 1] == "hey" ||
                    sentence.words[i - 1] == "hello" || sentence.words[i - 1] == "dear")) {
        continue;
      }
      // Emoji and other non-ASCII-only tokens are not words.
      const bool ascii =
          std::any_of(w.begin(), w.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
      if (ascii && filler.count(w) == 0) ++content;
    }
  }
  return redirect && content <= 3;
}

bool MineThread(const std::vector<Record>& messages, MinedThread* out) {
  *out = MinedThread();
  if (messages.empty()) return false;

  const bool care =
      std::any_of(messages.begin(), messages.end(), [](const Record& r) { return r.role == Role::kAgent; });
  std::string asker;
  if (care) {
    for (const Record& r : messages) {
      if (r.role == Role::kCustomer) {
        asker = r.author;
        break;
      }
    }
  } else {
    asker = messages[0].author;
  }
  if (asker.empty()) return false;
  auto by_asker = [&](const Record& r) { return SameAuthor(r.author, asker); };
  // A thread whose first message replies to one the archive lacks, or a care thread
  // that starts with someone else's reply, lost its opening (the archive holds the
  // conversation from the middle): the asker's messages there are follow-ups ("no,
  // that didn't help") and the question they follow up on is unknown.
  if ((care && !by_asker(messages[0])) || !messages[0].parent.empty()) {
    out->opening_missing = true;
    return false;
  }

  // The opening turn: the asker's messages before anyone else's.
  size_t opening = 0;
  while (opening < messages.size() && by_asker(messages[opening])) ++opening;
  size_t q = messages.size();
  if (!messages[0].title.empty()) {
    q = 0;
  } else {
    // The opening's first message stands for the turn (the rest add to it: "(2/n)",
    // "*making", "hello??").
    for (size_t i = 0; i < opening && q == messages.size(); ++i) {
      const Record& r = messages[i];
      if ((r.flags & kFlagQuestion) != 0 || (care && ReadsAsProblem(r))) q = 0;
    }
    // On a care thread, an opening the brand's agent replied to directly is a request
    // even when no rule reads it as one (another language, a bare statement), unless
    // it is praise.
    for (size_t i = 0; i < opening && q == messages.size() && care; ++i) {
      const bool replied = std::any_of(messages.begin(), messages.end(), [&](const Record& r) {
        return r.role == Role::kAgent && r.parent == messages[i].id;
      });
      if (replied && messages[0].sentiment <= 0) q = 0;
    }
  }
  if (q == messages.size()) return false;
  out->question = messages[q];
  // The conversation is with the brand whose agent speaks in it.
  if (out->question.brand.empty()) {
    for (const Record& r : messages) {
      if (r.role == Role::kAgent && !r.brand.empty()) {
        out->question.brand = r.brand;
        break;
      }
    }
  }
  const Record& question = out->question;
  const bool qa = !question.title.empty() && question.parent.empty();
  out->source = question.source;
  out->thread = question.thread;

  // Classify the later messages: answers, and the asker's follow-ups per answer.
  std::vector<size_t> answers;
  std::vector<std::vector<size_t>> follow_ups;  // parallel to answers
  for (size_t i = q + 1; i < messages.size(); ++i) {
    const Record& r = messages[i];
    const bool self_answer =
        by_asker(r) && qa && r.parent == question.id && (r.score.has_value() || r.accepted.has_value());
    // Another customer asking in the thread joins the question ("same here, any
    // fix?"); that is not an answer (a customer explaining is one).
    if (!by_asker(r) && r.role == Role::kCustomer && (r.flags & kFlagQuestion) != 0) continue;
    if (!by_asker(r) || self_answer) {
      answers.push_back(i);
      follow_ups.emplace_back();
      continue;
    }
    if (answers.empty()) continue;  // the asker adding to the question
    size_t owner = answers.size() - 1;
    if (!r.parent.empty()) {
      for (size_t a = 0; a < answers.size(); ++a) {
        if (messages[answers[a]].id == r.parent) owner = a;
      }
    }
    follow_ups[owner].push_back(i);
  }
  if (answers.empty()) return true;

  // Whether the asker asks again after message `i` (a later follow-up question).
  auto reasked_after = [&](size_t i) {
    for (size_t j = i + 1; j < messages.size(); ++j) {
      const Record& r = messages[j];
      if (by_asker(r) && (r.flags & kFlagQuestion) != 0 && (r.flags & kFlagThanks) == 0 &&
          std::find(answers.begin(), answers.end(), j) == answers.end()) {
        return true;
      }
    }
    return false;
  };

  bool thanked = false;
  for (size_t a = 0; a < answers.size(); ++a) {
    const Record& r = messages[answers[a]];
    RankedAnswer ranked;
    ranked.record = r;
    double score = 0;
    std::vector<std::string>& why = ranked.why;
    if (by_asker(r)) why.push_back("self-answer by the asker");
    if (r.accepted.value_or(false)) {
      score += kAccepted;
      why.push_back("accepted by the asker");
    }
    if (r.score.has_value()) {
      const double v = static_cast<double>(*r.score);
      const double term = (v >= 0 ? 1 : -1) * kVoteWeight * std::log2(1 + std::fabs(v));
      score += term;
      why.push_back(std::to_string(*r.score) + (std::llabs(*r.score) == 1 ? " vote" : " votes"));
    }
    bool thanks = false, rise = false, reask = false, negative = false;
    for (size_t j : follow_ups[a]) {
      const Record& f = messages[j];
      const bool closing = (f.flags & kFlagThanks) != 0;
      if (closing && !thanks) {
        thanks = true;
        why.push_back("asker replied: " + Quote(f.text));
      }
      if (!rise && question.sentiment < 0 && f.sentiment > 0 && f.sentiment >= question.sentiment + 0.4) {
        rise = true;
        why.push_back("asker's sentiment rose from " + Format("%.2f", question.sentiment) + " to " +
                      Format("%.2f", f.sentiment));
      }
      if (!closing && (f.flags & kFlagQuestion) != 0 && !reask) {
        reask = true;
        why.push_back("asker asked again: " + Quote(f.text));
      } else if (!closing && f.sentiment <= -0.3 && !negative) {
        negative = true;
        why.push_back("asker unhappy afterwards: " + Quote(f.text));
      }
    }
    if (thanks) score += kAskerThanks, thanked = true;
    if (rise) score += kSentimentRise;
    if (reask) score += kReask;
    if (negative) score += kNegativeFollowUp;
    if (r.role == Role::kAgent) {
      score += kAgent;
      why.push_back(r.brand.empty() ? "agent reply" : "agent reply (" + r.brand + ")");
    } else if (r.role == Role::kCommunity && !by_asker(r)) {
      why.push_back("community answer");
    }
    if (care && !reask && !reasked_after(answers[a])) {
      score += kNoReask;
      why.push_back("no re-ask afterwards");
    }
    ranked.deflection = LooksLikeDeflection(r.text);
    if (ranked.deflection) {
      score += kDeflection;
      why.push_back("deflection: only redirects (DM / private message / contact us)");
    } else {
      const size_t words = WordCount(Words(r.text));
      const double substance = std::min(kMaxSubstance, std::log2(1 + words / 8.0));
      score += substance;
      why.push_back("substance: " + std::to_string(words) + " words");
    }
    ranked.score = score;
    out->answers.push_back(std::move(ranked));
  }

  std::stable_sort(out->answers.begin(), out->answers.end(), [](const RankedAnswer& x, const RankedAnswer& y) {
    const bool xd = x.deflection && !x.record.accepted.value_or(false);
    const bool yd = y.deflection && !y.record.accepted.value_or(false);
    if (xd != yd) return !xd;
    return x.score > y.score;
  });
  const RankedAnswer& best = out->answers.front();
  out->resolved = thanked || std::any_of(out->answers.begin(), out->answers.end(),
                                         [](const RankedAnswer& a) { return a.record.accepted.value_or(false); });
  size_t best_index = 0;
  for (size_t i = q + 1; i < messages.size(); ++i) {
    if (messages[i].id == best.record.id && messages[i].source == best.record.source) best_index = i;
  }
  out->reasked = best_index != 0 && reasked_after(best_index);
  return true;
}

}  // namespace hark
