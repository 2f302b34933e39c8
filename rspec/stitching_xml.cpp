#include "rspec/stitching_xml.h"

#include "common/rfc3339.h"
#include "rspec/namespaces.h"

namespace federa::rspec {
namespace {

std::optional<VlanSet> read_vlans(const ElementReader& reader, const xmlNode* element) {
  std::string text = reader.text(element);
  auto vlans = VlanSet::parse(text);
  if (!vlans && reader.strict()) {
    reader.fail(GeniCode::kBadArgs, element,
                "'" + text + "' is not a VLAN range (like 100, 2-4094, 10-20,30 or any)");
  }
  return vlans;
}

void read_l2(const ElementReader& reader, const xmlNode* element, L2Capability& l2) {
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = xml_name(child);
    if (name == "interfaceMTU") l2.interface_mtu = reader.text(child);
    else if (name == "vlanRangeAvailability") l2.vlan_range_availability = read_vlans(reader, child);
    else if (name == "suggestedVLANRange") l2.suggested_vlan_range = read_vlans(reader, child);
    else if (name == "vlanTranslation") {
      std::string text = reader.text(child);
      if (text == "true" || text == "false") l2.vlan_translation = text == "true";
    }
  });
}

void read_capability(const ElementReader& reader, const xmlNode* element, StitchLink& link) {
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = xml_name(child);
    if (name == "switchingcapType") link.switching_cap_type = reader.text(child);
    else if (name == "encodingType") link.encoding_type = reader.text(child);
    else if (name == "switchingCapabilitySpecificInfo") {
      for_each_element(child, [&](const xmlNode* info) {
        if (xml_name(info) == "switchingCapabilitySpecificInfo_L2sc") {
          read_l2(reader, info, link.l2.emplace());
        }
      });
    }
  });
}

// Reads child into capacity when it is one of the capacity elements; false otherwise.
bool read_capacity(const ElementReader& reader, const xmlNode* child, StitchCapacity& capacity) {
  std::string_view name = xml_name(child);
  std::string* field = name == "capacity"                    ? &capacity.capacity
                       : name == "maximumReservableCapacity" ? &capacity.maximum_reservable
                       : name == "minimumReservableCapacity" ? &capacity.minimum_reservable
                       : name == "granularity"               ? &capacity.granularity
                                                             : nullptr;
  if (field) *field = reader.text(child);
  return field != nullptr;
}

StitchLink read_link(const ElementReader& reader, const xmlNode* element) {
  StitchLink link;
  link.id = reader.required(element, "id");
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = xml_name(child);
    if (name == "remoteLinkId") link.remote_link_id = reader.text(child);
    else if (name == "trafficEngineeringMetric") link.traffic_engineering_metric = reader.text(child);
    else if (read_capacity(reader, child, link.capacity)) return;
    else if (name == "switchingCapabilityDescriptor") read_capability(reader, child, link);
  });
  return link;
}

StitchPort read_port(const ElementReader& reader, const xmlNode* element) {
  StitchPort port;
  port.id = reader.required(element, "id");
  for_each_element(element, [&](const xmlNode* child) {
    if (read_capacity(reader, child, port.capacity)) return;
    if (xml_name(child) == "link") port.links.push_back(read_link(reader, child));
  });
  return port;
}

StitchNode read_node(const ElementReader& reader, const xmlNode* element) {
  StitchNode node;
  node.id = reader.required(element, "id");
  for_each_element(element, [&](const xmlNode* child) {
    if (xml_name(child) == "port") node.ports.push_back(read_port(reader, child));
  });
  return node;
}

StitchLifetime read_lifetime(const ElementReader& reader, const xmlNode* element) {
  StitchLifetime lifetime;
  lifetime.id = reader.attribute(element, "id");
  for_each_element(element, [&](const xmlNode* child) {
    if (xml_name(child) == "start") lifetime.start = reader.text(child);
    else if (xml_name(child) == "end") lifetime.end = reader.text(child);
  });
  return lifetime;
}

StitchAggregate read_aggregate(const ElementReader& reader, const xmlNode* element) {
  StitchAggregate aggregate;
  aggregate.id = reader.required(element, "id");
  aggregate.url = reader.attribute(element, "url");
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = xml_name(child);
    if (name == "aggregatetype") aggregate.aggregate_type = reader.text(child);
    else if (name == "stitchingmode") aggregate.stitching_mode = reader.text(child);
    else if (name == "scheduledservices") aggregate.scheduled_services = reader.text(child);
    else if (name == "negotiatedservices") aggregate.negotiated_services = reader.text(child);
    else if (name == "lifetime") aggregate.lifetime = read_lifetime(reader, child);
    else if (name == "node") aggregate.nodes.push_back(read_node(reader, child));
  });
  return aggregate;
}

StitchHop read_hop(const ElementReader& reader, const xmlNode* element) {
  StitchHop hop;
  hop.id = reader.required(element, "id");
  hop.type = reader.attribute(element, "type");
  for_each_element(element, [&](const xmlNode* child) {
    if (xml_name(child) == "link") hop.link = read_link(reader, child);
    else if (xml_name(child) == "nextHop") hop.next_hops.push_back(reader.text(child));
  });
  return hop;
}

StitchPath read_path(const ElementReader& reader, const xmlNode* element) {
  StitchPath path;
  path.id = reader.required(element, "id");
  for_each_element(element, [&](const xmlNode* child) {
    if (xml_name(child) == "globalId") path.global_id = reader.text(child);
    else if (xml_name(child) == "hop") path.hops.push_back(read_hop(reader, child));
  });
  return path;
}

void write_capacity(XmlWriter& writer, const StitchCapacity& capacity) {
  writer.text_element("capacity", capacity.capacity);
  writer.text_element("maximumReservableCapacity", capacity.maximum_reservable);
  writer.text_element("minimumReservableCapacity", capacity.minimum_reservable);
  writer.text_element("granularity", capacity.granularity);
}

void write_link(XmlWriter& writer, const StitchLink& link) {
  writer.open("link");
  writer.attribute("id", link.id);
  writer.text_element("remoteLinkId", link.remote_link_id);
  writer.text_element("trafficEngineeringMetric", link.traffic_engineering_metric);
  write_capacity(writer, link.capacity);
  if (link.l2) {
    writer.open("switchingCapabilityDescriptor");
    writer.open("switchingcapType");
    writer.text(link.switching_cap_type);
    writer.close();
    writer.open("encodingType");
    writer.text(link.encoding_type);
    writer.close();
    writer.open("switchingCapabilitySpecificInfo");
    writer.open("switchingCapabilitySpecificInfo_L2sc");
    writer.text_element("interfaceMTU", link.l2->interface_mtu);
    if (link.l2->vlan_range_availability) {
      writer.text_element("vlanRangeAvailability", link.l2->vlan_range_availability->to_string());
    }
    if (link.l2->suggested_vlan_range) {
      writer.text_element("suggestedVLANRange", link.l2->suggested_vlan_range->to_string());
    }
    if (link.l2->vlan_translation) {
      writer.text_element("vlanTranslation", *link.l2->vlan_translation ? "true" : "false");
    }
    writer.close();
    writer.close();
    writer.close();
  }
  writer.close();
}

void write_port(XmlWriter& writer, const StitchPort& port) {
  writer.open("port");
  writer.attribute("id", port.id);
  write_capacity(writer, port.capacity);
  for (const StitchLink& link : port.links) write_link(writer, link);
  writer.close();
}

void write_aggregate(XmlWriter& writer, const StitchAggregate& aggregate) {
  writer.open("aggregate");
  writer.attribute("id", aggregate.id);
  writer.attribute("url", aggregate.url);
  writer.text_element("aggregatetype", aggregate.aggregate_type);
  writer.text_element("stitchingmode", aggregate.stitching_mode);
  writer.text_element("scheduledservices", aggregate.scheduled_services);
  writer.text_element("negotiatedservices", aggregate.negotiated_services);
  if (aggregate.lifetime) {
    writer.open("lifetime");
    writer.attribute("id", aggregate.lifetime->id);
    for (auto [name, time] : {std::pair{"start", &aggregate.lifetime->start},
                              std::pair{"end", &aggregate.lifetime->end}}) {
      if (time->empty()) continue;
      writer.open(name);
      writer.attribute("type", "time");
      writer.text(*time);
      writer.close();
    }
    writer.close();
  }
  for (const StitchNode& node : aggregate.nodes) {
    writer.open("node");
    writer.attribute("id", node.id);
    for (const StitchPort& port : node.ports) write_port(writer, port);
    writer.close();
  }
  writer.close();
}

void write_path(XmlWriter& writer, const StitchPath& path) {
  writer.open("path");
  writer.attribute("id", path.id);
  writer.text_element("globalId", path.global_id);
  for (const StitchHop& hop : path.hops) {
    writer.open("hop");
    writer.attribute("id", hop.id);
    writer.optional_attribute("type", hop.type);
    write_link(writer, hop.link);
    for (const std::string& next : hop.next_hops) {
      writer.open("nextHop");
      writer.text(next);
      writer.close();
    }
    writer.close();
  }
  writer.close();
}

}  // namespace

StitchingTopology read_stitching(const ElementReader& reader, const xmlNode* element) {
  StitchingTopology topology;
  topology.last_update_time = reader.attribute(element, "lastUpdateTime");
  for_each_element(element, [&](const xmlNode* child) {
    if (!in_namespace(child, kStitchNs)) return;
    if (xml_name(child) == "path") topology.paths.push_back(read_path(reader, child));
    else if (xml_name(child) == "aggregate") topology.aggregates.push_back(read_aggregate(reader, child));
  });
  return topology;
}

void write_stitching(XmlWriter& writer, const StitchingTopology& topology) {
  writer.open("stitching");
  writer.attribute("xmlns", kStitchNs);
  writer.attribute("lastUpdateTime", topology.last_update_time.empty()
                                         ? format_rfc3339(now_utc())
                                         : topology.last_update_time);
  for (const StitchPath& path : topology.paths) write_path(writer, path);
  for (const StitchAggregate& aggregate : topology.aggregates) write_aggregate(writer, aggregate);
  writer.close();
}

}  // namespace federa::rspec
