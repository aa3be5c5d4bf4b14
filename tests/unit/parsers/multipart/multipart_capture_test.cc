// A multipart request exactly as curl 7.88 sends it (recorded on loopback by
// tests/data/multipart/capture_curl_form.py), through the HTTP/1 parser.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../http1_harness.h"

namespace weir::parse {
namespace {

std::string read_capture(const char* name) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  const std::string path = std::string(root != nullptr ? root : ".") + "/tests/data/multipart/" + name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(MultipartCapture, CurlFormIsSplitIntoNamedFields) {
  const std::string request = read_capture("curl_form.http");
  ASSERT_GT(request.size(), 200u) << "capture missing (WEIR_SOURCE_ROOT?)";
  for (size_t step : {0u, 1u, 97u}) {
    testing::Http1Harness h;
    ASSERT_EQ(h.feed(request, Direction::Request, step).status, FeedStatus::Ok);
    const auto bodies = h.sink.at(DecisionPoint::EndOfBody);
    ASSERT_EQ(bodies.size(), 1u);
    const auto& d = *bodies[0];
    EXPECT_TRUE(d.findings.empty()) << d.findings.front();
    EXPECT_EQ(d.value(Zone::BodyMultipart, "comment"), "<img src=x onerror=alert(1)>");
    EXPECT_EQ(d.value(Zone::BodyMultipart, "upload"), "<?php system($_GET['c']); ?>\n");
    EXPECT_EQ(d.value(Zone::BodyMultipart, "upload.filename"), "shell.php");
    EXPECT_EQ(d.value(Zone::BodyMultipart, "meta.user.id"), "1 OR 1=1");
    EXPECT_EQ(d.value(Zone::BodyMultipart, "doc.filename"), "r\xc3\xa9sum\xc3\xa9.php");
    EXPECT_EQ(d.count(Zone::BodyRaw), 0u);
  }
}

}  // namespace
}  // namespace weir::parse
