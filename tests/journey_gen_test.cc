// Identity stitching end to end, with real subprocesses: hark-gen writes a corpus whose
// multi-handle customers use a different handle per channel, the identities file and,
// in its truth, the full journey of a sample of them; `hark journey PERSON` must return
// exactly those messages in that order, with the identities stored at ingest and with
// them given only at query time. One handle alone, unstitched, yields only its own
// conversations.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace hark {
namespace {

using json = nlohmann::json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// The outcome of one command: exit status and what it printed.
struct Outcome {
  int status = -1;
  std::string out, err;
};

// Runs build/tools/`tool` with `args`, stdout and stderr into files under `scratch`.
Outcome Exec(const std::string& tool, const std::vector<std::string>& args, const std::string& scratch) {
  std::string cmd = ShellQuote(std::string(HARK_BINARY_DIR) + "/tools/" + tool);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  const std::string out = scratch + "/cmd.out", err = scratch + "/cmd.err";
  cmd += " >" + ShellQuote(out) + " 2>" + ShellQuote(err) + " </dev/null";
  Outcome r;
  int rc = std::system(cmd.c_str());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

// One corpus for the suite: 20k messages, 30% multi-handle customers, ingested twice,
// with the identities (stitched_) and without them (plain_).
class JourneyGenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const testing::TempDir& d = *dir_;
    Outcome gen = Exec("hark-gen",
                   {"--messages", "20000", "--seed", "7", "--multi-handle-share", "0.3", "--identities",
                    d / "ids.csv", "--truth", d / "truth.json", "--out", d / "c.jsonl"},
                   d.path());
    ASSERT_EQ(gen.status, 0) << gen.err;
    Outcome stitched = Exec("hark", {"ingest", "--index", d / "stitched", "--identities", d / "ids.csv",
                                 "--progress", "off", d / "c.jsonl"},
                        d.path());
    ASSERT_EQ(stitched.status, 0) << stitched.out << stitched.err;
    Outcome plain = Exec("hark", {"ingest", "--index", d / "plain", "--progress", "off", d / "c.jsonl"}, d.path());
    ASSERT_EQ(plain.status, 0) << plain.out << plain.err;
    truth_ = new json(json::parse(Slurp(d / "truth.json")));
  }

  static void TearDownTestSuite() {
    delete truth_;
    delete dir_;
  }

  // `hark journey CUSTOMER --format json` plus `extra` on `index`; fails the test on a
  // non-zero exit.
  static json Journey(const std::string& index, const std::string& customer,
                      const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"journey", customer, "--index", *dir_ / index, "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Outcome r = Exec("hark", args, dir_->path());
    EXPECT_EQ(r.status, 0) << customer << ": " << r.err;
    return r.status == 0 ? json::parse(r.out) : json::object();
  }

  static std::vector<std::string> Ids(const json& journey) {
    std::vector<std::string> ids;
    for (const json& m : journey.value("messages", json::array())) ids.push_back(m["id"]);
    return ids;
  }

  // Checks one stitched journey of a sampled person against the truth.
  static void ExpectWholeJourney(const json& journey, const json& sample) {
    const std::string person = sample["person"];
    EXPECT_EQ(journey.value("person", json()), person);
    EXPECT_EQ(Ids(journey), sample["messages"].get<std::vector<std::string>>()) << person;
    std::set<std::string> expected_handles;
    for (const json& h : sample["handles"]) expected_handles.insert(Lower(h));
    EXPECT_EQ(journey.value("handles", std::set<std::string>{}), expected_handles) << person;
    std::set<std::string> channels;
    for (const json& m : journey.value("messages", json::array())) channels.insert(m["channel"].get<std::string>());
    EXPECT_GE(channels.size(), 2u) << person;
    EXPECT_EQ(journey["summary"]["channels"].size(), channels.size()) << person;
  }

  static testing::TempDir* dir_;
  static json* truth_;
};

testing::TempDir* JourneyGenTest::dir_ = nullptr;
json* JourneyGenTest::truth_ = nullptr;

// (Each test runs in a process of its own under ctest, each with the suite's set-up: few
// tests, each covering the whole sample.)
TEST_F(JourneyGenTest, IdentitiesStoredAtIngest) {
  ASSERT_GE((*truth_)["journeys"].size(), 10u);
  EXPECT_GT((*truth_)["identities"]["persons"].get<uint64_t>(), 100u);
  for (const json& sample : (*truth_)["journeys"]) {
    ExpectWholeJourney(Journey("stitched", sample["person"]), sample);
  }
  // Any one of the person's handles stands for the whole person too.
  const json& first = (*truth_)["journeys"][0];
  ExpectWholeJourney(Journey("stitched", first["handles"].back()), first);
}

TEST_F(JourneyGenTest, IdentitiesGivenAtQueryTime) {
  for (const json& sample : (*truth_)["journeys"]) {
    ExpectWholeJourney(Journey("plain", sample["person"], {"--identities", *dir_ / "ids.csv"}), sample);
  }
}

// Unstitched, a handle's journey is the conversations that handle wrote in: exactly the
// messages of the person's journey whose conversation holds a message by that handle.
TEST_F(JourneyGenTest, OneHandleAloneIsAStrictSubset) {
  for (const json& sample : (*truth_)["journeys"]) {
    const std::string person = sample["person"];
    const json whole = Journey("stitched", person);
    for (const json& h : sample["handles"]) {
      const std::string handle = h;
      std::set<std::string> threads;  // of the whole journey, where this handle wrote
      for (const json& m : whole["messages"]) {
        if (Lower(m["author"]) == Lower(handle)) threads.insert(m["thread"].get<std::string>());
      }
      std::vector<std::string> expected;
      for (const json& m : whole["messages"]) {
        if (threads.count(m["thread"].get<std::string>())) expected.push_back(m["id"]);
      }
      const json alone = Journey("plain", handle);
      EXPECT_TRUE(alone.value("person", json()).is_null()) << handle;
      const std::vector<std::string> ids = Ids(alone);
      EXPECT_EQ(ids, expected) << person << " " << handle;
      EXPECT_FALSE(ids.empty()) << handle;
      EXPECT_LT(ids.size(), sample["messages"].size()) << person << " " << handle;
    }
  }
}

}  // namespace
}  // namespace hark
