#include "rspec/test_support.h"
#include "rspec/validate.h"

#include <doctest/doctest.h>

#include <stdexcept>

namespace federa::rspec {
namespace {

const SchemaSet& schemas() {
  static const SchemaSet kSchemas(testing::schema_dir());
  return kSchemas;
}

std::vector<std::string> problems_of(const std::string& example, Kind kind) {
  return schemas().validate(testing::read_example(example), kind);
}

TEST_CASE("examples the shared README lists as valid validate with no problems") {
  for (const testing::Example& example : testing::examples()) {
    if (!example.schema_valid) continue;
    CAPTURE(example.name);
    auto problems = problems_of(example.name, example.kind);
    CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : problems.front()));
  }
}

TEST_CASE("real peer output that breaks the 2012 schemas is reported with lines") {
  auto exogeni = problems_of("rspec-exogeni-net-bbnvmsite.xml", Kind::kAdvertisement);
  REQUIRE_FALSE(exogeni.empty());
  CHECK(exogeni.front().rfind("line 90: ", 0) == 0);
  CHECK(exogeni.front().find("hardware_type") != std::string::npos);

  auto instageni = problems_of("instageni5nodemanifest.rspec", Kind::kManifest);
  CHECK(instageni.size() == 6);
  CHECK(instageni.front().find("vlantag") != std::string::npos);
}

TEST_CASE("a document of the wrong kind or not well-formed is reported, not thrown") {
  auto wrong = problems_of("three-nodes-lan.rspec", Kind::kAdvertisement);
  CHECK_FALSE(wrong.empty());
  auto broken = schemas().validate("<rspec><node></rspec>", Kind::kRequest);
  REQUIRE(broken.size() == 1);
  CHECK(broken.front().rfind("line 1: ", 0) == 0);
  auto doctype = schemas().validate("<!DOCTYPE rspec SYSTEM \"http://evil/x.dtd\"><rspec/>", Kind::kRequest);
  REQUIRE(doctype.size() == 1);
  CHECK(doctype.front().find("DOCTYPE") != std::string::npos);
}

TEST_CASE("a missing schema directory is a clear error") {
  try {
    SchemaSet missing(testing::schema_dir() / "nowhere");
    FAIL("compiled schemas from a missing directory");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).find("nowhere/validate/ad-with-ext.xsd not found") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace federa::rspec
