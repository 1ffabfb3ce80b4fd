"""Print the side-by-side negation table for Dorsum and the Python peers (stdlib only).

Dorsum's output (the `negex` example, or later `dorsum bench negex`) is parsed from lines like
    odd rows: rows=1183 skipped=6 precision=0.912 recall=0.880 F1=0.896 accuracy=0.958
    speed: 2365 sentences in 12.3 ms = 192000 sentences/s
Any `key=value` pairs are read; if tp/fp/fn/tn are printed they are used, otherwise the confusion
counts are reconstructed from the printed rows, recall, precision and accuracy together with the
number of gold Negated rows in the kit (exact when one count fits all three to the printed 3
decimals; the table says so otherwise).
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kit  # noqa: E402

TOL = 0.0005 + 1e-9


def parse_dorsum(text):
    subsets, speed = {}, None
    for line in text.splitlines():
        low = line.strip().lower()
        m = re.match(r"^(odd|even|all)(\s+rows)?\s*:", low)
        if m:
            pairs = dict(re.findall(r"([a-z_0-9]+)\s*=\s*([-+0-9.eE]+)", line.lower()))
            subsets[m.group(1)] = {k: float(v) for k, v in pairs.items()}
        m = re.search(r"([0-9]+)\s+sentences\s+in\s+([0-9.]+)\s*ms", low)
        if m and speed is None:
            n, ms = int(m.group(1)), float(m.group(2))
            per_s = re.search(r"=\s*([0-9.]+)\s*sentences/s", low)
            speed = {"sentences": n, "ms": ms,
                     "per_s": float(per_s.group(1)) if per_s else (n / (ms / 1000) if ms > 0 else None)}
        # `dorsum bench negex` ends with `SUMMARY f1=… precision=… recall=… sentences_per_s=…`
        m = re.search(r"sentences_per_s\s*=\s*([0-9.]+)", low)
        if m:
            speed = dict(speed or {}, per_s=float(m.group(1)))
    return subsets, speed


def reconstruct(d, positives):
    """Confusion counts (tp, fp, fn, tn, exact?) for one Dorsum subset line."""
    if all(k in d for k in ("tp", "fp", "fn", "tn")):
        return int(d["tp"]), int(d["fp"]), int(d["fn"]), int(d["tn"]), True
    n = int(d["rows"])
    negatives = n - positives
    fits = []
    for tp in range(positives + 1):
        if abs(tp / max(positives, 1) - d["recall"]) > TOL:
            continue
        for fp in range(negatives + 1):
            if abs(tp / max(tp + fp, 1) - d["precision"]) > TOL:
                continue
            tn = negatives - fp
            if "accuracy" in d and abs((tp + tn) / max(n, 1) - d["accuracy"]) > TOL:
                continue
            if "specificity" in d and abs(tn / max(negatives, 1) - d["specificity"]) > TOL:
                continue
            fits.append((tp, fp, positives - tp, tn))
    if not fits:
        raise SystemExit(f"table.py: no confusion counts fit Dorsum's line {d}")
    return (*fits[0], len(fits) == 1)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", required=True)
    ap.add_argument("--dorsum", required=True)
    ap.add_argument("--dorsum-how", default="")
    ap.add_argument("--peer", action="append", default=[])
    ap.add_argument("--pinned", default="none")
    ap.add_argument("--elapsed", default="")
    args = ap.parse_args()

    cases, skipped = kit.load(args.kit)
    rows = {k: 0 for k in kit.SUBSETS}
    positives = {k: 0 for k in kit.SUBSETS}
    for row, _, _, _, gold in cases:
        for k in (kit.parity(row), "all"):
            rows[k] += 1
            positives[k] += gold

    # ---- Dorsum
    with open(args.dorsum) as f:
        dtext = f.read()
    dsub, dspeed = parse_dorsum(dtext)
    notes = []
    tools = []
    dorsum = {"tool": "Dorsum", "versions": {}, "subsets": {}}
    counts = {}
    exact = True
    for k in ("odd", "even"):
        if k not in dsub:
            raise SystemExit(f"table.py: no '{k} rows' line in Dorsum output:\n{dtext}")
        d = dsub[k]
        if int(d["rows"]) != rows[k] or int(d.get("skipped", skipped[k])) != skipped[k]:
            notes.append(f"WARNING: Dorsum {k} rows={int(d['rows'])} skipped={int(d.get('skipped', -1))} "
                         f"but the kit rules give rows={rows[k]} skipped={skipped[k]}")
        tp, fp, fn, tn, ok = reconstruct(d, positives[k])
        exact &= ok
        counts[k] = (tp, fp, fn, tn)
    if "all" in dsub and all(x in dsub["all"] for x in ("tp", "fp", "fn", "tn")):
        a = dsub["all"]
        counts["all"] = tuple(int(a[x]) for x in ("tp", "fp", "fn", "tn"))
    else:
        counts["all"] = tuple(counts["odd"][i] + counts["even"][i] for i in range(4))
    for k in kit.SUBSETS:
        tp, fp, fn, tn = counts[k]
        dorsum["subsets"][k] = dict(rows=tp + fp + fn + tn, skipped=skipped[k] if k not in dsub else int(dsub[k].get("skipped", skipped[k])),
                                    tp=tp, fp=fp, fn=fn, tn=tn, unaligned=0, **kit.metrics(tp, fp, fn, tn),
                                    sentences_per_s=None)
        if k in dsub and "sentences_per_s" in dsub[k]:
            dorsum["subsets"][k]["sentences_per_s"] = dsub[k]["sentences_per_s"]
    if dspeed:
        dorsum["subsets"]["all"]["sentences_per_s"] = dspeed["per_s"]
    for k in kit.SUBSETS:
        printed = dsub.get(k, {}).get("f1")
        if printed is not None and abs(dorsum["subsets"][k]["f1"] - printed) > TOL:
            notes.append(f"WARNING: Dorsum {k} F1 recomputed {dorsum['subsets'][k]['f1']:.3f} != printed {printed:.3f}")
    if not any(all(x in dsub.get(k, {}) for x in ("tp", "fp", "fn", "tn")) for k in ("odd", "even")):
        notes.append("Dorsum confusion counts reconstructed from its printed rows and metrics "
                     + ("(unique fit: exact)." if exact else "(NOT unique: specificity approximate)."))
    notes.append("Dorsum sentences/s covers all rows in one timed loop; it prints no odd/even speed.")
    tools.append(dorsum)

    for p in args.peer:
        with open(p) as f:
            tools.append(json.load(f))

    def fmt(x, spec=".3f"):
        return "n/a" if x is None else format(x, spec)

    header = ["tool", "rows", "skipped", "precision", "recall", "specificity", "F1", "sentences/s", "F1 odd", "F1 even"]
    table = []
    for t in tools:
        o, e, a = (t["subsets"][k] for k in ("odd", "even", "all"))
        table.append([t["tool"], str(a["rows"]), str(a["skipped"]), fmt(a["precision"]), fmt(a["recall"]),
                      fmt(a["specificity"]), fmt(a["f1"]), fmt(a["sentences_per_s"], ",.0f"), fmt(o["f1"]), fmt(e["f1"])])
    widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    print()
    print(f"NegEx kit: {args.kit}  (positive class = Negated; gold Negated among found rows: {positives['all']})")
    print("All rows:")
    print(line(header))
    print("|" + "|".join(("-" * (w + 2)) for w in widths) + "|")
    for r in table:
        print(line(r))

    print()
    print("Per subset (TP/FP/FN/TN, P/R/Spec/F1, sentences/s):")
    for t in tools:
        for k in kit.SUBSETS:
            s = t["subsets"][k]
            extra = f" unaligned={s['unaligned']}" if s.get("unaligned") else ""
            print(f"  {t['tool']:<17} {k:<4} rows={s['rows']:<4} skipped={s['skipped']:<2} "
                  f"TP={s['tp']:<3} FP={s['fp']:<3} FN={s['fn']:<3} TN={s['tn']:<4} "
                  f"P={s['precision']:.3f} R={s['recall']:.3f} Spec={s['specificity']:.3f} F1={s['f1']:.3f} "
                  f"s/s={fmt(s.get('sentences_per_s'), ',.0f')}{extra}")

    print()
    vers = []
    for t in tools[1:]:
        vers.append(f"{t['tool']}: " + ", ".join(f"{k} {v}" for k, v in t["versions"].items())
                    + f" (Python {t.get('python', '?')})")
    print("Versions: " + "; ".join(vers))
    try:
        rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        rustc = "rustc ?"
    print(f"Dorsum: {args.dorsum_how} ({rustc})")
    print(f"Machine: nproc={os.cpu_count()} ({len(os.sched_getaffinity(0))} usable), CPU: {cpu_model()}, "
          f"{platform.system()} {platform.machine()}; runs pinned with: {args.pinned}")
    for n in notes:
        print("Note: " + n)
    if args.elapsed:
        print(f"Total run time of compare.sh: {args.elapsed} s")


if __name__ == "__main__":
    main()
