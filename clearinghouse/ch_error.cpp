#include "clearinghouse/ch_error.h"

namespace federa::ch {

std::string_view ch_code_name(ChCode code) {
  switch (code) {
    case ChCode::kSuccess:
      return "NONE";
    case ChCode::kAuthentication:
      return "AUTHENTICATION";
    case ChCode::kAuthorization:
      return "AUTHORIZATION";
    case ChCode::kArgument:
      return "ARGUMENT";
    case ChCode::kDatabase:
      return "DATABASE";
    case ChCode::kDuplicate:
      return "DUPLICATE";
    case ChCode::kNotImplemented:
      return "NOT_IMPLEMENTED";
    case ChCode::kServer:
      return "SERVER";
  }
  return "SERVER";
}

ChCode ch_code_for(GeniCode code) {
  switch (code) {
    case GeniCode::kCredentialInvalid:
    case GeniCode::kCredentialExpired:
    case GeniCode::kCredentialMismatch:
    case GeniCode::kCredentialSignerUntrusted:
    case GeniCode::kExpired:
      return ChCode::kAuthentication;
    case GeniCode::kForbidden:
      return ChCode::kAuthorization;
    case GeniCode::kBadArgs:
    case GeniCode::kMissingArgs:
    case GeniCode::kOutOfRange:
    case GeniCode::kSearchFailed:
      return ChCode::kArgument;
    case GeniCode::kAlreadyExists:
      return ChCode::kDuplicate;
    case GeniCode::kDbError:
      return ChCode::kDatabase;
    case GeniCode::kUnsupported:
      return ChCode::kNotImplemented;
    default:
      return ChCode::kServer;
  }
}

std::string ch_output(ChCode code, std::string_view message) {
  const std::string name(ch_code_name(code));
  return "[" + name + "] " + name + "_ERROR (" + std::string(message) + ")";
}

}  // namespace federa::ch
