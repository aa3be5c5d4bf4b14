#pragma once
// An HTML tokenizer for detection: finds start tags and their attributes the
// way a browser's tokenizer would (tag name after "<" + letter, attributes
// split by whitespace or "/", quoted or unquoted values, unclosed tags still
// count). Never fails, no allocation; names are views into the input.

#include <cstddef>
#include <string_view>

namespace weir::detect {

struct HtmlAttribute {
  std::string_view name;
  std::string_view value;
  bool has_value = false;  ///< "name=value" rather than a bare "name"
};

class HtmlLexer {
 public:
  explicit HtmlLexer(std::string_view text) : text_(text) {}

  /// Advances to the next start tag; false at the end. `closing` end tags
  /// ("</x") are reported too so callers can skip them.
  bool next_tag(std::string_view& name, bool& closing);
  /// Next attribute of the current tag; false at its end (">" or input end).
  bool next_attribute(HtmlAttribute& out);

  /// After next_attribute() returned false: the tag ended with '>' (rather
  /// than with the end of the input).
  bool tag_closed() const { return closed_; }

  /// Attribute parsing from an arbitrary offset: for values that break out
  /// of a quoted attribute (`" onmouseover="...`).
  void start_attributes_at(size_t pos) {
    pos_ = pos;
    in_tag_ = true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  bool in_tag_ = false;
  bool closed_ = false;
};

bool ascii_iequals(std::string_view a, std::string_view b);
bool ascii_istarts_with(std::string_view s, std::string_view prefix);

}  // namespace weir::detect
