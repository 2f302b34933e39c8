#include "common/safe_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <mutex>

namespace federa {
namespace {

// Per-parse state reachable from the SAX callbacks through ctxt->_private.
struct ParseGuard {
  int max_depth = 0;
  int depth = 0;
  bool doctype = false;
  bool too_deep = false;
  int stop_line = 0;
};

ParseGuard& guard_of(void* ctx) {
  return *static_cast<ParseGuard*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void stop(void* ctx) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  guard_of(ctx).stop_line = xmlSAX2GetLineNumber(ctx);
  xmlStopParser(ctxt);
}

// Called when "<!DOCTYPE name ..." has been read, before any internal subset is parsed.
void refuse_doctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  guard_of(ctx).doctype = true;
  stop(ctx);
}

void start_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                   int nb_namespaces, const xmlChar** namespaces, int nb_attributes,
                   int nb_defaulted, const xmlChar** attributes) {
  ParseGuard& guard = guard_of(ctx);
  if (++guard.depth > guard.max_depth) {
    guard.too_deep = true;
    stop(ctx);
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
}

void end_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  --guard_of(ctx).depth;
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

struct CtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

std::string trimmed_message(const xmlError* error) {
  if (!error || !error->message) return "not well-formed XML";
  std::string message = error->message;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

void ignore_error(void*, const char*, ...) {}

// libxml2 reports some errors outside a parser context (e.g. xmlAddID on a duplicate id) through
// the thread's generic error handler, which prints to stderr by default.
void silence_generic_errors() {
  thread_local bool silenced = false;
  if (!silenced) {
    xmlSetGenericErrorFunc(nullptr, ignore_error);
    silenced = true;
  }
}

}  // namespace

void init_xml_library() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

XmlDocument parse_untrusted_xml(std::string_view bytes, const XmlLimits& limits) {
  using Kind = XmlError::Kind;
  if (bytes.size() > limits.max_bytes) {
    throw XmlError(Kind::kTooLarge, 0,
                   "document of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                       std::to_string(limits.max_bytes) + " bytes");
  }
  init_xml_library();
  std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw std::bad_alloc();
  ParseGuard guard;
  guard.max_depth = limits.max_depth;
  ctxt->_private = &guard;
  ctxt->sax->internalSubset = refuse_doctype;
  ctxt->sax->startElementNs = start_element;
  ctxt->sax->endElementNs = end_element;
  constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  silence_generic_errors();
  XmlDocument doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                                    nullptr, nullptr, kOptions));
  if (guard.doctype) {
    throw XmlError(Kind::kForbiddenDoctype, guard.stop_line,
                   "DOCTYPE declarations are not accepted (no DTDs or entities)");
  }
  if (guard.too_deep) {
    throw XmlError(Kind::kTooDeep, guard.stop_line,
                   "elements nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  if (!doc || !ctxt->wellFormed || !xmlDocGetRootElement(doc.get())) {
    const xmlError* error = xmlCtxtGetLastError(ctxt.get());
    throw XmlError(Kind::kMalformed, error ? error->line : 0, trimmed_message(error));
  }
  return doc;
}

std::string xml_text(const xmlNode* node) {
  if (!node) return "";
  xmlChar* content = xmlNodeGetContent(node);
  std::string text = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return text;
}

std::string xml_attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string text = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return text;
}

}  // namespace federa
