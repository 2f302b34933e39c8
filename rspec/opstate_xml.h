// Internal to rspec/: the XML form of the opstate/1 extension (<rspec_opstate> in an
// advertisement), read into and written from rspec/opstate.h.
#pragma once

#include "rspec/opstate.h"
#include "rspec/xml_reader.h"
#include "rspec/xml_writer.h"

namespace federa::rspec {

OpstateMachine read_opstate(const ElementReader& reader, const xmlNode* element);
void write_opstate(XmlWriter& writer, const OpstateMachine& machine);

}  // namespace federa::rspec
