#!/usr/bin/env python3
"""Read result lines (key=value pairs) on stdin and print a table and the
ratios against kerascpp.  Recognised lines:

    framework=<name> seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n>
    demo: model=mlp epochs=5 seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n>

(the second one is the kerascpp demo's, reported as framework "kerascpp").
Other lines are ignored.  Ratios are other / kerascpp for time and memory
(> 1 means kerascpp is faster / smaller) and kerascpp - other for accuracy.
"""

import sys

FIELDS = ("seconds_per_epoch", "test_accuracy", "peak_rss_mib")


def parse(line):
    line = line.strip()
    name = None
    if line.startswith("demo:"):
        name, line = "kerascpp", line[len("demo:"):]
    kv = dict(tok.split("=", 1) for tok in line.split() if "=" in tok)
    name = name or kv.get("framework")
    if not name or not all(f in kv for f in FIELDS):
        return None
    try:
        return name, {f: float(kv[f]) for f in FIELDS}
    except ValueError:
        return None


def main():
    results = {}
    for line in sys.stdin:
        r = parse(line)
        if r:
            results[r[0]] = r[1]
    if not results:
        sys.exit("summarize_comparison: no result lines on stdin")
    print(f"{'framework':<12} {'s/epoch':>9} {'test_acc':>9} {'peak_MiB':>9}")
    for name, r in results.items():
        print(f"{name:<12} {r['seconds_per_epoch']:>9.3f} {r['test_accuracy']:>9.4f} "
              f"{r['peak_rss_mib']:>9.0f}")
    base = results.get("kerascpp")
    if base is None:
        print("(no kerascpp result: no ratios)")
        return
    for name, r in results.items():
        if name == "kerascpp":
            continue
        t = r["seconds_per_epoch"] / base["seconds_per_epoch"] if base["seconds_per_epoch"] else float("nan")
        m = r["peak_rss_mib"] / base["peak_rss_mib"] if base["peak_rss_mib"] else float("nan")
        print(f"ratio {name}/kerascpp: time={t:.2f} peak_rss={m:.2f} "
              f"accuracy_diff(kerascpp-{name})={base['test_accuracy'] - r['test_accuracy']:+.4f}")


if __name__ == "__main__":
    main()
