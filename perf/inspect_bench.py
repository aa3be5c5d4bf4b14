#!/usr/bin/python3
"""Detection speed and quality: Weir vs libmodsecurity3 + OWASP CRS.

Runs `weirctl inspect --corpus` (the parse + inspect loop, one thread, the
full default ruleset) over the benign and the attack corpora, then the same
sample of both through Weir and through `modsec_runner` (libmodsecurity3 +
CRS at paranoia 1, perf/modsec_runner.cc), mixed and each half alone.
Both time only their request loop in thread CPU time, after loading.
ModSecurity runs ~1k requests/s,
so it gets a stride sample (default 1,000 attacks + 1,000 benign); Weir runs
that sample too, so the ratio and the rates compare like with like.

Numbers for the record come from a release build, as the appliance ships
(perf/README.md): meson setup build-release --buildtype=release -Db_lto=true

    /usr/bin/python3 perf/inspect_bench.py [--build build] [--sample 2000]
        [--repeat 3] [--corpus-dir tests/data/corpus] [--rules DIR] [--json]
        [--weirctl PATH] [--modsec-runner PATH]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET_RPS = 200_000
TARGET_RATIO = 200.0


def build_type(build_dir):
    """meson buildtype and LTO of the build dir, for the header line."""
    try:
        with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
            opts = {o["name"]: o["value"] for o in json.load(f)}
    except (OSError, ValueError, KeyError):
        return "unknown build"
    return f"{opts.get('buildtype', '?')} build{', LTO' if opts.get('b_lto') else ''}, -march={opts.get('march', '?')}"


def run_json(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    # weirctl exits 1 only for a missed quality gate, which we do not set.
    if proc.returncode != 0:
        sys.exit(f"inspect_bench: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def weir(args, corpora, repeat, extra=()):
    cmd = [args.weirctl, "inspect", "--json", "--repeat", str(repeat), *extra]
    if args.rules:
        cmd += ["--rules", args.rules]
    for c in corpora:
        cmd += ["--corpus", c]
    return run_json(cmd)


def modsec(args, corpora):
    cmd = [args.modsec_runner]
    for c in corpora:
        cmd += ["--corpus", c]
    return run_json(cmd)


def stride_sample(path, count, out_dir):
    """Every k-th non-blank line, so every class keeps its share."""
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    step = max(1, len(lines) // count) if count else 1
    picked = lines[::step][:count] if count else lines
    out = os.path.join(out_dir, "sample-" + os.path.basename(path))
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(picked)
    return out, len(picked)


def rate(value):
    return "-" if value is None else f"{value:.4f}"


def avg_bytes(r):
    return r["timed_bytes"] / r["timed_inspections"] if r["timed_inspections"] else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build"), help="meson build directory")
    p.add_argument("--corpus-dir", default=os.path.join(ROOT, "tests", "data", "corpus"))
    p.add_argument("--sample", type=int, default=2000, help="requests through ModSecurity (half attacks, half benign)")
    p.add_argument("--repeat", type=int, default=3, help="passes Weir times over each full corpus")
    p.add_argument("--rules", help="Weir rules (default: the dataplane's default rules.dir)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument("--weirctl", help="weirctl binary (default BUILD/cli/weirctl)")
    p.add_argument("--modsec-runner", help="modsec_runner binary (default BUILD/perf/modsec_runner)")
    args = p.parse_args()
    args.weirctl = args.weirctl or os.path.join(args.build, "cli", "weirctl")
    args.modsec_runner = args.modsec_runner or os.path.join(args.build, "perf", "modsec_runner")
    for exe in (args.weirctl, args.modsec_runner):
        if not os.access(exe, os.X_OK):
            sys.exit(f"inspect_bench: {exe} not built (ninja -C {args.build} cli/weirctl perf/modsec_runner; "
                     "modsec_runner needs libmodsecurity-dev)")
    attacks = os.path.join(args.corpus_dir, "attacks.jsonl")
    benign = os.path.join(args.corpus_dir, "benign.jsonl")

    results = {}
    results["weir_benign"] = weir(args, [benign], args.repeat)
    # The same without the per-worker cache of header values found clean:
    # what a stream of all-new clients costs.
    results["weir_benign_nocache"] = weir(args, [benign], args.repeat, ["--no-clean-cache"])
    results["weir_attacks"] = weir(args, [attacks], args.repeat)
    with tempfile.TemporaryDirectory(prefix="weir-inspect-bench-") as tmp:
        sa, na = stride_sample(attacks, args.sample // 2, tmp)
        sb, nb = stride_sample(benign, args.sample - args.sample // 2, tmp)
        results["weir_sample"] = weir(args, [sa, sb], args.repeat)
        results["modsec_sample"] = modsec(args, [sa, sb])
        # Each half alone too: the engines' costs differ by corpus (ModSecurity
        # is faster on attacks, Weir on benign requests), so one mixed ratio
        # hides where each stands.
        results["weir_sample_benign"] = weir(args, [sb], args.repeat)
        results["modsec_sample_benign"] = modsec(args, [sb])
        results["weir_sample_attacks"] = weir(args, [sa], args.repeat)
        results["modsec_sample_attacks"] = modsec(args, [sa])
    results["sample"] = {"attacks": na, "benign": nb}

    def ratio_of(w, m):
        return w["requests_per_second"] / m["requests_per_second"] if m["requests_per_second"] else 0.0

    ws, ms = results["weir_sample"], results["modsec_sample"]
    ratio = ratio_of(ws, ms)
    results["ratio_sample"] = ratio
    results["ratio_sample_benign"] = ratio_of(results["weir_sample_benign"], results["modsec_sample_benign"])
    results["ratio_sample_attacks"] = ratio_of(results["weir_sample_attacks"], results["modsec_sample_attacks"])
    results["build"] = build_type(args.build)
    if args.json:
        print(json.dumps(results))
        return 0

    wb, wa = results["weir_benign"], results["weir_attacks"]
    wn = results["weir_benign_nocache"]
    print(f"one thread, thread CPU time of the request loop only; Weir: weirctl inspect, default rules, "
          f"{args.repeat} passes ({results['build']}); libmodsecurity3 + CRS PL1: one pass")
    print(f"{'engine':<24}{'corpus':<26}{'requests':>9}{'avg B':>7}{'req/s':>12}{'TPR':>8}{'FPR':>8}")
    rows = [
        ("Weir", "benign (full)", wb),
        ("Weir, no value cache", "benign (full)", wn),
        ("Weir", "attacks (full)", wa),
        ("Weir", f"sample {na}+{nb}", ws),
        ("ModSecurity+CRS", f"sample {na}+{nb}", ms),
        ("Weir", f"sample, benign {nb}", results["weir_sample_benign"]),
        ("ModSecurity+CRS", f"sample, benign {nb}", results["modsec_sample_benign"]),
        ("Weir", f"sample, attacks {na}", results["weir_sample_attacks"]),
        ("ModSecurity+CRS", f"sample, attacks {na}", results["modsec_sample_attacks"]),
    ]
    for engine, corpus, r in rows:
        print(f"{engine:<24}{corpus:<26}{r['requests']:>9}{avg_bytes(r):>7.0f}{r['requests_per_second']:>12.0f}"
              f"{rate(r['tpr']):>8}{rate(r['fpr']):>8}")
    print()
    print(f"Weir / ModSecurity on the same sample: {ratio:.0f}x (target >= {TARGET_RATIO:.0f}x: "
          f"{'met' if ratio >= TARGET_RATIO else 'MISSED'})")
    for name in ("benign", "attacks"):
        r = results[f"ratio_sample_{name}"]
        print(f"  on its {name} half alone: {r:.0f}x ({'met' if r >= TARGET_RATIO else 'MISSED'})")
    for name, r in (("benign", wb), ("attacks", wa)):
        rps = r["requests_per_second"]
        print(f"Weir {name}: {rps:.0f} req/s per core on {avg_bytes(r):.0f}-byte requests "
              f"(target >= {TARGET_RPS} on ~1 KB: {'met' if rps >= TARGET_RPS else 'MISSED'})")
        eng, n = r.get("engine"), r.get("requests")
        if eng and n:
            # Where the time goes: hs_scan calls (prefilter + exact rescans)
            # and exact rescans per request, fields and transform runs.
            print(f"  per request: {eng['scans'] / n:.2f} scans ({eng['exact_scans'] / n:.2f} exact), "
                  f"{eng['fields'] / n:.1f} fields ({eng.get('clean_cache_hits', 0) / n:.1f} values "
                  f"known clean), {eng['transforms'] / n:.1f} transforms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
