#include "gmoc/prometheus.h"

#include <map>
#include <sstream>

#include "gmoc/monitoring_json.h"

namespace federa::gmoc {
namespace {

// A label value with '\', '"' and newlines escaped as the exposition format requires.
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void family(std::ostringstream& out, const std::string& name, const std::string& help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n";
}

}  // namespace

std::string prometheus_text(const std::vector<Sample>& samples, const std::vector<Slice>& slices,
                            const std::vector<Sliver>& slivers) {
  std::ostringstream out;
  std::map<std::string, std::vector<const Sample*>> by_metric;
  for (const Sample& sample : samples) by_metric[sample.metric].push_back(&sample);
  for (const auto& [metric, series] : by_metric) {
    const auto info = find_metric(metric);
    family(out, "federa_" + metric, info ? info->description : metric);
    for (const Sample* sample : series) {
      out << "federa_" << metric << "{object_type=\"" << label(sample->object_type) << "\",object_id=\""
          << label(sample->object_id) << "\"} " << sample->value << '\n';
    }
  }
  std::map<bool, int> by_shutdown{{false, 0}, {true, 0}};
  for (const Slice& slice : slices) ++by_shutdown[slice.shutdown];
  family(out, "federa_slices", "slices with slivers or history at this aggregate");
  for (const auto& [shutdown, count] : by_shutdown) {
    out << "federa_slices{shutdown=\"" << (shutdown ? "true" : "false") << "\"} " << count << '\n';
  }
  std::map<std::pair<std::string, std::string>, int> by_state;
  for (const Sliver& sliver : slivers) ++by_state[{sliver.allocation_state, sliver.operational_state}];
  family(out, "federa_slivers", "live slivers by allocation and operational state");
  for (const auto& [state, count] : by_state) {
    out << "federa_slivers{allocation_state=\"" << label(state.first) << "\",operational_state=\""
        << label(state.second) << "\"} " << count << '\n';
  }
  return out.str();
}

}  // namespace federa::gmoc
