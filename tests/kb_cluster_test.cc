// ClusterQuestions: unit behaviour; on Stack Exchange dumps, the pairs the site closed
// as duplicates (PostLinks.xml, LinkTypeId 3, both questions) land in one cluster,
// computed here from the raw XML with a simple attribute scan; on a generated corpus,
// the planted duplicate questions (truth "duplicates") are recovered with measured
// precision and recall; a 250k-question timing print. Both methods are measured and
// printed; the assertions hold the default (and floors for the alternative).
#include "query/kb_cluster.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace hark {
namespace {

using json = nlohmann::json;

std::vector<size_t> Cluster(const std::vector<std::string>& q, ClusterMethod m = ClusterMethod::kTfIdf) {
  ClusterOptions o;
  o.method = m;
  return ClusterQuestions(q, o);
}

const char* Name(ClusterMethod m) { return m == ClusterMethod::kTfIdf ? "tfidf" : "minhash"; }

class UnitTest : public ::testing::TestWithParam<ClusterMethod> {};

TEST_P(UnitTest, EmptyInput) { EXPECT_TRUE(Cluster({}, GetParam()).empty()); }

TEST_P(UnitTest, IdenticalAndRewordedTogetherUnrelatedApart) {
  std::vector<std::string> q = {
      "How do I get a refund for a cancelled flight?\nThe airline cancelled my flight and offered a voucher.",
      "My package never arrived\nTracking says delivered but nothing at my door.",
      "How do I get a refund for a cancelled flight?\nThe airline cancelled my flight and offered a voucher.",
      "Refund for cancelled flights?\nThey cancelled the flight and only offered me a voucher, I want a refund.",
      "Which beer goes best with spicy food?\nLooking for a pairing for Thai curry.",
      "",
  };
  std::vector<size_t> c = Cluster(q, GetParam());
  ASSERT_EQ(c.size(), q.size());
  EXPECT_EQ(c[0], 0u);
  EXPECT_EQ(c[1], 1u);
  EXPECT_EQ(c[2], 0u);  // identical
  EXPECT_EQ(c[3], 0u);  // reworded
  EXPECT_EQ(c[4], 2u);  // unrelated: new ids in order of first appearance
  EXPECT_EQ(c[5], 3u);  // no words: a singleton
}

TEST_P(UnitTest, NormalisationIgnoresCaseUrlsHandlesNumbers) {
  std::vector<std::string> q = {
      "@NorthJetCares my order 12345 was charged twice https://t.co/abc",
      "Order 987 CHARGED TWICE, see www.example.com @someone",
      "Is the new stadium open on Sundays?",
  };
  std::vector<size_t> c = Cluster(q, GetParam());
  EXPECT_EQ(c, (std::vector<size_t>{0, 0, 1}));
}

TEST_P(UnitTest, UnrelatedQuestionsStayApart) {
  std::vector<std::string> q = {
      "What is a qubit?\nHow does it differ from a classical bit?",
      "How do I stake ADA with Yoroi?\nI want to delegate to a pool.",
      "Why does my stout taste sour?\nBrewed last month, bottled two weeks ago.",
      "Can I change my seat after check-in?\nThe app does not let me pick.",
  };
  EXPECT_EQ(Cluster(q, GetParam()), (std::vector<size_t>{0, 1, 2, 3}));
}

INSTANTIATE_TEST_SUITE_P(Methods, UnitTest, ::testing::Values(ClusterMethod::kTfIdf, ClusterMethod::kMinHash),
                         [](const auto& info) { return std::string(Name(info.param)); });

// ---------------------------------------------------------------------------------
// Stack Exchange dumps: an independent row/attribute scan (no XML library).
// ---------------------------------------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Decodes &lt; &gt; &amp; &quot; &apos; and numeric references (ASCII only; others
// become a space, which is all a word tokenizer needs).
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    // An entity: named, numeric, or (unknown) a space.
    size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "amp") out += '&';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      long v = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                                                   : std::strtol(ent.c_str() + 1, nullptr, 10);
      out += v > 0 && v < 128 ? static_cast<char>(v) : ' ';
    } else {
      out += ' ';
    }
    i = semi;
  }
  return out;
}

std::string StripTags(const std::string& html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
      out += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return out;
}

// Each `<row .../>` element as attribute -> raw (escaped) value.
std::vector<std::map<std::string, std::string>> Rows(const std::string& xml) {
  std::vector<std::map<std::string, std::string>> rows;
  size_t pos = 0;
  while ((pos = xml.find("<row ", pos)) != std::string::npos) {
    size_t end = xml.find("/>", pos);
    if (end == std::string::npos) break;
    std::map<std::string, std::string> row;
    size_t i = pos + 5;
    while (i < end) {
      size_t eq = xml.find("=\"", i);
      if (eq == std::string::npos || eq > end) break;
      size_t name_start = xml.find_last_of(" \t\r\n", eq) + 1;
      size_t close = xml.find('"', eq + 2);
      row[xml.substr(name_start, eq - name_start)] = xml.substr(eq + 2, close - eq - 2);
      i = close + 1;
    }
    rows.push_back(std::move(row));
    pos = end;
  }
  return rows;
}

struct Site {
  std::string name;
  std::vector<std::string> questions;  // title "\n" body text
  std::vector<std::pair<size_t, size_t>> duplicate_pairs;  // question indices
  bool has_links = false;
};

Site LoadSite(const std::string& dir, const std::string& name) {
  Site site;
  site.name = name;
  std::unordered_map<std::string, size_t> index;
  for (auto& row : Rows(ReadFile(dir + "/Posts.xml"))) {
    if (row["PostTypeId"] != "1") continue;
    index[row["Id"]] = site.questions.size();
    site.questions.push_back(Unescape(row["Title"]) + "\n" + Unescape(StripTags(Unescape(row["Body"]))));
  }
  std::string links_path = dir + "/PostLinks.xml";
  site.has_links = std::filesystem::exists(links_path);
  if (!site.has_links) return site;
  std::set<std::pair<size_t, size_t>> pairs;
  for (auto& row : Rows(ReadFile(links_path))) {
    if (row["LinkTypeId"] != "3") continue;
    auto a = index.find(row["PostId"]), b = index.find(row["RelatedPostId"]);
    if (a == index.end() || b == index.end() || a->second == b->second) continue;
    pairs.insert(std::minmax(a->second, b->second));
  }
  site.duplicate_pairs.assign(pairs.begin(), pairs.end());
  return site;
}

// Share of items in clusters larger than 20, and the largest cluster.
std::pair<double, size_t> Oversized(const std::vector<size_t>& c) {
  std::map<size_t, size_t> size;
  for (size_t id : c) ++size[id];
  size_t big = 0, largest = 0;
  for (auto [id, n] : size) {
    if (n > 20) big += n;
    largest = std::max(largest, n);
  }
  return {c.empty() ? 0.0 : static_cast<double>(big) / c.size(), largest};
}

TEST(KbClusterStackExchange, ClosedDuplicatesLandTogether) {
  HARK_REQUIRE_CORPUS(qc, "stackexchange-quantumcomputing/PostLinks.xml");
  HARK_REQUIRE_CORPUS(cardano, "stackexchange-cardano/PostLinks.xml");
  HARK_REQUIRE_CORPUS(beer, "stackexchange-beer/Posts.xml");
  std::string dir = testing::SharedCorporaDir();
  std::vector<Site> sites = {LoadSite(dir + "/stackexchange-quantumcomputing", "quantumcomputing"),
                             LoadSite(dir + "/stackexchange-cardano", "cardano"),
                             LoadSite(dir + "/stackexchange-beer", "beer")};
  // Counts stated in each SOURCE.md: the scan read every question.
  EXPECT_EQ(sites[0].questions.size(), 612u);
  EXPECT_EQ(sites[1].questions.size(), 1042u);
  EXPECT_EQ(sites[2].questions.size(), 663u);
  for (ClusterMethod m : {ClusterMethod::kTfIdf, ClusterMethod::kMinHash}) {
    size_t found = 0, total = 0;
    for (const Site& s : sites) {
      std::vector<size_t> c = Cluster(s.questions, m);
      size_t f = 0;
      for (auto [a, b] : s.duplicate_pairs) f += c[a] == c[b];
      auto [share, largest] = Oversized(c);
      size_t clusters = c.empty() ? 0 : *std::max_element(c.begin(), c.end()) + 1;
      if (s.has_links) {
        std::printf("[%s] %s: duplicate pairs together %zu/%zu (recall %.3f); ", Name(m), s.name.c_str(), f,
                    s.duplicate_pairs.size(), s.duplicate_pairs.empty() ? 0.0 : double(f) / s.duplicate_pairs.size());
      } else {
        std::printf("[%s] %s: no PostLinks.xml in the dump; ", Name(m), s.name.c_str());
      }
      std::printf("%zu questions -> %zu clusters, largest %zu, share in clusters > 20: %.4f\n", s.questions.size(),
                  clusters, largest, share);
      found += f, total += s.duplicate_pairs.size();
      EXPECT_LT(share, 0.05) << Name(m) << " " << s.name;
    }
    ASSERT_GE(total, 10u);
    double recall = static_cast<double>(found) / total;
    std::printf("[%s] all sites: duplicate-pair recall %.3f (%zu/%zu)\n", Name(m), recall, found, total);
    // Measured 0.5 (8/16) for the default (the goal), 0.0 for MinHash.
    if (m == ClusterMethod::kTfIdf) {
      EXPECT_GE(recall, 0.5);
    }
  }
}

// ---------------------------------------------------------------------------------
// Generated corpus: planted duplicates.
// ---------------------------------------------------------------------------------

struct Generated {
  std::vector<std::string> questions;  // forum questions (thread starts), title "\n" text
  std::vector<int> truth;              // planted cluster index, -1 when not planted
  std::vector<std::string> brand;      // the question's brand
  std::vector<std::string> starters;   // every customer thread start, for timing
};

Generated Generate(const testing::TempDir& tmp) {
  std::string gen = std::string(HARK_BINARY_DIR) + "/tools/hark-gen";
  std::string cmd = gen + " --messages 200000 --seed 3 --truth " + (tmp / "T.json") + " --out " + (tmp / "C.jsonl");
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  json truth = json::parse(ReadFile(tmp / "T.json"));
  std::unordered_map<std::string, int> planted;
  int k = 0;
  for (const json& d : truth["duplicates"]) {
    for (const json& q : d["questions"]) planted[q.get<std::string>()] = k;
    ++k;
  }
  Generated g;
  std::ifstream in(tmp / "C.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    json m = json::parse(line);
    if (m.contains("parent") || m["role"] != "customer") continue;
    std::string text = m.value("title", "") + "\n" + m.value("text", "");
    g.starters.push_back(text);
    if (m["channel"] != "forum") continue;
    auto it = planted.find(m["id"].get<std::string>());
    g.truth.push_back(it == planted.end() ? -1 : it->second);
    g.questions.push_back(text);
    g.brand.push_back(m["brand"].get<std::string>());
  }
  EXPECT_EQ(g.truth.size() - std::count(g.truth.begin(), g.truth.end(), -1), planted.size());
  return g;
}

// Pairwise precision and recall of the planted duplicates: a true pair is two planted
// questions of one truth cluster; a predicted pair is two questions of one cluster of
// which at least one is planted (pairs of unplanted questions are not judged: the
// generator's ordinary questions share templates and merging them is no error).
std::pair<double, double> PrecisionRecall(const std::vector<size_t>& c, const std::vector<int>& truth) {
  auto pairs = [](double n) { return n * (n - 1) / 2; };
  std::map<size_t, std::map<int, size_t>> by_cluster;
  std::map<int, size_t> truth_size;
  for (size_t i = 0; i < c.size(); ++i) {
    ++by_cluster[c[i]][truth[i]];
    if (truth[i] >= 0) ++truth_size[truth[i]];
  }
  double predicted = 0, correct = 0, actual = 0;
  for (auto& [id, counts] : by_cluster) {
    size_t n = 0;
    for (auto [t, k] : counts) {
      n += k;
      if (t >= 0) correct += pairs(k);
    }
    predicted += pairs(n) - pairs(counts.count(-1) ? counts[-1] : 0);
  }
  for (auto [t, k] : truth_size) actual += pairs(k);
  return {predicted > 0 ? correct / predicted : 1.0, actual > 0 ? correct / actual : 1.0};
}

TEST(KbClusterGenerated, PlantedDuplicatesRecovered) {
  testing::TempDir tmp;
  Generated g = Generate(tmp);
  ASSERT_GT(g.questions.size(), 5000u);
  for (ClusterMethod m : {ClusterMethod::kTfIdf, ClusterMethod::kMinHash}) {
    // Each brand's questions clustered apart (a brand's knowledge base): the truth's
    // clusters are per brand and intent, and brands of one market share templates.
    std::map<std::string, std::vector<size_t>> members;
    for (size_t i = 0; i < g.questions.size(); ++i) members[g.brand[i]].push_back(i);
    std::vector<size_t> c(g.questions.size());
    size_t offset = 0;
    for (auto& [brand, idx] : members) {
      std::vector<std::string> qs;
      for (size_t i : idx) qs.push_back(g.questions[i]);
      std::vector<size_t> bc = Cluster(qs, m);
      for (size_t k = 0; k < idx.size(); ++k) c[idx[k]] = offset + bc[k];
      offset += idx.size();
    }
    auto [precision, recall] = PrecisionRecall(c, g.truth);
    auto [share, largest] = Oversized(c);
    std::printf("[%s] generated: %zu forum questions, planted duplicates precision %.3f recall %.3f; "
                "largest cluster %zu, share in clusters > 20: %.4f\n",
                Name(m), g.questions.size(), precision, recall, largest, share);
    if (m == ClusterMethod::kTfIdf) {
      // Measured precision 0.870, recall 0.734.
      EXPECT_GE(precision, 0.8);
      EXPECT_GE(recall, 0.7);
    }
  }

  // Timing: 250k questions from the customer thread starts, each reused with a
  // deterministic variation (one word dropped); printed, not asserted.
  std::vector<std::string> big;
  big.reserve(250000);
  for (size_t i = 0; big.size() < 250000; ++i) {
    std::string q = g.starters[i % g.starters.size()];
    size_t round = i / g.starters.size();
    if (round > 0) {
      size_t cut = q.find(' ', (round * 7919 + i) % std::max<size_t>(q.size(), 1));
      if (cut != std::string::npos) {
        size_t next = q.find(' ', cut + 1);
        q.erase(cut, next == std::string::npos ? std::string::npos : next - cut);
      }
    }
    big.push_back(std::move(q));
  }
  for (ClusterMethod m : {ClusterMethod::kTfIdf, ClusterMethod::kMinHash}) {
    auto start = std::chrono::steady_clock::now();
    std::vector<size_t> c = Cluster(big, m);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto [share, largest] = Oversized(c);
    std::printf("[%s] timing: %zu questions clustered in %.2f s (%zu clusters, largest %zu)\n", Name(m), big.size(),
                secs, *std::max_element(c.begin(), c.end()) + 1, largest);
  }
}

}  // namespace
}  // namespace hark
