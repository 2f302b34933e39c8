// How long operations (snapshot, restore, migration) tell their caller where they are: the
// phase that starts and the fraction of the whole done, growing from 0 to 1. The AM shows the
// last call in Status; an empty function is allowed.
#pragma once

#include <functional>
#include <string_view>

namespace federa::snapshot {

using Progress = std::function<void(std::string_view phase, double fraction)>;

inline void report(const Progress& progress, std::string_view phase, double fraction) {
  if (progress) progress(phase, fraction);
}

}  // namespace federa::snapshot
