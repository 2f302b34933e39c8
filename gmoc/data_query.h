// The datastore's /data/ query: the URL query string "q=<url-encoded JSON>" with
//   {"filters":{"eventType":[metric..] | metric, "ts":{"gte":µs,"lte":µs}, "obj":{"type":..,"id":[..] | id}}}
// eventType is required (with or without the "ops_monitoring:" prefix); ts defaults to the last
// hour before `now`; obj.id "*" or none means every object. Anything else (bad escapes, bad JSON,
// wrong types, non-integer or reversed times) throws std::invalid_argument naming the problem.
#pragma once

#include <string>

#include "gmoc/history.h"

namespace federa::gmoc {

SampleQuery parse_data_query(const std::string& url_query, Timestamp now);

}  // namespace federa::gmoc
