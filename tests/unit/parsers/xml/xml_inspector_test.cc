// Field naming, SOAP/XML-RPC recognition, caps and malformed documents.
#include "parsers/xml/xml_inspector.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/parsers/graphql/counting_new.h"
#include "tests/unit/parsers/xml/xml_harness.h"

namespace weir::parse::test {
namespace {

// zeep 4.2.1, tests/unit/parsers/xml/zeep/gen_envelopes.py (port P11): sent
// with Content-Type text/xml; charset=utf-8 and
// SOAPAction: "http://example.com/users/GetUser".
const char* kZeepSoap11 =
    R"(<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><ns0:GetUser xmlns:ns0="http://example.com/users" lang="en"><ns0:id>1' OR '1'='1</ns0:id><ns0:fields>name</ns0:fields><ns0:fields>email</ns0:fields></ns0:GetUser></soap-env:Body></soap-env:Envelope>)";

// Port P12: Content-Type application/soap+xml; charset=utf-8;
// action="http://example.com/users/GetUser" (no SOAPAction header).
const char* kZeepSoap12 =
    R"(<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://www.w3.org/2003/05/soap-envelope"><soap-env:Body><ns0:GetUser xmlns:ns0="http://example.com/users" lang="en"><ns0:id>1' OR '1'='1</ns0:id><ns0:fields>name</ns0:fields><ns0:fields>email</ns0:fields></ns0:GetUser></soap-env:Body></soap-env:Envelope>)";

// python3 xmlrpc.client.dumps((42, "bob' OR 1=1", {'a': [1, 2.5, True]}),
// methodname='users.get')
const char* kPythonXmlRpc = R"(<?xml version='1.0'?>
<methodCall>
<methodName>users.get</methodName>
<params>
<param>
<value><int>42</int></value>
</param>
<param>
<value><string>bob' OR 1=1</string></value>
</param>
<param>
<value><struct>
<member>
<name>a</name>
<value><array><data>
<value><int>1</int></value>
<value><double>2.5</double></value>
<value><boolean>1</boolean></value>
</data></array></value>
</member>
</struct></value>
</param>
</params>
</methodCall>
)";

TEST(XmlInspector, PathsAttributesAndText) {
  const XmlRun r = run_xml(
      R"(<order id="7" xmlns:x="urn:x" x:prio="high"><item sku="A&amp;B">pen &lt;3</item>)"
      R"(<note><![CDATA[<b>x</b>]]></note><empty/><mixed>a<!-- hidden -->b<i>c</i>d</mixed></order>)");
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.field("/order/@id"), "7");
  EXPECT_EQ(r.field("/order/@prio"), "high");  // prefix stripped, xmlns not a field
  EXPECT_EQ(r.count("/order/@x"), 0u);
  EXPECT_EQ(r.field("/order/item/@sku"), "A&B");
  EXPECT_EQ(r.field("/order/item"), "pen <3");
  EXPECT_EQ(r.field("/order/note"), "<b>x</b>");
  EXPECT_EQ(r.field("/order/empty"), "");
  EXPECT_EQ(r.field("/order/mixed/i"), "c");
  // Mixed content: text before and after the child, comments dropped as a
  // DOM parser would.
  EXPECT_EQ(r.count("/order/mixed"), 2u);
  EXPECT_EQ(r.field("/order/mixed"), "ab");
  EXPECT_EQ(r.count("/order"), 0u);  // whitespace-free parent: no field
  EXPECT_EQ(r.result.kind, XmlKind::Plain);
  EXPECT_EQ(r.root, "order");
}

TEST(XmlInspector, ZeepSoap11Envelope) {
  XmlRequestInfo info{"text/xml; charset=utf-8", "\"http://example.com/users/GetUser\""};
  const XmlRun r = run_xml(kZeepSoap11, info);
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.result.kind, XmlKind::Soap11);
  EXPECT_EQ(r.operation, "GetUser");
  EXPECT_EQ(r.operation_ns, "http://example.com/users");
  EXPECT_EQ(r.soap_action, "http://example.com/users/GetUser");
  EXPECT_EQ(r.field("/Envelope/Body/GetUser/id"), "1' OR '1'='1");
  EXPECT_EQ(r.field("/Envelope/Body/GetUser/@lang"), "en");
  EXPECT_EQ(r.count("/Envelope/Body/GetUser/fields"), 2u);
}

TEST(XmlInspector, ZeepSoap12EnvelopeActionFromContentType) {
  XmlRequestInfo info{
      "application/soap+xml; charset=utf-8; action=\"http://example.com/users/GetUser\"", {}};
  const XmlRun r = run_xml(kZeepSoap12, info);
  EXPECT_EQ(r.result.kind, XmlKind::Soap12);
  EXPECT_EQ(r.operation, "GetUser");
  EXPECT_EQ(r.soap_action, "http://example.com/users/GetUser");
  EXPECT_TRUE(r.findings.empty());
}

TEST(XmlInspector, SoapActionMismatch) {
  XmlRequestInfo info{"text/xml", "\"http://example.com/users/GetUser\""};
  std::string body = kZeepSoap11;
  for (size_t p; (p = body.find("GetUser")) != std::string::npos;) body.replace(p, 7, "DeleteUser");
  XmlRun r = run_xml(body, info);
  EXPECT_EQ(r.operation, "DeleteUser");
  EXPECT_TRUE(r.has("soap.action_mismatch"));
  EXPECT_EQ(r.detail("soap.action_mismatch"),
            "action http://example.com/users/GetUser, body DeleteUser");
  // SOAP 1.2: the action parameter is checked the same way.
  XmlRequestInfo info12{"application/soap+xml; action=\"urn:GetUser\"", {}};
  std::string body12 = kZeepSoap12;
  for (size_t p; (p = body12.find("GetUser")) != std::string::npos;) body12.replace(p, 7, "DropDb");
  EXPECT_TRUE(run_xml(body12, info12).has("soap.action_mismatch"));
  // An empty SOAPAction claims nothing.
  EXPECT_FALSE(run_xml(body, XmlRequestInfo{"text/xml", "\"\""}).has("soap.action_mismatch"));
}

TEST(XmlInspector, WsAddressingAction) {
  // WCF-style SOAP 1.2: the action travels in the Header.
  const std::string env =
      R"(<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">)"
      R"(<s:Header><a:Action s:mustUnderstand="1">http://tempuri.org/IUsers/GetUser</a:Action>)"
      R"(<a:To>http://198.18.0.2/users.svc</a:To></s:Header><s:Body><GetUser xmlns="http://tempuri.org/"><id>1</id></GetUser></s:Body></s:Envelope>)";
  XmlRun r = run_xml(env, XmlRequestInfo{"application/soap+xml; charset=utf-8", {}});
  EXPECT_EQ(r.wsa_action, "http://tempuri.org/IUsers/GetUser");
  EXPECT_EQ(r.soap_action, "");
  EXPECT_EQ(r.operation, "GetUser");
  EXPECT_TRUE(r.findings.empty());
  std::string spoofed = env;
  spoofed.replace(spoofed.find("<GetUser xmlns"), 8, "<DropAll");
  spoofed.replace(spoofed.find("</GetUser>"), 10, "</DropAll>");
  r = run_xml(spoofed, XmlRequestInfo{"application/soap+xml; charset=utf-8", {}});
  EXPECT_EQ(r.operation, "DropAll");
  EXPECT_TRUE(r.has("soap.action_mismatch"));
  EXPECT_EQ(r.detail("soap.action_mismatch"), "action http://tempuri.org/IUsers/GetUser, body DropAll");
  // Content-Type action and WS-Addressing Action disagree.
  r = run_xml(env, XmlRequestInfo{"application/soap+xml; action=\"http://tempuri.org/IUsers/GetUserById\"", {}});
  EXPECT_TRUE(r.has("soap.action_mismatch"));
  EXPECT_EQ(r.detail("soap.action_mismatch"), "transport action differs from the WS-Addressing Action");
}

TEST(XmlInspector, EnvelopeNeedsTheSoapNamespace) {
  const XmlRun r = run_xml(
      R"(<s:Envelope xmlns:s="urn:not-soap"><s:Body><Op><a>1</a></Op></s:Body></s:Envelope>)",
      XmlRequestInfo{"text/xml", "urn:Other"});
  EXPECT_EQ(r.result.kind, XmlKind::Plain);
  EXPECT_EQ(r.operation, "");
  EXPECT_FALSE(r.has("soap.action_mismatch"));
  EXPECT_EQ(r.field("/Envelope/Body/Op/a"), "1");
  // The operation is the first element of Body, not of Header.
  const XmlRun h = run_xml(
      R"(<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><Auth>t</Auth></e:Header>)"
      R"(<e:Body><Transfer><to>x</to></Transfer><Second/></e:Body></e:Envelope>)");
  EXPECT_EQ(h.operation, "Transfer");
  EXPECT_EQ(h.field("/Envelope/Header/Auth"), "t");
}

TEST(XmlInspector, PythonXmlRpcCall) {
  const XmlRun r = run_xml(kPythonXmlRpc, XmlRequestInfo{"text/xml", {}});
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_EQ(r.result.kind, XmlKind::XmlRpc);
  EXPECT_EQ(r.operation, "users.get");
  EXPECT_EQ(r.field("/methodCall/params/param[0]/value/int"), "42");
  EXPECT_EQ(r.field("/methodCall/params/param[1]/value/string"), "bob' OR 1=1");
  EXPECT_EQ(r.field("/methodCall/params/param[2]/value/struct/member/name"), "a");
  // Struct members are named by their key.
  EXPECT_EQ(r.field("/methodCall/params/param[2]/value/struct/a/value/array/data/value/double"),
            "2.5");
  const XmlRun n = run_xml(
      "<methodCall><methodName>m</methodName><params><param><value><struct>"
      "<member><name>user</name><value><struct><member><name>pw</name><value>x' OR 1=1</value>"
      "</member></struct></value></member><member><name>id</name><value><int>7</int></value>"
      "</member></struct></value></param></params></methodCall>");
  EXPECT_EQ(n.field("/methodCall/params/param[0]/value/struct/user/value/struct/pw/value"),
            "x' OR 1=1");
  EXPECT_EQ(n.field("/methodCall/params/param[0]/value/struct/id/value/int"), "7");
  // Outside XML-RPC a <member><name> is just a path.
  EXPECT_EQ(run_xml("<r><member><name>k</name><value>v</value></member></r>").field(
                "/r/member/value"),
            "v");
}

TEST(XmlInspector, MalformedKeepsFieldsAndRawBody) {
  const std::string body = "<a><b>1</b><c>2' OR 1=1<d></a>";
  const XmlRun r = run_xml(body);
  EXPECT_EQ(r.status, XmlStatus::Malformed);
  EXPECT_TRUE(r.has("xml.malformed"));
  EXPECT_EQ(r.detail("xml.malformed"), "mismatched tag");
  EXPECT_EQ(r.field("/a/b"), "1");
  EXPECT_EQ(r.field("/a/c"), "2' OR 1=1");
  ASSERT_EQ(r.raw.size(), 1u);
  EXPECT_EQ(r.raw[0], body);
  for (const char* bad : {"", "not xml", "<a>", "<a></b>", "<a x='1' x='2'/>", "<p:a/>"}) {
    const XmlRun m = run_xml(bad);
    EXPECT_EQ(m.status, XmlStatus::Malformed) << bad;
    EXPECT_TRUE(m.has("xml.malformed")) << bad;
    EXPECT_EQ(m.raw.size(), 1u) << bad;
  }
}

TEST(XmlInspector, MaxDepth) {
  XmlPolicy p;
  p.max_depth = 4;
  EXPECT_FALSE(run_xml("<a><b><c><d>x</d></c></b></a>", {}, p).has("xml.max_depth"));
  const std::string deep = "<a><b><c><d><e>x</e></d></c></b></a>";
  const XmlRun r = run_xml(deep, {}, p);
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.max_depth"));
  EXPECT_FALSE(r.has("xml.malformed"));
  ASSERT_EQ(r.raw.size(), 1u);
  EXPECT_EQ(r.raw[0], deep);
  // The hard path-stack limit holds whatever the policy says.
  p.max_depth = 100000;
  std::string huge;
  for (int i = 0; i < 1000; ++i) huge += "<a>";
  for (int i = 0; i < 1000; ++i) huge += "</a>";
  EXPECT_TRUE(run_xml(huge, {}, p).has("xml.max_depth"));
}

TEST(XmlInspector, PathCap) {
  // Three 2000-byte names nest past the 4 KiB path buffer.
  const std::string n(2000, 'n');
  const std::string body = "<" + n + "1><" + n + "2><" + n + "3>x</" + n + "3></" + n + "2></" + n + "1>";
  const XmlRun r = run_xml(body);
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.path_cap"));
  EXPECT_EQ(r.raw.size(), 1u);
  EXPECT_FALSE(run_xml("<" + n + "1><" + n + "2>x</" + n + "2></" + n + "1>").has("xml.path_cap"));
}

TEST(XmlInspector, MaxAttributes) {
  XmlPolicy p;
  p.max_attributes = 3;
  EXPECT_FALSE(run_xml(R"(<a x="1" y="2" z="3"/>)", {}, p).has("xml.max_attributes"));
  const XmlRun r = run_xml(R"(<a x="1" y="2" z="3" w="4"/>)", {}, p);
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.max_attributes"));
  EXPECT_EQ(r.raw.size(), 1u);
}

TEST(XmlInspector, FieldCap) {
  ParseLimits limits;
  limits.max_fields = 5;
  std::string body = "<r>";
  for (int i = 0; i < 10; ++i) body += "<v>" + std::to_string(i) + "</v>";
  body += "</r>";
  const XmlRun r = run_xml(body, {}, {}, limits);
  EXPECT_EQ(r.status, XmlStatus::Capped);
  EXPECT_TRUE(r.has("xml.field_cap"));
  EXPECT_EQ(r.fields.size(), 4u);
  EXPECT_EQ(r.raw.size(), 1u);
}

TEST(XmlInspector, LongTextAcrossFeedPiecesAndUtf16) {
  // Text far longer than one 4 KiB feed piece arrives as one value.
  const std::string text(20000, 'x');
  XmlRun r = run_xml("<a><b>" + text + "</b></a>");
  EXPECT_EQ(r.field("/a/b"), text);
  // UTF-16LE with BOM: values come out as UTF-8.
  const std::string ascii = "<a>h\xC3\xA9</a>";
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("<a>h")) {
    utf16 += c;
    utf16 += '\0';
  }
  utf16 += "\xE9";
  utf16 += '\0';
  for (const char c : std::string("</a>")) {
    utf16 += c;
    utf16 += '\0';
  }
  r = run_xml(utf16);
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_EQ(r.field("/a"), "h\xC3\xA9");
}

TEST(XmlInspector, ExpatMemoryComesFromItsArenaAndIsBounded) {
  ParseLimits limits;
  std::string body = "<r>";
  // ~500 elements with an attribute each: under max_fields, near the body limit.
  const std::string item = "<item k=\"v\">" + std::string(100, 'v') + "</item>";
  while (body.size() + item.size() < limits.max_body_inspect - 64) body += item;
  body += "</r>";
  const XmlRun r = run_xml(body, {}, {}, limits);
  EXPECT_EQ(r.status, XmlStatus::Ok);
  EXPECT_GT(r.fields.size(), 1000u);
  EXPECT_GT(r.expat_bytes, 0u);
  EXPECT_LT(r.expat_bytes, 256 * 1024 + 4 * limits.max_body_inspect);
}

TEST(XmlInspector, NoHeapAllocationPerDocument) {
  // expat's memory comes from the inspector's arena: no operator new, and
  // the arena shows the bytes expat used.
  ParseLimits limits;
  const long at_start = g_new_calls.load();
  XmlInspector inspector(limits);
  EXPECT_GT(g_new_calls.load(), at_start);  // the counter sees start-up allocations
  Arena arena(1 << 20);
  const std::string body = kZeepSoap11;
  long before = 0;
  for (int i = 0; i < 2; ++i) {
    arena.reset();
    FieldList fields(arena, 64);
    FindingList findings(arena, 8);
    XmlResult result;
    before = g_new_calls.load();
    EXPECT_EQ(inspector.inspect(body, {}, {}, arena, fields, findings, result), XmlStatus::Ok);
  }
  EXPECT_EQ(g_new_calls.load() - before, 0);
  EXPECT_GT(inspector.expat_bytes_used(), 1000u);
}

TEST(XmlInspector, ReusedAcrossDocuments) {
  ParseLimits limits;
  XmlInspector inspector(limits);
  Arena arena(1 << 20);
  for (int i = 0; i < 3; ++i) {
    arena.reset();
    FieldList fields(arena, 64);
    FindingList findings(arena, 8);
    XmlResult result;
    const std::string body = i == 1 ? "<broken>" : "<methodCall><methodName>m</methodName></methodCall>";
    inspector.inspect(body, {}, {}, arena, fields, findings, result);
    if (i == 1) {
      EXPECT_EQ(result.status, XmlStatus::Malformed);
    } else {
      EXPECT_EQ(result.status, XmlStatus::Ok);
      EXPECT_EQ(result.operation, "m");
      EXPECT_EQ(findings.size(), 0u);
    }
  }
}

}  // namespace
}  // namespace weir::parse::test
