// Parsing XML that arrives from the network (XML-RPC bodies, RSpecs, credentials) with libxml2,
// hardened: any DOCTYPE is refused as soon as it is seen (so no DTD, no entity declarations, no
// external entities, no entity bombs), no network access, a byte limit checked before parsing
// and an element-depth limit checked while parsing. Errors carry the line and libxml2's message.
#pragma once

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace federa {

struct XmlLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int max_depth = 128;
};

class XmlError : public std::runtime_error {
 public:
  enum class Kind { kMalformed, kForbiddenDoctype, kTooDeep, kTooLarge };
  XmlError(Kind kind, int line, const std::string& message)
      : std::runtime_error(message), kind_(kind), line_(line) {}
  Kind kind() const { return kind_; }
  int line() const { return line_; }

 private:
  Kind kind_;
  int line_;
};

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocument = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// Parses untrusted bytes into a tree. Throws XmlError; never prints to stderr.
XmlDocument parse_untrusted_xml(std::string_view bytes, const XmlLimits& limits = {});

// Calls xmlInitParser once; safe to call from any thread, any number of times.
void init_xml_library();

// Text content of an element (concatenated children), "" for null.
std::string xml_text(const xmlNode* node);

// Attribute value, or "" when absent.
std::string xml_attribute(const xmlNode* node, const char* name);

// Local name of an element as a string_view (valid while the document lives).
inline std::string_view xml_name(const xmlNode* node) {
  return node && node->name ? std::string_view(reinterpret_cast<const char*>(node->name)) : "";
}

}  // namespace federa
