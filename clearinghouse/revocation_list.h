// The member authority's certificate revocation list: an X.509 v2 CRL, signed by the authority
// certificate, listing the serial numbers of revoked member certificates. `federa ch` writes it
// (PEM) whenever a member is revoked and at start, so aggregates and other relying parties that
// check CRLs refuse those certificates too.
#pragma once

#include "clearinghouse/ch_identity.h"
#include "clearinghouse/ch_store.h"

#include <chrono>
#include <string>
#include <vector>

namespace federa::ch {

// A PEM CRL valid from `now` until now + next_update.
std::string revocation_list_pem(const AuthorityIdentity& authority, const std::vector<RevokedCertificate>& revoked,
                                Timestamp now, std::chrono::hours next_update = std::chrono::hours(24 * 7));

}  // namespace federa::ch
