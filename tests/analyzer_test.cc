#include "indexer/analyzer.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace hark {
namespace {

TEST(LooksLikeQuestion, QuestionMarksOpeningsAndTroubles) {
  EXPECT_TRUE(LooksLikeQuestion("@sprintcare and how do you propose we do that"));
  EXPECT_TRUE(LooksLikeQuestion("@AppleSupport why is my battery draining so fast"));
  EXPECT_TRUE(LooksLikeQuestion("Is there a way to export my playlists?"));
  EXPECT_TRUE(LooksLikeQuestion("@115712 @AmazonHelp I can't log in since the update"));
  EXPECT_TRUE(LooksLikeQuestion("the app keeps crashing on start"));
  EXPECT_FALSE(LooksLikeQuestion("@sprintcare is the worst customer service"));
  EXPECT_FALSE(LooksLikeQuestion("thanks, that worked!"));
  EXPECT_FALSE(LooksLikeQuestion("see https://example.com/page?id=3 for details"));
  EXPECT_FALSE(LooksLikeQuestion(""));
}

TEST(Analyze, SetsAndClearsTheQuestionFlag) {
  Record r;
  r.text = "How do I reset my password?";
  Analyze(&r);
  EXPECT_TRUE(r.flags & kFlagQuestion);
  r.text = "Done, thank you.";
  Analyze(&r);
  EXPECT_FALSE(r.flags & kFlagQuestion);
  r.channel = "forum";
  r.title = "Best way to age a stout";
  Analyze(&r);
  EXPECT_TRUE(r.flags & kFlagQuestion) << "a forum post with a title and no parent asks";
}

TEST(Analyze, ScoresSentiment) {
  Record r;
  r.text = "@united you lost my bag, this is terrible";
  Analyze(&r);
  EXPECT_LT(r.sentiment, -0.05);
  r.text = "@united thanks, great crew!";
  Analyze(&r);
  EXPECT_GT(r.sentiment, 0.05);
  r.text = "flight 123 departs at 9";
  Analyze(&r);
  EXPECT_EQ(r.sentiment, 0.0);
}

}  // namespace
}  // namespace hark

namespace hark {
namespace {

TEST(ClosingSignals, CustomerThanksButNotSarcasmOrRefusal) {
  EXPECT_TRUE(HasClosingSignal("@AppleSupport thanks, that worked!"));
  EXPECT_TRUE(HasClosingSignal("Thank you so much"));
  EXPECT_TRUE(HasClosingSignal("all sorted now, cheers"));
  EXPECT_TRUE(HasClosingSignal("Restarted and it’s working now"));
  EXPECT_FALSE(HasClosingSignal("thanks for nothing @Delta"));
  EXPECT_FALSE(HasClosingSignal("Thanks but it's still not working"));
  EXPECT_FALSE(HasClosingSignal("no thanks"));
  EXPECT_FALSE(HasClosingSignal("my flight was cancelled"));
  EXPECT_FALSE(HasClosingSignal("thanksgiving travel"));  // whole words only
}

TEST(ClosingSignals, AgentCloses) {
  EXPECT_TRUE(HasAgentClose("@115712 Glad we could help! Have a great day. ^KC"));
  EXPECT_TRUE(HasAgentClose("You're welcome! Let us know if you need anything else."));
  EXPECT_FALSE(HasAgentClose("@115712 Please send us a DM with your account number."));
}

}  // namespace
}  // namespace hark

namespace hark {
namespace {

// Words are split on every byte that the C locale's isalnum rejects except the apostrophe,
// and bytes from 0x80 up (UTF-8) belong to words: checked for every byte value against
// the C library itself; upper case reads as lower case.
TEST(ClosingSignals, WordsSplitAndFoldCaseAsTheCLocaleDoes) {
  for (int b = 1; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool separates = !std::isalnum(b) && b < 0x80 && c != '\'';
    EXPECT_EQ(HasClosingSignal(std::string("great") + c + "thanks"), separates) << "byte " << b;
    EXPECT_EQ(HasClosingSignal(std::string("GREAT") + c + "THANKS"), separates) << "byte " << b << " in upper case";
  }
  EXPECT_TRUE(LooksLikeQuestion("HOW DO I RESET MY PASSWORD"));
  EXPECT_TRUE(LooksLikeQuestion("@Help I CAN'T LOG IN"));
  EXPECT_FALSE(LooksLikeQuestion("\xC3\x84HOW do I"));  // a word that only ends in "how"
}

// Analyze's flags are what the public checks say of the same text (it normalises each
// text once for both closing checks).
TEST(Analyze, ClosingFlagsAgreeWithTheChecks) {
  const char* texts[] = {"@AppleSupport thanks, that worked!", "Glad we could help! Have a great day.",
                         "thanks for nothing", "You're welcome, and thank you!", "my flight was cancelled",
                         "THANK YOU \xE2\x80\x94 glad to hear it\xE2\x80\x99s sorted", ""};
  for (const char* text : texts) {
    Record r;
    r.text = text;
    Analyze(&r);
    EXPECT_EQ((r.flags & kFlagThanks) != 0, HasClosingSignal(text)) << text;
    EXPECT_EQ((r.flags & kFlagAgentClose) != 0, HasAgentClose(text)) << text;
  }
  Record both;
  both.text = "You're welcome, and thank you!";
  Analyze(&both);
  EXPECT_TRUE(both.flags & kFlagThanks);
  EXPECT_TRUE(both.flags & kFlagAgentClose);
}

}  // namespace
}  // namespace hark
