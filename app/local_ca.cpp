#include "app/local_ca.h"

#include <fstream>
#include <stdexcept>

namespace federa::app {
namespace {

namespace fs = std::filesystem;
constexpr auto kPublic = fs::perms(0644);
constexpr auto kPrivate = fs::perms(0600);

void make_private_dir(const fs::path& dir) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms(0700));
}

void write_identity(const fs::path& cert_file, const fs::path& key_file, const trust::Certificate& cert,
                    const trust::Certificate* issuer, const trust::PrivateKey& key) {
  trust::write_file_atomically(key_file, trust::private_key_pem(key), kPrivate);
  trust::write_file_atomically(cert_file, cert.pem() + (issuer ? issuer->pem() : ""), kPublic);
}

std::string omni_config_text(const ExperimenterFiles& files, const std::string& name, const LocalCa& ca,
                             const std::string& am_url) {
  return "# omni configuration written by `federa ca experimenter`.\n"
         "# Use:  omni -c " + files.omni_config.string() + " -a federa -V3 getversion\n"
         "[omni]\n"
         "default_cf = local\n"
         "users = " + name + "\n\n"
         "[local]\n"
         "type = gcf\n"
         "authority = " + ca.authority + "\n"
         "ch = https://127.0.0.1:8000\n"
         "cert = " + files.certificate.string() + "\n"
         "key = " + files.key.string() + "\n\n"
         "[" + name + "]\n"
         "urn = " + files.urn + "\n"
         "keys = ~/.ssh/id_rsa.pub\n\n"
         "[aggregate_nicknames]\n"
         "federa = urn:publicid:IDN+" + ca.authority + "+authority+am," + am_url + "\n";
}

}  // namespace

void issue_to_files(const trust::CertificateSpec& spec, const trust::Certificate* issuer,
                    const trust::PrivateKey& issuer_key, const fs::path& dir, const std::string& file_stem) {
  make_private_dir(dir);
  const trust::PrivateKey key = trust::generate_rsa_key();
  const trust::PrivateKey& signer = issuer ? issuer_key : key;
  const trust::Certificate cert = trust::issue_certificate(spec, key, issuer, signer);
  write_identity(dir / (file_stem + "-cert.pem"), dir / (file_stem + "-key.pem"), cert, issuer, key);
}

LocalCa open_or_create_local_ca(const fs::path& data_dir, const std::string& authority) {
  const fs::path dir = data_dir / "ca";
  const fs::path cert_file = dir / "ca-cert.pem";
  if (!fs::exists(cert_file)) {
    issue_to_files({.urn = "urn:publicid:IDN+" + authority + "+authority+sa", .is_ca = true,
                    .lifetime = std::chrono::hours(24 * 365 * 10)},
                   nullptr, nullptr, dir, "ca");
  }
  LocalCa ca{data_dir, authority, trust::load_certificates_file(cert_file).front(),
             trust::load_private_key_file(dir / "ca-key.pem")};
  const fs::path roots = data_dir / "trusted_roots";
  fs::create_directories(roots);
  if (!fs::exists(roots / "local-ca.pem")) {
    trust::write_file_atomically(roots / "local-ca.pem", ca.certificate.pem(), kPublic);
  }
  return ca;
}

void ensure_aggregate_certificate(const LocalCa& ca, const fs::path& certificate, const fs::path& key) {
  if (fs::exists(certificate) && fs::exists(key)) return;
  make_private_dir(certificate.parent_path());
  const trust::PrivateKey am_key = trust::generate_rsa_key();
  const trust::Certificate cert = trust::issue_certificate(
      {.urn = "urn:publicid:IDN+" + ca.authority + "+authority+am", .is_ca = true}, am_key, &ca.certificate, ca.key);
  write_identity(certificate, key, cert, &ca.certificate, am_key);
}

ExperimenterFiles ensure_experimenter(const LocalCa& ca, const std::string& name, const std::string& email,
                                      const std::string& am_url) {
  ExperimenterFiles files;
  files.dir = ca.data_dir / "experimenters" / name;
  files.certificate = files.dir / (name + "-cert.pem");
  files.key = files.dir / (name + "-key.pem");
  files.omni_config = files.dir / "omni_config";
  files.urn = "urn:publicid:IDN+" + ca.authority + "+user+" + name;
  if (!fs::exists(files.certificate) || !fs::exists(files.key)) {
    issue_to_files({.urn = files.urn, .email = email}, &ca.certificate, ca.key, files.dir, name);
  }
  trust::write_file_atomically(files.omni_config, omni_config_text(files, name, ca, am_url), kPublic);
  return files;
}

}  // namespace federa::app
