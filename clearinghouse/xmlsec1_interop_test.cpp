// Two independent implementations agreeing: the Debian xmlsec1 tool (what gcf shells out to)
// verifies what federa signs, and federa verifies what xmlsec1 signs.
#include "clearinghouse/authorizer.h"
#include "clearinghouse/credential.h"
#include "clearinghouse/test_pki.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace federa::trust;
using namespace federa::trust::testing;

namespace {

struct Workdir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("federa-xmlsec1-" + std::to_string(::getpid()));
  Workdir() { std::filesystem::create_directories(path); }
  ~Workdir() { std::filesystem::remove_all(path); }
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return path / name;
  }
};

// Runs a command, returning its exit status and its combined output.
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  return {::pclose(pipe), output};
}

std::string read(const std::filesystem::path& file) {
  std::stringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  return text.str();
}

std::string xmlsec1_verify(const Workdir& dir, const std::string& xml, const std::string& id, const Identity& root) {
  const auto file = dir.write("credential.xml", xml);
  const auto root_pem = dir.write("root.pem", root.cert().pem());
  return run("xmlsec1 --verify --node-id Sig_" + id + " --trusted-pem " + root_pem.string() + " " + file.string()).second;
}

}  // namespace

TEST_CASE("xmlsec1 verifies credentials federa signed, and refuses altered or untrusted ones") {
  Workdir dir;
  for (auto algorithm : {SignatureAlgorithm::kRsaSha1, SignatureAlgorithm::kRsaSha256}) {
    const std::string xml = slice_credential(pki().alice, hours_from_now(1), slice_privileges(), nullptr, algorithm);
    const std::string id = SignedCredential::parse(xml).credential().id;
    CHECK(xmlsec1_verify(dir, xml, id, pki().sa).rfind("OK", 0) == 0);
    const auto altered = std::string(xml).replace(xml.find("<name>info</name>"), 17, "<name>infx</name>");
    CHECK(xmlsec1_verify(dir, altered, id, pki().sa).find("FAIL") != std::string::npos);
    CHECK(xmlsec1_verify(dir, xml, id, pki().rogue).rfind("OK", 0) != 0);
  }
  // Each signature of a delegated credential verifies on its own.
  const std::string parent = slice_credential(pki().alice, hours_from_now(2));
  const std::string child = delegate_credential(parent, {.owner = pki().bob.chain, .privileges = {{"info", false}},
                                                         .expires = hours_from_now(1)},
                                                pki().alice.signer());
  const auto document = SignedCredential::parse(child);
  CHECK(xmlsec1_verify(dir, child, document.credential().id, pki().sa).rfind("OK", 0) == 0);
  CHECK(xmlsec1_verify(dir, child, document.credential().parent->id, pki().sa).rfind("OK", 0) == 0);
}

TEST_CASE("federa accepts a credential that xmlsec1 signed from a federa template") {
  Workdir dir;
  const CredentialSpec spec{.owner = pki().alice.chain, .target = pki().slice.chain, .target_urn = "",
                            .privileges = slice_privileges(), .expires = hours_from_now(1)};
  const std::string unsigned_xml = credential_template(spec, SignatureAlgorithm::kRsaSha1);
  const std::string id = SignedCredential::parse(unsigned_xml).credential().id;
  const auto key = dir.write("sa.key", private_key_pem(pki().sa.key));
  const auto cert = dir.write("sa.pem", pki().sa.cert().pem());
  const auto input = dir.write("template.xml", unsigned_xml);
  const auto output = dir.path / "signed.xml";
  const auto signing = run("xmlsec1 --sign --node-id Sig_" + id + " --privkey-pem " + key.string() + "," +
                                     cert.string() + " --output " + output.string() + " " + input.string());
  INFO(signing.second);
  REQUIRE(signing.first == 0);
  const std::string signed_xml = read(output);
  Authorizer authorizer(pki().roots, nullptr);
  AuthorizationRequest request{pki().alice.chain, pki().slice.urn(), "createsliver",
                               {{"geni_sfa", "3", signed_xml}}, std::nullopt};
  CHECK(authorizer.authorize(request).caller.str() == pki().alice.urn());
  request.credentials[0].value = std::string(signed_xml).replace(signed_xml.find("<name>bind</name>"), 17, "<name>bimd</name>");
  CHECK_THROWS_AS(authorizer.authorize(request), federa::GeniError);
}
