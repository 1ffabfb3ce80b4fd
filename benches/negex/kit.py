"""Shared row reading and scoring for the NegEx kit comparison (stdlib only).

Row rules (BRIEF §6, same as crates/dorsum-intake/examples/negex.rs): skip the header; for each
row with at least 4 tab-separated columns, collapse runs of whitespace in the condition and the
sentence, find the condition in the sentence case-insensitively (first occurrence); rows where it
is absent are skipped (counted). Gold positive class = column 4 == "Negated". Odd/even split by
the row's own line number (column 1).
"""

SUBSETS = ("odd", "even", "all")


def collapse(s):
    return " ".join(s.split())


def load(path):
    """Return (cases, skipped): cases = [(row, sentence, start, end, gold_negated)],
    skipped = {"odd": n, "even": n, "all": n}."""
    cases = []
    skipped = {k: 0 for k in SUBSETS}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        try:
            row = int(cols[0].strip())
        except ValueError:
            row = 0
        parity = "odd" if row % 2 == 1 else "even"
        sentence = collapse(cols[2])
        condition = collapse(cols[1]).lower()
        start = sentence.lower().find(condition)
        if start < 0:
            skipped[parity] += 1
            skipped["all"] += 1
            continue
        cases.append((row, sentence, start, start + len(condition), cols[3].strip() == "Negated"))
    return cases, skipped


def parity(row):
    return "odd" if row % 2 == 1 else "even"


def metrics(tp, fp, fn, tn):
    """Precision, recall, specificity, F1, accuracy from counts (0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    spec = tn / (tn + fp) if tn + fp else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = tp + fp + fn + tn
    acc = (tp + tn) / n if n else 0.0
    return {"precision": p, "recall": r, "specificity": spec, "f1": f1, "accuracy": acc}
