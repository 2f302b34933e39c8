#include "clearinghouse/member_authority.h"

#include "clearinghouse/ch_error.h"
#include "clearinghouse/credential_issuer.h"
#include "clearinghouse/urn.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <algorithm>

namespace federa::ch {
namespace {

trust::PrivateKey public_key_from_pem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!key) throw ChError(ChCode::kArgument, "the uploaded public key is not a PEM public key (BEGIN PUBLIC KEY)");
  return trust::PrivateKey(key, EVP_PKEY_free);
}

std::string user_urn(const AuthorityIdentity& authority, const std::string& username) {
  try {
    return trust::Urn::parse(authority.urn("user", username)).str();
  } catch (const GeniError& error) {
    throw ChError(ChCode::kArgument, "username '" + username + "': " + error.what());
  }
}

void require_self_or_operator(const Member& caller, const std::string& member_urn, const std::string& what) {
  if (!caller.is_operator && !trust::same_urn(caller.urn, member_urn)) {
    throw ChError(ChCode::kAuthorization, caller.urn + " may not " + what + " of " + member_urn);
  }
}

}  // namespace

MemberAuthority::MemberAuthority(store::Store& store, std::shared_ptr<const AuthorityIdentity> authority,
                                 MemberPolicy policy)
    : store_(store), authority_(std::move(authority)), policy_(policy) {}

IssuedMember MemberAuthority::create_member(const NewMember& request, Timestamp now) {
  const std::string urn = user_urn(*authority_, request.username);
  const bool generated = request.public_key_pem.empty();
  const trust::PrivateKey subject_key =
      generated ? trust::generate_rsa_key() : public_key_from_pem(request.public_key_pem);
  const trust::Certificate certificate = trust::issue_certificate(
      {.urn = urn, .email = request.email, .is_ca = false, .lifetime = policy_.certificate_lifetime}, subject_key,
      &authority_->certificate, authority_->key);
  IssuedMember issued{.member = {.urn = urn,
                                 .username = request.username,
                                 .email = request.email,
                                 .first_name = request.first_name,
                                 .last_name = request.last_name,
                                 .uid = certificate.uuid().value_or(random_id()),
                                 .certificate = certificate.pem(),
                                 .is_operator = request.is_operator,
                                 .revoked_at = std::nullopt,
                                 .created_at = now},
                      .certificate_chain_pem = certificate.pem() + authority_->certificate.pem(),
                      .private_key_pem = generated ? trust::private_key_pem(subject_key) : ""};
  store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    if (db.member(urn)) throw ChError(ChCode::kDuplicate, "member " + urn + " already exists");
    db.insert_member(issued.member);
  });
  return issued;
}

RevokedCertificate MemberAuthority::revoke_member(const std::string& member_urn, Timestamp now) {
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const auto member = db.member(member_urn);
    if (!member) throw ChError(ChCode::kArgument, "unknown member " + member_urn);
    const std::string serial = serial_hex(trust::load_certificates_pem(member->certificate).front());
    const Timestamp at = member->revoked_at.value_or(std::chrono::time_point_cast<std::chrono::seconds>(now));
    db.revoke_member(member->urn, serial, at);
    return RevokedCertificate{serial, member->urn, at};
  });
}

std::vector<RevokedCertificate> MemberAuthority::revocations() {
  return store_.read([](store::Transaction& tx) { return ChStore(tx).revoked_certificates(); });
}

Member MemberAuthority::authenticate(const std::string& caller_urn, const trust::Certificate* presented) {
  const auto member = store_.read([&](store::Transaction& tx) { return ChStore(tx).member(caller_urn); });
  if (!member) {
    throw ChError(ChCode::kAuthentication,
                  (caller_urn.empty() ? std::string("the client certificate names no GENI URN") : caller_urn) +
                      " is not a member of this member authority (ask an operator: federa ch member create)");
  }
  if (member->revoked_at) {
    throw ChError(ChCode::kAuthentication,
                  member->urn + " was revoked at " + format_rfc3339(*member->revoked_at) + " and may no longer call");
  }
  if (presented && presented->pem() != member->certificate) {
    throw ChError(ChCode::kAuthentication, "the client certificate (serial " + serial_hex(*presented) +
                                               ") is not the one this member authority issued to " + member->urn);
  }
  return *member;
}

std::vector<Member> MemberAuthority::lookup_members(const std::vector<std::string>& urns) {
  return store_.read([&](store::Transaction& tx) { return ChStore(tx).members(urns); });
}

bool MemberAuthority::may_see_identifying(const Member& caller, const std::string& member_urn) {
  if (caller.is_operator || trust::same_urn(caller.urn, member_urn)) return true;
  return store_.read(
      [&](store::Transaction& tx) { return ChStore(tx).share_slice_or_project(caller.urn, member_urn); });
}

std::vector<trust::Certificate> MemberAuthority::member_chain(const Member& member) const {
  return authority_->chain_of(trust::load_certificates_pem(member.certificate).front());
}

std::string MemberAuthority::user_credential(const Member& caller, const std::string& member_urn, Timestamp now) {
  if (!trust::same_urn(caller.urn, member_urn)) {
    throw ChError(ChCode::kAuthorization, caller.urn + " may only get its own user credential, not " + member_urn);
  }
  const std::vector<trust::Certificate> chain = member_chain(caller);
  const auto not_after = std::chrono::time_point_cast<std::chrono::microseconds>(chain.front().not_after());
  const Timestamp expires = std::min(now + policy_.user_credential_lifetime, Timestamp(not_after.time_since_epoch()));
  return trust::issue_credential({.owner = chain,
                                  .target = chain,
                                  .target_urn = "",
                                  .privileges = trust::default_privileges("user", "", true),
                                  .expires = expires},
                                 authority_->signer());
}

MemberKey MemberAuthority::add_key(const Member& caller, MemberKey key) {
  require_self_or_operator(caller, key.member_urn, "add SSH keys");
  if (key.public_key.empty() || key.public_key.find('\n') != std::string::npos) {
    throw ChError(ChCode::kArgument, "KEY_PUBLIC must be one OpenSSH public key line");
  }
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const auto member = db.member(key.member_urn);
    if (!member) throw ChError(ChCode::kArgument, "unknown member " + key.member_urn);
    key.member_urn = member->urn;
    key.id = sha256_hex(member->urn + "\n" + key.public_key).substr(0, 32);
    if (db.key(key.id)) throw ChError(ChCode::kDuplicate, "this key is already registered for " + member->urn);
    db.insert_key(key);
    return key;
  });
}

void MemberAuthority::delete_key(const Member& caller, const std::string& key_id) {
  store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const auto key = db.key(key_id);
    if (!key) throw ChError(ChCode::kArgument, "unknown key " + key_id);
    require_self_or_operator(caller, key->member_urn, "delete SSH keys");
    db.delete_key(key_id);
  });
}

std::vector<MemberKey> MemberAuthority::lookup_keys(const std::vector<std::string>& member_urns) {
  return store_.read([&](store::Transaction& tx) { return ChStore(tx).keys(member_urns); });
}

}  // namespace federa::ch
