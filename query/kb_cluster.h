// Near-duplicate question clustering for the knowledge base: questions that ask the
// same thing, however worded, land in one cluster. Scales to millions of questions
// (bounded work per question, memory linear in the input). Stateless functions:
// thread-safe.
#ifndef HARK_QUERY_KB_CLUSTER_H_
#define HARK_QUERY_KB_CLUSTER_H_

#include <cstddef>
#include <string>
#include <vector>

namespace hark {

enum class ClusterMethod {
  // TF-IDF cosine over title-weighted stemmed words; candidate pairs from an in-memory
  // inverted index with bounded posting scans; links to near (mutual) neighbours only,
  // clusters capped at 20 questions. The default (measured: kb_cluster.cc).
  kTfIdf,
  // MinHash signatures over word 1- and 2-shingles, LSH banding for candidates.
  kMinHash,
};

struct ClusterOptions {
  ClusterMethod method = ClusterMethod::kTfIdf;
  // Pairs at or above this similarity (cosine for kTfIdf, estimated Jaccard for
  // kMinHash) are merged. 0: the method's measured default (0.4 and 0.4).
  double min_similarity = 0.0;
  // A question's first line (text before the first '\n') is its title; its words
  // count this many times. A question without '\n' is all title (the weight cancels).
  double title_weight = 2.0;
  // Words read from the text after the title (the rest is ignored: the gist of a
  // question is at its start, and it bounds the work).
  size_t max_body_words = 100;
};

// Cluster ids for `questions` (a question's title and text joined by '\n', or text
// alone; HTML already stripped): out[i] is the cluster of questions[i]; ids are 0..k-1
// in order of first appearance. Questions without a usable word are singletons.
// Deterministic for equal input. When `centrality` is given, (*centrality)[i] is the
// cosine between question i's TF-IDF vector and its cluster's centroid (1 for a
// singleton): the most central question is the cluster's most typical wording.
std::vector<size_t> ClusterQuestions(const std::vector<std::string>& questions, const ClusterOptions& options,
                                     std::vector<double>* centrality = nullptr);

}  // namespace hark

#endif  // HARK_QUERY_KB_CLUSTER_H_
