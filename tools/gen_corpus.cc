// hark-gen: a seeded, deterministic generator of synthetic customer-care corpora.
//
//   hark-gen --messages N [--seed S] [--start 2016-01-01] [--days 730]
//            [--out FILE.jsonl|FILE.jsonl.zst|-] [--truth FILE.json] [--format jsonl|twcs]
//            [--spikes N] [--zstd-level L] [--multi-handle-share X]
//            [--identities FILE.csv|FILE.json] [--brands-out FILE.json]
//
// Writes hark's canonical JSONL (DESIGN.md "The record") or a TWCS-style CSV: customer
// care conversations between a Zipf-distributed population of customers and the agents
// of 12 fictional brands in 3 markets (airlines, telecom, streaming), over four channels
// (twitter, forum, email, chat), with diurnal, weekly and trend volume patterns.
//
// Planted signals go to --truth (JSON) so that tests can check hark at scale: volume
// spikes (brand, incident topic, days, multiplier, driving terms), share of voice per
// brand within its market, clusters of paraphrased duplicate questions with the id of
// each cluster's best answer, and exact counts of what was written.
//
// Identities: a customer writes under one handle on twitter, forum and chat and an
// address derived from it on email. With --multi-handle-share X, a share X of customers
// (picked by a hash of their rank, so the rest of the output does not move) use unrelated
// handles per channel instead; --identities writes who is who (person ids like p000123),
// and the truth lists the counts and, for a sample of those persons who wrote on two
// channels or more, every message of their journey (README.md, "hark journey") in order.
//
// Brand mentions: --brands-out writes the generator's brand lexicon in the format of
// corpora/brands/README.md ({"brands": [{"name", "aliases", "handles", "hashtags",
// "misspellings", "market", "competitors"}]}): each brand's name, its care handle as the
// text writes it ("@StreamBoxCares") and its hashtag ("#StreamBox"); competitors are the
// other brands of its market. With --truth, every message is matched against that lexicon
// by the lexicon matching rule (below), and the truth gets `mentions` (per brand, the
// messages whose title or text mention it), `mention_share_of_voice` (per market, each
// brand's mentions over the sum of its market's) and `comentions` (messages mentioning
// both brands of a pair). This is counted by the generator's own, deliberately plain
// implementation of the rule (MentionMatcher), not by hark's matcher. The rule: text is
// ASCII case-folded; a token is a maximal run of ASCII letters, digits, '_' or non-ASCII
// bytes; a '@' or '#' directly before a token, when it is at the start of the text or
// follows a byte that is not a letter/digit/'_'/non-ASCII, makes that token a handle or
// hashtag token ("@streamboxcares", "#streambox") instead of a plain word; every other
// byte separates tokens ("T-Mobile" is "t" "mobile", "care@flixo.example" is "care"
// "flixo" "example"). Each lexicon entry (name, alias, misspelling, handle, hashtag) is
// tokenized by the same rule; a message mentions a brand when the token sequence of one of
// its entries occurs as consecutive tokens of the title or of the text (the two are
// tokenized separately, so no match spans them). Counting reads the messages only, so the
// corpus bytes are the same with or without --truth and --brands-out.
//
// Determinism: the same options give byte-identical output. All randomness comes from
// one xoshiro256** stream seeded from --seed (no std:: distributions, whose results
// differ between standard libraries). Memory is bounded: conversations are generated
// and written one thread at a time; only per-day, per-brand counters, the small
// duplicate clusters and, with multi-handle customers, a byte of channels per customer
// and the journeys of at most 40 sample candidates (capped in length) are kept.
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "storage/status.h"
#include "storage/time_parse.h"

namespace hark::gen {
namespace {

using Words = std::vector<std::string_view>;

// ---------------------------------------------------------------------------------
// Random numbers.

uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// xoshiro256**: small, fast, and fully specified, so output does not depend on the
// standard library. Not thread-safe (one generator, one thread).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : s_) s = SplitMix64(&x);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n). The multiply-shift bias (< n / 2^32) is irrelevant here.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  // Uniform in [lo, hi], inclusive.
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1))); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Log-uniform in [lo, hi]: waiting times spanning orders of magnitude.
  double LogUniform(double lo, double hi) { return lo * std::exp(Unit() * std::log(hi / lo)); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<uint32_t>(v.size()))];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
};

// Picks an index by weight. Weights need not sum to 1.
size_t PickWeighted(Rng& rng, const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = rng.Unit() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.size() - 1;
}

// ---------------------------------------------------------------------------------
// Vocabulary. Templates may hold slots that Expand() fills:
//   {B} brand name   {H} @care handle   {T} #hashtag   {C} a competitor's name
//   {N} 2..9   {M} 15..180   {Y} money amount   {R} the thread's reference code
//   {F} flight number   {X} place or device   {P} product   {S} a show
//   {U} customer's first name   {A} agent's first name   {D} a day phrase
//   {K} what a reference is called in this market ("confirmation code", ...)
//   {E} an emoji

// A complaint topic of one market: what customers say, what agents and community
// members answer, and subject lines.
struct Topic {
  std::string_view name;
  Words tags;
  Words problems;  // customer complaint clauses, lower-case start, no final period
  Words details;   // extra customer sentences
  Words answers;   // substantive agent answers
  Words titles;    // forum titles / email subjects
  Words tips;      // community advice
};

// An incident that drives a volume spike. Every line holds at least one of `terms`,
// and no normal vocabulary of the same market holds any of them, so that the spike
// is recoverable by its terms.
struct Incident {
  std::string_view name;
  Words terms;
  Words customer;   // first messages
  Words followups;  // later customer / community messages
  Words agent;      // agent replies
  Words titles;     // forum titles / email subjects
};

// A frequently asked question: paraphrased titles and the one good answer. Questions
// of a cluster are planted in different forum threads; the first gets the best answer.
struct Intent {
  std::string_view name;
  Words titles;
  Words context;  // a sentence of background for the question body
  std::string_view answer;
};

struct BrandDef {
  std::string_view name;
  std::string_view handle;   // care account, without '@'
  std::string_view hashtag;  // without '#'
  std::string_view code;     // 2-letter code (flight numbers, references)
  std::string_view domain;
  double share;  // target share of voice within its market
};

struct Market {
  std::string_view name;
  double weight;  // share of all conversations
  std::vector<BrandDef> brands;
  Words products;
  Words places;  // cities or devices
  std::string_view ref_name;
  std::vector<Topic> topics;
  std::vector<Incident> incidents;
  std::vector<Intent> intents;
};

std::vector<Market> BuildMarkets() {
  std::vector<Market> m;
  // ----- airlines -----
  m.push_back(Market{
      "airlines",
      0.36,
      {{"NorthJet", "NorthJetHelp", "NorthJet", "NJ", "northjet.example", 0.38},
       {"Pelican Air", "PelicanAirCares", "PelicanAir", "PA", "pelicanair.example", 0.29},
       {"Aerolux", "AeroluxSupport", "Aerolux", "AX", "aerolux.example", 0.21},
       {"BlueHarbor", "BlueHarborAir", "BlueHarbor", "BH", "blueharbor.example", 0.12}},
      {"flight", "booking", "ticket", "seat", "bag", "upgrade", "trip"},
      {"Denver", "Chicago", "Boston", "Seattle", "Atlanta", "Dallas", "Miami", "Phoenix",
       "Newark", "Orlando", "Portland", "Toronto", "London", "Houston", "Las Vegas", "Austin"},
      "confirmation code",
      {
          {"cancellation",
           {"cancellation", "rebooking"},
           {"my flight to {X} was cancelled", "flight {F} got cancelled with no explanation",
            "you cancelled my flight {D} and nobody told me",
            "cancelled flight and the rebooking is {N} days later",
            "our connection to {X} was cancelled last minute",
            "flight {F} cancelled at the gate after we boarded",
            "my flight got cancelled for the second time this week"},
           {"Now I'm stuck in {X} with two kids.", "The rebooking line hangs up on me.",
            "No hotel voucher, nothing.", "I'm going to miss a wedding because of this.",
            "The app still says on time lol."},
           {"We're sorry your flight was cancelled. You can rebook for free or get a full refund "
            "in Manage Trip.",
            "Cancelled flights qualify for a free change or a refund to the original payment. Send "
            "us your {K} and we'll rebook you.",
            "We've protected you on the next available flight to {X}; the new itinerary is in your "
            "email.",
            "Meal and hotel vouchers are available at the service desk near gate B{N} for "
            "overnight cancellations."},
           {"Flight cancelled, what are my options?", "Cancelled flight to {X}, rebooking help",
            "Second cancellation in a row", "Rebooking after a cancellation"},
           {"Use the app to rebook, it's faster than the phone queue.",
            "Ask for a refund instead of the voucher, they have to give it to you.",
            "Go to the service desk, they can put you on a partner airline."}},
          {"delay",
           {"delay", "connection"},
           {"been sitting on the tarmac for {N} hours", "flight {F} delayed {N} hours and counting",
            "delayed again and I missed my connection in {X}",
            "{M} minute delay and zero updates at the gate",
            "why is flight {F} delayed every single week",
            "stuck at the gate in {X}, delayed {N} times now"},
           {"The crew doesn't know anything.", "No food, no water, no info.",
            "Gate agents just shrug.", "Missed a meeting because of this."},
           {"We're sorry for the delay. Flight {F} is held for crew and should depart within the "
            "hour.",
            "If you miss your connection you will be rebooked automatically; check the app for "
            "the new boarding pass.",
            "Delays over 3 hours qualify for compensation; submit a claim with your {K} at {B}'s "
            "website."},
           {"Delayed flight compensation?", "Missed connection because of a delay",
            "Flight {F} always late"},
           {"File a claim for compensation online, it took me {N} weeks but they paid.",
            "Check the inbound aircraft on a flight tracker, it tells you more than the gate."}},
          {"baggage",
           {"baggage", "lost-luggage"},
           {"lost my bag on the flight from {X}", "my luggage never showed up",
            "bag arrived damaged, the handle is ripped off",
            "still no sign of my suitcase after {N} days",
            "you lost my bag and the tracker shows it in {X}"},
           {"All my work clothes are in there.", "Filed a report {D}, no update since.",
            "The baggage office phone just rings.", "My medication is in that bag."},
           {"We're sorry your bag is delayed. Please DM us your file reference and we'll check "
            "the tracing system.",
            "Your bag has been located in {X} and will be delivered to your address within 24 "
            "hours.",
            "You can claim up to {Y} for essentials while your bag is delayed; keep the receipts."},
           {"Lost luggage, no update", "Damaged suitcase claim", "Bag still missing after {N} days"},
           {"Put an AirTag-style tracker in your bag, it helps a lot when you call them.",
            "Keep every receipt, they do reimburse essentials."}},
          {"refund",
           {"refund", "billing"},
           {"still waiting for a refund after {N} weeks", "where is my refund?",
            "refund was promised {N} weeks ago and nothing",
            "you charged me {Y} for a flight you cancelled",
            "still waiting for a refund for my trip to {X}"},
           {"Every agent tells me something different.", "My bank says nothing was sent.",
            "I don't want a voucher, I want my money."},
           {"Refunds to credit cards take 7-10 business days after approval; yours was approved "
            "{D}.",
            "I've escalated your refund request. You'll get a confirmation email within 48 hours.",
            "Your refund of {Y} was processed and should appear on your statement soon."},
           {"Refund not received", "How long do refunds take?", "Charged for a cancelled flight"},
           {"Dispute it with your card issuer if it's past 30 days.",
            "Took {N} weeks for me but it did arrive."}},
          {"app",
           {"app", "check-in"},
           {"the app keeps crashing when I try to check in", "can't check in online, keeps giving an error",
            "website won't let me pick a seat", "booking page charged me twice",
            "the app logged me out and my trip disappeared"},
           {"Tried on two phones.", "Cleared the cache, reinstalled, nothing.",
            "The chat bot is useless."},
           {"We're aware of an issue with online check-in; please use the kiosk or the website in "
            "the meantime.",
            "Please update the app to the latest version, that fixes the check-in crash.",
            "The duplicate charge is a pre-authorisation and will drop off within 5 days."},
           {"App crashes at check-in", "Can't select seats online", "Charged twice when booking"},
           {"Use the mobile website instead of the app, it works.",
            "Reinstalling fixed it for me."}},
          {"seating",
           {"seating", "loyalty"},
           {"paid for extra legroom and got a middle seat",
            "my miles from the {X} trip never posted",
            "upgrade was taken away at the gate without a refund",
            "split up from my kid on a {N} hour flight"},
           {"I paid {Y} for that seat.", "Platinum member for {N} years, this is how you treat me.",
            "The gate agent was rude about it."},
           {"We've refunded the seat fee of {Y} to your original form of payment.",
            "Missing miles can be requested in your account under Missing credit.",
            "We've added a note to your profile and credited bonus miles for the trouble."},
           {"Paid seat not honoured", "Miles missing from my account", "Downgraded at the gate"},
           {"Ask for the seat fee back, they refund it if they move you.",
            "Missing miles take {N} weeks to post for partner flights."}},
      },
      {
          {"system outage",
           {"outage", "grounded", "stranded"},
           {"{H} all flights grounded because of your outage?? what is happening",
            "stranded in {X}, the whole {B} system outage has every flight grounded",
            "{H} your outage has us stranded at the gate for {N} hours {E}",
            "is {B} grounded nationwide? outage everywhere, stranded passengers all over {X}"},
           {"still stranded, still grounded, still no info about the outage",
            "day 2 of the outage and we're stranded in {X}",
            "any ETA on the outage? we are stranded",
            "grounded again, this outage is a joke"},
           {"We're sorry: a system outage has grounded departures. We're working to restore "
            "service and will rebook stranded customers for free.",
            "The outage is resolved and grounded flights are resuming; stranded customers can "
            "rebook free in the app.",
            "We apologise for the outage. Stranded customers can claim hotel costs with their {K}."},
           {"Outage grounded all flights?", "Stranded by the outage, what now?"}},
          {"crew strike",
           {"strike", "walkout", "picket"},
           {"{H} is the strike going to cancel my flight to {X}?",
            "pilots on strike and {B} tells us nothing, walkout since this morning {E}",
            "{H} walkout at {X}, picket lines at the terminal, what about my flight?",
            "{B} strike ruined our holiday, picket outside the airport"},
           {"strike still on? my flight {F} is listed as cancelled",
            "the walkout is day {N} now, any news?",
            "saw the picket line at check-in, is the strike over?"},
           {"We're sorry for the disruption caused by the strike. Affected customers can rebook "
            "or request a refund.",
            "During the walkout we are operating a reduced schedule; check flight {F} status in "
            "the app.",
            "The strike has ended and the picket lines are gone; flights operate as scheduled."},
           {"Strike cancellations", "Walkout: will my flight operate?"}},
      },
      {
          {"refund_cancelled_flight",
           {"How do I get a refund for a cancelled flight?",
            "Cancelled flight - how to get my money back?",
            "Refund process after {B} cancelled my flight",
            "Can I get cash instead of a voucher for a cancelled flight?",
            "What's the process to request a refund for a cancelled flight?"},
           {"They only offered me a voucher.", "The flight was cancelled two days before departure."},
           "If {B} cancels your flight you are entitled to a full refund to the original payment "
           "method, not only a voucher. Open Manage Trip, choose Request refund and pick 'Flight "
           "cancelled by airline'. Refunds post within 7-10 business days."},
          {"baggage_allowance",
           {"How many checked bags are included in basic economy?",
            "What's the baggage allowance on {B} basic fares?",
            "Does the cheapest {B} ticket include a checked bag?",
            "Checked luggage rules for basic economy",
            "Is a suitcase included with a basic fare?"},
           {"I'm flying to {X} next month.", "Travelling with a big suitcase and a backpack."},
           "Basic economy on {B} includes one personal item and one carry-on only. The first "
           "checked bag costs $35 if you add it online before check-in and $40 at the airport; "
           "elite members and co-branded card holders get it free."},
          {"missing_miles",
           {"Miles from my trip never showed up",
            "How do I claim missing miles?",
            "Flight not credited to my {B} loyalty account",
            "Retro credit for missing miles?",
            "My points didn't post after flying"},
           {"It's been {N} weeks since the flight.", "I added my member number at check-in."},
           "Missing miles can be claimed up to 6 months after travel: log in, open My Account > "
           "Missing credit and enter the 13-digit ticket number and the flight date. Partner "
           "flights take up to 4 weeks to post."},
          {"name_correction",
           {"Can I change the name on my ticket?",
            "Typo in passenger name on booking",
            "Misspelled my name when booking with {B}",
            "How to fix a wrong name on a flight ticket",
            "Name on ticket doesn't match passport"},
           {"I swapped two letters in my last name.", "The booking was made by my company."},
           "{B} corrects up to 3 letters of a name for free in Manage Trip or by phone; giving a "
           "ticket to another person is not allowed. If the app refuses, bring the {K} and your "
           "passport to the airport desk."},
      }});
  // ----- telecom -----
  m.push_back(Market{
      "telecom",
      0.34,
      {{"Telvio", "TelvioCares", "Telvio", "TV", "telvio.example", 0.34},
       {"Orbitel", "OrbitelHelp", "Orbitel", "OB", "orbitel.example", 0.30},
       {"Cellnova", "CellnovaSupport", "Cellnova", "CN", "cellnova.example", 0.22},
       {"Wavecom", "AskWavecom", "Wavecom", "WC", "wavecom.example", 0.14}},
      {"plan", "phone", "bill", "router", "SIM card", "internet", "contract"},
      {"Denver", "Chicago", "Boston", "Seattle", "Atlanta", "Dallas", "Miami", "Phoenix",
       "Brooklyn", "Oakland", "Tampa", "Columbus", "Sacramento", "Raleigh"},
      "account number",
      {
          {"no_service",
           {"coverage", "network"},
           {"no signal at home in {X} for {N} days", "internet has been down for {N} hours",
            "calls keep dropping every few minutes", "no service all day in {X}",
            "my phone says SOS only, started {D}", "wifi router keeps blinking red"},
           {"I work from home, this is costing me money.", "Restarted the router {N} times.",
            "Neighbours have the same problem.", "Paying full price for nothing."},
           {"There's maintenance in your area until 6pm; service should be back after that.",
            "We've reset your line from our side. Please restart your phone and check again.",
            "A technician is booked for tomorrow; you'll get a text with the time window."},
           {"No signal for {N} days", "Internet down in {X}", "Dropped calls all the time"},
           {"Toggle airplane mode, it re-registers the phone on the network.",
            "Check the status page before calling, it lists local issues."}},
          {"billing",
           {"billing", "charges"},
           {"you overcharged me {Y} this month", "my bill doubled for no reason",
            "charged for a plan I cancelled {D}", "still waiting for a refund of {Y}",
            "why is there a {Y} fee on my bill"},
           {"Autopay took it before I could check.", "Third month in a row.",
            "Nobody explained the new fees."},
           {"The extra charge is a one-time activation fee; we've credited {Y} back as a "
            "courtesy.",
            "I see a billing error on your account and have issued a credit of {Y}.",
            "Promotional discounts end after 12 months, which is why the bill went up."},
           {"Bill doubled this month", "Unexpected fee on my bill", "Overcharged, how to get it back"},
           {"Ask for a loyalty discount, they gave me {Y} off.",
            "Check if your promo expired, mine did after a year."}},
          {"slow_internet",
           {"speed", "internet"},
           {"paying for 500 mbps and getting {N} mbps", "internet is painfully slow every evening",
            "wifi keeps disconnecting", "speed test shows {N} mbps down, this is a joke"},
           {"Tested with a cable, same result.", "Gaming is impossible.",
            "Streaming buffers every night."},
           {"Your modem firmware was out of date; we pushed an update, please restart it.",
            "Evening congestion in {X} is being fixed with a node split this month.",
            "We're sending a replacement router; it should arrive in {N} days."},
           {"Slow speeds every evening", "Not getting the speed I pay for"},
           {"Move the router away from the microwave, seriously.",
            "Ask for a new modem, the old ones cap the speed."}},
          {"device_order",
           {"device", "order"},
           {"ordered a new phone {N} weeks ago and it still hasn't shipped",
            "my upgrade order got cancelled without a reason",
            "the phone you sent me is defective", "trade-in credit of {Y} never applied"},
           {"Order status hasn't changed in days.", "I already sent my old phone back."},
           {"Your order shipped today; tracking is in your email.",
            "The trade-in credit appears on your next bill after the old device is inspected.",
            "Defective devices can be exchanged within 14 days at any store."},
           {"Upgrade order stuck", "Trade-in credit missing", "Defective new phone"},
           {"Call retention, they escalate orders faster."}},
          {"porting",
           {"porting", "roaming"},
           {"roaming charges of {Y} for one day abroad",
            "number port from {C} has been stuck for {N} days",
            "moved my number to {B} and now I can't receive texts"},
           {"I need my number for work.", "Nobody told me about roaming fees."},
           {"We've completed your number transfer; restart the phone to finish activation.",
            "We've waived the roaming charges this once; add a travel pass next time."},
           {"Number transfer stuck", "Roaming charges too high"},
           {"Get the transfer PIN from the old carrier first."}},
          {"technician",
           {"installation", "technician"},
           {"technician never showed up {D}", "installation appointment rescheduled {N} times",
            "waited all day for a technician who never came"},
           {"Took a day off work for this.", "Nobody called to cancel."},
           {"We're sorry the technician missed the appointment; we've credited {Y} and booked a "
            "priority slot.",
            "Your installation is confirmed for Thursday between 8 and 12."},
           {"Technician no-show", "Installation rescheduled again"},
           {"Ask for the credit for a missed appointment, it's in the terms."}},
      },
      {
          {"network blackout",
           {"blackout", "nationwide"},
           {"{H} nationwide blackout? no calls, no data, nothing {E}",
            "{B} blackout in {X} and across the country, can't even make emergency calls",
            "{H} is the nationwide blackout going to be fixed today?",
            "{B} has a nationwide blackout and no statement, emergency calls not working"},
           {"blackout still going after {N} hours",
            "still no service, the nationwide blackout is ridiculous",
            "can we at least make emergency calls during the blackout?"},
           {"We're aware of a nationwide blackout affecting calls and data. Emergency calls route "
            "through other networks while we fix it.",
            "Service is being restored after the nationwide blackout; restart your phone if "
            "you still have no signal.",
            "We apologise for the blackout and will credit affected customers automatically."},
           {"Nationwide blackout?", "Blackout: no calls or data"}},
          {"price hike",
           {"hike", "surcharge"},
           {"{H} another price hike? {Y} more per month for the same plan",
            "{B} just announced a price hike and a new network surcharge, unreal",
            "{H} why is there a surcharge now? this hike is the last straw",
            "{B} price hike email today, moving to {C}"},
           {"the price hike is already on my bill",
            "can I leave without fees because of the hike?",
            "that surcharge should be illegal"},
           {"The price hike applies to legacy plans from next month; you can switch to a current "
            "plan without a surcharge.",
            "Customers affected by the hike can cancel without a fee within 30 days.",
            "The new surcharge covers network costs; we can review your plan to offset it."},
           {"Price hike and new surcharge", "Can I cancel because of the price hike?"}},
      },
      {
          {"unlock_phone",
           {"How do I unlock my phone to use another carrier?",
            "Unlocking a {B} phone for travel",
            "Request a carrier unlock from {B}",
            "Is my phone locked to {B}?",
            "Can {B} unlock my handset?"},
           {"I'm travelling to Europe next month.", "The phone is paid off."},
           "Phones are eligible for unlock once they are paid off and have been active for 60 "
           "days. Request it in the app under Device > Unlock; an email arrives within 2 business "
           "days, then restart the phone with the new SIM inserted."},
          {"port_number",
           {"How do I keep my number when switching to {B}?",
            "Transfer my number from another carrier",
            "Porting my old number to {B}",
            "Number transfer stuck - what info do I need?",
            "Keep existing phone number with new {B} plan"},
           {"I've had this number for {N} years.", "My old carrier is {C}."},
           "To port your number you need the account number and the transfer PIN from your old "
           "carrier (dial *611 or use their app). Enter both at activation; most ports finish "
           "in under 2 hours, some take up to 24."},
          {"roaming_abroad",
           {"Does my {B} plan work abroad?",
            "International roaming charges on {B}",
            "How to avoid roaming fees when travelling",
            "Using data overseas with {B}",
            "Do I need a travel pass for Europe?"},
           {"Going to Spain for two weeks.", "Last trip cost me a fortune."},
           "Add the Travel Pass ($10 a day) before you leave; without it data abroad is billed "
           "per MB. Turn off data roaming if you only want Wi-Fi. Canada and Mexico are included "
           "on Unlimited plans."},
          {"cancel_contract",
           {"How do I cancel my {B} contract without fees?",
            "Early termination fee question",
            "Cancelling {B} service before the contract ends",
            "Will I pay a fee if I cancel {B} early?",
            "How to end my contract with {B}"},
           {"Moving abroad in {N} weeks.", "I signed up about a year ago."},
           "Early termination fees only apply to contracts signed before 2015; on current plans "
           "you only pay the remaining device balance. Use the chat or call retention and ask "
           "for the final bill in writing."},
      }});
  // ----- streaming -----
  m.push_back(Market{
      "streaming",
      0.30,
      {{"Flixo", "FlixoHelp", "Flixo", "FX", "flixo.example", 0.42},
       {"StreamBox", "StreamBoxCares", "StreamBox", "SB", "streambox.example", 0.26},
       {"Vidora", "VidoraSupport", "Vidora", "VD", "vidora.example", 0.20},
       {"Tunely", "TunelyCares", "Tunely", "TN", "tunely.example", 0.12}},
      {"subscription", "account", "app", "profile", "plan", "membership"},
      {"smart TV", "phone", "tablet", "laptop", "game console", "streaming stick", "Roku",
       "Android phone", "iPad", "Fire TV"},
      "account ID",
      {
          {"app_crash",
           {"app", "crash"},
           {"the app keeps crashing on my {X}", "app crashes every time I open it",
            "app freezes after the latest update", "black screen on my {X} for {N} days",
            "the {X} app just shows a spinning wheel"},
           {"Reinstalled twice.", "Other apps work fine.", "Happens on every profile."},
           {"Please clear the app cache and reinstall; version 8.{N} fixes the crash on {X}.",
            "We've found the bug on {X} and a fix rolls out this week.",
            "Try signing out of all devices and back in, that resets the session."},
           {"App crashing on {X}", "Black screen after update"},
           {"Unplug the TV for a minute, that fixed it for me.",
            "Roll back the update if your {X} allows it."}},
          {"buffering",
           {"playback", "buffering"},
           {"everything keeps buffering even on fast wifi", "video quality is terrible tonight",
            "stuck at {N}% loading", "sound is out of sync with the picture"},
           {"Speed test says 300 mbps.", "Only happens on {B}.", "Every evening around 8."},
           {"Set playback quality to Auto in settings; fixed HD can buffer on busy networks.",
            "We had a CDN issue in your region {D}; it's resolved now.",
            "Turn off the frame rate matching option on your {X}, that fixes the sync issue."},
           {"Constant buffering", "Audio out of sync"},
           {"Wired connection fixed buffering for me."}},
          {"billing",
           {"billing", "charges"},
           {"charged twice this month", "you charged me after I cancelled",
            "card charged {Y} for a plan I never signed up for",
            "free trial turned into a paid plan without warning"},
           {"I want my money back.", "My bank flagged it as suspicious."},
           {"We've refunded the duplicate charge of {Y}; it takes 3-5 days to show.",
            "Your membership was cancelled on the last day of billing, so one more charge went "
            "through; we've refunded it.",
            "Trials convert on the date shown at sign-up; we've refunded this one as a courtesy."},
           {"Charged twice", "Charged after cancelling", "Unknown charge on my card"},
           {"Check if someone in your family has a second account on your card."}},
          {"account",
           {"account", "security"},
           {"my account got hacked and someone changed the email",
            "can't log in, password reset email never arrives",
            "someone in another country is using my profile",
            "locked out of my account for {N} days"},
           {"My watch history is full of stuff I never watched.", "Checked spam, nothing."},
           {"We've secured your account and restored your email; please set a new password.",
            "Password reset emails can take 10 minutes; we've sent a new link to your {K}.",
            "Sign out of all devices in Account > Security, then change your password."},
           {"Account hacked", "Password reset email not arriving"},
           {"Turn on two-step verification, it stopped it for me."}},
          {"content",
           {"content", "catalog"},
           {"why did you remove {S}?", "downloads disappear after {N} days",
            "subtitles are out of sync on {S}", "{S} season {N} still isn't available here"},
           {"It was the only reason I subscribe.", "Pay more, get less."},
           {"Titles leave when licences end; {S} is still available in some regions.",
            "Downloads expire after 7 days for licensing reasons; you can renew them in the app.",
            "We've passed the subtitle timing issue on {S} to our content team."},
           {"{S} removed?", "Downloads keep expiring"},
           {"Licences rotate, it usually comes back within a year."}},
          {"cancel",
           {"membership", "cancel"},
           {"how do I cancel my subscription", "tried to cancel but the button doesn't work",
            "cancelled {D} and still got billed"},
           {"Thinking about going with {C} instead.", "Too many services, cutting back."},
           {"You can cancel anytime under Account > Membership; you keep access until the end of "
            "the billing period.",
            "If you subscribed through an app store, cancel in that store's subscription settings."},
           {"Cannot cancel membership", "Still billed after cancelling"},
           {"If you signed up through the app store you have to cancel there."}},
      },
      {
          {"service outage",
           {"outage", "503"},
           {"{H} is {B} down? error 503 on every device {E}",
            "{B} outage right in the middle of the finale, error 503 everywhere",
            "{H} total outage here in {X}, is it down for everyone?",
            "{B} down again?? outage number two this month"},
           {"still getting error 503, outage not fixed",
            "is the outage over? still down on my {X}",
            "error 503 again after the outage"},
           {"We're aware of an outage causing error 503 for some members and are working on it.",
            "The outage is resolved. If you still see error 503, restart the app.",
            "Sorry about the outage: the service was down for 2 hours and is back now."},
           {"Error 503 outage", "Outage: is the service down for everyone?"}},
          {"price hike",
           {"hike", "crackdown"},
           {"{H} another price hike and a password sharing crackdown? cancelling",
            "{B} price hike again, {Y} more a month {E}",
            "{H} the crackdown on sharing plus the hike, moving to {C}",
            "{B} announced a price hike today, unbelievable"},
           {"the hike hit my card today", "cancelled because of the price hike",
            "the crackdown locked out my mum's TV"},
           {"The price hike applies from your next billing date; you can change plans anytime.",
            "The sharing crackdown means extra members need their own sub-account; the hike does "
            "not apply to annual plans until renewal.",
            "We understand the price hike is frustrating; Basic with ads stays at the old price."},
           {"Price hike again", "Password sharing crackdown question"}},
      },
      {
          {"cancel_subscription",
           {"How do I cancel my {B} subscription?",
            "Can't find the cancel button on {B}",
            "Cancelling {B} membership",
            "Stop {B} from renewing",
            "How to end my {B} plan"},
           {"The option isn't in the app.", "I signed up through my {X}."},
           "Go to Account > Membership > Cancel membership on the website; the app may not show it "
           "if you subscribed through an app store, in which case cancel in the store's "
           "subscription settings. Access continues until the end of the billing period."},
          {"offline_downloads",
           {"How do I download shows to watch offline?",
            "Offline viewing on {B}",
            "Download limit on the {B} app",
            "Can I watch {B} on a plane without wifi?",
            "Saving episodes for offline viewing"},
           {"Long flight next week.", "Using an {X}."},
           "Downloads work in the phone and tablet apps only: tap the download icon next to an "
           "episode. An account holds up to 100 downloads on 4 devices; they expire after 7 days, "
           "or 48 hours after you start watching."},
          {"screen_limit",
           {"How many screens can stream at once on {B}?",
            "Error: too many devices streaming",
            "Simultaneous streams limit on {B}",
            "Family watching on multiple TVs at the same time",
            "Too many people are using your account message"},
           {"Kids and I were watching on different TVs.", "It started {D}."},
           "Basic allows 1 stream, Standard 2 and Premium 4 at the same time. Sign out of all "
           "devices under Account > Security, change the password, and upgrade the plan if you "
           "need more screens."},
          {"parental_controls",
           {"How do I set up parental controls on {B}?",
            "Kids profile on {B}",
            "Block mature content for my children",
            "PIN lock on a {B} profile",
            "Restrict what my kids can watch"},
           {"My son is 8.", "They keep switching to my profile."},
           "Create a Kids profile under Manage Profiles, or set a maturity rating per profile in "
           "Account > Profile & parental controls. Add a 4-digit profile lock so children cannot "
           "switch to adult profiles."},
      }});
  return m;
}

// --- generic vocabulary, shared by all markets ---

const Words kFirstNames = {
    "jenny", "mike", "sarah", "david", "laura", "chris", "anna", "james", "maria", "kevin",
    "emily", "josh", "nina", "omar", "priya", "lucas", "sofia", "tom", "aisha", "daniel",
    "grace", "leo", "chloe", "ben", "fatima", "ryan", "olivia", "marco", "hannah", "sam",
    "zoe", "ethan", "mia", "noah", "lily", "jack", "ava", "liam", "ella", "amir",
    "kate", "paul", "rosa", "ivan", "yuki", "tariq", "megan", "carlos", "julia", "dev"};
const Words kAgentNames = {
    "Maria", "James", "Aiden", "Keisha", "Tom", "Rachel", "Luis", "Amy", "Derek", "Nadia",
    "Sam", "Heather", "Victor", "Jade", "Owen", "Tasha", "Greg", "Lena", "Raj", "Carmen",
    "Ben", "Paige", "Marcus", "Wendy", "Eli", "Sonia", "Kyle", "Irene"};
const Words kMailDomains = {"example.com", "mail.example", "inbox.example", "post.example",
                            "webmail.example"};
const Words kShows = {"The Northern Line", "Harbor Lights", "Quiet Orbit", "Saltwater Kings",
                      "Glass Garden", "Midnight Ledger", "Paper Wolves", "The Long Field"};
const Words kEmoji = {"😡", "🙄", "😤", "😭", "👎", "🙏", "😩", "🤬", "💸", "⏳",
                      "😒", "😠", "🤦", "😑", "💀", "😞"};
const Words kHappyEmoji = {"👍", "🙏", "😊", "❤️", "🙌", "😀", "👌"};
const Words kDayPhrases = {"yesterday", "last week", "on Monday", "this morning", "two days ago",
                           "on Friday", "last night", "on Saturday", "three days ago"};
const Words kComplaintAddons = {
    "This is ridiculous.", "Third time I'm asking.", "Nobody is answering the phone.",
    "Been on hold for {M} minutes.", "Worst customer service ever.", "Please help!",
    "Any update?", "So frustrating.", "What is going on?", "Not happy.", "Can someone help?",
    "Unacceptable.", "Still no answer.", "Fix this please.", "Seriously?"};
const Words kSwitching = {
    "Thinking of moving from {B} to {C}.", "Switching to {C} after this.",
    "moving from {B} to {C}, done with this", "{C} never did this to me.",
    "If this isn't fixed I'm going to {C}.", "Time to switch to {C}."};
const Words kSwitched = {
    "Just switched to {C}. Bye {B}.", "moved from {B} to {C} today, should have done it years ago",
    "done. cancelled and signed up with {C}", "{C} sorted it in 5 minutes. goodbye {B}"};
const Words kThanks = {
    "thanks, that worked!", "that fixed it, thank you", "thank you for the quick help",
    "got it sorted, thanks {A}", "thanks, all good now", "appreciate it, resolved",
    "perfect, thanks for the help", "ok that worked. thanks!"};
const Words kInfoProvided = {
    "DM sent", "just sent you a DM with my details", "done, check your DMs",
    "sent it over, {K} is {R}", "I already DMed you {N} times", "DMed you my {K}"};
const Words kEscalations = {
    "I already did that, still not working", "that's what you said last week",
    "this is not a solution", "still waiting...", "no reply to my DM yet",
    "that doesn't help at all", "you keep saying that and nothing changes"};
const Words kDeflections = {
    "Please DM us your {K} so we can take a look.",
    "We're sorry to hear that. Please send us a DM and we'll help.",
    "We'd like to look into this. Please DM us your {K}.",
    "Sorry for the trouble! Please follow and DM us.",
    "Please contact our support team at {B}.example/help and we'll sort this out.",
    "We understand your frustration. Please DM us the details.",
    "Hi there, please DM us and we'll check what happened."};
const Words kAgentClosings = {
    "Glad we could help! Have a great day.", "You're welcome! Enjoy your day.",
    "Happy to help. Anything else, just let us know.", "Great to hear! Thanks for your patience."};
const Words kAgentSwitchReplies = {
    "We'd hate to see you go. Please DM us so we can make this right.",
    "We're sorry we let you down. Please DM us your {K} and we'll do our best to fix it."};
const Words kAgentEscalationReplies = {
    "Sorry about that. I've escalated your case to a specialist.",
    "We apologise for the wait. A supervisor will contact you within 24 hours.",
    "Thanks for your patience, we're on it and will update you by DM."};
const Words kChatCustomerAcks = {"ok", "sure", "one sec", "ok thanks", "alright",
                                 "yes", "ok let me try", "hmm ok"};
const Words kChatAgentHold = {"Thank you. Let me check that for you.", "One moment please.",
                              "I'm checking your account now.",
                              "Thanks, I can see the issue on our side.",
                              "Let me look into that, it'll take a minute."};
const Words kChatAgentAsk = {"Hi {U}, thanks for contacting {B}. My name is {A}. Could you share your {K}?",
                             "Hello! I'm {A} from {B}. I'm sorry to hear that. What is your {K}?",
                             "Hi, {A} here. Happy to help. Can you confirm your {K} please?"};
const Words kChatAgentMore = {"Is there anything else I can help with?",
                              "Can I help with anything else today?"};
const Words kChatAgentBye = {"Thanks for chatting with {B}. Have a great day!",
                             "You're welcome! Take care.", "Have a good one, {U}!"};
const Words kChatCustomerBye = {"no that's all, thanks", "that's it, thank you", "nope, bye",
                                "all good, thanks {A}"};
const Words kForumOpeners = {"Hi all, ", "Hi everyone, ", "", "", "Quick question: ",
                             "Has anyone else had this? ", "Help please. "};
const Words kForumQuestionEnds = {"Is there anything I can do?", "How long does this usually take?",
                                  "Any advice?", "Thanks in advance!",
                                  "What worked for you?", "Am I the only one?"};
const Words kForumContext = {
    "I searched the help pages but couldn't find a clear answer.",
    "Customer service keeps transferring me.", "The chat bot only sends me links.",
    "I have tried calling twice."};
const Words kForumAnswerOpeners = {"Same thing happened to me. ", "I had this last month. ",
                                   "", "", "Not sure if it helps, but ", "From experience: "};
const Words kForumAnswerClosers = {"", "Good luck!", "Hope that helps.",
                                   "Let us know how it goes.", ""};
const Words kForumGeneric = {
    "+1, same problem here, started {D}.", "Following, same issue.",
    "Honestly I gave up and moved to {C}.", "Contact them on Twitter {H}, they reply faster than the phone line.",
    "Same here, started {D} for me.", "Bump. Still happening."};
const Words kCommunityTips = {
    "Try the chat on their website, it's much quicker than the phone line.",
    "Ask for a supervisor, that's what finally worked for me.",
    "Post on their Twitter {H}, they answered me within the hour.",
    "Keep screenshots of everything, you'll need them.",
    "File a complaint with the regulator, they called me back the next day."};
const Words kEmailCustomerExtra = {
    "I have been a loyal customer for {N} years and have never been treated like this.",
    "I would appreciate a written response and a clear timeline.",
    "Please let me know what you intend to do about this.",
    "I have kept all the receipts and screenshots.",
    "I expect this to be resolved this week.",
    "I called twice and was told someone would get back to me, but nobody did."};
const Words kEmailAgentExtra = {
    "If you have further questions, simply reply to this email and your case will come back "
    "to me.",
    "We appreciate your patience and apologise for the inconvenience this has caused.",
    "Your case reference is {R}; please quote it if you contact us again.",
    "I have also added a note to your account so that any colleague can see the history."};
const Words kEmailCustomerOpen = {"Hello {B} team,", "Dear {B},", "Hi,", "To whom it may concern,"};
const Words kEmailCustomerClose = {"Regards,\n{U}", "Thanks,\n{U}", "Best,\n{U}",
                                   "Thank you in advance,\n{U}"};
const Words kEmailAgentOpen = {"Dear {U},\n\nThank you for contacting {B} Customer Care.",
                               "Hello {U},\n\nThanks for reaching out to {B}.",
                               "Hi {U},\n\nThank you for your message."};
const Words kEmailAgentClose = {"Kind regards,\n{A}\n{B} Customer Care",
                                "Best regards,\n{A} | {B} Support",
                                "Sincerely,\n{A}\nCustomer Relations, {B}"};

// Whole-word misspellings that real customers make.
const std::vector<std::pair<std::string_view, std::string_view>> kMisspellings = {
    {"received", "recieved"}, {"definitely", "definately"}, {"cancelled", "cancled"},
    {"separate", "seperate"}, {"until", "untill"},         {"waiting", "waitng"},
    {"ridiculous", "rediculous"}, {"because", "becuase"},  {"refund", "refnd"},
    {"luggage", "lugage"},    {"account", "acount"},       {"service", "servise"},
    {"charged", "chargd"},    {"really", "realy"},         {"flight", "fligt"}};

// Hourly volume profile (UTC; an audience centred on North America).
constexpr std::array<double, 24> kHourWeights = {3.0, 2.6, 2.0, 1.4, 1.0, 0.8, 0.8, 1.0,
                                                 1.5, 2.3, 3.3, 4.2, 4.8, 5.1, 5.3, 5.4,
                                                 5.5, 5.6, 5.5, 5.2, 4.8, 4.4, 3.9, 3.4};
// Day-of-week profile, 0 = Sunday.
constexpr std::array<double, 7> kWeekdayWeights = {0.78, 1.12, 1.08, 1.05, 1.04, 0.98, 0.80};

// ---------------------------------------------------------------------------------
// Text helpers.

// Word characters for term matching: ASCII letters and digits (documented in the truth
// file, so that tests can recount with the same rule).
bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether `term` occurs in `text` as whole words (ASCII case-insensitive).
bool ContainsWord(std::string_view text, std::string_view term) {
  std::string t = Lower(text);
  std::string w = Lower(term);
  for (size_t pos = t.find(w); pos != std::string::npos; pos = t.find(w, pos + 1)) {
    bool left = pos == 0 || !IsWordByte(static_cast<unsigned char>(t[pos - 1]));
    size_t end = pos + w.size();
    bool right = end >= t.size() || !IsWordByte(static_cast<unsigned char>(t[end]));
    if (left && right) return true;
  }
  return false;
}

// Brand mentions by the lexicon matching rule (header comment): a deliberately plain
// implementation, independent of hark's matcher, for the truth's mention counts.
// Not thread-safe (it reuses its token buffer).
class MentionMatcher {
 public:
  // A letter, digit, '_' or any non-ASCII byte: what tokens are made of.
  static bool IsTokenByte(unsigned char c) {
    return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
  }

  // Writes the tokens of `text`, ASCII-lower-cased, to (*tokens)[*n], (*tokens)[*n + 1], ...
  // and advances *n (the strings are reused); a handle or hashtag token keeps its '@' or '#'.
  static void Tokenize(std::string_view text, std::vector<std::string>* tokens, size_t* n) {
    size_t i = 0;
    while (i < text.size()) {
      if (!IsTokenByte(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < text.size() && IsTokenByte(static_cast<unsigned char>(text[j]))) ++j;
      if (*n == tokens->size()) tokens->emplace_back();
      std::string& token = (*tokens)[(*n)++];
      token.clear();
      if (i > 0 && (text[i - 1] == '@' || text[i - 1] == '#') &&
          (i == 1 || !IsTokenByte(static_cast<unsigned char>(text[i - 2])))) {
        token.push_back(text[i - 1]);
      }
      for (size_t k = i; k < j; ++k) {
        char c = text[k];
        token.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
      }
      i = j;
    }
  }

  // Adds an entry (a name, alias, misspelling, handle or hashtag) of brand `brand` (< 64).
  void Add(int brand, std::string_view entry) {
    Entry e;
    e.brand = brand;
    size_t n = 0;
    Tokenize(entry, &e.tokens, &n);
    e.tokens.resize(n);
    if (n == 0) return;  // matches nothing
    auto at = std::upper_bound(entries_.begin(), entries_.end(), e.tokens[0],
                               [](const std::string& t, const Entry& x) { return t < x.tokens[0]; });
    entries_.insert(at, std::move(e));
  }

  // Bit b set: `title` or `text` mentions brand b. Title and text are tokenized apart,
  // with a boundary no entry can match across.
  uint64_t Match(std::string_view title, std::string_view text) {
    size_t n = 0;
    Tokenize(title, &tokens_, &n);
    const size_t title_end = n;
    Tokenize(text, &tokens_, &n);
    uint64_t mask = 0;
    for (size_t i = 0; i < n; ++i) {
      const size_t end = i < title_end ? title_end : n;  // tokens of the same field
      auto lo = std::lower_bound(entries_.begin(), entries_.end(), tokens_[i],
                                 [](const Entry& x, const std::string& t) { return x.tokens[0] < t; });
      for (auto it = lo; it != entries_.end() && it->tokens[0] == tokens_[i]; ++it) {
        if (i + it->tokens.size() > end) continue;
        bool all = true;
        for (size_t k = 1; k < it->tokens.size() && all; ++k) all = tokens_[i + k] == it->tokens[k];
        if (all) mask |= uint64_t{1} << it->brand;
      }
    }
    return mask;
  }

 private:
  struct Entry {
    int brand = 0;
    std::vector<std::string> tokens;
  };
  std::vector<Entry> entries_;  // by first token
  std::vector<std::string> tokens_;
};

// Ends a sentence before the next one: ". ", or just " " after ".", "?" or "!".
void SentenceBreak(std::string* out) {
  if (!out->empty() && (out->back() == '.' || out->back() == '?' || out->back() == '!')) {
    out->push_back(' ');
  } else {
    out->append(". ");
  }
}

// Ends the last sentence with a full stop unless it already has one, "?" or "!".
void FullStop(std::string* out) {
  if (!out->empty() && out->back() != '.' && out->back() != '?' && out->back() != '!') {
    out->push_back('.');
  }
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendCsvField(std::string* out, std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  int n = std::snprintf(buf, sizeof(buf), "%llu", static_cast<unsigned long long>(v));
  out->append(buf, static_cast<size_t>(n));
}

void Append2(std::string* out, int v) {
  out->push_back(static_cast<char>('0' + v / 10));
  out->push_back(static_cast<char>('0' + v % 10));
}

// Civil date of a day number (days since 1970-01-01); Howard Hinnant's algorithm.
void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yy + (*m <= 2));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Formats epoch seconds as RFC 3339 UTC; caches the date part (consecutive records
// mostly share a day).
class TimeFormatter {
 public:
  void AppendRfc3339(std::string* out, int64_t t) {
    int64_t day = FloorDiv(t, 86400);
    int sec = static_cast<int>(t - day * 86400);
    if (day != cached_day_) {
      int y, m, d;
      CivilFromDays(day, &y, &m, &d);
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT", y, m, d);
      date_ = buf;
      cached_day_ = day;
    }
    out->append(date_);
    Append2(out, sec / 3600);
    out->push_back(':');
    Append2(out, sec / 60 % 60);
    out->push_back(':');
    Append2(out, sec % 60);
    out->push_back('Z');
  }
  // "Tue Oct 31 22:10:47 +0000 2017", as in the Twitter API and TWCS.
  static void AppendTwitter(std::string* out, int64_t t) {
    static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t day = FloorDiv(t, 86400);
    int sec = static_cast<int>(t - day * 86400);
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char buf[48];
    int n = std::snprintf(buf, sizeof(buf), "%s %s %02d %02d:%02d:%02d +0000 %04d",
                          kDays[((day % 7) + 7) % 7], kMonths[m - 1], d, sec / 3600,
                          sec / 60 % 60, sec % 60, y);
    out->append(buf, static_cast<size_t>(n));
  }

 private:
  int64_t cached_day_ = INT64_MIN;
  std::string date_;
};

std::string DateString(int64_t epoch_day) {
  int y, m, d;
  CivilFromDays(epoch_day, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
  return buf;
}

// ---------------------------------------------------------------------------------
// Output: a buffered file or stdout, optionally zstd-compressed. Not thread-safe.

class Sink {
 public:
  ~Sink() {
    if (cctx_ != nullptr) ZSTD_freeCCtx(cctx_);
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }

  // `path` "-" is stdout. A path ending in .zst is compressed at `zstd_level`.
  Status Open(const std::string& path, int zstd_level) {
    path_ = path;
    if (path == "-") {
      file_ = stdout;
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      if (file_ == nullptr) {
        return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
      }
    }
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0) {
      cctx_ = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, zstd_level);
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
      // Compress on a second thread when libzstd has threads. Output does not depend
      // on the number of workers (>= 1), so it stays deterministic across machines
      // whose libzstd supports them.
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_nbWorkers, 2);
      zbuf_.resize(ZSTD_CStreamOutSize());
    }
    buf_.reserve(kFlushBytes + (64 << 10));
    return Status::Ok();
  }

  std::string* buffer() { return &buf_; }
  Status MaybeFlush() { return buf_.size() >= kFlushBytes ? Flush(false) : Status::Ok(); }
  Status Close() {
    HARK_RETURN_IF_ERROR(Flush(true));
    if (file_ != stdout) {
      int rc = std::fclose(file_);
      file_ = nullptr;
      if (rc != 0) return Status::IOError("cannot close " + path_ + ": " + std::strerror(errno));
    } else if (std::fflush(stdout) != 0) {
      return Status::IOError("cannot write to stdout");
    }
    return Status::Ok();
  }
  uint64_t bytes() const { return bytes_; }

 private:
  static constexpr size_t kFlushBytes = 1 << 20;

  Status Write(const char* data, size_t n) {
    if (n > 0 && std::fwrite(data, 1, n, file_) != n) {
      return Status::IOError("cannot write " + path_ + ": " + std::strerror(errno));
    }
    return Status::Ok();
  }

  Status Flush(bool end) {
    bytes_ += buf_.size();
    if (cctx_ == nullptr) {
      HARK_RETURN_IF_ERROR(Write(buf_.data(), buf_.size()));
      buf_.clear();
      return Status::Ok();
    }
    ZSTD_inBuffer in{buf_.data(), buf_.size(), 0};
    const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
      size_t remaining = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(remaining)) {
        return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      }
      HARK_RETURN_IF_ERROR(Write(zbuf_.data(), out.pos));
      bool done = end ? remaining == 0 : in.pos == in.size;
      if (done) break;
    }
    buf_.clear();
    return Status::Ok();
  }

  std::string path_;
  FILE* file_ = nullptr;
  ZSTD_CCtx* cctx_ = nullptr;
  std::string buf_;
  std::string zbuf_;
  uint64_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------
// The generator.

enum Channel { kTwitter = 0, kForum, kEmail, kChat, kNumChannels };
constexpr std::array<std::string_view, kNumChannels> kChannelNames = {"twitter", "forum", "email",
                                                                      "chat"};
// Share of conversations per channel (twitter threads are short, chats long).
constexpr std::array<double, kNumChannels> kChannelWeights = {0.56, 0.15, 0.11, 0.18};

enum RoleId { kCustomer = 0, kAgent, kCommunity, kNumRoles };
constexpr std::array<std::string_view, kNumRoles> kRoleNames = {"customer", "agent", "community"};

enum class Format { kJsonl, kTwcs };

struct Options {
  uint64_t messages = 0;
  uint64_t seed = 1;
  int64_t start = 0;  // epoch seconds, midnight UTC
  int days = 730;
  int spikes = -1;  // -1: automatic
  Format format = Format::kJsonl;
  int zstd_level = 3;
  // Share (0..1) of customers who write under a different handle on each channel. Which
  // customers is a hash of the rank and the seed, so the main random stream is untouched.
  double multi_handle_share = 0;
  // Match every message against the brand lexicon for the truth's mention counts (set
  // with --truth; generation is faster without).
  bool count_mentions = false;
};

struct Agent {
  std::string first;
  std::string initials;
};

struct Brand {
  const BrandDef* def = nullptr;
  int market = 0;
  double global_share = 0;  // market weight x share within market
  std::string at_handle;    // "@NorthJetHelp"
  std::string hashtag;      // "#NorthJet"
  std::string tag;          // "northjet" (forum tag)
  std::string chat_prefix;  // "NorthJet - "
  std::string forum_prefix; // "NorthJet_"
  std::string email;        // "care@northjet.example"
  std::vector<Agent> agents;
};

struct Spike {
  int brand = 0;
  int incident = 0;
  int start_day = 0;
  int days = 1;
  double multiplier = 1;
  std::vector<double> extra;  // extra day weight, per spike day
  uint64_t threads = 0;
  uint64_t messages = 0;
  uint64_t term_messages = 0;  // spike messages whose text holds a driving term
};

struct Cluster {
  int brand = 0;
  int intent = 0;
  std::vector<std::string> questions;
  std::string best_answer;
};

// One message under construction. Strings are reused across threads.
struct Msg {
  std::string id;
  std::string author;
  std::string parent;
  std::string title;
  std::string text;
  int64_t time = 0;
  int role = kCustomer;
  bool has_score = false;
  int64_t score = 0;
  bool accepted = false;
  std::vector<std::string_view> tags;
  uint64_t rank = 0;  // the customer who wrote it (community answers too); 0: an agent
};

// A message of a sampled person's journey: enough to list it in hark's journey order.
struct JourneyEntry {
  int64_t time = 0;
  uint64_t seq = 0;  // position in the output, which is hark's record number order
  std::string id;
};

// A multi-handle customer picked up front for the truth's journey sample.
struct JourneyCandidate {
  uint64_t rank = 0;
  bool overflow = false;  // more than kJourneyMaxMessages: dropped from the sample
  uint64_t conversations = 0;
  std::vector<JourneyEntry> entries;  // every message of every conversation they wrote in
};

// What a customer's message did, which decides the agent's next move.
enum class Move { kProblem, kInfo, kEscalation, kThanks, kSwitch, kAck, kBye };

// Generates the corpus and the truth. Not thread-safe.
class Generator {
 public:
  explicit Generator(const Options& options);
  Status Run(Sink* sink);
  nlohmann::ordered_json Truth() const;
  // The brand lexicon ({"brands": [...]}, corpora/brands/README.md) that --brands-out
  // writes and the truth's mention counts use. Does not depend on the seed.
  nlohmann::ordered_json Lexicon() const;
  // Writes person -> handles for every multi-handle customer who wrote at least one
  // message: CSV `person,handle` with a header, or JSON {"person": [handles]} when `path`
  // ends in .json. Persons in rank order, handles in channel order. Call after Run().
  Status WriteIdentities(const std::string& path) const;

 private:
  static constexpr size_t kMaxThread = 20;
  static constexpr size_t kClusterCap = 40;
  // Journey sample: candidates picked up front, how many the truth lists at most, and
  // the per-candidate message cap that bounds the memory they take.
  static constexpr size_t kJourneyCandidates = 40;
  static constexpr size_t kJourneySample = 20;
  static constexpr size_t kJourneyMaxMessages = 4000;

  void SelfCheck() const;
  void PlanDays();
  void PlanSpikes();
  // The days that form a spike's baseline: 14 days either side, less spike days of the
  // same brand and the day after each (which gets late replies).
  std::vector<int> BaselineDays(const Spike& spike) const;
  double TimeOfDay(double frac) const;

  // Customers.
  uint64_t PickCustomer();
  // Whether the customer of `rank` uses a different handle per channel.
  bool MultiHandle(uint64_t rank) const;
  // The author name of the customer of `rank` on `channel`, and their first name.
  void CustomerHandle(uint64_t rank, int channel, std::string* handle, std::string_view* first) const;
  static std::string PersonId(uint64_t rank);
  void PickJourneyCandidates();
  void TrackCustomers();

  // Templates.
  void Expand(std::string_view tmpl, std::string* out);
  void ExpandPick(const Words& words, std::string* out) { Expand(rng_.Pick(words), out); }
  // Two different entries of `words` (size >= 2), separated by a space.
  void ExpandPickTwo(const Words& words, std::string* out) {
    uint32_t n = static_cast<uint32_t>(words.size());
    uint32_t first = rng_.Below(n);
    Expand(words[first], out);
    out->push_back(' ');
    Expand(words[(first + 1 + rng_.Below(n - 1)) % n], out);
  }
  void AppendCapitalized(std::string_view tmpl, std::string* out);
  void MaybeTypo(std::string* text);

  // Threads.
  void BuildThread(int day, int64_t start, uint64_t budget);
  void BuildTwitter(size_t len);
  void BuildChat(size_t len);
  void BuildEmail(size_t len);
  void BuildForum(size_t len);
  void TweetRoot(std::string* out);
  Msg& Add(int role, int64_t time, const std::string& author, uint64_t rank);
  void Emit(Sink* sink);
  void EmitJsonl(const Msg& m, std::string* out);
  void EmitTwcs(size_t i, std::string* out);
  void CountMentions(const Msg& m);

  Options opt_;
  Rng rng_;
  std::vector<Market> markets_;
  std::vector<Brand> brands_;
  std::vector<std::vector<int>> market_brands_;
  std::vector<double> market_weights_;
  std::vector<std::vector<double>> brand_weights_;  // per market
  std::vector<double> channel_weights_;
  std::array<double, 25> hour_cdf_{};
  uint64_t population_ = 0;
  uint64_t next_seq_ = 0;  // record number within the output; ids derive from it
  uint64_t next_thread_ = 0;

  // Day plan.
  std::vector<double> base_;     // base weight per day
  std::vector<double> weight_;   // base + spike extras
  std::vector<double> cum_;      // cumulative message targets, cum_[days] == messages
  std::vector<Spike> spikes_;
  std::vector<std::vector<int>> spikes_on_day_;

  // Current thread.
  Msg msgs_[kMaxThread];
  size_t n_ = 0;
  int channel_ = kTwitter;
  int brand_ = 0;
  int competitor_ = 0;
  int market_ = 0;
  int spike_ = -1;
  const Topic* topic_ = nullptr;
  const Incident* incident_ = nullptr;
  const Agent* agent_ = nullptr;
  uint64_t customer_rank_ = 0;
  std::string customer_;  // the customer's author name on this thread's channel
  std::string_view customer_first_;
  std::string ref_;
  std::string flight_;
  std::string_view place_;
  std::string_view product_;
  std::string_view show_;
  std::string scratch2_;
  int cluster_ = -1;
  bool cluster_first_ = false;

  // Duplicate clusters: (brand, intent) -> cluster.
  std::vector<Cluster> clusters_;

  // Counts.
  uint64_t written_ = 0;
  uint64_t threads_ = 0;
  std::array<uint64_t, kNumChannels> by_channel_{};
  std::array<uint64_t, kNumChannels> threads_by_channel_{};
  std::array<uint64_t, kNumRoles> by_role_{};
  std::vector<uint64_t> by_brand_;
  std::vector<uint64_t> threads_by_brand_;
  std::array<uint64_t, 24> by_hour_{};
  std::array<uint64_t, 7> by_weekday_{};
  std::vector<std::vector<uint64_t>> brand_day_;  // [brand][day]
  uint64_t with_parent_ = 0;
  uint64_t accepted_ = 0;
  uint64_t forum_questions_ = 0;
  uint64_t out_of_range_ = 0;  // messages dated after the last day (late replies)

  // Brand mentions (only with count_mentions): messages mentioning each brand, and each
  // pair of brands ([a][b], a < b by brand index), by the lexicon matching rule.
  MentionMatcher matcher_;
  std::vector<uint64_t> mentions_;
  std::vector<std::vector<uint64_t>> comentions_;

  // Identities (only with --multi-handle-share > 0): channel bits per customer rank of
  // the channels they wrote on, and the journey sample's candidates, by ascending rank.
  std::vector<uint8_t> channels_of_;
  std::vector<JourneyCandidate> candidates_;
  TimeFormatter time_formatter_;
};

Generator::Generator(const Options& options) : opt_(options), rng_(options.seed) {
  markets_ = BuildMarkets();
  SelfCheck();
  for (size_t mi = 0; mi < markets_.size(); ++mi) {
    const Market& market = markets_[mi];
    market_weights_.push_back(market.weight);
    market_brands_.emplace_back();
    brand_weights_.emplace_back();
    for (const BrandDef& def : market.brands) {
      Brand b;
      b.def = &def;
      b.market = static_cast<int>(mi);
      b.global_share = market.weight * def.share;
      b.at_handle = "@" + std::string(def.handle);
      b.hashtag = "#" + std::string(def.hashtag);
      b.tag = Lower(def.hashtag);
      b.chat_prefix = std::string(def.hashtag) + " - ";
      b.forum_prefix = std::string(def.hashtag) + "_";
      b.email = "care@" + std::string(def.domain);
      int n_agents = rng_.Range(6, 14);
      for (int a = 0; a < n_agents; ++a) {
        Agent agent;
        agent.first = std::string(rng_.Pick(kAgentNames));
        agent.initials = agent.first.substr(0, 1);
        agent.initials.push_back(static_cast<char>('A' + rng_.Below(26)));
        b.agents.push_back(std::move(agent));
      }
      market_brands_.back().push_back(static_cast<int>(brands_.size()));
      brand_weights_.back().push_back(def.share);
      brands_.push_back(std::move(b));
    }
  }
  channel_weights_.assign(kChannelWeights.begin(), kChannelWeights.end());
  if (opt_.format == Format::kTwcs) channel_weights_ = {1, 0, 0, 0};
  double total = 0;
  for (double w : kHourWeights) total += w;
  hour_cdf_[0] = 0;
  for (int h = 0; h < 24; ++h) hour_cdf_[h + 1] = hour_cdf_[h] + kHourWeights[h] / total;
  hour_cdf_[24] = 1.0;
  // A few very active customers, a long tail of one-off ones.
  population_ = std::max<uint64_t>(200, opt_.messages / 6);
  by_brand_.assign(brands_.size(), 0);
  threads_by_brand_.assign(brands_.size(), 0);
  brand_day_.assign(brands_.size(), std::vector<uint64_t>(static_cast<size_t>(opt_.days), 0));
  for (size_t b = 0; b < brands_.size(); ++b) {
    const Market& market = markets_[brands_[b].market];
    for (size_t i = 0; i < market.intents.size(); ++i) {
      Cluster c;
      c.brand = static_cast<int>(b);
      c.intent = static_cast<int>(i);
      clusters_.push_back(std::move(c));
    }
  }
  PlanSpikes();
  PlanDays();
  if (opt_.count_mentions) {
    if (brands_.size() > 64) std::abort();  // MentionMatcher keeps brands in a 64-bit mask
    const nlohmann::ordered_json lexicon = Lexicon();
    for (size_t b = 0; b < brands_.size(); ++b) {
      const auto& entry = lexicon["brands"][b];
      matcher_.Add(static_cast<int>(b), entry["name"].get<std::string>());
      for (const char* key : {"aliases", "misspellings", "handles", "hashtags"}) {
        for (const auto& e : entry[key]) matcher_.Add(static_cast<int>(b), e.get<std::string>());
      }
    }
    mentions_.assign(brands_.size(), 0);
    comentions_.assign(brands_.size(), std::vector<uint64_t>(brands_.size(), 0));
  }
  if (opt_.multi_handle_share > 0) {
    channels_of_.assign(population_ + 1, 0);
    PickJourneyCandidates();
  }
}

// The planted spikes are only recoverable if each incident line holds a driving term
// and no ordinary text of the same market does. Checked once, on the templates.
void Generator::SelfCheck() const {
  auto fail = [](const std::string& what) {
    std::cerr << "hark-gen: vocabulary self-check failed: " << what << "\n";
    std::abort();
  };
  std::vector<const Words*> generic = {
      &kComplaintAddons, &kSwitching,     &kSwitched,          &kThanks,
      &kInfoProvided,    &kEscalations,   &kDeflections,       &kAgentClosings,
      &kAgentSwitchReplies, &kAgentEscalationReplies, &kChatCustomerAcks, &kChatAgentHold,
      &kChatAgentAsk,    &kChatAgentMore, &kChatAgentBye,      &kChatCustomerBye,
      &kForumOpeners,    &kForumQuestionEnds, &kForumContext,  &kForumAnswerOpeners,
      &kForumAnswerClosers, &kForumGeneric, &kCommunityTips, &kEmailCustomerExtra, &kEmailAgentExtra, &kEmailCustomerOpen, &kEmailCustomerClose,
      &kEmailAgentOpen,  &kEmailAgentClose, &kShows,           &kDayPhrases};
  for (const Market& m : markets_) {
    std::vector<std::string_view> ordinary;
    for (const Words* w : generic) ordinary.insert(ordinary.end(), w->begin(), w->end());
    for (const Topic& t : m.topics) {
      if (t.details.size() < 2 || t.answers.size() < 2 || t.tips.empty() || t.titles.empty()) {
        fail("topic " + std::string(t.name) + " needs 2 details, 2 answers, a tip and a title");
      }
      for (const Words* w : {&t.problems, &t.details, &t.answers, &t.titles, &t.tips}) {
        ordinary.insert(ordinary.end(), w->begin(), w->end());
      }
    }
    for (const Intent& in : m.intents) {
      ordinary.insert(ordinary.end(), in.titles.begin(), in.titles.end());
      ordinary.insert(ordinary.end(), in.context.begin(), in.context.end());
      ordinary.push_back(in.answer);
    }
    ordinary.insert(ordinary.end(), m.places.begin(), m.places.end());
    ordinary.insert(ordinary.end(), m.products.begin(), m.products.end());
    for (const Incident& inc : m.incidents) {
      for (const Words* w : {&inc.customer, &inc.followups, &inc.agent, &inc.titles}) {
        for (std::string_view line : *w) {
          bool has = false;
          for (std::string_view term : inc.terms) has = has || ContainsWord(line, term);
          if (!has) fail("incident line without a term: " + std::string(line));
        }
      }
      for (std::string_view term : inc.terms) {
        for (std::string_view line : ordinary) {
          if (ContainsWord(line, term)) {
            fail("term '" + std::string(term) + "' in ordinary text: " + std::string(line));
          }
        }
      }
    }
  }
}

void Generator::PlanSpikes() {
  int count = opt_.spikes;
  if (count < 0) count = opt_.days >= 30 ? std::clamp(opt_.days / 120, 1, 8) : 0;
  if (opt_.days < 30) count = 0;  // no room for a baseline
  constexpr double kMultipliers[] = {3, 4, 5, 6, 8, 10};
  std::vector<int> order(brands_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.Below(static_cast<uint32_t>(i))]);
  for (int k = 0; k < count; ++k) {
    Spike s;
    s.brand = order[static_cast<size_t>(k) % order.size()];
    const Market& market = markets_[brands_[s.brand].market];
    s.incident = static_cast<int>(rng_.Below(static_cast<uint32_t>(market.incidents.size())));
    s.days = rng_.Range(1, 3);
    s.multiplier = kMultipliers[rng_.Below(6)];
    // Keep clear of other spikes of the same brand (and the day after each, which
    // gets late replies), so that the baseline stays clean.
    for (int attempt = 0; attempt < 100; ++attempt) {
      s.start_day = rng_.Range(7, opt_.days - 8 - s.days);
      bool clash = false;
      for (const Spike& o : spikes_) {
        if (o.brand == s.brand && s.start_day <= o.start_day + o.days + 1 &&
            o.start_day <= s.start_day + s.days + 1) {
          clash = true;
        }
      }
      if (!clash) break;
    }
    spikes_.push_back(std::move(s));
  }
}

void Generator::PlanDays() {
  const int days = opt_.days;
  base_.resize(static_cast<size_t>(days));
  const int64_t first_day = FloorDiv(opt_.start, 86400);
  for (int d = 0; d < days; ++d) {
    int weekday = static_cast<int>(((first_day + d + 4) % 7 + 7) % 7);  // 1970-01-01: Thursday
    double trend = 1.0 + 0.35 * d / std::max(1, days);
    double noise = 0.9 + 0.2 * rng_.Unit();
    base_[d] = kWeekdayWeights[weekday] * trend * noise;
  }
  weight_ = base_;
  spikes_on_day_.assign(static_cast<size_t>(days), {});
  // An incident brings at least kMinSpikeThreads conversations a day, whatever the
  // brand's size: for a quiet brand with two or three conversations a day, three times
  // as many is within the noise of long chats, and no analyst would call it a spike.
  // Threads average about four messages (measured over the channel mix).
  constexpr double kMinSpikeThreads = 40, kMeanThreadMessages = 4.0;
  double base_total = 0;
  for (double w : base_) base_total += w;
  const double threads_per_weight = static_cast<double>(opt_.messages) / std::max(base_total, 1e-9) / kMeanThreadMessages;
  for (size_t k = 0; k < spikes_.size(); ++k) {
    Spike& s = spikes_[k];
    // The brand's volume on a spike day is `multiplier` times its usual volume around
    // then (the mean base weight over the baseline days), whatever the weekday.
    double usual = 0;
    std::vector<int> baseline = BaselineDays(s);
    for (int d : baseline) usual += base_[d];
    usual /= std::max<size_t>(1, baseline.size());
    for (int i = 0; i < s.days; ++i) {
      int d = s.start_day + i;
      double extra = std::max(0.0, s.multiplier * usual - base_[d]) * brands_[s.brand].global_share;
      extra = std::max(extra, kMinSpikeThreads / threads_per_weight);
      s.extra.push_back(extra);
      weight_[d] += extra;
      spikes_on_day_[d].push_back(static_cast<int>(k));
    }
  }
  double total = 0;
  for (double w : weight_) total += w;
  cum_.assign(static_cast<size_t>(days) + 1, 0);
  for (int d = 0; d < days; ++d) {
    cum_[d + 1] = cum_[d] + static_cast<double>(opt_.messages) * weight_[d] / total;
  }
  cum_[days] = static_cast<double>(opt_.messages);
}

std::vector<int> Generator::BaselineDays(const Spike& spike) const {
  std::vector<int> days;
  for (int d = std::max(0, spike.start_day - 14);
       d < std::min(opt_.days, spike.start_day + spike.days + 15); ++d) {
    bool excluded = false;
    for (const Spike& o : spikes_) {
      if (o.brand == spike.brand && d >= o.start_day && d <= o.start_day + o.days) excluded = true;
    }
    if (!excluded) days.push_back(d);
  }
  return days;
}

// Inverse CDF of the hourly profile: the second of the day at which a fraction `frac`
// of the day's volume has passed.
double Generator::TimeOfDay(double frac) const {
  frac = std::clamp(frac, 0.0, 0.999999);
  int h = 0;
  while (h < 23 && hour_cdf_[h + 1] <= frac) ++h;
  double within = (frac - hour_cdf_[h]) / (hour_cdf_[h + 1] - hour_cdf_[h]);
  return (h + std::clamp(within, 0.0, 0.9999)) * 3600.0;
}

// Zipf-Mandelbrot-like activity: rank ~ log-uniform over [q+1, P+q], shifted by q.
// The most active customers write a fraction of a percent each; most write once.
uint64_t Generator::PickCustomer() {
  constexpr double kQ = 5.0;
  double u = rng_.Unit();
  double x = std::exp(std::log(kQ + 1) * (1 - u) + std::log(population_ + kQ) * u) - kQ;
  uint64_t rank = static_cast<uint64_t>(x);
  return std::clamp<uint64_t>(rank, 1, population_);
}

bool Generator::MultiHandle(uint64_t rank) const {
  if (opt_.multi_handle_share <= 0 || opt_.format == Format::kTwcs) return false;
  // Salted apart from CustomerHandle's hash, so that the choice is independent of the name.
  uint64_t x = rank ^ (opt_.seed * 0xd1b54a32d192ed03ull) ^ 0x6d756c7469ull;
  return static_cast<double>(SplitMix64(&x) >> 11) * 0x1.0p-53 < opt_.multi_handle_share;
}

// A stable handle per customer rank and channel: letters from a hash, digits = the rank.
// Names hold letters only, so a handle's one run of digits is the rank and handles of
// different customers differ. A customer uses their handle on twitter, forum and chat and
// an address derived from it on email; a multi-handle customer has a twitter handle of
// that form, and on the other channels one whose form no other channel's can take
// (forum: '_' right before the digits; email: '@mail.example'; chat: dots), so that their
// handles differ from each other, case-insensitively, as hark compares them.
void Generator::CustomerHandle(uint64_t rank, int channel, std::string* handle,
                               std::string_view* first) const {
  uint64_t x = rank ^ (opt_.seed * 0x9e3779b97f4a7c15ull);
  uint64_t h = SplitMix64(&x);
  *first = kFirstNames[h % kFirstNames.size()];
  char initial = static_cast<char>('a' + (h >> 8) % 26);
  auto upper = [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); };
  handle->clear();
  if (opt_.format == Format::kTwcs) {  // TWCS anonymised customers as numbers
    AppendUint(handle, 100000 + rank);
    return;
  }
  if (channel == kTwitter || !MultiHandle(rank)) {
    switch ((h >> 16) % 4) {
      case 0: handle->append(*first); handle->push_back(initial); break;
      case 1: handle->append(*first); handle->push_back('_'); handle->push_back(initial); break;
      case 2:
        handle->append(*first);
        (*handle)[0] = upper((*handle)[0]);
        handle->push_back(upper(initial));
        break;
      default: handle->push_back(initial); handle->push_back('_'); handle->append(*first); break;
    }
    AppendUint(handle, rank);
    if (channel == kEmail) {
      uint64_t fnv = 1469598103934665603ull;  // FNV-1a: a stable mail domain per customer
      for (char c : *handle) fnv = (fnv ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      *handle = Lower(*handle);
      for (char& c : *handle) {
        if (c == '_') c = '.';
      }
      handle->push_back('@');
      handle->append(kMailDomains[fnv % kMailDomains.size()]);
    }
    return;
  }
  switch (channel) {
    case kForum:  // kevinm_105
      handle->append(*first);
      handle->push_back(initial);
      handle->push_back('_');
      AppendUint(handle, rank);
      break;
    case kEmail:  // kevin.m105@mail.example
      handle->append(*first);
      handle->push_back('.');
      handle->push_back(initial);
      AppendUint(handle, rank);
      handle->append("@mail.example");
      break;
    default:  // chat: Kevin.M.105
      handle->append(*first);
      (*handle)[0] = upper((*handle)[0]);
      handle->push_back('.');
      handle->push_back(upper(initial));
      handle->push_back('.');
      AppendUint(handle, rank);
      break;
  }
}

std::string Generator::PersonId(uint64_t rank) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "p%06llu", static_cast<unsigned long long>(rank));
  return buf;
}

// The journey sample's candidates: the first kJourneyCandidates multi-handle customers
// from rank population/100 up. The top ranks each start a share of all conversations, so
// their journeys would grow with the corpus; rank r starts about 1.5 P / (r ln P) of them
// in a population of P, a few dozen at most from P/100 on, at any corpus size.
void Generator::PickJourneyCandidates() {
  for (uint64_t r = std::max<uint64_t>(1, population_ / 100);
       r <= population_ && candidates_.size() < kJourneyCandidates; ++r) {
    if (!MultiHandle(r)) continue;
    JourneyCandidate c;
    c.rank = r;
    candidates_.push_back(std::move(c));
  }
}

// Records, for the thread just built, which channel each customer wrote on, and keeps
// the whole thread for each journey candidate who wrote in it.
void Generator::TrackCustomers() {
  std::array<JourneyCandidate*, kMaxThread> present{};
  size_t n_present = 0;
  for (size_t i = 0; i < n_; ++i) {
    const uint64_t rank = msgs_[i].rank;
    if (rank == 0) continue;
    channels_of_[rank] |= static_cast<uint8_t>(1u << channel_);
    auto it = std::lower_bound(candidates_.begin(), candidates_.end(), rank,
                               [](const JourneyCandidate& c, uint64_t r) { return c.rank < r; });
    if (it == candidates_.end() || it->rank != rank) continue;
    if (std::find(present.begin(), present.begin() + n_present, &*it) == present.begin() + n_present) {
      present[n_present++] = &*it;
    }
  }
  for (size_t k = 0; k < n_present; ++k) {
    JourneyCandidate& c = *present[k];
    if (c.overflow) continue;
    if (c.entries.size() + n_ > kJourneyMaxMessages) {
      c.overflow = true;
      std::vector<JourneyEntry>().swap(c.entries);
      continue;
    }
    ++c.conversations;
    for (size_t i = 0; i < n_; ++i) c.entries.push_back({msgs_[i].time, next_seq_ + i, msgs_[i].id});
  }
}

void Generator::Expand(std::string_view tmpl, std::string* out) {
  const Brand& brand = brands_[brand_];
  const Market& market = markets_[market_];
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t open = tmpl.find('{', i);
    if (open == std::string_view::npos || open + 2 >= tmpl.size() || tmpl[open + 2] != '}') {
      size_t stop = open == std::string_view::npos ? tmpl.size() : open + 1;
      out->append(tmpl.data() + i, stop - i);
      i = stop;
      continue;
    }
    out->append(tmpl.data() + i, open - i);
    switch (tmpl[open + 1]) {
      case 'B': out->append(brand.def->name); break;
      case 'H': out->append(brand.at_handle); break;
      case 'T': out->append(brand.hashtag); break;
      case 'C': out->append(brands_[competitor_].def->name); break;
      case 'N': out->push_back(static_cast<char>('2' + rng_.Below(8))); break;
      case 'M': AppendUint(out, 15 + rng_.Below(166)); break;
      case 'Y': out->push_back('$'); AppendUint(out, 20 + 5 * rng_.Below(180)); break;
      case 'R': out->append(ref_); break;
      case 'F': out->append(flight_); break;
      case 'X': out->append(place_); break;
      case 'P': out->append(product_); break;
      case 'S': out->append(show_); break;
      case 'U': {
        size_t at = out->size();
        out->append(customer_first_);
        (*out)[at] = static_cast<char>(std::toupper(static_cast<unsigned char>((*out)[at])));
        break;
      }
      case 'A': out->append(agent_->first); break;
      case 'D': out->append(rng_.Pick(kDayPhrases)); break;
      case 'K': out->append(market.ref_name); break;
      case 'E': out->append(rng_.Pick(kEmoji)); break;
      default: out->append(tmpl.data() + open, 3); break;
    }
    i = open + 3;
  }
}

void Generator::AppendCapitalized(std::string_view tmpl, std::string* out) {
  size_t at = out->size();
  Expand(tmpl, out);
  if (at < out->size()) {
    (*out)[at] = static_cast<char>(std::toupper(static_cast<unsigned char>((*out)[at])));
  }
}

// Real customers misspell: a known misspelling of a whole word, else two adjacent
// letters swapped in a longer word. ASCII letters only, so UTF-8 stays valid.
void Generator::MaybeTypo(std::string* text) {
  if (!rng_.Chance(0.07)) return;
  size_t first = rng_.Below(static_cast<uint32_t>(kMisspellings.size()));
  for (size_t k = 0; k < kMisspellings.size(); ++k) {
    const auto& [right, wrong] = kMisspellings[(first + k) % kMisspellings.size()];
    size_t pos = text->find(right);
    if (pos != std::string::npos) {
      text->replace(pos, right.size(), wrong);
      return;
    }
  }
  size_t start = rng_.Below(static_cast<uint32_t>(text->size()));
  size_t run = 0;
  for (size_t i = start; i < text->size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>((*text)[i])) != 0) {
      if (++run == 6) {
        std::swap((*text)[i - 2], (*text)[i - 3]);
        return;
      }
    } else {
      run = 0;
    }
  }
}

Msg& Generator::Add(int role, int64_t time, const std::string& author, uint64_t rank) {
  Msg& m = msgs_[n_];
  m.id.clear();
  uint64_t seq = next_seq_ + n_;
  // Ids are unique across channels: twitter ids are bare numbers (as in TWCS), the
  // others carry a channel prefix.
  switch (channel_) {
    case kTwitter: AppendUint(&m.id, seq + 1); break;
    case kForum: m.id.push_back('f'); AppendUint(&m.id, seq + 1); break;
    case kEmail: m.id.push_back('e'); AppendUint(&m.id, seq + 1); m.id.append("@mail.gen"); break;
    default: m.id.push_back('c'); AppendUint(&m.id, seq + 1); break;
  }
  m.author = author;
  m.parent.clear();
  m.title.clear();
  m.text.clear();
  m.time = time;
  m.role = role;
  m.has_score = false;
  m.score = 0;
  m.accepted = false;
  m.tags.clear();
  m.rank = rank;
  ++n_;
  return m;
}

void Generator::BuildThread(int day, int64_t start, uint64_t budget) {
  n_ = 0;
  // A spike thread, with the probability that gives each spike its extra volume.
  spike_ = -1;
  for (int k : spikes_on_day_[day]) {
    const Spike& s = spikes_[k];
    if (rng_.Chance(s.extra[day - s.start_day] / weight_[day])) {
      spike_ = k;
      break;
    }
  }
  if (spike_ >= 0) {
    brand_ = spikes_[spike_].brand;
    market_ = brands_[brand_].market;
  } else {
    market_ = static_cast<int>(PickWeighted(rng_, market_weights_));
    brand_ = market_brands_[market_][PickWeighted(rng_, brand_weights_[market_])];
  }
  const Market& market = markets_[market_];
  const std::vector<int>& rivals = market_brands_[market_];
  do {
    competitor_ = rivals[rng_.Below(static_cast<uint32_t>(rivals.size()))];
  } while (competitor_ == brand_);
  channel_ = static_cast<int>(PickWeighted(rng_, channel_weights_));
  topic_ = &market.topics[rng_.Below(static_cast<uint32_t>(market.topics.size()))];
  incident_ = spike_ >= 0 ? &market.incidents[spikes_[spike_].incident] : nullptr;
  const Brand& brand = brands_[brand_];
  agent_ = &brand.agents[rng_.Below(static_cast<uint32_t>(brand.agents.size()))];
  customer_rank_ = PickCustomer();
  CustomerHandle(customer_rank_, channel_, &customer_, &customer_first_);
  place_ = rng_.Pick(market.places);
  product_ = rng_.Pick(market.products);
  show_ = rng_.Pick(kShows);
  ref_.clear();
  static constexpr char kRefChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (int i = 0; i < 6; ++i) ref_.push_back(kRefChars[rng_.Below(32)]);
  flight_.assign(brand.def->code);
  AppendUint(&flight_, 100 + rng_.Below(2900));

  size_t len = 1;
  switch (channel_) {
    case kTwitter:
      if (!rng_.Chance(0.14)) {  // most tweets get an answer
        len = 2;
        while (len < 8 && rng_.Chance(0.45)) ++len;
      }
      break;
    case kChat: len = static_cast<size_t>(rng_.Range(4, 14)); break;
    case kEmail: {
      static const std::vector<double> kEmailLen = {0.22, 0.38, 0.2, 0.12, 0.08};
      len = 1 + PickWeighted(rng_, kEmailLen);
      break;
    }
    default: len = rng_.Chance(0.12) ? 1 : static_cast<size_t>(rng_.Range(2, 8)); break;
  }
  len = std::min<uint64_t>(len, budget);

  msgs_[0].time = start;
  switch (channel_) {
    case kTwitter: BuildTwitter(len); break;
    case kChat: BuildChat(len); break;
    case kEmail: BuildEmail(len); break;
    default: BuildForum(len); break;
  }
}

// A first tweet: a mention of the brand, a complaint, and what fits of detail,
// frustration, switching talk, hashtag and emoji in ~100-140 bytes.
void Generator::TweetRoot(std::string* out) {
  out->clear();
  const Brand& brand = brands_[brand_];
  int form = static_cast<int>(rng_.Below(10));
  if (form < 6) {
    out->append(brand.at_handle);
    out->push_back(' ');
  } else if (form < 8) {
    out->append(rng_.Chance(0.5) ? "hey " : "Hey ");
    out->append(brand.at_handle);
    out->push_back(' ');
  }
  if (incident_ != nullptr) {
    Expand(rng_.Pick(incident_->customer), out);
  } else {
    Expand(rng_.Pick(topic_->problems), out);
  }
  const size_t target = 95 + rng_.Below(46);
  constexpr size_t kLimit = 140;
  auto try_add = [&](std::string_view tmpl, bool capitalize) {
    if (out->size() >= target) return;
    scratch2_.clear();
    if (capitalize) AppendCapitalized(tmpl, &scratch2_); else Expand(tmpl, &scratch2_);
    if (out->size() + 1 + scratch2_.size() <= kLimit) {
      if (out->back() != '?' && out->back() != '!' && out->back() != '.' && capitalize) {
        out->push_back('.');
      }
      out->push_back(' ');
      out->append(scratch2_);
    }
  };
  if (incident_ == nullptr) {
    if (rng_.Chance(0.6)) try_add(rng_.Pick(topic_->details), true);
    if (rng_.Chance(0.12)) try_add(rng_.Pick(kSwitching), true);
    try_add(rng_.Pick(kComplaintAddons), true);
  }
  if (form == 8) {
    try_add(brand.at_handle, false);
  } else if (form == 9 || rng_.Chance(0.2)) {
    if (form == 9 || out->size() + 1 + brand.hashtag.size() <= kLimit) {
      out->push_back(' ');
      out->append(brand.hashtag);
    }
  }
  if (rng_.Chance(0.3)) try_add("{E}", false);
  if (form == 9 && incident_ == nullptr && rng_.Chance(0.5)) {
    // Brand named in the text rather than tagged.
    scratch2_.assign("not impressed with ");
    scratch2_.append(brand.def->name);
    if (out->size() + 2 + scratch2_.size() <= 180) {
      out->append(". ");
      out->append(scratch2_);
    }
  }
}

void Generator::BuildTwitter(size_t len) {
  const Brand& brand = brands_[brand_];
  const int64_t start = msgs_[0].time;
  Move last = Move::kProblem;
  int64_t t = start;
  for (size_t i = 0; i < len; ++i) {
    bool customer = i % 2 == 0;
    if (i > 0) t += static_cast<int64_t>(customer ? rng_.LogUniform(30, 3 * 3600) : rng_.LogUniform(60, 6 * 3600)) + 1;
    Msg& m = Add(customer ? kCustomer : kAgent, t, customer ? customer_ : std::string(brand.def->handle),
                 customer ? customer_rank_ : 0);
    if (i > 0) m.parent = msgs_[i - 1].id;
    if (customer) {
      if (i == 0) {
        TweetRoot(&m.text);
      } else {
        if (rng_.Chance(0.7)) {
          m.text.append(brand.at_handle);
          m.text.push_back(' ');
        }
        double r = rng_.Unit();
        if (incident_ != nullptr) {
          ExpandPick(incident_->followups, &m.text);
          last = Move::kEscalation;
        } else if (i + 1 == len) {
          last = r < 0.55 ? Move::kThanks : r < 0.8 ? Move::kEscalation : Move::kSwitch;
        } else {
          last = r < 0.5 ? Move::kInfo : r < 0.85 ? Move::kEscalation : Move::kSwitch;
        }
        if (incident_ == nullptr) {
          switch (last) {
            case Move::kThanks: ExpandPick(kThanks, &m.text); break;
            case Move::kInfo: ExpandPick(kInfoProvided, &m.text); break;
            case Move::kSwitch:
              ExpandPick(i + 1 == len ? kSwitched : kSwitching, &m.text);
              break;
            default: ExpandPick(kEscalations, &m.text); break;
          }
          if (last == Move::kThanks && rng_.Chance(0.3)) {
            m.text.push_back(' ');
            m.text.append(rng_.Pick(kHappyEmoji));
          } else if (last == Move::kEscalation || last == Move::kInfo) {
            if (rng_.Chance(0.6)) {
              SentenceBreak(&m.text);
              ExpandPick(kComplaintAddons, &m.text);
            }
            if (rng_.Chance(0.25)) {
              m.text.push_back(' ');
              m.text.append(rng_.Pick(kEmoji));
            }
          }
        }
      }
      if (incident_ == nullptr) {
        MaybeTypo(&m.text);
        if (rng_.Chance(0.06)) m.text = Lower(m.text);
      }
    } else {
      m.text.push_back('@');
      m.text.append(customer_);
      m.text.push_back(' ');
      if (incident_ != nullptr) {
        ExpandPick(incident_->agent, &m.text);
      } else {
        switch (last) {
          case Move::kThanks: ExpandPick(kAgentClosings, &m.text); break;
          case Move::kSwitch: ExpandPick(kAgentSwitchReplies, &m.text); break;
          case Move::kEscalation:
            ExpandPick(rng_.Chance(0.5) ? kAgentEscalationReplies : topic_->answers, &m.text);
            break;
          case Move::kInfo: ExpandPick(topic_->answers, &m.text); break;
          default: ExpandPick(rng_.Chance(0.55) ? kDeflections : topic_->answers, &m.text); break;
        }
      }
      // Signature, as care teams sign tweets.
      uint32_t sig = rng_.Below(3);
      m.text.append(sig == 0 ? " ^" : sig == 1 ? " -" : " *");
      if (sig == 1) m.text.append(agent_->first); else m.text.append(agent_->initials);
    }
  }
}

void Generator::BuildChat(size_t len) {
  const Brand& brand = brands_[brand_];
  std::string agent_author = brand.chat_prefix + agent_->first;
  int64_t t = msgs_[0].time;
  Move last = Move::kProblem;
  bool agent_asked_more = false;
  for (size_t i = 0; i < len; ++i) {
    bool customer = i % 2 == 0;
    if (i > 0) t += static_cast<int64_t>(rng_.LogUniform(5, 180)) + 1;
    Msg& m = Add(customer ? kCustomer : kAgent, t, customer ? customer_ : agent_author,
                 customer ? customer_rank_ : 0);
    if (i > 0) m.parent = msgs_[i - 1].id;
    size_t left = len - i - 1;
    if (customer) {
      if (i == 0) {
        m.text.append(rng_.Chance(0.5) ? "hi, " : "hello, ");
        ExpandPick(incident_ != nullptr ? incident_->customer : topic_->problems, &m.text);
        if (incident_ == nullptr && rng_.Chance(0.4)) {
          SentenceBreak(&m.text);
          ExpandPick(topic_->details, &m.text);
        }
      } else if (i == 2) {
        m.text.append(rng_.Chance(0.5) ? "it's " : "sure, ");
        m.text.append(ref_);
        last = Move::kInfo;
      } else if (agent_asked_more) {
        ExpandPick(kChatCustomerBye, &m.text);
        last = Move::kBye;
      } else if (left <= 2) {
        ExpandPick(kThanks, &m.text);
        last = Move::kThanks;
      } else if (incident_ != nullptr) {
        ExpandPick(incident_->followups, &m.text);
        last = Move::kEscalation;
      } else if (rng_.Chance(0.6)) {
        ExpandPick(kChatCustomerAcks, &m.text);
        last = Move::kAck;
      } else {
        ExpandPick(kEscalations, &m.text);
        last = Move::kEscalation;
      }
      if (incident_ == nullptr) MaybeTypo(&m.text);
    } else {
      agent_asked_more = false;
      if (i == 1) {
        ExpandPick(kChatAgentAsk, &m.text);
      } else if (i == 3) {
        ExpandPick(kChatAgentHold, &m.text);
      } else if (last == Move::kThanks) {
        ExpandPick(kChatAgentMore, &m.text);
        agent_asked_more = true;
      } else if (last == Move::kBye) {
        ExpandPick(kChatAgentBye, &m.text);
      } else if (incident_ != nullptr) {
        ExpandPick(incident_->agent, &m.text);
      } else if (last == Move::kEscalation && rng_.Chance(0.5)) {
        ExpandPick(kAgentEscalationReplies, &m.text);
      } else {
        ExpandPick(topic_->answers, &m.text);
      }
    }
  }
}

void Generator::BuildEmail(size_t len) {
  const Brand& brand = brands_[brand_];
  int64_t t = msgs_[0].time;
  std::string subject;
  for (size_t i = 0; i < len; ++i) {
    bool customer = i % 2 == 0;
    if (i > 0) t += static_cast<int64_t>(customer ? rng_.LogUniform(300, 86400) : rng_.LogUniform(600, 2 * 86400)) + 1;
    Msg& m = Add(customer ? kCustomer : kAgent, t, customer ? customer_ : brand.email,
                 customer ? customer_rank_ : 0);
    if (i > 0) m.parent = msgs_[i - 1].id;
    if (i == 0) {
      ExpandPick(incident_ != nullptr ? incident_->titles : topic_->titles, &subject);
      m.title = subject;
    } else {
      m.title = "Re: " + subject;
    }
    std::string& x = m.text;
    if (customer) {
      if (i == 0) {
        ExpandPick(kEmailCustomerOpen, &x);
        x.append("\n\n");
        if (incident_ != nullptr) {
          AppendCapitalized(rng_.Pick(incident_->customer), &x);
          SentenceBreak(&x);
          AppendCapitalized(rng_.Pick(incident_->followups), &x);
          FullStop(&x);
        } else {
          AppendCapitalized(rng_.Pick(topic_->problems), &x);
          SentenceBreak(&x);
          ExpandPickTwo(topic_->details, &x);
          x.push_back(' ');
          ExpandPick(kComplaintAddons, &x);
          if (rng_.Chance(0.25)) {
            x.push_back(' ');
            ExpandPick(kSwitching, &x);
          }
          x.append("\n\n");
          ExpandPickTwo(kEmailCustomerExtra, &x);
        }
        x.append("\n\nMy ");
        x.append(markets_[market_].ref_name);
        x.append(" is ");
        x.append(ref_);
        x.append(".\n\n");
      } else {
        x.append("Hi ");
        x.append(agent_->first);
        x.append(",\n\n");
        if (incident_ != nullptr) {
          AppendCapitalized(rng_.Pick(incident_->followups), &x);
          FullStop(&x);
        } else if (i + 1 == len && rng_.Chance(0.6)) {
          AppendCapitalized(rng_.Pick(kThanks), &x);
        } else {
          AppendCapitalized(rng_.Pick(kEscalations), &x);
          SentenceBreak(&x);
          ExpandPick(kComplaintAddons, &x);
        }
        x.append("\n\n");
      }
      ExpandPick(kEmailCustomerClose, &x);
      if (incident_ == nullptr) MaybeTypo(&x);
    } else {
      ExpandPick(kEmailAgentOpen, &x);
      x.push_back(' ');
      if (incident_ != nullptr) {
        ExpandPick(incident_->agent, &x);
      } else {
        if (i == 1) {
          ExpandPickTwo(topic_->answers, &x);
        } else {
          ExpandPick(topic_->answers, &x);
          x.push_back(' ');
          ExpandPick(kAgentEscalationReplies, &x);
        }
      }
      x.append("\n\n");
      ExpandPickTwo(kEmailAgentExtra, &x);
      x.append("\n\n");
      ExpandPick(kEmailAgentClose, &x);
    }
  }
}

void Generator::BuildForum(size_t len) {
  const Brand& brand = brands_[brand_];
  const Market& market = markets_[market_];
  // Some questions are planted in a cluster of paraphrased duplicates. The first
  // question of a cluster gets the best answer (accepted, top score).
  cluster_ = -1;
  cluster_first_ = false;
  if (incident_ == nullptr && rng_.Chance(0.08)) {
    size_t intent = rng_.Below(static_cast<uint32_t>(market.intents.size()));
    size_t c = 0;
    while (clusters_[c].brand != brand_ || clusters_[c].intent != static_cast<int>(intent)) ++c;
    if (clusters_[c].questions.size() < kClusterCap) {
      cluster_first_ = clusters_[c].questions.empty();
      if (!cluster_first_ || len >= 2) cluster_ = static_cast<int>(c);
    }
  }
  const Intent* intent = cluster_ >= 0 ? &market.intents[clusters_[cluster_].intent] : nullptr;

  int64_t t = msgs_[0].time;
  Msg& q = Add(kCustomer, t, customer_, customer_rank_);
  ++forum_questions_;
  q.has_score = true;
  q.score = static_cast<int64_t>(-std::log(1 - rng_.Unit()) * 3.0);
  q.tags.push_back(brand.tag);
  if (intent != nullptr) {
    Expand(rng_.Pick(intent->titles), &q.title);
    q.text.append(rng_.Pick(kForumOpeners));
    if (rng_.Chance(0.5)) {
      AppendCapitalized(rng_.Pick(intent->titles), &q.text);
      q.text.push_back(' ');
    }
    ExpandPick(intent->context, &q.text);
    q.text.push_back(' ');
    ExpandPick(kForumContext, &q.text);
    q.text.push_back(' ');
    ExpandPick(kForumQuestionEnds, &q.text);
    q.tags.push_back("faq");
    clusters_[cluster_].questions.push_back(q.id);
  } else if (incident_ != nullptr) {
    ExpandPick(incident_->titles, &q.title);
    AppendCapitalized(rng_.Pick(incident_->customer), &q.text);
    SentenceBreak(&q.text);
    AppendCapitalized(rng_.Pick(incident_->followups), &q.text);
    FullStop(&q.text);
    q.tags.push_back("incident");
  } else {
    ExpandPick(topic_->titles, &q.title);
    q.text.append(rng_.Pick(kForumOpeners));
    AppendCapitalized(rng_.Pick(topic_->problems), &q.text);
    SentenceBreak(&q.text);
    ExpandPick(topic_->details, &q.text);
    q.text.push_back(' ');
    if (rng_.Chance(0.5)) {
      ExpandPick(kForumContext, &q.text);
      q.text.push_back(' ');
    }
    ExpandPick(kForumQuestionEnds, &q.text);
    for (std::string_view tag : topic_->tags) q.tags.push_back(tag);
  }
  if (incident_ == nullptr) MaybeTypo(&q.text);

  const size_t answers = len - 1;
  size_t best = answers == 0 ? 0 : 1 + rng_.Below(static_cast<uint32_t>(answers));
  std::string answerer;
  std::string_view answerer_first;
  for (size_t i = 1; i < len; ++i) {
    t += static_cast<int64_t>(rng_.LogUniform(120, 86400)) + 1;
    bool staff = rng_.Chance(0.15);
    uint64_t answerer_rank = 0;
    if (staff) {
      answerer = brand.forum_prefix + agent_->first;
    } else {
      do {
        answerer_rank = PickCustomer();
      } while (answerer_rank == customer_rank_);
      CustomerHandle(answerer_rank, kForum, &answerer, &answerer_first);
    }
    Msg& a = Add(staff ? kAgent : kCommunity, t, answerer, answerer_rank);
    a.parent = msgs_[0].id;
    a.has_score = true;
    a.score = static_cast<int64_t>(-std::log(1 - rng_.Unit()) * 2.0);
    std::string& x = a.text;
    if (staff) {
      x.append("Hi ");
      x.append(customer_first_);
      x[3] = static_cast<char>(std::toupper(static_cast<unsigned char>(x[3])));
      x.append(", ");
      x.append(agent_->first);
      x.append(" from the ");
      x.append(brand.def->name);
      x.append(" team here. ");
    }
    if (cluster_first_ && i == best) {
      Expand(intent->answer, &x);
    } else if (incident_ != nullptr) {
      ExpandPick(staff ? incident_->agent : incident_->followups, &x);
    } else if (!staff && rng_.Chance(0.3)) {
      ExpandPick(kForumGeneric, &x);
    } else {
      if (!staff) x.append(rng_.Pick(kForumAnswerOpeners));
      if (staff) {
        ExpandPick(topic_->answers, &x);
      } else {
        ExpandPick(rng_.Chance(0.7) ? topic_->tips : kCommunityTips, &x);
      }
      std::string_view closer = rng_.Pick(kForumAnswerClosers);
      if (!closer.empty()) {
        x.push_back(' ');
        x.append(closer);
      }
    }
  }
  if (answers > 0 && (cluster_first_ || rng_.Chance(0.6))) {
    // The accepted answer is the asker's pick; it tends to collect votes.
    Msg& a = msgs_[best];
    int64_t top = 0;
    for (size_t i = 1; i < n_; ++i) top = std::max(top, msgs_[i].score);
    a.accepted = true;
    a.score = top + rng_.Range(3, 20);
    if (cluster_first_) clusters_[cluster_].best_answer = a.id;
  }
}

void Generator::EmitJsonl(const Msg& m, std::string* out) {
  out->append("{\"id\":");
  AppendJsonString(out, m.id);
  out->append(",\"source\":\"gen\",\"channel\":\"");
  out->append(kChannelNames[channel_]);
  out->append("\",\"time\":\"");
  time_formatter_.AppendRfc3339(out, m.time);
  out->append("\",\"author\":");
  AppendJsonString(out, m.author);
  out->append(",\"role\":\"");
  out->append(kRoleNames[m.role]);
  out->append("\",\"brand\":");
  AppendJsonString(out, brands_[brand_].def->name);
  if (!m.parent.empty()) {
    out->append(",\"parent\":");
    AppendJsonString(out, m.parent);
  }
  out->append(",\"thread\":");
  AppendJsonString(out, msgs_[0].id);  // the conversation is named by its first message
  if (!m.title.empty()) {
    out->append(",\"title\":");
    AppendJsonString(out, m.title);
  }
  out->append(",\"text\":");
  AppendJsonString(out, m.text);
  if (m.has_score) {
    out->append(",\"score\":");
    AppendUint(out, static_cast<uint64_t>(m.score));
  }
  if (m.accepted) out->append(",\"accepted\":true");
  if (!m.tags.empty()) {
    out->append(",\"tags\":[");
    for (size_t i = 0; i < m.tags.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(out, m.tags[i]);
    }
    out->push_back(']');
  }
  out->append("}\n");
}

// TWCS columns: tweet_id,author_id,inbound,created_at,text,response_tweet_id,
// in_response_to_tweet_id (the parent written as a float, as in the Kaggle file).
void Generator::EmitTwcs(size_t i, std::string* out) {
  const Msg& m = msgs_[i];
  out->append(m.id);
  out->push_back(',');
  AppendCsvField(out, m.author);
  out->append(m.role == kCustomer ? ",True," : ",False,");
  TimeFormatter::AppendTwitter(out, m.time);
  out->push_back(',');
  AppendCsvField(out, m.text);
  out->push_back(',');
  if (i + 1 < n_) out->append(msgs_[i + 1].id);
  out->push_back(',');
  if (!m.parent.empty()) {
    out->append(m.parent);
    out->append(".0");
  }
  out->push_back('\n');
}

void Generator::Emit(Sink* sink) {
  std::string* out = sink->buffer();
  const int64_t first_day = FloorDiv(opt_.start, 86400);
  for (size_t i = 0; i < n_; ++i) {
    const Msg& m = msgs_[i];
    if (opt_.format == Format::kTwcs) {
      EmitTwcs(i, out);
    } else {
      EmitJsonl(m, out);
    }
    ++written_;
    ++by_channel_[channel_];
    ++by_role_[m.role];
    ++by_brand_[brand_];
    int64_t day = FloorDiv(m.time, 86400);
    int64_t sec = m.time - day * 86400;
    ++by_hour_[static_cast<size_t>(sec / 3600)];
    ++by_weekday_[static_cast<size_t>(((day + 4) % 7 + 7) % 7)];
    int64_t d = day - first_day;
    if (d >= 0 && d < opt_.days) {
      ++brand_day_[brand_][static_cast<size_t>(d)];
    } else {
      ++out_of_range_;
    }
    if (!m.parent.empty()) ++with_parent_;
    if (m.accepted) ++accepted_;
    if (opt_.count_mentions) CountMentions(m);
  }
  if (!channels_of_.empty()) TrackCustomers();
  ++threads_;
  ++threads_by_channel_[channel_];
  ++threads_by_brand_[brand_];
  if (spike_ >= 0) {
    Spike& s = spikes_[spike_];
    ++s.threads;
    s.messages += n_;
    const Incident& inc = markets_[market_].incidents[s.incident];
    for (size_t i = 0; i < n_; ++i) {
      bool has = false;
      for (std::string_view term : inc.terms) has = has || ContainsWord(msgs_[i].text, term);
      if (has) ++s.term_messages;
    }
  }
  next_seq_ += n_;
}

void Generator::CountMentions(const Msg& m) {
  const uint64_t mask = matcher_.Match(m.title, m.text);
  if (mask == 0) return;
  for (size_t a = 0; a < brands_.size(); ++a) {
    if ((mask >> a & 1) == 0) continue;
    ++mentions_[a];
    for (size_t b = a + 1; b < brands_.size(); ++b) {
      if ((mask >> b & 1) != 0) ++comentions_[a][b];
    }
  }
}

nlohmann::ordered_json Generator::Lexicon() const {
  using json = nlohmann::ordered_json;
  json brands = json::array();
  for (size_t b = 0; b < brands_.size(); ++b) {
    const Brand& brand = brands_[b];
    json competitors = json::array();
    for (int o : market_brands_[brand.market]) {
      if (o != static_cast<int>(b)) competitors.push_back(brands_[o].def->name);
    }
    // The text names a brand by its name ({B}, {C}), its care handle with '@' ({H}, tweets)
    // and its hashtag; agents' author names, forum tags and e-mail addresses are not text.
    json entry = json::object();
    entry["name"] = brand.def->name;
    entry["aliases"] = json::array();
    entry["handles"] = json::array({brand.at_handle});
    entry["hashtags"] = json::array({brand.hashtag});
    entry["misspellings"] = json::array();
    entry["market"] = markets_[brand.market].name;
    entry["competitors"] = competitors;
    brands.push_back(entry);
  }
  json lexicon = json::object();
  lexicon["brands"] = brands;
  return lexicon;
}

Status Generator::Run(Sink* sink) {
  if (opt_.format == Format::kTwcs) {
    sink->buffer()->append(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n");
  }
  const uint64_t total = opt_.messages;
  uint64_t emitted = 0;
  for (int d = 0; d < opt_.days && emitted < total; ++d) {
    const double day_volume = std::max(1e-9, cum_[d + 1] - cum_[d]);
    const int64_t day_start = opt_.start + static_cast<int64_t>(d) * 86400;
    const bool last_day = d + 1 == opt_.days;
    while (emitted < total && (last_day || static_cast<double>(emitted) < cum_[d + 1])) {
      // Threads start through the day in proportion to the hourly profile: the
      // fraction of the day's volume already written decides the time of day.
      double frac = (static_cast<double>(emitted) - cum_[d] + 2.0 * rng_.Unit()) / day_volume;
      if (day_volume < 100 || frac >= 1.0) frac = rng_.Unit();  // too few to follow the profile
      int64_t start = day_start + static_cast<int64_t>(TimeOfDay(frac));
      BuildThread(d, start, total - emitted);
      Emit(sink);
      emitted += n_;
      HARK_RETURN_IF_ERROR(sink->MaybeFlush());
    }
  }
  return sink->Close();
}

nlohmann::ordered_json Generator::Truth() const {
  using json = nlohmann::ordered_json;
  const int64_t first_day = FloorDiv(opt_.start, 86400);
  json t;
  t["generator"] = "hark-gen";
  t["version"] = 1;
  t["seed"] = opt_.seed;
  t["format"] = opt_.format == Format::kTwcs ? "twcs" : "jsonl";
  t["messages"] = opt_.messages;
  t["start"] = DateString(first_day);
  t["days"] = opt_.days;
  t["source"] = "gen";

  json brands = json::array();
  for (const Brand& b : brands_) {
    brands.push_back({{"name", b.def->name},
                      {"market", markets_[b.market].name},
                      {"handle", b.def->handle},
                      {"hashtag", b.def->hashtag},
                      {"target_share", b.def->share}});
  }
  t["brands"] = brands;

  // Share of voice: each brand's share of its market's messages, planted vs written.
  json sov = json::object();
  for (size_t mi = 0; mi < markets_.size(); ++mi) {
    uint64_t market_total = 0;
    for (int b : market_brands_[mi]) market_total += by_brand_[b];
    json m = json::object();
    for (int b : market_brands_[mi]) {
      m[std::string(brands_[b].def->name)] = {
          {"target", brands_[b].def->share},
          {"messages", by_brand_[b]},
          {"share", market_total == 0 ? 0.0 : static_cast<double>(by_brand_[b]) / market_total}};
    }
    sov[std::string(markets_[mi].name)] = m;
  }
  t["share_of_voice"] = sov;

  json spikes = json::array();
  for (const Spike& s : spikes_) {
    const Incident& inc = markets_[brands_[s.brand].market].incidents[s.incident];
    // Baseline: the median of the brand's daily message counts (by message date) over
    // the baseline days.
    std::vector<uint64_t> normal;
    for (int d : BaselineDays(s)) normal.push_back(brand_day_[s.brand][d]);
    std::sort(normal.begin(), normal.end());
    double median = 0;
    if (!normal.empty()) {
      size_t n = normal.size();
      median = n % 2 == 1 ? static_cast<double>(normal[n / 2])
                          : (normal[n / 2 - 1] + normal[n / 2]) / 2.0;
    }
    json by_day = json::object();
    double ratio_sum = 0;
    for (int i = 0; i < s.days; ++i) {
      uint64_t c = brand_day_[s.brand][s.start_day + i];
      by_day[DateString(first_day + s.start_day + i)] = c;
      ratio_sum += median > 0 ? c / median : 0.0;
    }
    spikes.push_back({{"brand", brands_[s.brand].def->name},
                      {"market", markets_[brands_[s.brand].market].name},
                      {"topic", inc.name},
                      {"terms", inc.terms},
                      {"start", DateString(first_day + s.start_day)},
                      {"days", s.days},
                      {"multiplier", s.multiplier},
                      {"spike_threads", s.threads},
                      {"spike_messages", s.messages},
                      {"term_messages", s.term_messages},
                      {"brand_messages_by_day", by_day},
                      {"baseline_first", DateString(first_day + std::max(0, s.start_day - 14))},
                      {"baseline_last", DateString(first_day + std::min(opt_.days - 1, s.start_day + s.days + 14))},
                      {"baseline_daily_median", median},
                      {"observed_multiplier", s.days > 0 ? ratio_sum / s.days : 0.0}});
  }
  t["spikes"] = spikes;
  t["spikes_note"] =
      "brand_messages_by_day and the baseline count messages of the brand by the UTC date of "
      "their time; the baseline is the median over baseline_first..baseline_last less spike "
      "days of the brand and the day after each. term_messages: messages of spike threads whose "
      "text holds a term as whole words (ASCII case-insensitive; word characters are ASCII "
      "letters and digits); no other message of the brand holds one. A spike day gets the "
      "brand's usual volume times multiplier, and at least about 40 spike conversations.";

  json dups = json::array();
  for (const Cluster& c : clusters_) {
    if (c.questions.empty()) continue;
    const Intent& in = markets_[brands_[c.brand].market].intents[c.intent];
    dups.push_back({{"cluster", std::string(brands_[c.brand].tag) + "/" + std::string(in.name)},
                    {"brand", brands_[c.brand].def->name},
                    {"intent", in.name},
                    {"questions", c.questions},
                    {"best_answer", c.best_answer}});
  }
  t["duplicates"] = dups;

  json counts;
  counts["messages"] = written_;
  counts["threads"] = threads_;
  json ch = json::object(), tch = json::object();
  for (int c = 0; c < kNumChannels; ++c) {
    ch[std::string(kChannelNames[c])] = by_channel_[c];
    tch[std::string(kChannelNames[c])] = threads_by_channel_[c];
  }
  counts["by_channel"] = ch;
  counts["threads_by_channel"] = tch;
  json br = json::object(), tbr = json::object(), mk = json::object();
  for (size_t b = 0; b < brands_.size(); ++b) {
    br[std::string(brands_[b].def->name)] = by_brand_[b];
    tbr[std::string(brands_[b].def->name)] = threads_by_brand_[b];
  }
  for (size_t mi = 0; mi < markets_.size(); ++mi) {
    uint64_t n = 0;
    for (int b : market_brands_[mi]) n += by_brand_[b];
    mk[std::string(markets_[mi].name)] = n;
  }
  counts["by_brand"] = br;
  counts["threads_by_brand"] = tbr;
  counts["by_market"] = mk;
  json ro = json::object();
  for (int r = 0; r < kNumRoles; ++r) ro[std::string(kRoleNames[r])] = by_role_[r];
  counts["by_role"] = ro;
  counts["by_hour_utc"] = by_hour_;
  counts["by_weekday"] = by_weekday_;  // 0 = Sunday
  counts["with_parent"] = with_parent_;
  counts["forum_questions"] = forum_questions_;
  counts["accepted"] = accepted_;
  counts["after_last_day"] = out_of_range_;
  t["counts"] = counts;

  // Brand mentions by the lexicon rule, against Lexicon() (what --brands-out writes).
  if (opt_.count_mentions) {
    json mentions = json::object();
    for (size_t b = 0; b < brands_.size(); ++b) mentions[std::string(brands_[b].def->name)] = mentions_[b];
    t["mentions"] = mentions;
    json msov = json::object();
    for (size_t mi = 0; mi < markets_.size(); ++mi) {
      uint64_t market_total = 0;
      for (int b : market_brands_[mi]) market_total += mentions_[b];
      json m = json::object();
      for (int b : market_brands_[mi]) {
        m[std::string(brands_[b].def->name)] = {
            {"mentions", mentions_[b]},
            {"share", market_total == 0 ? 0.0 : static_cast<double>(mentions_[b]) / market_total}};
      }
      msov[std::string(markets_[mi].name)] = m;
    }
    t["mention_share_of_voice"] = msov;
    std::vector<std::tuple<std::string, std::string, uint64_t>> pairs;
    for (size_t a = 0; a < brands_.size(); ++a) {
      for (size_t b = a + 1; b < brands_.size(); ++b) {
        if (comentions_[a][b] == 0) continue;
        std::string x(brands_[a].def->name), y(brands_[b].def->name);
        if (y < x) std::swap(x, y);
        pairs.emplace_back(x, y, comentions_[a][b]);
      }
    }
    std::sort(pairs.begin(), pairs.end());
    json comentions = json::array();
    for (const auto& [x, y, n] : pairs) {
      comentions.push_back({{"brands", json::array({x, y})}, {"count", n}});
    }
    t["comentions"] = comentions;
    t["mentions_note"] =
        "mentions: per brand, the messages whose title or text mention it by the lexicon rule "
        "against the --brands-out lexicon: text ASCII case-folded; a token is a maximal run of "
        "ASCII letters, digits, '_' or non-ASCII bytes; '@' or '#' directly before a token, at "
        "the start of the text or after a byte that is none of those, makes it a handle or "
        "hashtag token; every other byte separates tokens; a message mentions a brand when the "
        "tokens of its name, an alias, misspelling, handle or hashtag occur as consecutive "
        "tokens of the title or of the text (tokenized apart). mention_share_of_voice: per "
        "market, mentions / the sum of the market's mentions. comentions: messages mentioning "
        "both brands, pairs with a count of 0 left out, names in byte order.";
  }

  // Only with multi-handle customers, so that the default truth stays as it was.
  if (opt_.multi_handle_share > 0) {
    uint64_t persons = 0, handles = 0;
    for (uint64_t r = 1; r < channels_of_.size(); ++r) {
      if (channels_of_[r] == 0 || !MultiHandle(r)) continue;
      ++persons;
      handles += static_cast<uint64_t>(std::popcount(channels_of_[r]));
    }
    t["identities"] = {{"multi_handle_share", opt_.multi_handle_share},
                       {"persons", persons},
                       {"handles", handles}};
    json journeys = json::array();
    std::string handle;
    std::string_view first;
    for (const JourneyCandidate& c : candidates_) {
      if (journeys.size() == kJourneySample) break;
      const uint8_t mask = channels_of_[c.rank];
      if (c.overflow || std::popcount(mask) < 2) continue;
      json person_handles = json::array(), channels = json::array(), messages = json::array();
      for (int ch = 0; ch < kNumChannels; ++ch) {
        if ((mask & (1u << ch)) == 0) continue;
        CustomerHandle(c.rank, ch, &handle, &first);
        person_handles.push_back(handle);
        channels.push_back(kChannelNames[ch]);
      }
      std::vector<JourneyEntry> entries = c.entries;
      std::sort(entries.begin(), entries.end(), [](const JourneyEntry& a, const JourneyEntry& b) {
        return std::make_pair(a.time, a.seq) < std::make_pair(b.time, b.seq);
      });
      for (const JourneyEntry& e : entries) messages.push_back(e.id);
      journeys.push_back({{"person", PersonId(c.rank)},
                          {"handles", person_handles},
                          {"channels", channels},
                          {"conversations", c.conversations},
                          {"messages", messages}});
    }
    t["journeys"] = journeys;
    t["identities_note"] =
        "identities: the multi-handle customers who wrote at least one message (as customer or "
        "community) and the handles they wrote under, one per channel: what --identities writes. "
        "journeys: up to 20 of them, picked by rank, who wrote on two channels or more; messages: "
        "the ids of every message of every conversation they wrote in, in time order, equal times "
        "in output order (hark's record order).";
  }
  return t;
}

Status Generator::WriteIdentities(const std::string& path) const {
  const bool as_json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  // Written in chunks: one row per handle of a share of the whole population.
  std::string text = as_json ? "{" : "person,handle\n";
  bool ok = true;
  auto flush = [&]() {
    ok = ok && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    text.clear();
  };
  bool first_person = true;
  std::string handle;
  std::string_view first;
  for (uint64_t r = 1; r < channels_of_.size(); ++r) {
    const uint8_t mask = channels_of_[r];
    if (mask == 0 || !MultiHandle(r)) continue;
    const std::string person = PersonId(r);
    if (as_json) {
      text.append(first_person ? "\n  " : ",\n  ");
      AppendJsonString(&text, person);
      text.append(": [");
    }
    first_person = false;
    bool first_handle = true;
    for (int ch = 0; ch < kNumChannels; ++ch) {
      if ((mask & (1u << ch)) == 0) continue;
      CustomerHandle(r, ch, &handle, &first);
      if (as_json) {
        if (!first_handle) text.append(", ");
        AppendJsonString(&text, handle);
      } else {
        text.append(person);
        text.push_back(',');
        text.append(handle);  // handles hold no ',', '"' nor line breaks
        text.push_back('\n');
      }
      first_handle = false;
    }
    if (as_json) text.push_back(']');
    if (text.size() >= (1 << 20)) flush();
  }
  if (as_json) text.append(first_person ? "}\n" : "\n}\n");
  flush();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace
}  // namespace hark::gen

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  using hark::gen::Format;
  using hark::gen::Options;
  Options opt;
  std::string start = "2016-01-01";
  std::string out = "-";
  std::string truth;
  std::string identities;
  std::string brands_out;
  std::string format = "jsonl";
  po::options_description desc(
      "hark-gen: writes a synthetic, deterministic customer-care corpus in hark's canonical "
      "JSONL (or TWCS CSV)\n\nOptions");
  desc.add_options()
      ("help,h", "show this help")
      ("messages,n", po::value<uint64_t>(&opt.messages)->required(), "number of messages (exact)")
      ("seed", po::value<uint64_t>(&opt.seed)->default_value(1), "random seed")
      ("start", po::value<std::string>(&start)->default_value(start), "first day (UTC date)")
      ("days", po::value<int>(&opt.days)->default_value(730), "number of days covered")
      ("out,o", po::value<std::string>(&out)->default_value(out),
       "output file; .zst compresses; - is stdout")
      ("truth", po::value<std::string>(&truth),
       "write the planted signals and counts here (JSON), with each brand's mentions by the "
       "lexicon rule (mentions, mention_share_of_voice, comentions)")
      ("brands-out", po::value<std::string>(&brands_out),
       "write the brand lexicon (JSON, corpora/brands/README.md format: name, handles as the "
       "text writes them, hashtags, market, competitors) that the truth's mentions use")
      ("format", po::value<std::string>(&format)->default_value(format),
       "jsonl (all channels) or twcs (twitter only, Kaggle TWCS CSV columns)")
      ("spikes", po::value<int>(&opt.spikes)->default_value(-1),
       "number of volume spikes (-1: one per 120 days, 1..8; none under 30 days)")
      ("zstd-level", po::value<int>(&opt.zstd_level)->default_value(3), "zstd level for .zst output")
      ("multi-handle-share", po::value<double>(&opt.multi_handle_share)->default_value(0),
       "share (0..1) of customers who write under a different handle on each channel (twitter "
       "handle, forum username, e-mail address, chat name); 0 keeps the output as it was")
      ("identities", po::value<std::string>(&identities),
       "write person -> handles of the multi-handle customers who wrote, for hark --identities: "
       "CSV person,handle, or JSON {\"p000123\": [...]} when the name ends in .json");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help") != 0) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hark-gen: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (opt.days < 1 || opt.days > 36500) {
    std::cerr << "hark-gen: --days must be in 1..36500\n";
    return 2;
  }
  if (format == "twcs") {
    opt.format = Format::kTwcs;
  } else if (format != "jsonl") {
    std::cerr << "hark-gen: --format must be jsonl or twcs, not '" << format << "'\n";
    return 2;
  }
  if (!(opt.multi_handle_share >= 0 && opt.multi_handle_share <= 1)) {
    std::cerr << "hark-gen: --multi-handle-share must be in 0..1\n";
    return 2;
  }
  if (opt.multi_handle_share > 0 && opt.format == Format::kTwcs) {
    std::cerr << "hark-gen: --multi-handle-share needs several channels, so not --format twcs\n";
    return 2;
  }
  std::string error;
  if (!hark::ParseTime(start, &opt.start, &error)) {
    std::cerr << "hark-gen: --start: " << error << "\n";
    return 2;
  }
  opt.start = hark::gen::FloorDiv(opt.start, 86400) * 86400;

  auto t0 = std::chrono::steady_clock::now();
  opt.count_mentions = !truth.empty();
  hark::gen::Generator gen(opt);
  hark::gen::Sink sink;
  hark::Status st = sink.Open(out, opt.zstd_level);
  if (st.ok()) st = gen.Run(&sink);
  if (st.ok() && !identities.empty()) st = gen.WriteIdentities(identities);
  if (!st.ok()) {
    std::cerr << "hark-gen: " << st.ToString() << "\n";
    return 1;
  }
  auto write_json = [](const std::string& path, const nlohmann::ordered_json& j) {
    FILE* f = std::fopen(path.c_str(), "wb");
    std::string text = j.dump(2) + "\n";
    bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f != nullptr) ok = std::fclose(f) == 0 && ok;
    if (!ok) std::cerr << "hark-gen: cannot write " << path << ": " << std::strerror(errno) << "\n";
    return ok;
  };
  if (!truth.empty() && !write_json(truth, gen.Truth())) return 1;
  if (!brands_out.empty() && !write_json(brands_out, gen.Lexicon())) return 1;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "hark-gen: %llu messages, %.1f MB in %.2f s (%.0f messages/s, %.0f MB/s)\n",
               static_cast<unsigned long long>(opt.messages), sink.bytes() / 1e6, secs,
               opt.messages / std::max(secs, 1e-9), sink.bytes() / 1e6 / std::max(secs, 1e-9));
  return 0;
}
