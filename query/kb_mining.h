// Knowledge-base mining from one conversation: the question a customer (or asker) raised
// and the answers given to it, ranked from evidence, each with the reasons.
// Pure functions over records: thread-safe.
#ifndef HARK_QUERY_KB_MINING_H_
#define HARK_QUERY_KB_MINING_H_

#include <string>
#include <string_view>
#include <vector>

#include "storage/record.h"

namespace hark {

// One answer to a thread's question, with its score and the evidence behind it.
struct RankedAnswer {
  Record record;
  double score = 0;                // higher is better; comparable within and across threads
  std::vector<std::string> why;    // human-readable evidence, e.g. "accepted by the asker",
                                   // "12 votes", "asker replied: thanks, that worked",
                                   // "agent reply", "deflection: asks to move to DM"
  bool deflection = false;         // a reply with no content beyond "DM us" / "send a private message"
};

// A thread's question and its answers, best first.
struct MinedThread {
  std::string source, thread;
  Record question;                  // the question message (first one asked by the asker)
  std::vector<RankedAnswer> answers;  // best first; empty when nobody answered
  bool resolved = false;            // the asker confirmed ("thanks, that worked"), or an answer was accepted
  bool reasked = false;             // the asker asked again after the best answer
  bool opening_missing = false;     // set when MineThread returns false because a care
                                    // thread starts with a reply: its question is not in
                                    // the archive
};

// True when `text` only redirects the conversation ("please DM us", "send us a private
// message", "follow us and DM your order number", "reach out to us via DM") without
// substance. A redirect that commits to an outcome ("DM us your order number and we'll
// refund it today") or comes with a troubleshooting step ("try restarting; if that
// fails, DM us") is substantive. Rules in the .cc.
bool LooksLikeDeflection(std::string_view text);

// Mines one thread: `messages` are the thread's records in time order. Returns false
// when the thread holds no question by its asker (the thread's first author, or its
// first customer on customer-care channels). Answers are the messages after the question
// by anyone else (plus the asker's own voted or accepted answer to a Q&A post; the
// asker's other messages are follow-ups, used as evidence), ranked as documented in the
// .cc (accepted answer, votes, the asker's follow-up, agent reply, no re-ask afterwards;
// deflections last unless nothing better exists).
bool MineThread(const std::vector<Record>& messages, MinedThread* out);

}  // namespace hark

#endif  // HARK_QUERY_KB_MINING_H_
