// Structured, greppable logs. Every line is
//   2026-11-21T05:31:59.123456Z info  am event=call method=GetVersion caller=urn:... code=0 ms=0.41
// i.e. a UTC timestamp, the level, the component, then key=value pairs; values that contain a
// space, a quote or '=' are double-quoted with '"' and '\' escaped (see log_value). Grep by key.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

namespace federa {

// Sets the global level ("trace".."critical", "off") and the line format; logs go to stderr.
void init_logging(std::string_view level);

// A named logger ("am", "rpc", "ca", ...) sharing the global sink and level.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

// A value ready to follow "key=": quoted and escaped only when needed.
std::string log_value(std::string_view value);

}  // namespace federa
