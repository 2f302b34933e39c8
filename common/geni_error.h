// GENI error codes (AM API v3 "geni_code", call-basics.adoc) and the one error type every layer
// throws. A GeniError carries a code and a message a person can act on; the AM turns it into the
// {code, value, output} struct, never into an XML-RPC fault.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace federa {

enum class GeniCode : int {
  kSuccess = 0,
  kBadArgs = 1,
  kError = 2,
  kForbidden = 3,
  kBadVersion = 4,
  kServerError = 5,
  kTooBig = 6,
  kRefused = 7,
  kTimedOut = 8,
  kDbError = 9,
  kRpcError = 10,
  kUnavailable = 11,
  kSearchFailed = 12,
  kUnsupported = 13,
  kBusy = 14,
  kExpired = 15,
  kInProgress = 16,
  kAlreadyExists = 17,
  kMissingArgs = 18,
  kOutOfRange = 19,
  kCredentialInvalid = 20,
  kCredentialExpired = 21,
  kCredentialMismatch = 22,
  kCredentialSignerUntrusted = 23,
  kVlanUnavailable = 24,
  kInsufficientBandwidth = 25,
  kInsufficientNodes = 26,
};

// The spec's label for a code, e.g. "SEARCHFAILED"; "UNKNOWN" outside the table.
std::string_view geni_code_label(GeniCode code);

class GeniError : public std::runtime_error {
 public:
  GeniError(GeniCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  GeniCode code() const { return code_; }

 private:
  GeniCode code_;
};

}  // namespace federa
