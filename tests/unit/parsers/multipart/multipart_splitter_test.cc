#include "parsers/multipart/multipart_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "parsers/parser_workspace.h"
#include "../noise_bytes.h"

namespace weir::parse {
namespace {

struct Split {
  std::vector<std::pair<std::string, std::string>> fields;  // body_multipart name -> value
  std::vector<std::string> raw;                              // body_raw values
  std::vector<std::pair<std::string, std::string>> files;    // body_file name -> value
  std::vector<std::string> findings;
  bool has(std::string_view f) const {
    for (const auto& x : findings) {
      if (x == f) return true;
    }
    return false;
  }
  std::string value(std::string_view name) const {
    for (const auto& [n, v] : fields) {
      if (n == name) return v;
    }
    return "<none>";
  }
  size_t count(std::string_view name) const {
    size_t c = 0;
    for (const auto& f : fields) c += f.first == name;
    return c;
  }
};

Split split(std::string_view body, std::string_view content_type, bool truncated = false,
            ParseLimits limits = {}) {
  WorkspaceSizes sizes;
  sizes.arena_bytes = 256 * 1024;
  sizes.head_slabs = sizes.body_slabs = sizes.inflate_slabs = 1;
  sizes.brotli_memory_bytes = 4096;
  ParserWorkspace ws(limits, sizes);
  FieldList fields(ws.arena(), limits.max_fields);
  FindingList findings(ws.arena(), 32);
  std::string buf(body);
  buf.append(64, '\0');  // JSON padding, as a body slab has
  split_multipart(std::string_view(buf).substr(0, body.size()), content_type, truncated, ws,
                  fields, findings);
  Split s;
  for (const Field& f : fields.view()) {
    if (f.zone == Zone::BodyMultipart) s.fields.emplace_back(f.name, f.value);
    if (f.zone == Zone::BodyRaw) s.raw.emplace_back(f.value);
    if (f.zone == Zone::BodyFile) s.files.emplace_back(f.name, f.value);
  }
  for (const ParserFinding& f : findings.view()) s.findings.emplace_back(f.name);
  return s;
}

const char* kType = "multipart/form-data; boundary=XyZ";

TEST(MultipartSplitter, FormDataPartsBecomeNamedFields) {
  const Split s = split(
      "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nadmin' --\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n"
      "Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n"
      "--XyZ--\r\n",
      kType);
  EXPECT_TRUE(s.findings.empty()) << s.findings.front();
  EXPECT_EQ(s.value("user"), "admin' --");
  EXPECT_EQ(s.value("file"), "line1\r\nline2");
  EXPECT_EQ(s.value("file.filename"), "../../etc/passwd");
  EXPECT_TRUE(s.raw.empty());
}

TEST(MultipartSplitter, QuotedBoundaryAndTransportPadding) {
  const Split s = split(
      "--a b:c\r\nContent-Disposition: form-data; name=q\r\n\r\nv1\r\n--a b:c  \r\n"
      "Content-Disposition: form-data; name=\"r\\\"s\"\r\n\r\nv2\r\n--a b:c--",
      "multipart/form-data; charset=utf-8; boundary=\"a b:c\"");
  EXPECT_TRUE(s.findings.empty()) << s.findings.front();
  EXPECT_EQ(s.value("q"), "v1");
  EXPECT_EQ(s.value("r\"s"), "v2");
}

TEST(MultipartSplitter, ExtendedFilenameIsDecoded) {
  const Split s = split(
      "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"plain.txt\"; "
      "filename*=UTF-8''%e2%82%ac%20rates%27.php\r\n\r\nx\r\n--XyZ--\r\n",
      kType);
  EXPECT_EQ(s.count("doc.filename"), 2u);
  EXPECT_EQ(s.fields.at(1).second, "plain.txt");
  EXPECT_EQ(s.fields.at(2).second, "\xe2\x82\xac rates'.php");
}

TEST(MultipartSplitter, QuotedFilenameWithBackslashesIsInspectedBothWays) {
  const Split s = split(
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"..\\..\\..\\boot.ini\"\r\n\r\nx\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"plain.txt\"\r\n\r\ny\r\n--XyZ--\r\n",
      kType);
  EXPECT_EQ(s.count("file.filename"), 2u);
  EXPECT_EQ(s.fields.at(1).second, "......boot.ini");        // RFC 9110 quoted-pairs
  EXPECT_EQ(s.fields.at(2).second, "..\\..\\..\\boot.ini");  // as browsers send it
  EXPECT_EQ(s.count("doc.filename"), 1u);
}

TEST(MultipartSplitter, JsonPartsAreFlattenedUnderThePartName) {
  const Split s = split(
      "--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
      "{\"user\":{\"id\":\"1 OR 1=1\"},\"tags\":[\"a\"]}\r\n--XyZ--\r\n",
      kType);
  EXPECT_EQ(s.value("meta.user.id"), "1 OR 1=1");
  EXPECT_EQ(s.value("meta.tags[0]"), "a");
}

TEST(MultipartSplitter, APartThatGivesNothingToInspectIsStillReported) {
  // multipart/mixed: parts need no name; an unknown header and an empty JSON
  // object give no field, so a notice says the part was seen (the fuzzer's
  // "nothing silently dropped" property found this one).
  const Split s = split(
      "--XyZ\r\nContent-Dispositiition: form-data\r\nContent-Type: application/json\r\n\r\n{}\r\n"
      "--XyZ--\r\n",
      "multipart/mixed; boundary=XyZ");
  EXPECT_TRUE(s.fields.empty());
  EXPECT_TRUE(s.has("multipart.part_without_fields"));
  // A part with a field says nothing more.
  const Split ok = split("--XyZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n",
                         "multipart/mixed; boundary=XyZ");
  EXPECT_FALSE(ok.has("multipart.part_without_fields"));
  EXPECT_EQ(ok.value(""), "hello");
}

TEST(MultipartSplitter, NestedMultipartIsSplitUnderTheOuterName) {
  const Split s = split(
      "--XyZ\r\nContent-Disposition: form-data; name=\"files\"\r\n"
      "Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
      "--inner\r\nContent-Disposition: file; filename=\"a.txt\"\r\n\r\n<script>\r\n"
      "--inner\r\nContent-Disposition: file; name=\"b\"\r\n\r\nsecond\r\n--inner--\r\n"
      "\r\n--XyZ--\r\n",
      kType);
  EXPECT_TRUE(s.findings.empty()) << s.findings.front();
  EXPECT_EQ(s.value("files"), "<script>");
  EXPECT_EQ(s.value("files.filename"), "a.txt");
  EXPECT_EQ(s.value("files.b"), "second");
}

TEST(MultipartSplitter, NestingPastTheDepthLimitIsInspectedWhole) {
  ParseLimits limits;
  limits.max_multipart_depth = 1;
  const std::string inner = "--in\r\nContent-Disposition: file\r\n\r\nX\r\n--in--";
  const Split s = split("--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n"
                        "Content-Type: multipart/mixed; boundary=in\r\n\r\n" + inner + "\r\n--XyZ--",
                        kType, false, limits);
  EXPECT_TRUE(s.has("multipart.too_deep"));
  EXPECT_EQ(s.value("n"), inner);
}

TEST(MultipartSplitter, BoundaryParameterAmbiguities) {
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--";
  EXPECT_TRUE(split(body, "multipart/form-data; boundary=XyZ; boundary=XyZ").has("multipart.duplicate_boundary"));
  const Split conflict = split(body, "multipart/form-data; boundary=XyZ; boundary=other");
  EXPECT_TRUE(conflict.has("multipart.conflicting_boundary"));
  EXPECT_EQ(conflict.value("a"), "1");  // split by the first, as most servers do
  EXPECT_FALSE(split(body, kType).has("multipart.duplicate_boundary"));
  const Split none = split(body, "multipart/form-data");
  EXPECT_TRUE(none.has("multipart.no_boundary"));
  EXPECT_EQ(none.raw.at(0), body);
  EXPECT_TRUE(split(body, "multipart/form-data; boundary=\"XyZ").has("multipart.boundary_quote_mismatch"));
  EXPECT_TRUE(split(body, "multipart/form-data; boundary=\"XyZ\"x").has("multipart.boundary_quote_mismatch"));
  EXPECT_TRUE(split(body, "multipart/form-data; boundary=X\"yZ").has("multipart.boundary_quote_mismatch"));
  EXPECT_FALSE(split(body, "multipart/form-data; boundary=\"XyZ\"").has("multipart.boundary_quote_mismatch"));
  EXPECT_TRUE(split("--\"XyZ\"\r\n\r\nhidden\r\n--\"XyZ\"--", "multipart/form-data; boundary=\"XyZ\"")
                  .has("multipart.boundary_quote_mismatch"));
  // Trailing blanks of an unquoted value are not part of it.
  EXPECT_FALSE(split(body, "multipart/form-data; boundary=XyZ ").has("multipart.invalid_boundary"));
  EXPECT_TRUE(split("--a\x01\r\n\r\nx\r\n--a\x01--", "multipart/form-data; boundary=a\x01")
                  .has("multipart.invalid_boundary"));
}

TEST(MultipartSplitter, DataOutsideThePartsIsInspectedAndReported) {
  const Split s = split("evil preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
                        "\r\n--XyZ--\r\nevil epilogue",
                        kType);
  EXPECT_TRUE(s.has("multipart.data_before_first"));
  EXPECT_TRUE(s.has("multipart.data_after_final"));
  EXPECT_EQ(s.value("a"), "1");
  ASSERT_EQ(s.raw.size(), 2u);
  EXPECT_EQ(s.raw[0], "evil preamble\r\n");
  EXPECT_EQ(s.raw[1], "evil epilogue");
  const Split clean = split("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n\r\n", kType);
  EXPECT_FALSE(clean.has("multipart.data_before_first"));
  EXPECT_FALSE(clean.has("multipart.data_after_final"));
  const Split nothing = split("no delimiter at all", kType);
  EXPECT_TRUE(nothing.has("multipart.data_before_first"));
  EXPECT_EQ(nothing.raw.at(0), "no delimiter at all");
}

TEST(MultipartSplitter, MissingFinalBoundaryUnlessTruncated) {
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nrest of body";
  const Split s = split(body, kType);
  EXPECT_TRUE(s.has("multipart.missing_final_boundary"));
  EXPECT_EQ(s.value("a"), "rest of body");
  EXPECT_FALSE(split(body, kType, /*truncated=*/true).has("multipart.missing_final_boundary"));
  const Split unended = split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nnever ends", kType);
  EXPECT_TRUE(unended.has("multipart.missing_final_boundary"));
  EXPECT_EQ(unended.raw.at(0), "Content-Disposition: form-data; name=\"a\"\r\nnever ends");
}

TEST(MultipartSplitter, BareLfLinesAreAcceptedAndReported) {
  const Split s = split("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n", kType);
  EXPECT_TRUE(s.has("multipart.lf_line"));
  EXPECT_EQ(s.value("a"), "1");
  EXPECT_FALSE(split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n", kType)
                   .has("multipart.lf_line"));
}

TEST(MultipartSplitter, PartHeaderAmbiguities) {
  const Split noname = split("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(noname.has("multipart.part_without_name"));
  EXPECT_EQ(noname.value(""), "v");
  EXPECT_FALSE(split("--XyZ\r\nContent-Disposition: attachment\r\n\r\nv\r\n--XyZ--",
                     "multipart/mixed; boundary=XyZ")
                   .has("multipart.part_without_name"));

  const Split dup = split("--XyZ\r\nContent-Disposition: form-data; name=\"safe\"\r\n"
                          "Content-Disposition: form-data; name=\"cmd\"\r\n\r\nv\r\n--XyZ--",
                          kType);
  EXPECT_TRUE(dup.has("multipart.duplicate_disposition"));
  EXPECT_EQ(dup.value("safe"), "v");
  EXPECT_EQ(dup.value("cmd"), "v");

  const Split dupname = split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(dupname.has("multipart.duplicate_parameter"));
  EXPECT_EQ(dupname.value("b"), "v");

  const Split folded = split("--XyZ\r\nContent-Disposition: form-data;\r\n name=\"f\"\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(folded.has("multipart.header_folding"));
  EXPECT_EQ(folded.value("f"), "v");

  EXPECT_TRUE(split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: x-rot13\r\n\r\nv\r\n--XyZ--", kType)
                  .has("multipart.unknown_transfer_encoding"));
  const Split b64 = split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\nPHNjcmlwdD4=\r\n--XyZ--", kType);
  EXPECT_TRUE(b64.has("multipart.transfer_encoding"));
  EXPECT_FALSE(b64.has("multipart.unknown_transfer_encoding"));
  EXPECT_FALSE(split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: binary\r\n\r\nv\r\n--XyZ--", kType)
                   .has("multipart.transfer_encoding"));

  EXPECT_TRUE(split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nno colon here\r\n\r\nv\r\n--XyZ--", kType)
                  .has("multipart.malformed_header"));
  EXPECT_TRUE(split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"x; filename=\"y\"\r\n\r\nv\r\n--XyZ--", kType)
                  .has("multipart.malformed_disposition"));
  std::string many = "--XyZ\r\n";
  for (int i = 0; i < 20; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  many += "Content-Disposition: form-data; name=\"late\"\r\n\r\nv\r\n--XyZ--";
  EXPECT_TRUE(split(many, kType).has("multipart.too_many_headers"));
}

TEST(MultipartSplitter, NameAndFilenameListsAreCappedWithoutLosingAValue) {
  // Servers keep the first or the last of repeated filenames: two that
  // differ are an ambiguity, and both are inspected.
  const Split two = split("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"; "
                          "filename=\"../../shell.php\"\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(two.has("multipart.duplicate_parameter"));
  EXPECT_EQ(two.count("f.filename"), 2u);
  // filename and filename* together are the RFC 6266 fallback, not a duplicate.
  EXPECT_FALSE(split("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"; "
                     "filename*=UTF-8''a%C3%A9.txt\r\n\r\nv\r\n--XyZ--", kType)
                   .has("multipart.duplicate_parameter"));
  // Past the splitter's list (4 distinct values) the part says so and the
  // whole Content-Disposition value is inspected: the 5th filename too.
  std::string disp = "form-data; name=\"f\"";
  for (int i = 0; i < 4; ++i) disp += "; filename=\"f" + std::to_string(i) + ".txt\"";
  disp += "; filename=\"../../etc/passwd\"";
  const Split many = split("--XyZ\r\nContent-Disposition: " + disp + "\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(many.has("multipart.too_many_names"));
  EXPECT_EQ(many.count("f.filename"), 4u);
  EXPECT_EQ(many.value("f.content-disposition"), disp);
  std::string names = "form-data";
  for (int i = 0; i < 5; ++i) names += "; name=\"n" + std::to_string(i) + "\"";
  const Split five = split("--XyZ\r\nContent-Disposition: " + names + "\r\n\r\nv\r\n--XyZ--", kType);
  EXPECT_TRUE(five.has("multipart.too_many_names"));
  EXPECT_EQ(five.value("n3"), "v");
  EXPECT_EQ(five.value("n0.content-disposition"), names);
  EXPECT_FALSE(two.has("multipart.too_many_names"));
}

TEST(MultipartSplitter, BoundaryPrefixLinesAreContent) {
  const Split s = split("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZextra\r\n2\r\n--XyZ--", kType);
  EXPECT_TRUE(s.has("multipart.boundary_prefix"));
  EXPECT_EQ(s.value("a"), "1\r\n--XyZextra\r\n2");
}

TEST(MultipartSplitter, FieldCapIsReported) {
  ParseLimits limits;
  limits.max_fields = 3;
  std::string body;
  for (int i = 0; i < 6; ++i) body += "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  body += "--XyZ--";
  const Split s = split(body, kType, false, limits);
  EXPECT_TRUE(s.has("parse.field_cap"));
  EXPECT_EQ(s.fields.size(), 3u);
}

std::string file_part(std::string_view name, std::string_view filename, std::string_view type,
                      std::string_view content) {
  std::string p = "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"";
  if (!filename.empty()) p += "; filename=\"" + std::string(filename) + "\"";
  p += "\r\n";
  if (!type.empty()) p += "Content-Type: " + std::string(type) + "\r\n";
  return p + "\r\n" + std::string(content) + "\r\n";
}

TEST(MultipartSplitter, BinaryUploadIsFileContent) {
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR;''x a$@b", 26) + testing::noise_bytes(300);
  const Split s = split(file_part("avatar", "me.png", "image/png", png) + "--XyZ--", kType);
  ASSERT_EQ(s.files.size(), 1u);
  EXPECT_EQ(s.files[0].first, "avatar");
  EXPECT_EQ(s.files[0].second, png);
  // The filename is still a text value every rule reads.
  EXPECT_EQ(s.value("avatar.filename"), "me.png");
  EXPECT_EQ(s.value("avatar"), "<none>");
}

TEST(MultipartSplitter, TextUploadsAndFormValuesStayText) {
  const std::string bin = testing::noise_bytes(100) + "' OR 1=1--";
  // No filename: a form value, whatever its bytes.
  const Split value = split(file_part("q", "", "application/octet-stream", bin) + "--XyZ--", kType);
  EXPECT_EQ(value.value("q"), bin);
  EXPECT_TRUE(value.files.empty());
  // A text file (CSV, SVG) is read by every rule.
  const Split csv = split(file_part("f", "a.csv", "text/csv", "name\n' OR 1=1--") + "--XyZ--", kType);
  EXPECT_EQ(csv.value("f"), "name\n' OR 1=1--");
  const Split svg = split(file_part("f", "a.svg", "", "<svg onload=alert(1)>") + "--XyZ--", kType);
  EXPECT_EQ(svg.value("f"), "<svg onload=alert(1)>");
  // Declared as text: never a file, whatever its bytes.
  const Split xml = split(file_part("f", "a.xml", "application/xml", bin) + "--XyZ--", kType);
  EXPECT_EQ(xml.value("f"), bin);
  EXPECT_TRUE(xml.files.empty());
}

}  // namespace
}  // namespace weir::parse
