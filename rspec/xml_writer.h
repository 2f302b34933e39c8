// Internal to rspec/: a small streaming XML writer for the RSpec writers. It indents two spaces a
// level, escapes attribute values and text, and refuses (GeniError ERROR, naming the element and
// attribute) any value that is not UTF-8 or holds a character XML 1.0 forbids, so its output is
// always well-formed. Element and attribute names must be string literals (they are not copied).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace federa::rspec {

class XmlWriter {
 public:
  XmlWriter();

  void open(std::string_view name);
  void attribute(std::string_view name, std::string_view value);
  // Writes the attribute only when value is not empty.
  void optional_attribute(std::string_view name, std::string_view value);
  void text(std::string_view value);
  // A complete, well-formed element written as is (a preserved extension).
  void fragment(std::string_view xml);
  void close();
  // <name>value</name>, or nothing when value is empty.
  void text_element(std::string_view name, std::string_view value);

  // The document; the writer is spent afterwards.
  std::string finish();

 private:
  struct Open {
    std::string_view name;
    bool has_children = false;
  };
  void end_start_tag();
  void new_line();
  void escaped(std::string_view value, bool in_attribute, std::string_view attribute_name);

  std::string out_;
  std::vector<Open> open_;
  bool in_start_tag_ = false;
};

}  // namespace federa::rspec
