// Where federa keeps its state when no configuration says: $FEDERA_DATA_DIR, else
// ~/.local/share/federa (/var/lib/.local/share/federa without a home). Every service uses it.
#pragma once

#include <filesystem>

namespace federa {

std::filesystem::path default_data_dir();

}  // namespace federa
