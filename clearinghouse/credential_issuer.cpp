#include "clearinghouse/credential_issuer.h"

#include "clearinghouse/credential.h"
#include "common/geni_error.h"
#include "common/safe_xml.h"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace federa::trust {
namespace {

const xmlChar* x(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string text;
  char pair[3];
  for (std::size_t i = 0; i < size; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", bytes[i]);
    text += pair;
  }
  return text;
}

std::string new_ref_id() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  return "ref" + hex(bytes, sizeof bytes);
}

std::string chain_pem(const std::vector<Certificate>& chain) {
  std::string pem;
  for (const auto& certificate : chain) pem += certificate.pem();
  return pem;
}

void add_text(xmlNode* parent, const char* name, const std::string& text) {
  xmlNewTextChild(parent, nullptr, x(name), text.empty() ? nullptr : x(text.c_str()));
}

XmlDocument new_document() {
  XmlDocument doc(xmlNewDoc(x("1.0")));
  xmlNode* root = xmlNewNode(nullptr, x("signed-credential"));
  xmlDocSetRootElement(doc.get(), root);
  xmlNs* xsi = xmlNewNs(root, x("http://www.w3.org/2001/XMLSchema-instance"), x("xsi"));
  xmlSetNsProp(root, xsi, x("noNamespaceSchemaLocation"),
               x("http://www.geni.net/resources/credential/2/credential.xsd"));
  return doc;
}

// A new <credential xml:id=...> as the first child of the root, with its <type>.
xmlNode* new_credential(xmlDoc* doc, const std::string& id, const char* type) {
  xmlNode* root = xmlDocGetRootElement(doc);
  xmlNode* credential = xmlNewNode(nullptr, x("credential"));
  if (root->children) xmlAddPrevSibling(root->children, credential);
  else xmlAddChild(root, credential);
  xmlNs* xml_ns = xmlSearchNsByHref(doc, credential, XML_XML_NAMESPACE);
  xmlAttr* attribute = xmlSetNsProp(credential, xml_ns, x("id"), x(id.c_str()));
  xmlAddID(nullptr, doc, x(id.c_str()), attribute);
  add_text(credential, "type", type);
  return credential;
}

void add_privilege_fields(xmlNode* credential, const CredentialSpec& spec, const std::string& target_gid,
                          const std::string& target_urn) {
  if (spec.owner.empty() || !spec.owner.front().urn()) {
    throw std::invalid_argument("the credential owner needs a certificate with a GENI URN");
  }
  if (target_urn.empty()) throw std::invalid_argument("the credential needs a target certificate or URN");
  add_text(credential, "serial", spec.serial);
  add_text(credential, "owner_gid", chain_pem(spec.owner));
  add_text(credential, "owner_urn", *spec.owner.front().urn());
  add_text(credential, "target_gid", target_gid);
  add_text(credential, "target_urn", target_urn);
  add_text(credential, "uuid", "");
  add_text(credential, "expires", format_rfc3339(spec.expires));
  xmlNode* privileges = xmlNewChild(credential, nullptr, x("privileges"), nullptr);
  for (const auto& privilege : spec.privileges) {
    xmlNode* node = xmlNewChild(privileges, nullptr, x("privilege"), nullptr);
    add_text(node, "name", privilege.name);
    add_text(node, "can_delegate", privilege.can_delegate ? "true" : "false");
  }
}

xmlNode* signatures_of(xmlDoc* doc) {
  xmlNode* root = xmlDocGetRootElement(doc);
  for (xmlNode* child = root->children; child; child = child->next) {
    if (child->type == XML_ELEMENT_NODE && xml_name(child) == "signatures") return child;
  }
  return xmlNewChild(root, nullptr, x("signatures"), nullptr);
}

std::string serialize(xmlDoc* doc) {
  xmlChar* buffer = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &buffer, &size, "UTF-8");
  if (!buffer) throw std::bad_alloc();
  std::string text(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
  xmlFree(buffer);
  return text;
}

std::string finish_template(xmlDoc* doc, const std::string& id, SignatureAlgorithm algorithm) {
  add_signature_template(signatures_of(doc), id, algorithm);
  return serialize(doc);
}

}  // namespace

std::string credential_template(const CredentialSpec& spec, SignatureAlgorithm algorithm) {
  const std::string target_urn =
      !spec.target_urn.empty() ? spec.target_urn : (spec.target.empty() ? "" : spec.target.front().urn().value_or(""));
  XmlDocument doc = new_document();
  const std::string id = new_ref_id();
  add_privilege_fields(new_credential(doc.get(), id, "privilege"), spec, chain_pem(spec.target), target_urn);
  return finish_template(doc.get(), id, algorithm);
}

std::string delegation_template(std::string_view parent_xml, const CredentialSpec& spec, SignatureAlgorithm algorithm) {
  const SignedCredential parent = SignedCredential::parse(parent_xml);
  if (parent.credential().type != kPrivilegeCredential) {
    throw std::invalid_argument("only privilege credentials can be delegated");
  }
  xmlDoc* doc = parent.document();
  xmlNode* parent_node = xmlDocGetRootElement(doc)->children;
  while (parent_node && !(parent_node->type == XML_ELEMENT_NODE && xml_name(parent_node) == "credential")) {
    parent_node = parent_node->next;
  }
  xmlUnlinkNode(parent_node);
  const std::string id = new_ref_id();
  xmlNode* credential = new_credential(doc, id, "privilege");
  std::string target_gid;
  for (xmlNode* child = parent_node->children; child; child = child->next) {
    if (child->type == XML_ELEMENT_NODE && xml_name(child) == "target_gid") target_gid = xml_text(child);
  }
  add_privilege_fields(credential, spec, target_gid, parent.credential().target_urn);
  xmlAddChild(xmlNewChild(credential, nullptr, x("parent"), nullptr), parent_node);
  return finish_template(doc, id, algorithm);
}

std::string speaks_for_template(const Certificate& user, const Certificate& tool, Timestamp expires,
                                SignatureAlgorithm algorithm) {
  XmlDocument doc = new_document();
  const std::string id = new_ref_id();
  xmlNode* credential = new_credential(doc.get(), id, "abac");
  for (const char* empty : {"serial", "owner_gid", "owner_urn", "target_gid", "target_urn", "uuid"}) {
    add_text(credential, empty, "");
  }
  add_text(credential, "expires", format_rfc3339(expires));
  xmlNode* rt0 = xmlNewChild(xmlNewChild(credential, nullptr, x("abac"), nullptr), nullptr, x("rt0"), nullptr);
  add_text(rt0, "version", "1.1");
  const auto add_principal = [](xmlNode* parent, const Certificate& certificate) {
    xmlNode* principal = xmlNewChild(parent, nullptr, x("ABACprincipal"), nullptr);
    add_text(principal, "keyid", certificate_keyid(certificate));
    add_text(principal, "mnemonic", certificate.urn().value_or(""));
  };
  xmlNode* head = xmlNewChild(rt0, nullptr, x("head"), nullptr);
  add_principal(head, user);
  add_text(head, "role", "speaks_for_" + certificate_keyid(user));
  add_principal(xmlNewChild(rt0, nullptr, x("tail"), nullptr), tool);
  return finish_template(doc.get(), id, algorithm);
}

std::string sign_credential(std::string_view template_xml, const Signer& signer) {
  const SignedCredential parsed = SignedCredential::parse(template_xml);
  sign_reference(parsed.document(), parsed.credential().id, signer.key, signer.chain);
  return serialize(parsed.document());
}

std::string issue_credential(const CredentialSpec& spec, const Signer& signer) {
  return sign_credential(credential_template(spec, signer.algorithm), signer);
}

std::string delegate_credential(std::string_view parent_xml, const CredentialSpec& spec, const Signer& signer) {
  return sign_credential(delegation_template(parent_xml, spec, signer.algorithm), signer);
}

std::string certificate_keyid(const Certificate& certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (X509_pubkey_digest(certificate.get(), EVP_sha1(), digest, &size) != 1) {
    throw std::runtime_error("cannot hash the public key of " + certificate.subject());
  }
  return hex(digest, size);
}

}  // namespace federa::trust
