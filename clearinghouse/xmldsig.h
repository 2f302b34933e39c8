// Enveloped XML signatures over one element (XMLDSig with libxmlsec1/OpenSSL), as GENI
// credentials use them: <Signature xml:id="Sig_<id>"> with a single Reference URI="#<id>",
// transforms enveloped-signature + C14N, RSA-SHA1 or RSA-SHA256. libxmlsec is initialised once,
// with its I/O callbacks removed, so no signature can make it read a file or the network; only
// same-document references and the transforms above are enabled. Verification does not trust the
// KeyInfo key: it returns the certificates carried in KeyInfo (signer first) after verifying the
// signature with the signer certificate's key; the caller verifies that chain (TrustRoots).
// Safe to use from many threads at once.
#pragma once

#include "clearinghouse/certificate.h"

#include <libxml/tree.h>

#include <string>
#include <vector>

namespace federa::trust {

enum class SignatureAlgorithm { kRsaSha1, kRsaSha256 };

// Initialises libxml2 and libxmlsec (idempotent, thread-safe); the other calls do it themselves.
void init_xmlsec();

// Appends an empty signature template for the element with xml:id `ref_id` to `parent`.
void add_signature_template(xmlNode* parent, const std::string& ref_id, SignatureAlgorithm algorithm);

// Signs the template "Sig_<ref_id>"; KeyInfo receives every certificate of `chain` (signer first).
// Throws std::runtime_error when the document or the key is unusable.
void sign_reference(xmlDoc* doc, const std::string& ref_id, const PrivateKey& key,
                    const std::vector<Certificate>& chain);

// Verifies the signature "Sig_<ref_id>" over the element with xml:id `ref_id` and returns the
// KeyInfo certificates, signer first. Throws GeniError(kCredentialInvalid) saying what failed.
std::vector<Certificate> verify_reference(xmlDoc* doc, const std::string& ref_id);

}  // namespace federa::trust
