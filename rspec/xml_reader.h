// Internal to rspec/: reading attributes, text and child elements of a libxml2 tree on behalf of
// the parsers, with errors that name the element and its line. A strict reader (requests) throws
// BADARGS on a missing required attribute or a value of the wrong type; a lenient reader (peer
// advertisements and manifests) leaves the field empty instead.
#pragma once

#include "common/geni_error.h"
#include "common/safe_xml.h"
#include "rspec/model.h"

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>

namespace federa::rspec {

bool in_namespace(const xmlNode* element, std::string_view uri);
int line_of(const xmlNode* node);

// Calls visit(child) for every child element of parent, in document order.
template <typename Visit>
void for_each_element(const xmlNode* parent, Visit&& visit) {
  for (const xmlNode* child = parent->children; child; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) visit(child);
  }
}

class ElementReader {
 public:
  explicit ElementReader(bool strict) : strict_(strict) {}
  bool strict() const { return strict_; }

  // Throws GeniError(code, "<name> at line N: problem").
  [[noreturn]] void fail(GeniCode code, const xmlNode* element, std::string_view problem) const;

  // Value of an unqualified attribute, "" when absent.
  std::string attribute(const xmlNode* element, const char* name) const;
  // As attribute(); when strict, an absent or empty value is BADARGS.
  std::string required(const xmlNode* element, const char* name) const;
  // xs:boolean ("true", "false", "1", "0"); nullopt when absent or (lenient) malformed.
  std::optional<bool> boolean(const xmlNode* element, const char* name) const;
  std::optional<std::uint64_t> unsigned_number(const xmlNode* element, const char* name,
                                               std::uint64_t max) const;
  std::optional<double> fraction(const xmlNode* element, const char* name) const;
  // Text content with surrounding white space removed.
  std::string text(const xmlNode* element) const;
  // The element serialized on its own, declaring every namespace it uses.
  Extension extension(const xmlNode* element) const;

 private:
  bool strict_;
};

}  // namespace federa::rspec
