#include "rspec/opstate_xml.h"

#include "rspec/namespaces.h"

namespace federa::rspec {
namespace {

OpstateState read_state(const ElementReader& reader, const xmlNode* element) {
  OpstateState state;
  state.name = reader.required(element, "name");
  for_each_element(element, [&](const xmlNode* child) {
    std::string_view name = xml_name(child);
    if (name == "description") {
      state.description = reader.text(child);
    } else if (name == "wait") {
      state.waits.push_back({reader.attribute(child, "type"), reader.attribute(child, "next")});
    } else if (name == "action") {
      OpstateAction action{reader.required(child, "name"), reader.attribute(child, "next"), ""};
      for_each_element(child, [&](const xmlNode* part) {
        if (xml_name(part) == "description") action.description = reader.text(part);
      });
      state.actions.push_back(std::move(action));
    }
  });
  return state;
}

}  // namespace

OpstateMachine read_opstate(const ElementReader& reader, const xmlNode* element) {
  OpstateMachine machine;
  machine.aggregate_manager_id = reader.attribute(element, "aggregate_manager_id");
  machine.start = reader.attribute(element, "start");
  for_each_element(element, [&](const xmlNode* child) {
    if (!in_namespace(child, kOpstateNs)) return;
    if (xml_name(child) == "sliver_type") machine.sliver_types.push_back(reader.attribute(child, "name"));
    else if (xml_name(child) == "state") machine.states.push_back(read_state(reader, child));
  });
  return machine;
}

void write_opstate(XmlWriter& writer, const OpstateMachine& machine) {
  writer.open("rspec_opstate");
  writer.attribute("xmlns", kOpstateNs);
  writer.optional_attribute("aggregate_manager_id", machine.aggregate_manager_id);
  writer.optional_attribute("start", machine.start);
  for (const std::string& sliver_type : machine.sliver_types) {
    writer.open("sliver_type");
    writer.attribute("name", sliver_type);
    writer.close();
  }
  for (const OpstateState& state : machine.states) {
    writer.open("state");
    writer.attribute("name", state.name);
    for (const OpstateAction& action : state.actions) {
      writer.open("action");
      writer.attribute("name", action.name);
      writer.optional_attribute("next", action.next);
      writer.text_element("description", action.description);
      writer.close();
    }
    for (const OpstateWait& wait : state.waits) {
      writer.open("wait");
      writer.attribute("type", wait.type);
      writer.attribute("next", wait.next);
      writer.close();
    }
    writer.text_element("description", state.description);
    writer.close();
  }
  writer.close();
}

}  // namespace federa::rspec
