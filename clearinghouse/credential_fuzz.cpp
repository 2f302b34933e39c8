// libFuzzer target: the credential parser, and signature verification of whatever parses, must
// refuse any input with a GeniError and never crash, leak or read out of bounds.
#include "clearinghouse/credential.h"
#include "clearinghouse/xmldsig.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto document = federa::trust::SignedCredential::parse(
        std::string_view(reinterpret_cast<const char*>(data), size));
    federa::trust::verify_reference(document.document(), document.credential().id);
  } catch (const federa::GeniError&) {
  }
  return 0;
}
