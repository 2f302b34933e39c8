// The local certificate authority behind the embedded defaults: created on first use in
// <data_dir>/ca, trusted through <data_dir>/trusted_roots, it issues the aggregate's certificate
// and experimenters' certificates (with a ready omni_config). Every step is idempotent: what
// exists is reused, so running the quick start twice changes nothing.
#pragma once

#include <filesystem>
#include <string>

#include "clearinghouse/certificate.h"

namespace federa::app {

struct LocalCa {
  std::filesystem::path data_dir;
  std::string authority;
  trust::Certificate certificate;
  trust::PrivateKey key;
};

LocalCa open_or_create_local_ca(const std::filesystem::path& data_dir, const std::string& authority);

// <data_dir>/am/am-cert.pem (aggregate certificate + CA) and am-key.pem, unless present.
void ensure_aggregate_certificate(const LocalCa& ca, const std::filesystem::path& certificate,
                                  const std::filesystem::path& key);

struct ExperimenterFiles {
  std::filesystem::path dir, certificate, key, omni_config;
  std::string urn;
};

// <data_dir>/experimenters/<name>/: <name>-cert.pem (with the CA), <name>-key.pem (0600),
// omni_config pointing at `am_url`. Existing files are kept.
ExperimenterFiles ensure_experimenter(const LocalCa& ca, const std::string& name, const std::string& email,
                                      const std::string& am_url);

// Issues `file_stem`-cert.pem/-key.pem in `dir` for any URN, signed by the given authority.
void issue_to_files(const trust::CertificateSpec& spec, const trust::Certificate* issuer,
                    const trust::PrivateKey& issuer_key, const std::filesystem::path& dir,
                    const std::string& file_stem);

}  // namespace federa::app
