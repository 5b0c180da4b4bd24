#include "indexer/progress.h"

#include <unistd.h>

#include <algorithm>

namespace hark {

Progress::Progress(std::string label, uint64_t total, Mode mode, FILE* out)
    : label_(std::move(label)), total_(total), mode_(mode), out_(out) {
  if (mode_ == Mode::kAuto) mode_ = isatty(fileno(out_)) ? Mode::kTerminal : Mode::kPlain;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

std::string Progress::FormatDuration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

void Progress::Update(uint64_t done, uint64_t items) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ = done;
  items_ = items;
  Draw(false);
}

void Progress::Step(const std::string& what, uint64_t done, uint64_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %3.0f%%", what.c_str(), total ? 100.0 * done / total : 100.0);
  step_ = buf;
  Draw(done == total);
}

void Progress::Draw(bool force) {
  if (mode_ == Mode::kOff) return;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_draw_).count();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (!force && since < (mode_ == Mode::kTerminal ? 0.2 : 5.0)) return;
  last_draw_ = now;
  double frac = total_ ? std::min(1.0, static_cast<double>(done_) / total_) : 0.0;
  double mbps = elapsed > 0 ? done_ / 1e6 / elapsed : 0;
  double rps = elapsed > 0 ? items_ / elapsed : 0;
  std::string eta = frac > 0.01 && frac < 1.0 ? FormatDuration(elapsed * (1 - frac) / frac) : "-";
  if (mode_ == Mode::kTerminal) {
    const int width = 30;
    int filled = static_cast<int>(frac * width);
    std::string bar(filled, '=');
    if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
    char rate[32] = "";
    if (bytes_) std::snprintf(rate, sizeof rate, " %.1f MB/s", mbps);
    std::fprintf(out_, "\r%s [%s] %3.0f%% %llu rec %.0f rec/s%s ETA %s %s\x1b[K", label_.c_str(), bar.c_str(),
                 frac * 100, static_cast<unsigned long long>(items_), rps, rate, eta.c_str(), step_.c_str());
  } else {
    char rate[32] = "";
    if (bytes_) std::snprintf(rate, sizeof rate, ", %.1f MB/s", mbps);
    std::fprintf(out_, "%s: %.0f%% %llu records, %.0f rec/s%s, elapsed %s, ETA %s%s%s\n", label_.c_str(),
                 frac * 100, static_cast<unsigned long long>(items_), rps, rate, FormatDuration(elapsed).c_str(),
                 eta.c_str(), step_.empty() ? "" : ", ", step_.c_str());
  }
  std::fflush(out_);
  drawn_ = true;
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (mode_ == Mode::kTerminal && drawn_) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace hark
