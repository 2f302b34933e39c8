#include "rspec/validate.h"

#include "common/safe_xml.h"

#include <libxml/xmlschemas.h>

#include <array>
#include <stdexcept>

namespace federa::rspec {
namespace {

struct SchemaDeleter {
  void operator()(xmlSchema* schema) const { xmlSchemaFree(schema); }
};
struct ParserDeleter {
  void operator()(xmlSchemaParserCtxt* ctxt) const { xmlSchemaFreeParserCtxt(ctxt); }
};
struct ValidDeleter {
  void operator()(xmlSchemaValidCtxt* ctxt) const { xmlSchemaFreeValidCtxt(ctxt); }
};
using SchemaPtr = std::unique_ptr<xmlSchema, SchemaDeleter>;

// Structured error handler: appends "line N: message" to the vector in problems.
void collect(void* problems, xmlError* error) {
  std::string message = error->message ? error->message : "invalid";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  static_cast<std::vector<std::string>*>(problems)->push_back("line " + std::to_string(error->line) +
                                                              ": " + message);
}

SchemaPtr compile(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) {
    throw std::runtime_error("RSpec schema " + file.string() + " not found");
  }
  std::unique_ptr<xmlSchemaParserCtxt, ParserDeleter> parser(
      xmlSchemaNewParserCtxt(file.c_str()));
  std::vector<std::string> problems;
  xmlSchemaSetParserStructuredErrors(parser.get(), collect, &problems);
  SchemaPtr schema(xmlSchemaParse(parser.get()));
  if (!schema) {
    throw std::runtime_error("RSpec schema " + file.string() + " does not compile: " +
                             (problems.empty() ? "unknown error" : problems.front()));
  }
  return schema;
}

}  // namespace

struct SchemaSet::Schemas {
  std::array<SchemaPtr, 3> by_kind;  // indexed by Kind
};

SchemaSet::SchemaSet(const std::filesystem::path& schema_dir) : schemas_(new Schemas) {
  init_xml_library();
  static constexpr const char* kDrivers[] = {"ad-with-ext.xsd", "request-with-ext.xsd",
                                             "manifest-with-ext.xsd"};
  for (std::size_t i = 0; i < schemas_->by_kind.size(); ++i) {
    schemas_->by_kind[i] = compile(schema_dir / "validate" / kDrivers[i]);
  }
}

SchemaSet::~SchemaSet() = default;

std::vector<std::string> SchemaSet::validate(std::string_view document, Kind kind) const {
  XmlDocument doc;
  try {
    doc = parse_untrusted_xml(document);
  } catch (const XmlError& error) {
    return {"line " + std::to_string(error.line()) + ": " + error.what()};
  }
  std::unique_ptr<xmlSchemaValidCtxt, ValidDeleter> ctxt(
      xmlSchemaNewValidCtxt(schemas_->by_kind[static_cast<int>(kind)].get()));
  if (!ctxt) throw std::bad_alloc();
  std::vector<std::string> problems;
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect, &problems);
  if (xmlSchemaValidateDoc(ctxt.get(), doc.get()) != 0 && problems.empty()) {
    problems.push_back("line 0: document does not match the " + std::string(kind_name(kind)) +
                       " schema");
  }
  return problems;
}

}  // namespace federa::rspec
