// modsec_runner: the same JSON Lines corpus weirctl inspect reads (same
// reader, same wire bytes), through libmodsecurity 3 + OWASP CRS (Debian's
// libmodsecurity3 and modsecurity-crs), for perf/inspect_bench.py.
//   modsec_runner --corpus FILE [--corpus FILE ...] [--paranoia N]
//                 [--crs-setup FILE] [--crs-rules DIR] [--output OUT.jsonl]
// Prints one JSON object: requests, requests/s on one core (thread CPU time
// of the transaction loop only, after the rules are loaded), TPR/FPR and
// the per-class table, computed by the code weirctl inspect uses.
//
// Setup, as ModSecurity's recommended configuration and CRS expect it:
// SecRuleEngine On, request body access on, the XML and JSON body
// processors chosen by Content-Type (rules 200000/200001) and a request
// body that fails to parse denied (200002); CRS crs-setup.conf, then
// every rules/*.conf; paranoia level 1 unless --paranoia; PUT, PATCH and
// DELETE allowed as for an API (unless --crs-default-methods). A request is
// "detected" when ModSecurity returns a disruptive intervention after
// phase 2 (the CRS anomaly evaluation 949110 denies with 403).

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include "cli/corpus_reader.h"
#include "cli/inspect_summary.h"

namespace {

using weir::cli::CorpusRequest;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The request split as a server would hand it to ModSecurity (the
// connector API takes method, URI, version, headers and body apart).
struct SplitRequest {
  std::string method;
  std::string uri;
  std::string version = "1.1";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Chunked bodies are de-chunked (a server does that before any module
// sees the body); malformed framing keeps the raw remainder.
std::string dechunk(std::string_view body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) break;
    const std::string size_text(body.substr(pos, eol - pos));
    char* end = nullptr;
    const unsigned long size = std::strtoul(size_text.c_str(), &end, 16);
    if (end == size_text.c_str()) break;
    pos = eol + 2;
    if (size == 0) return out;
    if (pos + size > body.size()) {
      out.append(body.substr(pos));
      return out;
    }
    out.append(body.substr(pos, size));
    pos += size + 2;
  }
  if (pos < body.size()) out.append(body.substr(pos));
  return out;
}

SplitRequest split_request(std::string_view raw) {
  SplitRequest r;
  size_t head_end = raw.find("\r\n\r\n");
  const size_t body_start = head_end == std::string_view::npos ? raw.size() : head_end + 4;
  std::string_view head = raw.substr(0, head_end == std::string_view::npos ? raw.size() : head_end);
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 != std::string_view::npos && sp2 > sp1) {
    r.method = line.substr(0, sp1);
    r.uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view v = line.substr(sp2 + 1);
    if (v.rfind("HTTP/", 0) == 0) v.remove_prefix(5);
    r.version = v;
  } else {
    r.method = "GET";
    r.uri = line;
  }
  bool chunked = false;
  size_t pos = eol == std::string_view::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view h = head.substr(pos, next - pos);
    pos = next + 2;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(trim(h.substr(0, colon)));
    std::string value(trim(h.substr(colon + 1)));
    if (strcasecmp(name.c_str(), "transfer-encoding") == 0 && value.find("chunked") != std::string::npos) {
      chunked = true;
    }
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  std::string_view body = raw.substr(body_start);
  r.body = chunked ? dechunk(body) : std::string(body);
  return r;
}

struct Options {
  std::vector<std::string> corpora;
  std::string crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
  std::string crs_rules = "/usr/share/modsecurity-crs/rules";
  std::string output;
  int paranoia = 1;
  size_t top = 20;
  bool api_methods = true;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "modsec_runner: %s\nusage: modsec_runner --corpus FILE [--corpus FILE ...] [--paranoia N] "
               "[--crs-setup FILE] [--crs-rules DIR] [--output OUT.jsonl] [--top N] [--crs-default-methods]\n",
               why);
  std::exit(2);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--corpus") {
      o.corpora.push_back(value());
    } else if (a == "--crs-setup") {
      o.crs_setup = value();
    } else if (a == "--crs-rules") {
      o.crs_rules = value();
    } else if (a == "--output") {
      o.output = value();
    } else if (a == "--paranoia") {
      o.paranoia = std::atoi(value().c_str());
      if (o.paranoia < 1 || o.paranoia > 4) usage("--paranoia must be 1..4");
    } else if (a == "--crs-default-methods") {
      o.api_methods = false;
    } else if (a == "--top") {
      o.top = static_cast<size_t>(std::atol(value().c_str()));
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (o.corpora.empty()) usage("give --corpus FILE");
  return o;
}

std::string modsec_config(const Options& o) {
  std::string c;
  c += "SecRuleEngine On\n";
  c += "SecRequestBodyAccess On\n";
  c += "SecRequestBodyLimit 13107200\n";
  c += "SecRequestBodyNoFilesLimit 131072\n";
  c += "SecRequestBodyLimitAction Reject\n";
  c += "SecResponseBodyAccess Off\n";
  c += "SecPcreMatchLimit 1000\n";
  c += "SecPcreMatchLimitRecursion 1000\n";
  c += "SecAuditEngine Off\n";
  c += "SecDebugLogLevel 0\n";
  c += "SecArgumentSeparator &\n";
  c += "SecCookieFormat 0\n";
  c += "SecStatusEngine Off\n";
  // From ModSecurity's modsecurity.conf-recommended.
  c += "SecRule REQUEST_HEADERS:Content-Type \"^(?:application(?:/soap\\+|/)|text/)xml\" "
       "\"id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"\n";
  c += "SecRule REQUEST_HEADERS:Content-Type \"^application/json\" "
       "\"id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n";
  c += "SecRule REQBODY_ERROR \"!@eq 0\" "
       "\"id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.'\"\n";
  c += "Include " + o.crs_setup + "\n";
  c += "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" +
       std::to_string(o.paranoia) + "\"\n";
  // CRS allows GET HEAD POST OPTIONS only; an API behind it needs the
  // other methods it serves (crs-setup.conf rule 900200), else every PUT,
  // PATCH and DELETE is a false positive of 911100.
  if (o.api_methods) {
    c += "SecAction \"id:900200,phase:1,nolog,pass,t:none,"
         "setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE'\"\n";
  }
  c += "Include " + o.crs_rules + "/*.conf\n";
  return c;
}

// With RuleMessageLogProperty the server log callback gets every rule
// that matched (with its id), and the transaction's callback data: the
// ids of the request being run, for the false-positive list.
void collect_rule(void* data, const void* message) {
  if (data == nullptr || message == nullptr) return;
  auto* ids = static_cast<std::vector<int>*>(data);
  ids->push_back(static_cast<const modsecurity::RuleMessage*>(message)->m_ruleId);
}

std::string rule_list(const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) {
    const std::string text = std::to_string(id);
    if (("," + out + ",").find("," + text + ",") != std::string::npos) continue;
    if (!out.empty()) out += ",";
    out += text;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opts = parse_args(argc, argv);
  std::vector<CorpusRequest> corpus;
  try {
    for (const auto& f : opts.corpora) {
      auto part = weir::cli::read_corpus_file(f);
      corpus.insert(corpus.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
  } catch (const weir::cli::CorpusError& e) {
    std::fprintf(stderr, "modsec_runner: %s\n", e.what());
    return 2;
  }
  std::vector<SplitRequest> requests;
  requests.reserve(corpus.size());
  for (const auto& r : corpus) requests.push_back(split_request(r.raw));

  auto modsec = std::make_unique<modsecurity::ModSecurity>();
  modsec->setConnectorInformation("weir-modsec-runner");
  modsec->setServerLogCb(collect_rule, modsecurity::RuleMessageLogProperty);
  auto rules = std::make_unique<modsecurity::RulesSet>();
  const std::string config = modsec_config(opts);
  if (rules->load(config.c_str(), "modsec_runner") < 0) {
    std::fprintf(stderr, "modsec_runner: rules: %s\n", rules->getParserError().c_str());
    return 2;
  }

  std::vector<int> status(corpus.size(), 200);
  std::vector<std::vector<int>> matched(corpus.size());
  const double cpu0 = thread_cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  size_t bytes = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const SplitRequest& r = requests[i];
    bytes += corpus[i].raw.size();
    modsecurity::Transaction t(modsec.get(), rules.get(), &matched[i]);
    modsecurity::ModSecurityIntervention it;
    modsecurity::intervention::clean(&it);
    t.processConnection("198.18.0.10", 40000, "198.19.0.10", 80);
    t.processURI(r.uri.c_str(), r.method.c_str(), r.version.c_str());
    for (const auto& [name, value] : r.headers) t.addRequestHeader(name, value);
    t.processRequestHeaders();
    bool stopped = t.intervention(&it);
    if (!stopped) {
      t.appendRequestBody(reinterpret_cast<const unsigned char*>(r.body.data()), r.body.size());
      t.processRequestBody();
      stopped = t.intervention(&it);
    }
    if (stopped && it.disruptive) status[i] = it.status;
    modsecurity::intervention::free(&it);
    t.processLogging();
  }
  weir::cli::Throughput speed;
  speed.cpu_seconds = thread_cpu_seconds() - cpu0;
  speed.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  speed.requests = corpus.size();
  speed.bytes = bytes;

  std::ofstream out;
  if (!opts.output.empty()) out.open(opts.output, std::ios::trunc);
  weir::cli::InspectSummary summary;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const bool detected = status[i] != 200;
    summary.add(corpus[i], detected, detected ? rule_list(matched[i]) : "", false);
    if (out.is_open()) {
      const nlohmann::json line{{"id", corpus[i].id}, {"blocked", detected}, {"status", status[i]},
                                {"rules", rule_list(matched[i])}};
      out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  }
  std::cout << weir::cli::summary_json(summary, speed, opts.top) << "\n";
  return 0;
}
