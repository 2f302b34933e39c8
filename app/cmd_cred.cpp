#include "app/commands.h"

#include "clearinghouse/authorizer.h"
#include "clearinghouse/credential.h"
#include "clearinghouse/credential_issuer.h"
#include "clearinghouse/credential_verifier.h"
#include "common/geni_error.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace federa::app {
namespace {

using namespace federa::trust;

struct SignerFiles {
  std::string cert;
  std::string key;
  std::string algorithm = "sha256";
};

struct GrantOptions {
  std::string owner_cert;
  std::string privileges = "*";
  bool delegatable = false;
  std::string expires;
  std::string output;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// RFC 3339, or a duration from now: <n>m, <n>h or <n>d.
Timestamp parse_expiry(const std::string& text) {
  if (const auto time = parse_rfc3339(text)) return *time;
  std::size_t used = 0;
  long count = 0;
  try {
    count = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(now_utc());
  if (used > 0 && count > 0 && unit == "m") return now + std::chrono::minutes(count);
  if (used > 0 && count > 0 && unit == "h") return now + std::chrono::hours(count);
  if (used > 0 && count > 0 && unit == "d") return now + std::chrono::hours(24 * count);
  throw std::runtime_error("--expires '" + text + "' is neither an RFC 3339 time nor a duration like 12h or 30d");
}

std::vector<Privilege> parse_privileges(const std::string& list, bool delegatable) {
  std::vector<Privilege> privileges;
  std::stringstream names(list);
  for (std::string name; std::getline(names, name, ',');) {
    if (!name.empty()) privileges.push_back({name, delegatable});
  }
  if (privileges.empty()) throw std::runtime_error("--privileges names no privilege");
  return privileges;
}

Signer load_signer(const SignerFiles& files) {
  return {load_private_key_file(files.key), load_certificates_file(files.cert),
          files.algorithm == "sha1" ? SignatureAlgorithm::kRsaSha1 : SignatureAlgorithm::kRsaSha256};
}

CredentialSpec grant_spec(const GrantOptions& grant) {
  return {.owner = load_certificates_file(grant.owner_cert), .target = {}, .target_urn = "",
          .privileges = parse_privileges(grant.privileges, grant.delegatable),
          .expires = parse_expiry(grant.expires)};
}

void write_credential(const std::string& path, const std::string& xml) {
  write_file_atomically(path, xml, std::filesystem::perms(0644));
  const auto document = SignedCredential::parse(xml);
  std::cout << "wrote " << path << ": " << describe(document.credential()) << "\n";
}

// Runs a subcommand body; any failure is printed and becomes a non-zero exit.
void run(const std::function<void()>& body) {
  try {
    body();
  } catch (const GeniError& error) {
    std::cerr << "federa cred: " << geni_code_label(error.code()) << " (" << static_cast<int>(error.code())
              << "): " << error.what() << "\n";
    throw CLI::RuntimeError(2);
  } catch (const std::exception& error) {
    std::cerr << "federa cred: " << error.what() << "\n";
    throw CLI::RuntimeError(1);
  }
}

void add_signer_options(CLI::App* command, SignerFiles& signer, const char* who) {
  command->add_option("--" + std::string(who) + "-cert", signer.cert, "PEM certificate chain of the signer")
      ->required()->check(CLI::ExistingFile);
  command->add_option("--" + std::string(who) + "-key", signer.key, "PEM private key of the signer")
      ->required()->check(CLI::ExistingFile);
  command->add_option("--algorithm", signer.algorithm, "signature algorithm")
      ->check(CLI::IsMember({"sha256", "sha1"}))->capture_default_str();
}

void add_grant_options(CLI::App* command, GrantOptions& grant) {
  command->add_option("--owner-cert", grant.owner_cert, "PEM certificate (chain) of the credential owner")
      ->required()->check(CLI::ExistingFile);
  command->add_option("--privileges", grant.privileges, "comma-separated privileges, or * for the target's defaults")
      ->capture_default_str();
  command->add_flag("--delegatable", grant.delegatable, "let the owner delegate these privileges");
  command->add_option("--expires", grant.expires, "RFC 3339 time or a duration from now (12h, 30d)")->required();
  command->add_option("-o,--output", grant.output, "credential file to write")->required();
}

void add_issue(CLI::App& cred) {
  auto* command = cred.add_subcommand("issue", "issue a user or slice credential signed by an authority");
  auto signer = std::make_shared<SignerFiles>();
  auto grant = std::make_shared<GrantOptions>();
  auto target_cert = std::make_shared<std::string>();
  auto target_urn = std::make_shared<std::string>();
  add_signer_options(command, *signer, "signer");
  add_grant_options(command, *grant);
  auto* by_cert = command->add_option("--target-cert", *target_cert, "PEM certificate of the target (slice or user)")
                      ->check(CLI::ExistingFile);
  auto* by_urn = command->add_option("--target-urn", *target_urn, "URN of the target, when it has no certificate");
  by_cert->excludes(by_urn);
  command->callback([=] {
    run([&] {
      if (target_cert->empty() && target_urn->empty()) throw std::runtime_error("give --target-cert or --target-urn");
      CredentialSpec spec = grant_spec(*grant);
      if (!target_cert->empty()) spec.target = load_certificates_file(*target_cert);
      spec.target_urn = target_urn->empty() ? "" : Urn::parse(*target_urn).str();
      write_credential(grant->output, issue_credential(spec, load_signer(*signer)));
    });
  });
}

void add_delegate(CLI::App& cred) {
  auto* command = cred.add_subcommand("delegate", "delegate a credential to another owner, narrowing it");
  auto signer = std::make_shared<SignerFiles>();
  auto grant = std::make_shared<GrantOptions>();
  auto parent = std::make_shared<std::string>();
  add_signer_options(command, *signer, "signer");
  add_grant_options(command, *grant);
  command->add_option("--parent", *parent, "the credential to delegate (owned by the signer)")
      ->required()->check(CLI::ExistingFile);
  command->callback([=] {
    run([&] { write_credential(grant->output, delegate_credential(read_file(*parent), grant_spec(*grant), load_signer(*signer))); });
  });
}

void add_speaks_for(CLI::App& cred) {
  auto* command = cred.add_subcommand("speaks-for", "let a tool speak for a user (ABAC credential signed by the user)");
  auto signer = std::make_shared<SignerFiles>();
  auto tool_cert = std::make_shared<std::string>();
  auto expires = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  add_signer_options(command, *signer, "user");
  command->add_option("--tool-cert", *tool_cert, "PEM certificate of the tool")->required()->check(CLI::ExistingFile);
  command->add_option("--expires", *expires, "RFC 3339 time or a duration from now (12h, 30d)")->required();
  command->add_option("-o,--output", *output, "credential file to write")->required();
  command->callback([=] {
    run([&] {
      const Signer user = load_signer(*signer);
      const auto tool = load_certificates_file(*tool_cert);
      write_credential(*output, sign_credential(speaks_for_template(user.chain.front(), tool.front(),
                                                                    parse_expiry(*expires), user.algorithm),
                                                user));
    });
  });
}

void add_verify(CLI::App& cred) {
  auto* command = cred.add_subcommand("verify", "verify a credential against trust roots (and optionally a call)");
  struct Options {
    std::string roots, file, caller_cert, slice, operation;
  };
  auto options = std::make_shared<Options>();
  command->add_option("--trusted-roots", options->roots, "directory of trusted root certificates (PEM)")
      ->required()->check(CLI::ExistingDirectory);
  command->add_option("--caller-cert", options->caller_cert, "also authorize a call by this certificate (chain)")
      ->check(CLI::ExistingFile);
  command->add_option("--slice", options->slice, "the call's slice URN (with --caller-cert)");
  command->add_option("--operation", options->operation, "the call's operation, e.g. createsliver (with --caller-cert)");
  command->add_option("file", options->file, "the credential")->required()->check(CLI::ExistingFile);
  command->callback([=] {
    run([&] {
      const auto roots = TrustRoots::load_directory(options->roots);
      const std::string xml = read_file(options->file);
      const auto verified = verify_credential(SignedCredential::parse(xml), *roots, now_utc());
      std::cout << "OK " << describe(*verified.credential) << ", signed by "
                << verified.signer.front().urn().value_or(verified.signer.front().subject()) << "\n";
      if (options->caller_cert.empty()) return;
      const Authorizer authorizer(roots, nullptr);
      AuthorizationRequest request{load_certificates_file(options->caller_cert), std::nullopt, options->operation,
                                   {WireCredential::from_v2(xml)}, std::nullopt};
      if (!options->slice.empty()) request.slice_urn = options->slice;
      const auto result = authorizer.authorize(request);
      std::cout << "AUTHORIZED " << result.caller.str() << (options->operation.empty() ? "" : " for " + options->operation)
                << (result.expires ? " until " + format_rfc3339(*result.expires) : std::string()) << "\n";
    });
  });
}

}  // namespace

void add_cred_command(CLI::App& app) {
  auto* cred = app.add_subcommand("cred", "issue, delegate and verify GENI credentials");
  cred->require_subcommand(1);
  add_issue(*cred);
  add_delegate(*cred);
  add_speaks_for(*cred);
  add_verify(*cred);
}

}  // namespace federa::app
