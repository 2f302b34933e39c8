// Internal to rspec/: the XML form of the stitching 0.1 extension (<stitching> in the stitch
// namespace), read into and written from rspec/stitching.h. Elements are written in the order
// stitch-schema.xsd's sequences require. A malformed VLAN range is BADARGS when strict.
#pragma once

#include "rspec/stitching.h"
#include "rspec/xml_reader.h"
#include "rspec/xml_writer.h"

namespace federa::rspec {

StitchingTopology read_stitching(const ElementReader& reader, const xmlNode* element);
void write_stitching(XmlWriter& writer, const StitchingTopology& topology);

}  // namespace federa::rspec
