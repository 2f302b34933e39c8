#include "common/data_dir.h"

#include <cstdlib>

namespace federa {

std::filesystem::path default_data_dir() {
  if (const char* dir = std::getenv("FEDERA_DATA_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/var/lib") / ".local/share/federa";
}

}  // namespace federa
