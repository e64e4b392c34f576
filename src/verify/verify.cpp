#include "verify/verify.hpp"

#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>

#include "verify/inertia.hpp"
#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

constexpr std::streamoff kMaxFile = 16 << 20;  // the checker's certificates stay under 2 MB
constexpr int kVersion = 2;

// The one-line form of a reason (a name read from the file may hold a line break).
std::string one_line(const std::string& s) {
  std::string r;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {  // any control character, NUL included, is shown, never obeyed
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", u);
      r += esc;
    } else {
      r += c;
    }
  }
  return r;
}

// Reads the header, finds the variant in the verifier's own table and hands the rest to its kind.
Check dispatch(const Json& cert) {
  if (!cert.is_object()) throw Refused("a certificate is a JSON object");
  if (!cert.contains("fimcheck_certificate")) throw Refused("not a fimcheck certificate (no \"fimcheck_certificate\")");
  const Json& version = cert["fimcheck_certificate"];
  if (!version.is_number_integer() || version.get<long long>() != kVersion)
    throw Refused("certificate format " + version.dump() + " is not supported (this verifier reads format 2; rerun the check to write one)");
  for (const char* k : {"kind", "claim", "variant", "where"})
    if (!cert.contains(k)) throw Refused(std::string("certificate lacks the field \"") + k + "\"");
  const std::string kind = text_of(cert["kind"], "kind"), claim = text_of(cert["claim"], "claim"),
                    variant = text_of(cert["variant"], "variant");
  const Json& where = cert["where"];
  const std::string model = claim != "genericity" ? ""
                            : where.is_object() && where.contains("model") ? text_of(where["model"], "where.model")
                                                                           : "M1";
  if (claim == "approx" && kind == "approximation" && cert.contains("user_approximation"))
    return check_user_approximation(cert);
  if (claim == "user" && kind == "user-claim") return check_user_claim(cert);  // its statement is in the file
  const VariantInfo* v = find_variant(claim, model, variant);
  if (!v) throw Refused("unknown claim or variant: " + claim + (model.empty() ? "" : " " + model) + ", variant " + variant);
  if (kind != v->kind) throw Refused("kind '" + kind + "' is not the kind of " + claim + ", variant " + variant + " ('" + v->kind + "')");
  const std::string k = v->kind;
  if (k == "linear-eigenvalue-inequality") return check_linear(cert, *v);
  if (k == "remainder") return check_remainder(cert, *v);
  if (k == "genericity-mean") return check_genericity_mean(cert, *v);
  return check_approximation(cert, *v);
}

}  // namespace

Check verify_text(const std::string& text) {
  Check c;
  reset_inertia_budget();
  try {
    c = dispatch(parse_strict(text));
  } catch (const Refused& e) {
    c = {Status::Refused, e.reason};
  } catch (const nlohmann::json::exception& e) {
    c = {Status::Refused, std::string("certificate JSON: ") + e.what()};
  } catch (const std::bad_alloc&) {
    c = {Status::Refused, "out of memory"};
  } catch (const std::exception& e) {
    c = {Status::Refused, e.what()};
  }
  c.reason = one_line(c.reason);
  return c;
}

Check verify_certificate(const nlohmann::json& cert) {
  try {
    return verify_text(cert.dump());
  } catch (const std::exception& e) {  // a string that is not UTF-8
    return {Status::Refused, one_line(e.what())};
  }
}

Check verify_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {Status::Refused, "cannot open the file"};
  in.seekg(0, std::ios::end);
  if (in.tellg() > kMaxFile) return {Status::Refused, "larger than 16 MB"};
  in.seekg(0);
  std::ostringstream s;
  s << in.rdbuf();
  return verify_text(s.str());
}

}  // namespace fim::verify
