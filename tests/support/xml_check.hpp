// A small well-formedness check of XML (the SVG plots): tags nest and close, attribute values are
// quoted, and text has no stray '<' or '&' outside an entity. Enough to catch a broken plot; not a
// validating parser.
#pragma once
#include <cctype>
#include <string>
#include <vector>

namespace fim::test {

/// What the check found: well_formed, the element names opened in order, and the text content.
struct XmlScan {
  bool well_formed = false;
  std::string error;
  std::vector<std::string> elements;
  std::string text;  // character data with the five entities decoded, one space between chunks
};

namespace detail {
inline bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
}
// Decodes the entities of a chunk of character data; false on a bare '&' or unknown entity.
inline bool decode(const std::string& s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string::npos) return false;
    const std::string e = s.substr(i + 1, semi - i - 1);
    if (e == "lt") out += '<';
    else if (e == "gt") out += '>';
    else if (e == "amp") out += '&';
    else if (e == "quot") out += '"';
    else if (e == "apos") out += '\'';
    else if (!e.empty() && e[0] == '#') out += '?';
    else return false;
    i = semi;
  }
  return true;
}
// Checks the attributes part of a start tag: name="value" pairs, values without '<' or bare '&'.
inline bool attributes_ok(const std::string& a) {
  std::size_t i = 0;
  while (true) {
    while (i < a.size() && std::isspace(static_cast<unsigned char>(a[i]))) ++i;
    if (i == a.size()) return true;
    const std::size_t start = i;
    while (i < a.size() && name_char(a[i])) ++i;
    if (i == start || i == a.size() || a[i] != '=') return false;
    ++i;
    if (i == a.size() || (a[i] != '"' && a[i] != '\'')) return false;
    const char q = a[i++];
    const std::size_t end = a.find(q, i);
    if (end == std::string::npos) return false;
    std::string value, ignored;
    value = a.substr(i, end - i);
    if (value.find('<') != std::string::npos || !decode(value, ignored)) return false;
    i = end + 1;
    if (i < a.size() && !std::isspace(static_cast<unsigned char>(a[i]))) return false;
  }
}
}  // namespace detail

/// Scans s as one XML document (an optional <?xml ...?> prolog, comments allowed).
inline XmlScan scan_xml(const std::string& s) {
  XmlScan r;
  std::vector<std::string> open;
  std::size_t i = 0;
  int roots = 0;
  const auto fail = [&](const std::string& why) {
    r.error = why + " at offset " + std::to_string(i);
    r.well_formed = false;
    return r;
  };
  while (i < s.size()) {
    if (s[i] != '<') {
      const std::size_t next = s.find('<', i);
      const std::string chunk = s.substr(i, next == std::string::npos ? std::string::npos : next - i);
      std::string decoded;
      if (chunk.find('>') != std::string::npos && open.empty() && roots > 0) return fail("text after the root");
      if (!detail::decode(chunk, decoded)) return fail("bare '&' in text");
      bool blank = decoded.find_first_not_of(" \t\r\n") == std::string::npos;
      if (open.empty() && !blank) return fail("text outside the root");
      if (!blank) r.text += decoded + " ";
      i = next == std::string::npos ? s.size() : next;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) {
      const std::size_t end = s.find("-->", i);
      if (end == std::string::npos) return fail("unclosed comment");
      i = end + 3;
      continue;
    }
    if (s.compare(i, 2, "<?") == 0) {
      const std::size_t end = s.find("?>", i);
      if (end == std::string::npos || i != s.find_first_not_of(" \t\r\n")) return fail("bad prolog");
      i = end + 2;
      continue;
    }
    const std::size_t end = s.find('>', i);
    if (end == std::string::npos) return fail("unclosed tag");
    std::string tag = s.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) return fail("'<' inside a tag");
    const bool closing = !tag.empty() && tag[0] == '/';
    const bool empty = !tag.empty() && tag.back() == '/';
    if (closing) tag.erase(0, 1);
    if (empty) tag.pop_back();
    std::size_t n = 0;
    while (n < tag.size() && detail::name_char(tag[n])) ++n;
    const std::string name = tag.substr(0, n);
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return fail("bad element name");
    if (closing) {
      if (open.empty() || open.back() != name) return fail("</" + name + "> closes nothing open");
      if (n != tag.size()) return fail("attributes on a closing tag");
      open.pop_back();
    } else {
      if (!detail::attributes_ok(tag.substr(n))) return fail("bad attributes on <" + name + ">");
      if (open.empty() && roots++ > 0) return fail("two root elements");
      r.elements.push_back(name);
      if (!empty) open.push_back(name);
    }
    i = end + 1;
  }
  if (!open.empty()) return fail("<" + open.back() + "> never closed");
  if (roots != 1) return fail("no root element");
  r.well_formed = true;
  return r;
}

}  // namespace fim::test
