// Analyzer: per-message analysis done at ingest, in the pipeline's parallel stage.
// Stateless functions over one Record: thread-safe.
#ifndef HARK_INDEXER_ANALYZER_H_
#define HARK_INDEXER_ANALYZER_H_

#include <string_view>

#include "storage/brand_lexicon.h"
#include "storage/record.h"

namespace hark {

// True when the message asks something: a question mark outside URLs, or an
// interrogative opening ("how do I", "can't", "why", "is there", ...) in a sentence, or
// a Q&A title. Rules only (tests/analyzer_test.cc); issue 6 measures them on the corpora.
bool LooksLikeQuestion(std::string_view text);

// A customer's closing signal: thanks, "that worked", "all sorted now", "problem solved";
// not "no thanks", "thanks for nothing", "still not working".
bool HasClosingSignal(std::string_view text);

// An agent's closing message: "glad we could help", "happy to help", "you're welcome",
// "have a great day", "anything else ... let us know".
bool HasAgentClose(std::string_view text);

// Fills the analysis fields of `record`: the question / thanks / agent-close flags, the
// sentiment of the text (SentimentAnalyzer::Default()) and, given a lexicon, the brands
// its title and text mention (BrandLexicon::Match).
void Analyze(Record* record, const BrandLexicon* brands = nullptr);

}  // namespace hark

#endif  // HARK_INDEXER_ANALYZER_H_
