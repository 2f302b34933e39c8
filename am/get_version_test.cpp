#include "am/get_version.h"

#include <doctest/doctest.h>

using namespace federa;
using federa::am::ApiVersion;

TEST_CASE("GetVersion v3 has every field the spec and omni need, with the right types") {
  const rpc::Value answer(am::get_version(ApiVersion::kV3, {"https://am.example.org:8001", "urn:publicid:IDN+x+authority+am"}));
  CHECK(answer.find("geni_api")->as_int() == 3);
  CHECK(answer.find("code")->find("geni_code")->as_int() == 0);
  CHECK(answer.find("output")->as_string().empty());
  const rpc::Value& value = *answer.find("value");
  CHECK(value.find("geni_api")->as_int() == 3);
  CHECK(value.find("geni_api_versions")->find("3")->as_string() == "https://am.example.org:8001/am/3.0");
  CHECK(value.find("geni_api_versions")->find("2")->as_string() == "https://am.example.org:8001/am/2.0");
  const rpc::Value& request = value.find("geni_request_rspec_versions")->as_array().at(0);
  CHECK(request.find("type")->as_string() == "GENI");
  CHECK(request.find("version")->as_string() == "3");
  CHECK(request.find("schema")->as_string() == "http://www.geni.net/resources/rspec/3/request.xsd");
  CHECK_FALSE(request.find("extensions")->as_array().empty());
  CHECK(value.find("geni_ad_rspec_versions")->as_array().at(0).find("schema")->as_string() ==
        "http://www.geni.net/resources/rspec/3/ad.xsd");
  CHECK(value.find("geni_credential_types")->as_array().at(0).find("geni_type")->as_string() == "geni_sfa");
  CHECK(value.find("geni_single_allocation")->type() == rpc::Value::Type::kInt);
  CHECK(value.find("geni_allocate")->as_string() == "geni_many");
  CHECK(value.find("urn")->as_string() == "urn:publicid:IDN+x+authority+am");
}

TEST_CASE("GetVersion v2 says API 2 and names the RSpec type in lower case, as gcf does") {
  const rpc::Value answer(am::get_version(ApiVersion::kV2, {"https://h", "urn:publicid:IDN+x+authority+am"}));
  CHECK(answer.find("geni_api")->as_int() == 2);
  CHECK(answer.find("value")->find("geni_api")->as_int() == 2);
  CHECK(answer.find("value")->find("geni_request_rspec_versions")->as_array().at(0).find("type")->as_string() == "geni");
}
