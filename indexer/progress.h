// Progress: reports a long job's progress on stderr. On a terminal it redraws one line
// (bar, percentage, rate, ETA); otherwise it prints a plain line at most every few
// seconds, suitable for logs. Thread-safe (Update may be called from any thread).
#ifndef HARK_INDEXER_PROGRESS_H_
#define HARK_INDEXER_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace hark {

class Progress {
 public:
  enum class Mode { kAuto, kTerminal, kPlain, kOff };
  // `total` is in the job's unit (bytes for ingest); 0 when unknown.
  Progress(std::string label, uint64_t total, Mode mode = Mode::kAuto, FILE* out = stderr);
  ~Progress();

  // `done` units so far, `items` records so far.
  void Update(uint64_t done, uint64_t items);
  // The job's unit is records, not bytes: no MB/s is shown. Call before the first Update.
  void CountRecords() { bytes_ = false; }
  // A step after the main one (e.g. "text 40%"): shown in place of the rate.
  void Step(const std::string& what, uint64_t done, uint64_t total);
  // Ends the terminal line.
  void Finish();

  static std::string FormatDuration(double seconds);  // 1:02:03 / 2:03 / 4s

 private:
  void Draw(bool force);

  std::string label_;
  uint64_t total_;
  Mode mode_;
  FILE* out_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  uint64_t done_ = 0, items_ = 0;
  std::string step_;
  bool drawn_ = false;
  bool bytes_ = true;
};

}  // namespace hark

#endif  // HARK_INDEXER_PROGRESS_H_
