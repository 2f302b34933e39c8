// The Federation API v2 front door without TLS: XML-RPC bodies and client certificate chains go
// into ChService::handle() as the HTTPS server would hand them over, over a real store.
#include "clearinghouse/authorizer.h"
#include "clearinghouse/ch_config.h"
#include "clearinghouse/ch_methods.h"
#include "clearinghouse/ch_testing.h"

#include <doctest/doctest.h>

namespace federa::ch::testing {
namespace {

using rpc::Array;
using rpc::Struct;
using rpc::Value;
using trust::testing::pki;

struct ServiceFixture {
  ServiceFixture() {
    add_registry_methods(service, house, "urn:publicid:IDN+geni:lab+authority+ch");
    add_slice_authority_methods(service, house);
    add_member_authority_methods(service, house);
  }

  // The answer struct {code, value, output} of one call by the holder of `chain`.
  Struct call(const std::string& path, const std::string& method, const Array& params,
              const std::vector<trust::Certificate>& chain) const {
    const rpc::HttpReply reply = http(path, method, params, chain);
    REQUIRE(reply.status == 200);
    const rpc::MethodResponse response = rpc::parse_method_response(reply.body);
    REQUIRE_FALSE(response.is_fault);
    return response.value.as_struct();
  }

  rpc::HttpReply http(const std::string& path, const std::string& method, const Array& params,
                      const std::vector<trust::Certificate>& chain) const {
    rpc::HttpRequest request{.verb = "POST",
                             .target = path,
                             .host = "ch.test:8000",
                             .content_type = "text/xml",
                             .body = rpc::write_method_call(method, params),
                             .peer_address = "127.0.0.1:1"};
    for (const auto& certificate : chain) request.peer.chain.push_back(certificate.shared());
    return service.handle(request);
  }

  static std::vector<trust::Certificate> chain_of(const IssuedMember& member) {
    return trust::load_certificates_pem(member.certificate_chain_pem);
  }

  ChFixture ch{SlicePolicy{.default_lifetime = std::chrono::hours(24), .max_lifetime = std::chrono::hours(24 * 10)}};
  FederationRegistry registry{*ch.store,
                              {{ServiceType::kSliceAuthority, "urn:publicid:IDN+geni:lab+authority+sa",
                                "https://ch.test:8000/SA", "SA", "", 2, ""},
                               {ServiceType::kMemberAuthority, "urn:publicid:IDN+geni:lab+authority+ma",
                                "https://ch.test:8000/MA", "MA", "", 2, ""},
                               {ServiceType::kAggregateManager, "urn:publicid:IDN+geni:lab+authority+am",
                                "https://127.0.0.1:8001/am/3.0", "lab", "", 3, ""},
                               {ServiceType::kAggregateManager, "urn:publicid:IDN+peer.org+authority+am",
                                "https://am.peer.org/am/3.0", "peer", "", 3, "peer"}},
                              pki().roots};
  trust::Authorizer authorizer{pki().roots, nullptr};
  Clearinghouse house{ch.slices, ch.members, ch.slivers, registry, authorizer};
  ChService service{"", "https://127.0.0.1:8000", {}};
};

Struct fields(Struct values) { return {{"fields", Value(std::move(values))}}; }
Struct match(Struct values) { return {{"match", Value(std::move(values))}}; }

std::int64_t code_of(const Struct& answer) { return answer.at("code").as_int(); }

TEST_CASE("a member creates a slice and gets a slice credential an aggregate accepts") {
  ServiceFixture f;
  const IssuedMember alice = f.ch.member("alice");
  const auto chain = ServiceFixture::chain_of(alice);
  const Struct created =
      f.call("/SA", "create", {Value("SLICE"), Value(Array{}), Value(fields({{"SLICE_NAME", Value("demo")}}))}, chain);
  REQUIRE(code_of(created) == 0);
  const std::string urn = created.at("value").find("SLICE_URN")->as_string();
  CHECK(urn == "urn:publicid:IDN+geni:lab+slice+demo");
  CHECK(created.at("value").find("SLICE_EXPIRED")->as_bool() == false);

  const Struct credentials = f.call("/SA", "get_credentials", {Value(urn), Value(Array{}), Value(Struct{})}, chain);
  REQUIRE(code_of(credentials) == 0);
  const Struct& sfa = credentials.at("value").as_array().front().as_struct();
  CHECK(sfa.at("geni_type").as_string() == "geni_sfa");
  CHECK(sfa.at("geni_version").as_string() == "3");
  const trust::Authorization allowed =
      f.authorizer.authorize({.caller = chain,
                              .slice_urn = urn,
                              .operation = "createsliver",
                              .credentials = {{"geni_sfa", "3", sfa.at("geni_value").as_string()}},
                              .speaking_for = std::nullopt});
  CHECK(allowed.caller.str() == alice.member.urn);

  const Struct found =
      f.call("/SA", "lookup_slices",
             {Value(Array{}), Value(match({{"SLICE_URN", Value(urn)}, {"SLICE_EXPIRED", Value("f")}}))}, chain);
  REQUIRE(code_of(found) == 0);
  const Struct& record = found.at("value").find(urn)->as_struct();
  CHECK(record.at("SLICE_NAME").as_string() == "demo");
  const Struct filtered = f.call(
      "/SA", "lookup",
      {Value("SLICE"), Value(Array{}), Value(Struct{{"filter", Value(Array{Value("SLICE_EXPIRATION")})}})}, chain);
  CHECK(filtered.at("value").find(urn)->as_struct().size() == 1);
  const Struct mine = f.call("/SA", "lookup_for_member",
                             {Value("SLICE"), Value(alice.member.urn), Value(Array{}), Value(Struct{})}, chain);
  const Struct& entry = mine.at("value").as_array().front().as_struct();
  CHECK(entry.at("SLICE_ROLE").as_string() == "LEAD");
  CHECK(entry.at("EXPIRED").as_bool() == false);
}

TEST_CASE("refusals carry the Federation API codes") {
  ServiceFixture f;
  const IssuedMember alice = f.ch.member("alice");
  const IssuedMember bob = f.ch.member("bob");
  const auto alice_chain = ServiceFixture::chain_of(alice);
  const Struct created =
      f.call("/SA", "create_slice", {Value(Array{}), Value(fields({{"SLICE_NAME", Value("demo")}}))}, alice_chain);
  const std::string urn = created.at("value").find("SLICE_URN")->as_string();

  SUBCASE("a non-member of the slice asking for its credential: AUTHORIZATION_ERROR") {
    const Struct answer =
        f.call("/SA", "get_credentials", {Value(urn), Value(Array{}), Value(Struct{})}, ServiceFixture::chain_of(bob));
    CHECK(code_of(answer) == 2);
    CHECK(answer.at("output").as_string().rfind("[AUTHORIZATION] AUTHORIZATION_ERROR (", 0) == 0);
  }
  SUBCASE("renewing past policy: ARGUMENT_ERROR") {
    const std::string far = format_rfc3339(now_utc() + std::chrono::hours(24 * 11));
    const Struct answer = f.call(
        "/SA", "update",
        {Value("SLICE"), Value(urn), Value(Array{}), Value(fields({{"SLICE_EXPIRATION", Value(far)}}))}, alice_chain);
    CHECK(code_of(answer) == 3);
    CHECK(answer.at("output").as_string().find("beyond policy") != std::string::npos);
    const std::string near = format_rfc3339(now_utc() + std::chrono::hours(24 * 9));
    CHECK(code_of(f.call("/SA", "update_slice",
                         {Value(urn), Value(Array{}), Value(fields({{"SLICE_EXPIRATION", Value(near)}}))},
                         alice_chain)) == 0);
  }
  SUBCASE("an untrusted caller: AUTHENTICATION_ERROR") {
    const Struct answer =
        f.call("/SA", "get_credentials", {Value(urn), Value(Array{}), Value(Struct{})}, pki().rogue.chain);
    CHECK(code_of(answer) == 1);
  }
  SUBCASE("a revoked member: AUTHENTICATION_ERROR, even for their own slice") {
    f.ch.members.revoke_member(alice.member.urn, now_utc());
    const Struct answer = f.call("/SA", "get_credentials", {Value(urn), Value(Array{}), Value(Struct{})}, alice_chain);
    CHECK(code_of(answer) == 1);
    CHECK(answer.at("output").as_string().find("revoked") != std::string::npos);
  }
  SUBCASE("trusted certificates of non-members, or not the member's own: AUTHENTICATION_ERROR") {
    CHECK(code_of(f.call("/SA", "lookup_slices", {Value(Array{}), Value(Struct{})}, pki().bob.chain)) == 1);
    const Struct answer = f.call("/SA", "lookup_slices", {Value(Array{}), Value(Struct{})}, pki().alice.chain);
    CHECK(code_of(answer) == 1);
    CHECK(answer.at("output").as_string().find("is not the one this member authority issued") != std::string::npos);
  }
  SUBCASE("a duplicate slice: DUPLICATE_ERROR") {
    const Struct answer =
        f.call("/SA", "create_slice", {Value(Array{}), Value(fields({{"SLICE_NAME", Value("demo")}}))}, alice_chain);
    CHECK(code_of(answer) == 5);
    CHECK(answer.at("output").as_string().rfind("[DUPLICATE] DUPLICATE_ERROR", 0) == 0);
  }
  SUBCASE("bad arguments: ARGUMENT_ERROR; unsupported verbs: NOT_IMPLEMENTED") {
    CHECK(code_of(f.call("/SA", "create", {Value("SLICE"), Value(Array{}), Value(fields({}))}, alice_chain)) == 3);
    CHECK(code_of(f.call("/SA", "create", {Value("WIDGET"), Value(Array{}), Value(Struct{})}, alice_chain)) == 3);
    CHECK(code_of(f.call("/SA", "delete", {Value("SLICE"), Value(urn), Value(Array{}), Value(Struct{})},
                         alice_chain)) == 100);
    CHECK(code_of(f.call("/SA", "get_credentials", {Value(42)}, alice_chain)) == 3);
    CHECK(code_of(f.call("/SA", "lookup_slices", {Value(Array{}), Value("options")}, alice_chain)) == 3);
  }
}

TEST_CASE("slice membership and sliver info through the API") {
  ServiceFixture f;
  const IssuedMember alice = f.ch.member("alice");
  const IssuedMember bob = f.ch.member("bob");
  const auto chain = ServiceFixture::chain_of(alice);
  const std::string urn =
      f.call("/SA", "create_slice", {Value(Array{}), Value(fields({{"SLICE_NAME", Value("demo")}}))}, chain)
          .at("value")
          .find("SLICE_URN")
          ->as_string();
  const Struct add{
      {"members_to_add",
       Value(Array{Value(Struct{{"SLICE_MEMBER", Value(bob.member.urn)}, {"SLICE_ROLE", Value("MEMBER")}})})}};
  REQUIRE(code_of(f.call("/SA", "modify_membership", {Value("SLICE"), Value(urn), Value(Array{}), Value(add)},
                         chain)) == 0);
  const Struct members = f.call("/SA", "lookup_slice_members", {Value(urn), Value(Array{}), Value(Struct{})}, chain);
  CHECK(members.at("value").as_array().size() == 2);
  CHECK(code_of(f.call("/SA", "get_credentials", {Value(urn), Value(Array{}), Value(Struct{})},
                       ServiceFixture::chain_of(bob))) == 0);

  const Struct sliver = fields({{"SLIVER_INFO_URN", Value("urn:publicid:IDN+geni:lab+sliver+s1")},
                                {"SLIVER_INFO_SLICE_URN", Value(urn)},
                                {"SLIVER_INFO_AGGREGATE_URN", Value("urn:publicid:IDN+geni:lab+authority+am")},
                                {"SLIVER_INFO_EXPIRATION", Value("2099-01-01T00:00:00")}});
  REQUIRE(code_of(f.call("/SA", "create", {Value("SLIVER_INFO"), Value(Array{}), Value(sliver)}, chain)) == 0);
  const Struct slivers = f.call("/SA", "lookup_sliver_info",
                                {Value(Array{}), Value(match({{"SLIVER_INFO_SLICE_URN", Value(urn)}}))}, chain);
  const Struct& info = slivers.at("value").find("urn:publicid:IDN+geni:lab+sliver+s1")->as_struct();
  CHECK(info.at("SLIVER_INFO_CREATOR_URN").as_string() == alice.member.urn);
  CHECK(info.at("SLIVER_INFO_EXPIRATION").as_string() == "2099-01-01T00:00:00Z");
}

TEST_CASE("the member authority: public and identifying info, SSH keys, user credentials") {
  ServiceFixture f;
  const IssuedMember alice = f.ch.member("alice");
  const IssuedMember bob = f.ch.member("bob");
  const auto alice_chain = ServiceFixture::chain_of(alice);
  const auto bob_chain = ServiceFixture::chain_of(bob);
  const Struct by_alice =
      f.call("/MA", "lookup",
             {Value("MEMBER"), Value(Array{}), Value(match({{"MEMBER_URN", Value(alice.member.urn)}}))}, bob_chain);
  const Struct& seen_by_bob = by_alice.at("value").find(alice.member.urn)->as_struct();
  CHECK(seen_by_bob.at("MEMBER_USERNAME").as_string() == "alice");
  CHECK_FALSE(seen_by_bob.contains("MEMBER_EMAIL"));
  const Struct own = f.call("/MA", "lookup_identifying_member_info",
                            {Value(Array{}), Value(match({{"MEMBER_URN", Value(alice.member.urn)}}))}, alice_chain);
  CHECK(own.at("value").find(alice.member.urn)->find("MEMBER_EMAIL")->as_string() == "alice@example.org");

  const Struct key = fields({{"KEY_MEMBER", Value(alice.member.urn)}, {"KEY_PUBLIC", Value("ssh-rsa AAAAB3 alice")}});
  REQUIRE(code_of(f.call("/MA", "create", {Value("KEY"), Value(Array{}), Value(key)}, alice_chain)) == 0);
  CHECK(code_of(f.call("/MA", "create_key", {Value(Array{}), Value(key)}, bob_chain)) == 2);
  const Struct v1 = f.call("/MA", "lookup_keys",
                           {Value(Array{}), Value(match({{"KEY_MEMBER", Value(alice.member.urn)}}))}, bob_chain);
  CHECK(v1.at("value").find(alice.member.urn)->as_array().front().find("KEY_PUBLIC")->as_string() ==
        "ssh-rsa AAAAB3 alice");
  const Struct v2 =
      f.call("/MA", "lookup", {Value("KEY"), Value(Array{}), Value(match({{"KEY_MEMBER", Value(alice.member.urn)}}))},
             bob_chain);
  CHECK(v2.at("value").as_struct().size() == 1);

  const Struct user =
      f.call("/MA", "get_credentials", {Value(alice.member.urn), Value(Array{}), Value(Struct{})}, alice_chain);
  REQUIRE(code_of(user) == 0);
  const std::string xml = user.at("value").as_array().front().find("geni_value")->as_string();
  CHECK(trust::SignedCredential::parse(xml).credential().owner_urn == alice.member.urn);
  CHECK(code_of(f.call("/MA", "get_credentials", {Value(alice.member.urn), Value(Array{}), Value(Struct{})},
                       bob_chain)) == 2);
}

TEST_CASE("the registry lists services and trust roots to any TLS-authenticated caller") {
  ServiceFixture f;
  const auto caller = pki().alice.chain;
  const Struct aggregates = f.call("/", "lookup_aggregates", {Value(Struct{})}, caller);
  CHECK(aggregates.at("value").as_array().size() == 2);
  const Struct sas = f.call("/REG", "lookup",
                            {Value("SERVICE"), Value(Array{}),
                             Value(Struct{{"match", Value(Struct{{"SERVICE_TYPE", Value("SLICE_AUTHORITY")}})},
                                          {"filter", Value(Array{Value("SERVICE_URL")})}})},
                            caller);
  REQUIRE(sas.at("value").as_array().size() == 1);
  CHECK(sas.at("value").as_array().front().as_struct() == Struct{{"SERVICE_URL", Value("https://ch.test:8000/SA")}});
  const Struct peers =
      f.call("/CH", "lookup_aggregates", {Value(match({{"_GENI_SERVICE_FEDERATION", Value("peer")}}))}, caller);
  CHECK(peers.at("value").as_array().front().find("SERVICE_URN")->as_string() ==
        "urn:publicid:IDN+peer.org+authority+am");
  const Struct roots = f.call("/", "get_trust_roots", {}, caller);
  CHECK(roots.at("value").as_array().front().as_string() == pki().sa.cert().pem());
  const Struct version = f.call("/SA", "get_version", {}, caller);
  CHECK(version.at("value").find("API_VERSIONS")->find("2")->as_string() == "https://ch.test:8000/SA");
}

TEST_CASE("HTTP and XML-RPC errors stay outside the Federation API answers") {
  ServiceFixture f;
  CHECK(f.http("/nowhere", "get_version", {}, pki().alice.chain).status == 404);
  const rpc::HttpReply unknown = f.http("/SA", "lookup_everything", {}, pki().alice.chain);
  CHECK(rpc::parse_method_response(unknown.body).is_fault);
}

}  // namespace
}  // namespace federa::ch::testing
