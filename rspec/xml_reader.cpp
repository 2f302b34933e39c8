#include "rspec/xml_reader.h"

#include "rspec/namespaces.h"

#include <charconv>
#include <memory>

namespace federa::rspec {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The attribute's value straight from the tree when it is one text node (the usual case).
std::optional<std::string> find_attribute(const xmlNode* element, const char* name) {
  for (const xmlAttr* attr = element->properties; attr; attr = attr->next) {
    if (attr->ns || !xmlStrEqual(attr->name, reinterpret_cast<const xmlChar*>(name))) continue;
    const xmlNode* value = attr->children;
    if (value && !value->next && value->type == XML_TEXT_NODE && value->content) {
      return std::string(reinterpret_cast<const char*>(value->content));
    }
    xmlChar* joined = xmlNodeListGetString(element->doc, value, 1);
    std::string text = joined ? reinterpret_cast<const char*>(joined) : "";
    xmlFree(joined);
    return text;
  }
  return std::nullopt;
}

struct BufferDeleter {
  void operator()(xmlBuffer* buffer) const { xmlBufferFree(buffer); }
};

}  // namespace

bool in_namespace(const xmlNode* element, std::string_view uri) {
  return element->ns && element->ns->href &&
         std::string_view(reinterpret_cast<const char*>(element->ns->href)) == uri;
}

int line_of(const xmlNode* node) { return static_cast<int>(xmlGetLineNo(node)); }

void ElementReader::fail(GeniCode code, const xmlNode* element, std::string_view problem) const {
  throw GeniError(code, "<" + std::string(xml_name(element)) + "> at line " +
                            std::to_string(line_of(element)) + ": " + std::string(problem));
}

std::string ElementReader::attribute(const xmlNode* element, const char* name) const {
  return find_attribute(element, name).value_or("");
}

std::string ElementReader::required(const xmlNode* element, const char* name) const {
  std::string value = attribute(element, name);
  if (strict_ && trim(value).empty()) {
    fail(GeniCode::kBadArgs, element, std::string("missing required attribute ") + name);
  }
  return value;
}

std::optional<bool> ElementReader::boolean(const xmlNode* element, const char* name) const {
  auto value = find_attribute(element, name);
  if (!value) return std::nullopt;
  std::string_view text = trim(*value);
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  if (strict_) {
    fail(GeniCode::kBadArgs, element,
         std::string("attribute ") + name + " must be true or false, not '" + *value + "'");
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ElementReader::unsigned_number(const xmlNode* element,
                                                            const char* name,
                                                            std::uint64_t max) const {
  auto value = find_attribute(element, name);
  if (!value) return std::nullopt;
  std::string_view text = trim(*value);
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size() && number <= max) {
    return number;
  }
  if (strict_) {
    fail(GeniCode::kBadArgs, element,
         std::string("attribute ") + name + " must be a whole number from 0 to " +
             std::to_string(max) + ", not '" + *value + "'");
  }
  return std::nullopt;
}

std::optional<double> ElementReader::fraction(const xmlNode* element, const char* name) const {
  auto value = find_attribute(element, name);
  if (!value) return std::nullopt;
  std::string_view text = trim(*value);
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size() && number >= 0 &&
      number <= 1) {
    return number;
  }
  if (strict_) {
    fail(GeniCode::kBadArgs, element,
         std::string("attribute ") + name + " must be a fraction from 0 to 1, not '" + *value +
             "'");
  }
  return std::nullopt;
}

std::string ElementReader::text(const xmlNode* element) const {
  return std::string(trim(xml_text(element)));
}

Extension ElementReader::extension(const xmlNode* element) const {
  if (!element->ns) {
    // Re-emitted inside an RSpec it would land in the RSpec namespace and change meaning.
    fail(GeniCode::kBadArgs, element,
         "element in no namespace; RSpec v3 elements belong to " + std::string(kRspecNs) +
             " and extensions to their own namespace");
  }
  // A copy outside the tree declares, on itself, the namespaces it inherited.
  xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(element), element->doc, 1);
  std::unique_ptr<xmlBuffer, BufferDeleter> buffer(xmlBufferCreate());
  if (!copy || !buffer) {
    xmlFreeNode(copy);
    throw std::bad_alloc();
  }
  xmlNodeDump(buffer.get(), element->doc, copy, 0, 0);
  xmlFreeNode(copy);
  Extension extension;
  extension.namespace_uri = reinterpret_cast<const char*>(element->ns->href);
  extension.name = std::string(xml_name(element));
  extension.xml.assign(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                       static_cast<std::size_t>(xmlBufferLength(buffer.get())));
  return extension;
}

}  // namespace federa::rspec
