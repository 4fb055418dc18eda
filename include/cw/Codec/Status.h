//===- Status.h - Error reporting for the codec library ---------*- C++ -*-===//
//
// The codec library is plain C++ built without exceptions (it links into
// MLIR tools). Every fallible operation returns a Status or a Result<T>; the
// message says what was wrong ("huffman: truncated code-length table").
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_STATUS_H
#define CW_CODEC_STATUS_H

#include <cassert>
#include <string>
#include <utility>

namespace cw::codec {

class Status {
public:
  static Status ok() { return Status(); }
  static Status error(std::string message) {
    Status s;
    s.failed = true;
    s.msg = std::move(message);
    return s;
  }
  bool isOk() const { return !failed; }
  explicit operator bool() const { return !failed; }
  const std::string &message() const { return msg; }

private:
  bool failed = false;
  std::string msg;
};

/// A value or an error message. Accessing the value of a failed result is a
/// programming error (asserts in debug builds).
template <typename T> class Result {
public:
  Result(T value) : val(std::move(value)) {}
  Result(Status status) : st(std::move(status)) {
    assert(!st.isOk() && "Result built from an ok Status without a value");
  }
  bool isOk() const { return st.isOk(); }
  explicit operator bool() const { return st.isOk(); }
  const Status &status() const { return st; }
  const std::string &message() const { return st.message(); }
  T &value() {
    assert(isOk());
    return val;
  }
  const T &value() const {
    assert(isOk());
    return val;
  }
  T &operator*() { return value(); }
  const T &operator*() const { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

private:
  T val{};
  Status st;
};

} // namespace cw::codec

#endif // CW_CODEC_STATUS_H
