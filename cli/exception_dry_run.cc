// Dry run of an exception over a corpus; see exception_dry_run.h.

#include "cli/exception_dry_run.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "cli/alert_exception.h"
#include "cli/cli_exit_code.h"
#include "cli/offline_inspector.h"
#include "detect/signature/rule_loader.h"

namespace weir::cli {

namespace {

std::string fired_rules(const RequestOutcome& o) {
  std::string rules;
  for (const auto& f : o.findings) {
    if (("," + rules + ",").find("," + f.rule + ",") != std::string::npos) continue;
    rules += (rules.empty() ? "" : ",") + f.rule;
  }
  return rules;
}

}  // namespace

DryRunReport dry_run_exception(const InspectPolicyOptions& policy, const detect::RuleException& exception,
                               const std::vector<CorpusRequest>& corpus) {
  DryRunReport r;
  r.rules_source = policy.rules.empty() ? default_rules_dir(policy.config_file) : policy.rules;
  // The config's parser policies and descriptor sets, as `inspect` and the
  // workers use them: a finding they add or a field they name changes what
  // an exception matches.
  const std::shared_ptr<const config::ParsersConfig> parsers = load_parser_config(policy.config_file);
  struct stat st {};
  if (::stat(r.rules_source.c_str(), &st) != 0)
    throw CliError(ExitCode::Usage, "cannot read rules " + r.rules_source + ": " + std::strerror(errno));
  std::shared_ptr<const detect::PolicySnapshot> before, after;
  try {
    detect::RuleSet rules;
    if (S_ISDIR(st.st_mode)) rules = detect::load_rules_dir(r.rules_source);
    else detect::load_rules_file(r.rules_source, rules);
    if (policy.paranoia) rules.policy.paranoia = *policy.paranoia;
    rules.policy.mode = detect::PolicyMode::Block;
    before = detect::PolicySnapshot::compile(rules);
    // Through the real loader, as the dataplane will read the written file:
    // same checks (duplicate id, known zones), same lower-casing.
    detect::load_rules_text("exceptions:\n" + exception_yaml(exception), "<proposed exception>", rules);
    after = detect::PolicySnapshot::compile(rules);  // signature databases come from the compile cache
  } catch (const detect::RuleError& e) {
    throw CliError(ExitCode::Usage, e.what());
  }

  OfflineInspector with_rules(before, parsers), with_exception(after, parsers);
  RequestOutcome a, b;
  r.requests = corpus.size();
  for (const CorpusRequest& req : corpus) {
    // The corpus overload: WebSocket records get their 101 and frames, as in `inspect`.
    with_rules.inspect(req, a);
    with_exception.inspect(req, b);
    r.blocked_before += a.blocked();
    r.blocked_after += b.blocked();
    if (!a.blocked() || b.blocked()) continue;
    ++r.let_through;
    if (req.label == CorpusLabel::Benign) ++r.let_through_benign;
    else if (req.label == CorpusLabel::Attack) ++r.let_through_attack;
    else ++r.let_through_unlabelled;
    r.unblocked.push_back({req.id, req.label, req.attack_class, fired_rules(a), req.line});
  }
  return r;
}

std::string render_dry_run(const DryRunReport& r, size_t max_listed) {
  std::ostringstream o;
  o << "dry run over " << r.requests << " requests (rules " << r.rules_source << ", block mode)\n"
    << "  blocked without the exception: " << r.blocked_before << "\n"
    << "  blocked with the exception:    " << r.blocked_after << "\n"
    << "  let through by the exception:  " << r.let_through << " (benign " << r.let_through_benign
    << ", attack " << r.let_through_attack << ", unlabelled " << r.let_through_unlabelled << ")\n";
  o << "  attacks it would unblock: " << (r.let_through_attack == 0 ? "none" : std::to_string(r.let_through_attack)) << "\n";
  for (const auto& u : r.unblocked)
    if (u.label == CorpusLabel::Attack)
      o << "    " << u.id << " (line " << u.line << ", class " << (u.attack_class.empty() ? "-" : u.attack_class)
        << ", rules " << u.rules << ")\n";
  size_t listed = 0;
  for (const auto& u : r.unblocked) {
    if (u.label == CorpusLabel::Attack) continue;
    if (listed++ == max_listed) {
      o << "    ... " << (r.let_through - r.let_through_attack - max_listed) << " more\n";
      break;
    }
    if (listed == 1) o << "  other requests it would let through:\n";
    o << "    " << u.id << " (line " << u.line << ", " << corpus_label_name(u.label) << ", rules " << u.rules << ")\n";
  }
  return o.str();
}

nlohmann::json dry_run_json(const DryRunReport& r) {
  nlohmann::json unblocked = nlohmann::json::array();
  for (const auto& u : r.unblocked)
    unblocked.push_back({{"id", u.id},
                         {"label", corpus_label_name(u.label)},
                         {"class", u.attack_class},
                         {"rules", u.rules},
                         {"line", u.line}});
  return {{"rules", r.rules_source},
          {"requests", r.requests},
          {"blocked_before", r.blocked_before},
          {"blocked_after", r.blocked_after},
          {"let_through", r.let_through},
          {"let_through_benign", r.let_through_benign},
          {"let_through_attack", r.let_through_attack},
          {"let_through_unlabelled", r.let_through_unlabelled},
          {"unblocked", unblocked}};
}

}  // namespace weir::cli
