// Time on the wire. Internally every time is a UTC std::chrono::sys_time in microseconds; on the
// wire it is RFC 3339 ("2026-11-21T05:26:54Z"). Parsing accepts what real clients send: a
// fraction, "Z", "+hh:mm"/"-hh:mm" offsets, a space instead of "T", no zone (taken as UTC), and
// the XML-RPC compact form "20261121T05:26:54".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace federa {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

Timestamp now_utc();

// "2026-11-21T05:26:54Z" (whole seconds; the fraction is dropped).
std::string format_rfc3339(Timestamp time);

// "20261121T05:26:54", the XML-RPC dateTime.iso8601 form (UTC).
std::string format_iso8601_compact(Timestamp time);

// nullopt when the text is not a time in one of the accepted forms.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace federa
