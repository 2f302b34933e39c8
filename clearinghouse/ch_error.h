// The Common Federation API v2 return codes (geni-ch chapi Exceptions) and the error every
// clearinghouse service throws. Answers are the struct {code, value, output}; a failure's output
// reads "[ARGUMENT] ARGUMENT_ERROR (message)" as the reference clearinghouse writes it, which omni
// matches on (e.g. "[DUPLICATE] DUPLICATE_ERROR"). ch_code_for() maps the trust layer's GENI codes.
#pragma once

#include "common/geni_error.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace federa::ch {

enum class ChCode : int {
  kSuccess = 0,
  kAuthentication = 1,  // the caller is not who a member of this federation is (untrusted, revoked)
  kAuthorization = 2,   // the caller may not do this (role, ownership)
  kArgument = 3,        // bad, missing or unknown arguments (unknown slice, renewal past policy)
  kDatabase = 4,
  kDuplicate = 5,  // the object already exists
  kNotImplemented = 100,
  kServer = 101,
};

// "ARGUMENT" for kArgument, ... ; "SERVER" outside the table.
std::string_view ch_code_name(ChCode code);

class ChError : public std::runtime_error {
 public:
  ChError(ChCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ChCode code() const { return code_; }

 private:
  ChCode code_;
};

// The Federation API code for an error the trust layer raised: certificate and credential
// failures are authentication errors, kForbidden an authorization error, bad arguments argument
// errors, the rest server errors.
ChCode ch_code_for(GeniCode code);

// "[NAME] NAME_ERROR (message)".
std::string ch_output(ChCode code, std::string_view message);

}  // namespace federa::ch
