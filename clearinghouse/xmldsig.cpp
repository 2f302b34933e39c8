#include "clearinghouse/xmldsig.h"

#include "common/base64.h"
#include "common/geni_error.h"
#include "common/safe_xml.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace federa::trust {
namespace {

const xmlChar* const kDsigNs = reinterpret_cast<const xmlChar*>("http://www.w3.org/2000/09/xmldsig#");

thread_local std::string last_xmlsec_error;

void collect_error(const char*, int, const char* func, const char* object, const char* subject,
                   int reason, const char* message) {
  std::string text = std::string(func ? func : "xmlsec") + ": " + (message ? message : "error");
  if (subject) text += " (" + std::string(subject) + ")";
  last_xmlsec_error = text;
}

[[noreturn]] void invalid(const std::string& message) {
  throw GeniError(GeniCode::kCredentialInvalid, "credential signature is invalid: " + message);
}

struct DsigCtxDeleter {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, DsigCtxDeleter>;

struct KeyDeleter {
  void operator()(xmlSecKey* key) const { xmlSecKeyDestroy(key); }
};
using XmlsecKey = std::unique_ptr<xmlSecKey, KeyDeleter>;

xmlSecKey* new_key(EVP_PKEY* pkey) {
  EVP_PKEY_up_ref(pkey);
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(pkey);
  if (!data) {
    EVP_PKEY_free(pkey);
    throw std::runtime_error("xmlsec cannot use the key: " + last_xmlsec_error);
  }
  xmlSecKey* key = xmlSecKeyCreate();
  if (!key || xmlSecKeySetValue(key, data) < 0) {
    xmlSecKeyDataDestroy(data);
    xmlSecKeyDestroy(key);
    throw std::runtime_error("xmlsec cannot create a key");
  }
  return key;
}

// The Signature element "Sig_<ref_id>", which must sit in the document's <signatures>.
xmlNode* signature_node(xmlDoc* doc, const std::string& ref_id) {
  const std::string id = "Sig_" + ref_id;
  xmlAttr* attribute = xmlGetID(doc, reinterpret_cast<const xmlChar*>(id.c_str()));
  xmlNode* node = attribute ? attribute->parent : nullptr;
  if (!node || !xmlSecCheckNodeName(node, xmlSecNodeSignature, kDsigNs)) {
    invalid("no <Signature xml:id=\"" + id + "\"> for credential '" + ref_id + "'");
  }
  const xmlNode* parent = node->parent;
  if (!parent || xml_name(parent) != "signatures" || parent->parent != xmlDocGetRootElement(doc)) {
    invalid("signature '" + id + "' is not in the document's <signatures>");
  }
  return node;
}

// Enables only what a GENI credential signature needs.
void restrict_context(xmlSecDSigCtx* ctx, xmlSecPtrList* reference_transforms) {
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  for (xmlSecTransformId id : {xmlSecTransformInclC14NId, xmlSecTransformExclC14NId,
                               xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id}) {
    if (xmlSecPtrListAdd(&ctx->transformCtx.enabledTransforms, (void*)id) < 0) throw std::bad_alloc();
  }
  for (xmlSecTransformId id : {xmlSecTransformEnvelopedId, xmlSecTransformInclC14NId,
                               xmlSecTransformExclC14NId, xmlSecTransformSha1Id, xmlSecTransformSha256Id}) {
    if (xmlSecPtrListAdd(reference_transforms, (void*)id) < 0) throw std::bad_alloc();
  }
  ctx->enabledReferenceTransforms = reference_transforms;
}

std::vector<Certificate> keyinfo_certificates(xmlNode* signature) {
  std::vector<Certificate> certificates;
  xmlNode* key_info = xmlSecFindChild(signature, xmlSecNodeKeyInfo, kDsigNs);
  for (xmlNode* data = key_info ? key_info->children : nullptr; data; data = data->next) {
    if (!xmlSecCheckNodeName(data, xmlSecNodeX509Data, kDsigNs)) continue;
    for (xmlNode* node = data->children; node; node = node->next) {
      if (!xmlSecCheckNodeName(node, xmlSecNodeX509Certificate, kDsigNs)) continue;
      const auto der = base64_decode(xml_text(node));
      const auto* bytes = reinterpret_cast<const unsigned char*>(der ? der->data() : nullptr);
      X509* x509 = der ? d2i_X509(nullptr, &bytes, static_cast<long>(der->size())) : nullptr;
      if (!x509) invalid("an <X509Certificate> in KeyInfo is not a DER certificate");
      certificates.emplace_back(std::shared_ptr<X509>(x509, X509_free));
    }
  }
  if (certificates.empty()) invalid("KeyInfo carries no <X509Certificate> of the signer");
  return certificates;
}

// One verification of `signature` with `certificate`'s public key; true when it matches.
bool verifies_with(xmlNode* signature, const Certificate& certificate, const std::string& ref_id) {
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  xmlSecPtrList reference_transforms;
  if (!ctx || xmlSecPtrListInitialize(&reference_transforms, xmlSecTransformIdListId) < 0) throw std::bad_alloc();
  std::unique_ptr<xmlSecPtrList, decltype(&xmlSecPtrListFinalize)> list_guard(&reference_transforms,
                                                                             xmlSecPtrListFinalize);
  restrict_context(ctx.get(), &reference_transforms);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> public_key(X509_get_pubkey(certificate.get()), EVP_PKEY_free);
  if (!public_key) return false;
  try {
    ctx->signKey = new_key(public_key.get());
  } catch (const std::runtime_error&) {
    return false;  // a key type xmlsec cannot use cannot have made this signature
  }
  last_xmlsec_error.clear();
  if (xmlSecDSigCtxVerify(ctx.get(), signature) < 0) {
    invalid("cannot process signature 'Sig_" + ref_id + "': " + last_xmlsec_error);
  }
  if (ctx->status != xmlSecDSigStatusSucceeded) return false;
  const auto* reference = xmlSecPtrListGetSize(&ctx->signedInfoReferences) == 1
                              ? static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0))
                              : nullptr;
  const std::string expected = "#" + ref_id;
  if (!reference || !reference->uri || expected != reinterpret_cast<const char*>(reference->uri)) {
    invalid("signature 'Sig_" + ref_id + "' must have exactly one Reference, URI=\"" + expected + "\"");
  }
  return true;
}

}  // namespace

void init_xmlsec() {
  static std::once_flag once;
  std::call_once(once, [] {
    init_xml_library();
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
        xmlSecCryptoInit() < 0) {
      throw std::runtime_error("cannot initialise libxmlsec1");
    }
    xmlSecIOCleanupCallbacks();  // no file, http or ftp loaders: references stay in the document
    xmlSecErrorsSetCallback(collect_error);
  });
}

void add_signature_template(xmlNode* parent, const std::string& ref_id, SignatureAlgorithm algorithm) {
  init_xmlsec();
  const bool sha1 = algorithm == SignatureAlgorithm::kRsaSha1;
  xmlNode* signature = xmlSecTmplSignatureCreate(parent->doc, xmlSecTransformInclC14NId,
                                                 sha1 ? xmlSecTransformRsaSha1Id : xmlSecTransformRsaSha256Id,
                                                 nullptr);
  if (!signature) throw std::runtime_error("xmlsec cannot create a signature template");
  xmlAddChild(parent, signature);
  const std::string id = "Sig_" + ref_id;
  xmlNs* xml_ns = xmlSearchNsByHref(parent->doc, signature, XML_XML_NAMESPACE);
  xmlAttr* id_attribute = xmlSetNsProp(signature, xml_ns, reinterpret_cast<const xmlChar*>("id"),
                                       reinterpret_cast<const xmlChar*>(id.c_str()));
  xmlAddID(nullptr, parent->doc, reinterpret_cast<const xmlChar*>(id.c_str()), id_attribute);
  const std::string uri = "#" + ref_id;
  xmlNode* reference = xmlSecTmplSignatureAddReference(
      signature, sha1 ? xmlSecTransformSha1Id : xmlSecTransformSha256Id, nullptr,
      reinterpret_cast<const xmlChar*>(uri.c_str()), nullptr);
  xmlNode* key_info = reference ? xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr) : nullptr;
  xmlNode* x509 = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (!x509 || !xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) ||
      !xmlSecTmplX509DataAddSubjectName(x509) || !xmlSecTmplX509DataAddIssuerSerial(x509) ||
      !xmlSecTmplX509DataAddCertificate(x509) || !xmlSecTmplKeyInfoAddKeyValue(key_info)) {
    throw std::runtime_error("xmlsec cannot fill the signature template");
  }
}

void sign_reference(xmlDoc* doc, const std::string& ref_id, const PrivateKey& key,
                    const std::vector<Certificate>& chain) {
  init_xmlsec();
  if (chain.empty()) throw std::invalid_argument("a signer needs its certificate");
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    throw std::runtime_error("the signer key does not match the signer certificate " + chain.front().subject());
  }
  xmlNode* signature = signature_node(doc, ref_id);
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) throw std::bad_alloc();
  XmlsecKey signing_key(new_key(key.get()));
  xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(signing_key.get(), xmlSecOpenSSLKeyDataX509Id);
  if (!x509 || xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, X509_dup(chain.front().get())) < 0) {
    throw std::runtime_error("xmlsec cannot attach the signer certificate");
  }
  for (const auto& certificate : chain) {
    if (xmlSecOpenSSLKeyDataX509AdoptCert(x509, X509_dup(certificate.get())) < 0) {
      throw std::runtime_error("xmlsec cannot attach certificate " + certificate.subject());
    }
  }
  ctx->signKey = signing_key.release();
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0) {
    throw std::runtime_error("xmlsec cannot sign credential '" + ref_id + "': " + last_xmlsec_error);
  }
}

std::vector<Certificate> verify_reference(xmlDoc* doc, const std::string& ref_id) {
  init_xmlsec();
  xmlNode* signature = signature_node(doc, ref_id);
  auto certificates = keyinfo_certificates(signature);
  // The signer is the KeyInfo certificate whose key verifies; signers write theirs first.
  for (auto signer = certificates.begin(); signer != certificates.end(); ++signer) {
    if (verifies_with(signature, *signer, ref_id)) {
      std::rotate(certificates.begin(), signer, signer + 1);
      return certificates;
    }
  }
  invalid("signature 'Sig_" + ref_id + "' does not match the content (altered credential or wrong key)");
}

}  // namespace federa::trust
