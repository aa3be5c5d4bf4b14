#include "parsers/xml/soap_action.h"

#include <gtest/gtest.h>

namespace weir::parse {
namespace {

TEST(SoapAction, ContentTypes) {
  EXPECT_TRUE(is_xml_content_type("text/xml; charset=utf-8"));
  EXPECT_TRUE(is_xml_content_type("application/xml"));
  EXPECT_TRUE(is_xml_content_type("application/soap+xml; charset=utf-8; action=\"x\""));
  EXPECT_TRUE(is_xml_content_type("Application/Atom+XML"));
  EXPECT_FALSE(is_xml_content_type("application/json"));
  EXPECT_FALSE(is_xml_content_type("text/html"));
  EXPECT_FALSE(is_xml_content_type("application/xml-dtd"));
}

TEST(SoapAction, HeaderAndContentTypeParameter) {
  EXPECT_EQ(soap_action_from_header(" \"http://x/GetUser\" "), "http://x/GetUser");
  EXPECT_EQ(soap_action_from_header("urn:Op"), "urn:Op");
  EXPECT_EQ(soap_action_from_header("\"\""), "");
  EXPECT_EQ(soap_action_from_content_type(
                "application/soap+xml; charset=utf-8; action=\"http://example.com/users/GetUser\""),
            "http://example.com/users/GetUser");
  EXPECT_EQ(soap_action_from_content_type("application/soap+xml;ACTION=urn:a"), "urn:a");
  EXPECT_EQ(soap_action_from_content_type("application/soap+xml; charset=utf-8"), "");
  EXPECT_EQ(soap_action_from_content_type("application/soap+xml"), "");
}

TEST(SoapAction, Matching) {
  EXPECT_TRUE(soap_action_matches("http://example.com/users/GetUser", "GetUser"));
  EXPECT_TRUE(soap_action_matches("urn:getuser", "GetUser"));
  EXPECT_TRUE(soap_action_matches("http://tempuri.org/IService#GetUser", "GetUserRequest"));
  EXPECT_TRUE(soap_action_matches("", "DeleteUser"));
  EXPECT_FALSE(soap_action_matches("http://example.com/users/GetUser", "DeleteUser"));
  EXPECT_FALSE(soap_action_matches("http://example.com/users/", "GetUser"));
  EXPECT_FALSE(soap_action_matches("urn:Get", ""));
}

}  // namespace
}  // namespace weir::parse
