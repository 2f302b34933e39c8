#include "am/get_version.h"

#include "am/geni_result.h"

namespace federa::am {
namespace {

constexpr const char* kRspecNamespace = "http://www.geni.net/resources/rspec/3";
constexpr const char* kCodeVersion = "0.1.0";

// RSpec extensions federa reads in requests and writes in advertisements and manifests.
rpc::Array rspec_extensions() {
  return {rpc::Value("http://hpn.east.isi.edu/rspec/ext/stitch/0.1/"),
          rpc::Value("http://www.geni.net/resources/rspec/ext/opstate/1"),
          rpc::Value("http://www.protogeni.net/resources/rspec/ext/emulab/1"),
          rpc::Value("http://www.geni.net/resources/rspec/ext/shared-vlan/1"),
          rpc::Value("http://www.protogeni.net/resources/rspec/ext/user/1")};
}

rpc::Array rspec_versions(ApiVersion version, const char* schema_file) {
  const rpc::Struct geni3{
      {"type", rpc::Value(version == ApiVersion::kV3 ? "GENI" : "geni")},
      {"version", rpc::Value("3")},
      {"schema", rpc::Value(std::string(kRspecNamespace) + "/" + schema_file)},
      {"namespace", rpc::Value(kRspecNamespace)},
      {"extensions", rpc::Value(rspec_extensions())}};
  return {rpc::Value(geni3)};
}

rpc::Struct credential_type(const char* type, const char* version) {
  return {{"geni_type", rpc::Value(type)}, {"geni_version", rpc::Value(version)}};
}

}  // namespace

rpc::Struct get_version(ApiVersion version, const VersionFacts& facts) {
  const int api = static_cast<int>(version);
  const rpc::Struct api_versions{{"2", rpc::Value(facts.base_url + "/am/2.0")},
                                 {"3", rpc::Value(facts.base_url + "/am/3.0")}};
  rpc::Struct value{
      {"geni_api", rpc::Value(api)},
      {"geni_api_versions", rpc::Value(api_versions)},
      {"geni_request_rspec_versions", rpc::Value(rspec_versions(version, "request.xsd"))},
      {"geni_ad_rspec_versions", rpc::Value(rspec_versions(version, "ad.xsd"))},
      {"geni_credential_types",
       rpc::Value(rpc::Array{rpc::Value(credential_type("geni_sfa", "3")),
                             rpc::Value(credential_type("geni_sfa", "2"))})},
      {"geni_am_type", rpc::Value(rpc::Array{rpc::Value(kAmType)})},
      {"geni_am_code_version", rpc::Value(kCodeVersion)},
      {"geni_single_allocation", rpc::Value(0)},
      {"geni_allocate", rpc::Value("geni_many")},
      {"urn", rpc::Value(facts.aggregate_urn)},
  };
  rpc::Struct answer = geni_success(rpc::Value(std::move(value)));
  answer.emplace("geni_api", rpc::Value(api));
  return answer;
}

}  // namespace federa::am
