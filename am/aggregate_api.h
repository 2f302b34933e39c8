// The AM API methods, v3 and v2, on an AmService: each decodes its arguments, resolves the
// slice, authorizes the caller with the credentials given (trust::Authorizer, gcf's operation
// names), refuses calls on shut-down slices, and calls the Aggregate. Everything comes back as
// the {code, value, output} struct.
#pragma once

#include <memory>

#include "am/aggregate.h"
#include "am/am_service.h"
#include "clearinghouse/authorizer.h"

namespace federa::am {

void add_aggregate_api(AmService& service, Aggregate& aggregate, std::shared_ptr<const trust::Authorizer> authorizer);

}  // namespace federa::am
