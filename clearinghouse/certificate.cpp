#include "clearinghouse/certificate.h"

#include "common/uuid.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace federa::trust {
namespace {

constexpr std::string_view kUrnPrefix = "urn:publicid:IDN+";
constexpr std::string_view kUuidPrefix = "urn:uuid:";

[[noreturn]] void throw_openssl(const std::string& what) {
  char buffer[256] = "unknown error";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, buffer, sizeof buffer);
  ERR_clear_error();
  throw std::runtime_error(what + ": " + buffer);
}

template <typename T>
T* check(T* pointer, const char* what) {
  if (!pointer) throw_openssl(what);
  return pointer;
}

void check(int ok, const char* what) {
  if (ok <= 0) throw_openssl(what);
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

struct NamesDeleter {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
using Names = std::unique_ptr<GENERAL_NAMES, NamesDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

// All subjectAltName entries of one GENERAL_NAME type, as text.
std::vector<std::string> alt_names(X509* x509, int type) {
  Names names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
  std::vector<std::string> values;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != type) continue;
    const ASN1_IA5STRING* text = name->d.ia5;
    values.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                        static_cast<std::size_t>(ASN1_STRING_length(text)));
  }
  return values;
}

std::optional<std::string> first_with_prefix(const std::vector<std::string>& values,
                                             std::string_view prefix) {
  for (const auto& value : values) {
    if (starts_with_icase(value, prefix)) return value;
  }
  return std::nullopt;
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
  std::tm tm{};
  check(ASN1_TIME_to_tm(time, &tm), "ASN1_TIME_to_tm");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}


// "<authority>.<type>.<name>" with the authority in publicid form (':' -> '//'), max 64 chars.
std::string common_name_for(const std::string& urn) {
  std::string rest = urn.substr(std::min(urn.size(), kUrnPrefix.size()));
  std::string cn;
  for (char c : rest) {
    if (c == '+') cn += '.';
    else if (c == ':') cn += "//";
    else cn += c;
  }
  return cn.substr(0, 64);
}

void add_general_name(GENERAL_NAMES* names, int type, const std::string& value) {
  ASN1_IA5STRING* text = check(ASN1_IA5STRING_new(), "ASN1_IA5STRING_new");
  check(ASN1_STRING_set(text, value.data(), static_cast<int>(value.size())), "ASN1_STRING_set");
  GENERAL_NAME* name = check(GENERAL_NAME_new(), "GENERAL_NAME_new");
  GENERAL_NAME_set0_value(name, type, text);
  check(sk_GENERAL_NAME_push(names, name), "sk_GENERAL_NAME_push");
}

void add_subject_alt_names(X509* x509, const CertificateSpec& spec) {
  Names names(check(GENERAL_NAMES_new(), "GENERAL_NAMES_new"));
  add_general_name(names.get(), GEN_URI, spec.urn);
  add_general_name(names.get(), GEN_URI, std::string(kUuidPrefix) + new_uuid());
  if (!spec.email.empty()) add_general_name(names.get(), GEN_EMAIL, spec.email);
  check(X509_add1_ext_i2d(x509, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT),
        "subjectAltName");
}

void add_extension(X509* x509, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = check(X509V3_EXT_conf_nid(nullptr, ctx, nid, value), value);
  const int ok = X509_add_ext(x509, ext, -1);
  X509_EXTENSION_free(ext);
  check(ok, "X509_add_ext");
}

void set_random_serial(X509* x509) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(check(BN_new(), "BN_new"), BN_free);
  check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x509)) ? 1 : 0, "serial");
}

}  // namespace

Certificate::Certificate(std::shared_ptr<X509> x509) : x509_(std::move(x509)) {
  if (!x509_) throw std::invalid_argument("null certificate");
}

std::optional<std::string> Certificate::urn() const {
  return first_with_prefix(alt_names(get(), GEN_URI), kUrnPrefix);
}

std::optional<std::string> Certificate::uuid() const {
  auto value = first_with_prefix(alt_names(get(), GEN_URI), kUuidPrefix);
  if (value) value->erase(0, kUuidPrefix.size());
  return value;
}

std::optional<std::string> Certificate::email() const {
  auto emails = alt_names(get(), GEN_EMAIL);
  return emails.empty() ? std::nullopt : std::optional<std::string>(emails.front());
}

std::string Certificate::subject() const {
  Bio bio(check(BIO_new(BIO_s_mem()), "BIO_new"));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(get()), 0, XN_FLAG_ONELINE);
  return bio_text(bio.get());
}

bool Certificate::is_ca() const { return X509_check_ca(get()) > 0; }

std::chrono::system_clock::time_point Certificate::not_before() const {
  return to_time_point(X509_get0_notBefore(get()));
}

std::chrono::system_clock::time_point Certificate::not_after() const {
  return to_time_point(X509_get0_notAfter(get()));
}

std::string Certificate::pem() const {
  Bio bio(check(BIO_new(BIO_s_mem()), "BIO_new"));
  check(PEM_write_bio_X509(bio.get(), get()), "PEM_write_bio_X509");
  return bio_text(bio.get());
}

PrivateKey generate_rsa_key(int bits) {
  return PrivateKey(check(EVP_RSA_gen(static_cast<unsigned>(bits)), "EVP_RSA_gen"), EVP_PKEY_free);
}

Certificate issue_certificate(const CertificateSpec& spec, const PrivateKey& subject_key,
                              const Certificate* issuer, const PrivateKey& issuer_key) {
  std::shared_ptr<X509> x509(check(X509_new(), "X509_new"), X509_free);
  X509* cert = x509.get();
  check(X509_set_version(cert, 2), "X509_set_version");
  set_random_serial(cert);
  check(X509_gmtime_adj(X509_getm_notBefore(cert), -spec.backdate.count()) ? 1 : 0, "notBefore");
  const long lifetime = std::chrono::duration_cast<std::chrono::seconds>(spec.lifetime).count();
  check(X509_gmtime_adj(X509_getm_notAfter(cert), lifetime - spec.backdate.count()) ? 1 : 0,
        "notAfter");
  X509_NAME* name = X509_get_subject_name(cert);
  const std::string cn = common_name_for(spec.urn);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0),
        "subject CN");
  X509* issuer_x509 = issuer ? issuer->get() : cert;
  check(X509_set_issuer_name(cert, X509_get_subject_name(issuer_x509)), "issuer name");
  check(X509_set_pubkey(cert, subject_key.get()), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_x509, cert, nullptr, nullptr, 0);
  add_extension(cert, &ctx, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert, &ctx, NID_key_usage,
                spec.is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign,cRLSign"
                           : "critical,digitalSignature,keyEncipherment");
  add_extension(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
  add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
  add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always");
  add_subject_alt_names(cert, spec);
  check(X509_sign(cert, issuer_key.get(), EVP_sha256()), "X509_sign");
  return Certificate(std::move(x509));
}

std::vector<Certificate> load_certificates_pem(std::string_view pem) {
  Bio bio(check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO_new_mem_buf"));
  std::vector<Certificate> chain;
  while (X509* x509 = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    chain.emplace_back(std::shared_ptr<X509>(x509, X509_free));
  }
  const unsigned long last = ERR_peek_last_error();
  if (!chain.empty() && ERR_GET_REASON(last) == PEM_R_NO_START_LINE) ERR_clear_error();
  if (chain.empty() || ERR_peek_error()) throw_openssl("no valid PEM certificate");
  return chain;
}

std::vector<Certificate> load_certificates_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  try {
    return load_certificates_pem(text.str());
  } catch (const std::exception& error) {
    throw std::runtime_error(file.string() + ": " + error.what());
  }
}

PrivateKey load_private_key_file(const std::filesystem::path& file) {
  std::unique_ptr<FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  EVP_PKEY* key = PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr);
  if (!key) throw_openssl(file.string() + ": no PEM private key");
  return PrivateKey(key, EVP_PKEY_free);
}

std::string private_key_pem(const PrivateKey& key) {
  Bio bio(check(BIO_new(BIO_s_mem()), "BIO_new"));
  check(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return bio_text(bio.get());
}

void write_file_atomically(const std::filesystem::path& file, std::string_view content,
                           std::filesystem::perms permissions) {
  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        static_cast<mode_t>(permissions));
  if (fd < 0) throw std::runtime_error("cannot create " + temp.string() + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, static_cast<mode_t>(permissions)) == 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    ok = n > 0;
    done += ok ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(temp.c_str(), file.c_str()) != 0) {
    std::filesystem::remove(temp);
    throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
  }
}

}  // namespace federa::trust
