// weirctl inspect: offline detection, no weir-control needed. One raw HTTP
// request file, or a JSON Lines corpus with a verdict line per request and
// a summary (speed of the parse + inspect loop on one core, TPR/FPR and a
// per-class table when the corpus is labelled). --min-tpr / --max-fpr turn
// the summary into a quality gate (exit 1 when missed).

#include <time.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "cli/cli_commands.h"
#include "cli/corpus_reader.h"
#include "cli/inspect_output.h"
#include "cli/inspect_policy.h"
#include "cli/inspect_summary.h"
#include "cli/offline_inspector.h"

namespace weir::cli {

namespace {

struct InspectOptions {
  std::string request_file;
  std::vector<std::string> corpus;
  std::string output;
  std::string mode;
  int paranoia = 0;
  int repeat = 1;
  bool no_clean_cache = false;
  size_t top = 20;
  bool crlf = false;
  std::optional<double> min_tpr;
  std::optional<double> max_fpr;
  InspectPolicyOptions policy;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string read_request_file(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw CliError(ExitCode::Usage, "cannot read " + file + ": Is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(ExitCode::Usage, "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw CliError(ExitCode::Usage, "cannot read " + file + ": " + std::strerror(errno));
  return text.str();
}

// Hand-written request files usually have LF line ends, which the parser
// rightly refuses (bare LF is a smuggling vector). --crlf fixes the head
// only; the body is left byte for byte.
std::string head_lf_to_crlf(const std::string& raw) {
  std::string out;
  size_t i = 0;
  bool line_empty = true;
  for (; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\n') {
      if (out.empty() || out.back() != '\r') out += '\r';
      out += '\n';
      if (line_empty) {
        ++i;
        break;
      }
      line_empty = true;
      continue;
    }
    if (c != '\r') line_empty = false;
    out += c;
  }
  out.append(raw, i, std::string::npos);
  return out;
}

InspectPolicy load_policy(const InspectOptions& opts) {
  InspectPolicyOptions p = opts.policy;
  if (opts.paranoia != 0) p.paranoia = static_cast<uint8_t>(opts.paranoia);
  if (opts.mode == "block") p.mode = detect::PolicyMode::Block;
  if (opts.mode == "monitor") p.mode = detect::PolicyMode::Monitor;
  return load_inspect_policy(p);
}

std::string fired_rules(const RequestOutcome& outcome) {
  std::string rules;
  for (const auto& f : outcome.findings) {
    if (rules.find(f.rule) != std::string::npos) continue;
    if (!rules.empty()) rules += ",";
    rules += f.rule;
  }
  return rules;
}

ExitCode run_request(CommandEnv& env, const InspectOptions& opts) {
  std::string raw = read_request_file(opts.request_file);
  if (raw.empty()) throw CliError(ExitCode::Usage, opts.request_file + ": empty request");
  if (opts.crlf) raw = head_lf_to_crlf(raw);
  const InspectPolicy policy = load_policy(opts);
  OfflineInspector inspector(policy.snapshot, policy.parsers);
  RequestOutcome outcome;
  inspector.inspect(raw, outcome);
  const auto& pc = policy.snapshot->policy();
  env.out << (env.globals.json ? outcome_json(outcome, pc) : render_outcome(outcome, pc));
  if (!env.globals.json && outcome.parse_error == "http1.bad_line_ending" && !opts.crlf) {
    env.err << "weirctl: note: the request has bare LF line ends; --crlf converts its head to CRLF\n";
  }
  return ExitCode::Ok;
}

ExitCode run_corpus(CommandEnv& env, const InspectOptions& opts) {
  // Several files are one corpus (attacks and benign usually live apart);
  // ids need only be unique within their file.
  std::vector<CorpusRequest> corpus;
  try {
    for (const auto& file : opts.corpus) {
      auto part = read_corpus_file(file);
      corpus.insert(corpus.end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
    }
  } catch (const CorpusError& e) {
    throw CliError(ExitCode::Usage, e.what());
  }
  const InspectPolicy policy = load_policy(opts);

  std::ofstream output_file;
  std::ostream* output = nullptr;
  if (opts.output == "-") {
    output = &env.out;
  } else if (!opts.output.empty()) {
    output_file.open(opts.output, std::ios::binary | std::ios::trunc);
    if (!output_file) throw CliError(ExitCode::Usage, "cannot write " + opts.output + ": " + std::strerror(errno));
    output = &output_file;
  }

  // Everything is read and compiled before the clock starts: the loop below
  // is the parse + inspect work alone, as a worker would do it.
  OfflineInspector inspector(policy.snapshot, policy.parsers);
  std::vector<RequestOutcome> outcomes(corpus.size());
  Throughput speed;
  const double cpu0 = thread_cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  for (int pass = 0; pass < opts.repeat; ++pass) {
    // Each pass starts cold: header values are known clean only from
    // earlier requests of the same pass, as in one run of real traffic.
    inspector.reset_clean_cache(!opts.no_clean_cache);
    for (size_t i = 0; i < corpus.size(); ++i) {
      inspector.inspect(corpus[i], outcomes[i]);
      speed.bytes += OfflineInspector::wire_bytes(corpus[i]);
    }
  }
  speed.cpu_seconds = thread_cpu_seconds() - cpu0;
  speed.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  speed.requests = corpus.size() * static_cast<size_t>(opts.repeat);

  InspectSummary summary;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const RequestOutcome& o = outcomes[i];
    summary.add(corpus[i], o.detected(), fired_rules(o), !o.parse_error.empty());
    speed.fields += o.stats.fields;
    speed.scans += o.stats.scans;
    speed.exact_scans += o.stats.exact_scans;
    speed.transforms += o.stats.transforms;
    speed.clean_cache_hits += o.stats.clean_cache_hits;
    if (output != nullptr) *output << verdict_line(corpus[i].id, o) << "\n";
  }
  if (output_file.is_open()) {
    output_file.flush();
    if (!output_file) throw CliError(ExitCode::Failed, "cannot write " + opts.output + ": " + std::strerror(errno));
  }
  // With the verdicts on stdout the summary goes to stderr, so both stay parseable.
  std::ostream& summary_out = opts.output == "-" ? env.err : env.out;
  const auto& pc = policy.snapshot->policy();
  if (env.globals.json) {
    summary_out << summary_json(summary, speed, opts.top) << "\n";
  } else {
    summary_out << "rules: " << policy.rules_source << " (" << policy.rule_count << " rules; mode "
                << (pc.mode == detect::PolicyMode::Block ? "block" : "monitor") << ", paranoia "
                << int(pc.paranoia) << ", threshold " << pc.active_threshold() << ")\n"
                << render_summary(summary, speed, opts.top);
  }
  const auto failures = check_quality_gate(summary, opts.min_tpr, opts.max_fpr);
  for (const auto& f : failures) env.err << "weirctl: quality gate failed: " << f << "\n";
  return failures.empty() ? ExitCode::Ok : ExitCode::Failed;
}

}  // namespace

void add_inspect_command(CLI::App& app, Invocation& invocation) {
  auto opts = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand(
      "inspect",
      "inspect a raw HTTP request or a JSON Lines corpus offline with the detection engine\n"
      "(no weir-control needed); exit 1 when a --min-tpr/--max-fpr bound is missed");
  set_examples(*cmd, {"weirctl inspect request.http",
                      "weirctl inspect --crlf handwritten.txt --paranoia 2",
                      "weirctl inspect --corpus attacks.jsonl --output verdicts.jsonl",
                      "weirctl inspect --corpus benign.jsonl --corpus attacks.jsonl --min-tpr 0.97 --max-fpr 0.003"});
  auto* file = cmd->add_option("REQUEST_FILE", opts->request_file,
                               "raw HTTP/1 request as on the wire (- for standard input)")
                   ->type_name("FILE");
  auto* corpus = cmd->add_option("--corpus", opts->corpus,
                                 "JSON Lines request corpus (cli/README.md, \"Request corpus\"); "
                                 "repeat it for several files")
                     ->type_name("FILE");
  file->excludes(corpus);
  cmd->add_option("--output,-o", opts->output, "write one verdict line per corpus request (- for stdout)")
      ->type_name("FILE")
      ->needs(corpus);
  cmd->add_option("--rules", opts->policy.rules,
                  "rules folder or file (default: rules.dir of the configuration, as the dataplane resolves it)")
      ->type_name("PATH");
  cmd->add_option("--config", opts->policy.config_file, "take rules.dir and the parser setup (parsers: policies and gRPC protosets, apis: per-API policies) from this configuration file")
      ->type_name("FILE");
  cmd->add_option("--paranoia", opts->paranoia, "paranoia level instead of the ruleset's policy")
      ->check(CLI::Range(1, 4));
  cmd->add_option("--mode", opts->mode, "enforcement mode instead of the ruleset's policy")
      ->check(CLI::IsMember({"block", "monitor"}));
  cmd->add_flag("--no-clean-cache", opts->no_clean_cache,
                "inspect every value every time (no cache of request-line, header and cookie values found clean)");
  cmd->add_option("--repeat", opts->repeat, "time this many passes over the corpus (speed only)")
      ->check(CLI::Range(1, 100000))
      ->needs(corpus);
  cmd->add_option("--top", opts->top, "false positives and missed attacks listed (default 20)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--min-tpr", opts->min_tpr, "exit 1 when the true-positive rate is below this")
      ->check(CLI::Range(0.0, 1.0))
      ->needs(corpus);
  cmd->add_option("--max-fpr", opts->max_fpr, "exit 1 when the false-positive rate is above this")
      ->check(CLI::Range(0.0, 1.0))
      ->needs(corpus);
  cmd->add_flag("--crlf", opts->crlf, "convert bare LF line ends of the request head to CRLF")
      ->excludes(corpus);
  cmd->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) {
      if (opts->corpus.empty() && opts->request_file.empty()) {
        throw CliError(ExitCode::Usage, "inspect: give REQUEST_FILE or --corpus FILE");
      }
      return opts->corpus.empty() ? run_request(env, *opts) : run_corpus(env, *opts);
    };
  });
}

}  // namespace weir::cli
