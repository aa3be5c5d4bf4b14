// Dry run of an exception over a labelled corpus (cli/exception_dry_run.h):
// what it lets through, split by label, attacks listed, errors of the
// exception reported by the loader.

#include "cli/exception_dry_run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "cli/cli_exit_code.h"
#include "cli/corpus_reader.h"
#include "parsers/field.h"

namespace weir::cli {
namespace {

constexpr const char* kRules = R"(
policy:
  mode: monitor
  threshold: 5
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
rules:
  - id: sqli-900
    message: "UNION SELECT"
    class: sqli
    severity: critical
    zones: [query_arg]
    transforms: [url_decode, lowercase]
    patterns: ["union\\s+select"]
)";

class DryRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("weir-dry-run-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "rules.yaml") << kRules;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static CorpusRequest req(const std::string& id, CorpusLabel label, const std::string& target) {
    CorpusRequest r;
    r.id = id;
    r.label = label;
    r.attack_class = label == CorpusLabel::Attack ? "sqli" : "";
    r.raw = "GET " + target + " HTTP/1.1\r\nHost: shop.example\r\n\r\n";
    return r;
  }

  detect::RuleException search_exception() const {
    detect::RuleException e;
    e.id = "alert-7";
    e.endpoint = detect::EndpointMatch::Regex;
    e.endpoint_value = "^/search$";
    e.zones = detect::ZoneMask{1} << static_cast<unsigned>(parse::Zone::QueryArg);
    e.names = {"q"};
    e.rules = {"sqli-900"};
    return e;
  }

  std::filesystem::path dir_;
};

TEST_F(DryRun, CountsWhatTheExceptionLetsThroughByLabel) {
  const std::vector<CorpusRequest> corpus = {
      req("fp", CorpusLabel::Benign, "/search?q=union%20select%20stations"),
      req("atk-same-field", CorpusLabel::Attack, "/search?q=1%20union%20select%20password"),
      req("atk-other-field", CorpusLabel::Attack, "/search?id=1%20union%20select%20password"),
      req("atk-other-endpoint", CorpusLabel::Attack, "/searches?q=1%20union%20select%20pw"),
      req("clean", CorpusLabel::Benign, "/search?q=shoes"),
  };
  const DryRunReport r = dry_run_exception({.rules = dir_.string()}, search_exception(), corpus);
  EXPECT_EQ(r.requests, 5u);
  EXPECT_EQ(r.blocked_before, 4u);  // the folder says monitor; a dry run blocks
  EXPECT_EQ(r.blocked_after, 2u);
  EXPECT_EQ(r.let_through, 2u);
  EXPECT_EQ(r.let_through_benign, 1u);
  EXPECT_EQ(r.let_through_attack, 1u);
  ASSERT_EQ(r.unblocked.size(), 2u);
  EXPECT_EQ(r.unblocked[1].id, "atk-same-field");
  EXPECT_EQ(r.unblocked[1].rules, "sqli-900");
  const std::string text = render_dry_run(r);
  EXPECT_NE(text.find("attacks it would unblock: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("atk-same-field"), std::string::npos);
  EXPECT_EQ(dry_run_json(r)["let_through_attack"], 1);
}

TEST_F(DryRun, ExceptionErrorsComeFromTheLoader) {
  detect::RuleException e = search_exception();
  e.rules = {"sqli-404"};
  try {
    dry_run_exception({.rules = dir_.string()}, e, {});
    FAIL() << "unknown rule id accepted";
  } catch (const CliError& err) {
    EXPECT_EQ(err.code(), ExitCode::Usage);
    EXPECT_NE(std::string(err.what()).find("sqli-404"), std::string::npos) << err.what();
  }
  std::ofstream(dir_ / "exceptions.yaml") << "exceptions:\n  - id: alert-7\n    rules: [sqli-900]\n";
  EXPECT_THROW(dry_run_exception({.rules = dir_.string()}, search_exception(), {}), CliError);
}

}  // namespace
}  // namespace weir::cli
