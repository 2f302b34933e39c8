#include "common/geni_error.h"

#include <array>

namespace federa {

std::string_view geni_code_label(GeniCode code) {
  static constexpr std::array<std::string_view, 27> kLabels = {
      "SUCCESS",        "BADARGS",     "ERROR",        "FORBIDDEN",
      "BADVERSION",     "SERVERERROR", "TOOBIG",       "REFUSED",
      "TIMEDOUT",       "DBERROR",     "RPCERROR",     "UNAVAILABLE",
      "SEARCHFAILED",   "UNSUPPORTED", "BUSY",         "EXPIRED",
      "INPROGRESS",     "ALREADYEXISTS", "MISSINGARGS", "OUTOFRANGE",
      "CREDENTIAL_INVALID", "CREDENTIAL_EXPIRED", "CREDENTIAL_MISMATCH",
      "CREDENTIAL_SIGNER_UNTRUSTED", "VLAN_UNAVAILABLE", "INSUFFICIENT_BANDWIDTH",
      "INSUFFICIENT_NODES"};
  const auto index = static_cast<std::size_t>(code);
  return index < kLabels.size() ? kLabels[index] : std::string_view("UNKNOWN");
}

}  // namespace federa
