#include "clearinghouse/credential.h"

#include "clearinghouse/urn.h"
#include "common/geni_error.h"

#include <libxml/valid.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace federa::trust {
namespace {

constexpr int kMaxDelegationDepth = 8;
constexpr std::size_t kMaxCredentialBytes = 1024 * 1024;
constexpr int kMaxXmlDepth = 64;

[[noreturn]] void invalid(const std::string& message) {
  throw CredentialParseError("credential is invalid: " + message);
}

std::string trim(std::string text) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), space));
  text.erase(std::find_if_not(text.rbegin(), text.rend(), space).base(), text.end());
  return text;
}

bool is_element(const xmlNode* node, std::string_view name) {
  return node && node->type == XML_ELEMENT_NODE && xml_name(node) == name;
}

std::vector<xmlNode*> children_named(const xmlNode* parent, std::string_view name) {
  std::vector<xmlNode*> found;
  for (xmlNode* child = parent ? parent->children : nullptr; child; child = child->next) {
    if (is_element(child, name)) found.push_back(child);
  }
  return found;
}

xmlNode* optional_child(const xmlNode* parent, std::string_view name) {
  const auto found = children_named(parent, name);
  if (found.size() > 1) invalid("more than one <" + std::string(name) + ">");
  return found.empty() ? nullptr : found.front();
}

xmlNode* required_child(const xmlNode* parent, std::string_view name) {
  xmlNode* child = optional_child(parent, name);
  if (!child) invalid("<" + std::string(xml_name(parent)) + "> has no <" + std::string(name) + ">");
  return child;
}

std::string child_text(const xmlNode* parent, std::string_view name) {
  return trim(xml_text(optional_child(parent, name)));
}

std::string xml_id(const xmlNode* node) {
  xmlChar* value = xmlGetNsProp(node, reinterpret_cast<const xmlChar*>("id"), XML_XML_NAMESPACE);
  std::string id = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return id;
}

// Registers every xml:id as an ID (there is no DTD) and refuses duplicates, so a signature
// reference resolves to exactly one element.
void register_ids(xmlDoc* doc, xmlNode* node, std::set<std::string>& seen) {
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* attribute = node->properties; attribute; attribute = attribute->next) {
      const bool is_xml_id = attribute->ns && attribute->ns->href &&
                             xmlStrEqual(attribute->ns->href, XML_XML_NAMESPACE) &&
                             xmlStrEqual(attribute->name, reinterpret_cast<const xmlChar*>("id"));
      if (!is_xml_id) continue;
      const std::string id = xml_id(node);
      if (id.empty() || !seen.insert(id).second) invalid("xml:id '" + id + "' is empty or not unique");
      if (!xmlIsID(doc, node, attribute) &&
          !xmlAddID(nullptr, doc, reinterpret_cast<const xmlChar*>(id.c_str()), attribute)) {
        invalid("cannot register xml:id '" + id + "'");
      }
    }
    register_ids(doc, node->children, seen);
  }
}

std::vector<Certificate> gid_chain(const xmlNode* credential, std::string_view element) {
  std::string text = child_text(credential, element);
  if (text.empty()) return {};
  if (text.find("-----BEGIN") == std::string::npos) {
    text = "-----BEGIN CERTIFICATE-----\n" + text + "\n-----END CERTIFICATE-----\n";
  }
  try {
    return load_certificates_pem(text);
  } catch (const std::exception& error) {
    invalid("<" + std::string(element) + "> is not a PEM certificate chain: " + error.what());
  }
}

// The URN element, else the URN of the gid; when both are present they must agree.
std::string subject_urn(const xmlNode* credential, std::string_view element,
                        const std::vector<Certificate>& gid) {
  std::string urn = child_text(credential, element);
  const auto gid_urn = gid.empty() ? std::nullopt : gid.front().urn();
  if (urn.empty() && gid_urn) return *gid_urn;
  if (!urn.empty() && gid_urn && *gid_urn != urn) {
    invalid("<" + std::string(element) + "> " + urn + " differs from its certificate's URN " + *gid_urn);
  }
  return urn;
}

bool parse_bool(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "true" || lower == "1";
}

Urn valid_urn(const std::string& text, std::string_view role) {
  if (text.empty()) invalid("no " + std::string(role) + " (<" + std::string(role) + "_gid> or <" + std::string(role) + "_urn>)");
  const auto urn = Urn::try_parse(text);
  if (!urn) invalid("the " + std::string(role) + " '" + text + "' is not a valid GENI URN");
  return *urn;
}

std::vector<Privilege> parse_privileges(const xmlNode* credential, const Urn& target) {
  std::vector<Privilege> privileges;
  const xmlNode* list = optional_child(credential, "privileges");
  for (const xmlNode* node : children_named(list, "privilege")) {
    Privilege privilege{child_text(node, "name"), parse_bool(child_text(node, "can_delegate"))};
    if (privilege.name.empty()) invalid("a <privilege> has no <name>");
    if (privilege.name == "*") {
      for (auto& expanded : default_privileges(target.type(), target.name(), privilege.can_delegate)) {
        privileges.push_back(std::move(expanded));
      }
    } else {
      privileges.push_back(std::move(privilege));
    }
  }
  return privileges;
}

AbacPrincipal parse_principal(const xmlNode* parent) {
  const xmlNode* principal = required_child(parent, "ABACprincipal");
  AbacPrincipal parsed{child_text(principal, "keyid"), child_text(principal, "mnemonic")};
  std::transform(parsed.keyid.begin(), parsed.keyid.end(), parsed.keyid.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (parsed.keyid.empty()) invalid("an <ABACprincipal> has no <keyid>");
  return parsed;
}

AbacStatement parse_abac(const xmlNode* credential) {
  const xmlNode* rt0 = required_child(required_child(credential, "abac"), "rt0");
  const xmlNode* head = required_child(rt0, "head");
  AbacStatement statement{parse_principal(head), child_text(head, "role"), {}};
  for (const xmlNode* tail : children_named(rt0, "tail")) statement.tails.push_back(parse_principal(tail));
  return statement;
}

std::shared_ptr<const Credential> parse_credential(const xmlNode* node, int depth) {
  if (depth > kMaxDelegationDepth) invalid("delegation chain deeper than " + std::to_string(kMaxDelegationDepth));
  auto credential = std::make_shared<Credential>();
  credential->id = xml_id(node);
  if (credential->id.empty()) invalid("<credential> has no xml:id");
  credential->type = child_text(node, "type");
  if (credential->type != kPrivilegeCredential && credential->type != kAbacCredential) {
    invalid("unknown credential <type> '" + credential->type + "' (expected privilege or abac)");
  }
  credential->serial = child_text(node, "serial");
  const std::string expires = child_text(node, "expires");
  const auto parsed_expires = parse_rfc3339(expires);
  if (!parsed_expires) invalid("<expires> '" + expires + "' is not an RFC 3339 time");
  credential->expires = *parsed_expires;
  if (credential->type == kAbacCredential) {
    credential->abac = parse_abac(node);
  } else {
    credential->owner_gid = gid_chain(node, "owner_gid");
    credential->owner_urn = subject_urn(node, "owner_urn", credential->owner_gid);
    credential->target_gid = gid_chain(node, "target_gid");
    credential->target_urn = subject_urn(node, "target_urn", credential->target_gid);
    valid_urn(credential->owner_urn, "owner");
    credential->privileges = parse_privileges(node, valid_urn(credential->target_urn, "target"));
  }
  if (const xmlNode* parent = optional_child(node, "parent")) {
    credential->parent = parse_credential(required_child(parent, "credential"), depth + 1);
  }
  return credential;
}

}  // namespace

SignedCredential::SignedCredential(XmlDocument document, std::shared_ptr<const Credential> credential)
    : document_(std::move(document)), credential_(std::move(credential)) {}

SignedCredential SignedCredential::parse(std::string_view xml) {
  XmlDocument document;
  try {
    document = parse_untrusted_xml(xml, {.max_bytes = kMaxCredentialBytes, .max_depth = kMaxXmlDepth});
  } catch (const XmlError& error) {
    invalid("not acceptable XML (line " + std::to_string(error.line()) + "): " + error.what());
  }
  xmlNode* root = xmlDocGetRootElement(document.get());
  if (!is_element(root, "signed-credential")) {
    invalid("the document element is <" + std::string(xml_name(root)) + ">, not <signed-credential>");
  }
  std::set<std::string> ids;
  register_ids(document.get(), root, ids);
  auto credential = parse_credential(required_child(root, "credential"), 0);
  return SignedCredential(std::move(document), std::move(credential));
}

std::string describe(const Credential& credential) {
  if (credential.abac) {
    return "ABAC " + credential.abac->head.mnemonic + "." + credential.abac->role + " (expires " +
           format_rfc3339(credential.expires) + ")";
  }
  return credential.owner_urn + " -> " + credential.target_urn + " (" +
         privilege_names(credential.privileges) + ", expires " + format_rfc3339(credential.expires) + ")";
}

}  // namespace federa::trust
