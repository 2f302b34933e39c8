#include "rspec/test_support.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace federa::rspec::testing {
namespace {

std::filesystem::path env_path(const char* name) {
  const char* value = std::getenv(name);
  REQUIRE_MESSAGE(value != nullptr, name << " is not set (run through ctest)");
  return value;
}

}  // namespace

const std::vector<Example>& examples() {
  static const std::vector<Example> kExamples = {
      {"rspec-instageni-gpolab-bbn-com.xml", Kind::kAdvertisement, true},
      {"rspec-exogeni-net-bbnvmsite.xml", Kind::kAdvertisement, false},
      {"rspec-ion-internet2-edu.xml", Kind::kAdvertisement, true},
      {"rspec-dragon-maxgigapop-net.xml", Kind::kAdvertisement, true},
      {"rspec-openflow-foam-foam-instageni-gpolab-bbn-com.xml", Kind::kAdvertisement, true},
      {"request-ig-utah-eg-gpo.xml", Kind::kRequest, true},
      {"request-pg-ig-utah-2links.xml", Kind::kRequest, true},
      {"three-nodes-lan.rspec", Kind::kRequest, true},
      {"sharedvlan-1am.xml", Kind::kRequest, true},
      {"controller-4-node-diamond.rspec", Kind::kRequest, true},
      {"instageni5nodemanifest.rspec", Kind::kManifest, false},
      {"exogeni5nodemanifest.rspec", Kind::kManifest, true},
  };
  return kExamples;
}

std::filesystem::path examples_dir() { return env_path("FEDERA_SHARED_DIR") / "rspec-examples"; }

std::filesystem::path schema_dir() { return env_path("FEDERA_SOURCE_DIR") / "schema" / "rspec"; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string read_example(const std::string& name) { return read_file(examples_dir() / name); }

GeniError thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const GeniError& error) {
    return error;
  }
  FAIL("no GeniError was thrown");
  return GeniError(GeniCode::kError, "");
}

}  // namespace federa::rspec::testing
