// Status and Result<T>: the error currency across hark's component boundaries.
//
// A Status is either OK or carries a code and a human-readable message that names
// what failed (file, line or offset, and why). Result<T> holds a T or a non-OK Status.
// Both are plain values: thread-compatible (distinct objects may be used from
// different threads; a single object needs external synchronisation).
#ifndef HARK_STORAGE_STATUS_H_
#define HARK_STORAGE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace hark {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kIOError, kCorruption, kBusy, kFormat };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }
  // The input is not in the format it was said (or detected) to be in.
  static Status Format(std::string msg) { return Status(Code::kFormat, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "IO error: cannot open x.csv: No such file or directory".
  std::string ToString() const;

  // Prepends context ("while ingesting a.csv: ") to the message; keeps the code.
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Status(code_, context + ": " + message_);
  }
  // Appends `more` ("; nothing was committed") to the message; keeps the code.
  Status Append(const std::string& more) const { return ok() ? *this : Status(code_, message_ + more); }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

inline std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "invalid argument: " + message_;
    case Code::kNotFound: return "not found: " + message_;
    case Code::kIOError: return "I/O error: " + message_;
    case Code::kCorruption: return "corruption: " + message_;
    case Code::kBusy: return "busy: " + message_;
    case Code::kFormat: return "format error: " + message_;
  }
  return message_;
}

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace hark

// Returns early from the enclosing function when `expr` is not OK.
#define HARK_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::hark::Status hark_status_ = (expr); \
    if (!hark_status_.ok()) return hark_status_; \
  } while (0)

#endif  // HARK_STORAGE_STATUS_H_
