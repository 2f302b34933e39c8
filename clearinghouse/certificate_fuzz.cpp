// libFuzzer target: PEM certificate chain parsing and the URN reading of each certificate must
// throw or succeed cleanly on any input.
#include "clearinghouse/certificate.h"
#include "clearinghouse/urn.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    for (const auto& certificate :
         federa::trust::load_certificates_pem(std::string_view(reinterpret_cast<const char*>(data), size))) {
      if (const auto urn = certificate.urn()) federa::trust::Urn::try_parse(*urn);
      certificate.uuid();
      certificate.email();
      certificate.is_ca();
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
