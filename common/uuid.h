// Random (version 4) UUIDs from OpenSSL's CSPRNG, as text: "dcc351dc-1b2a-4c8e-9f3d-...".
#pragma once

#include <string>

namespace federa {

std::string new_uuid();

}  // namespace federa
