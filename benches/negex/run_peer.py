"""Run one Python peer (medspaCy ConText or negspacy NegEx) on the NegEx kit; print JSON.

    <venv>/bin/python run_peer.py --tool medspacy|negspacy KIT_FILE

Offline: spacy.blank("en") + spaCy's rule-based "sentencizer" (both ConText and NegEx scope by
sentence), then the tool's component with its default rules. No language model is loaded.
For each case the condition span is made from the character offsets
(doc.char_span(start, end, label="CONDITION", alignment_mode="expand")) and set as doc.ents, then
the pipeline components run and the tool's flag is read (medspaCy: ent._.is_negated; negspacy:
ent._.negex).

Timing: single process, single thread; one untimed warm-up sentence (not from the kit), then one
timed pass over all cases. Each case's time covers tokenising the sentence, making the span,
sentence splitting and the negation component; reading the kit is not timed.
"""

import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kit  # noqa: E402

from importlib.metadata import version  # noqa: E402


def build(tool):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    if tool == "medspacy":
        import medspacy  # noqa: F401  registers factories and the Span extensions
        from medspacy.context import ConText  # noqa: F401

        nlp.add_pipe("medspacy_context")  # rules="default"

        def flag(ent):
            return bool(ent._.is_negated)

        versions = {"medspacy": version("medspacy"), "spacy": version("spacy")}
    elif tool == "negspacy":
        from negspacy.negation import Negex  # noqa: F401  registers the "negex" factory

        nlp.add_pipe("negex")  # neg_termset = en_clinical (default)

        def flag(ent):
            return bool(ent._.negex)

        versions = {"negspacy": version("negspacy"), "spacy": version("spacy")}
    else:
        raise SystemExit(f"unknown tool {tool}")
    components = [proc for _, proc in nlp.pipeline]
    return nlp, components, flag, versions


def predict(nlp, components, flag, sentence, start, end):
    doc = nlp.make_doc(sentence)
    span = doc.char_span(start, end, label="CONDITION", alignment_mode="expand")
    if span is None:
        return None
    doc.ents = [span]
    for proc in components:
        doc = proc(doc)
    ents = doc.ents
    return flag(ents[0]) if ents else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True, choices=["medspacy", "negspacy"])
    ap.add_argument("kit")
    args = ap.parse_args()

    cases, skipped = kit.load(args.kit)
    nlp, components, flag, versions = build(args.tool)
    predict(nlp, components, flag, "No evidence of pneumonia or effusion.", 15, 24)  # warm-up

    counts = {k: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "unaligned": 0} for k in kit.SUBSETS}
    seconds = {k: 0.0 for k in kit.SUBSETS}
    n = {k: 0 for k in kit.SUBSETS}
    perf = time.perf_counter
    wall0 = perf()
    for row, sentence, start, end, gold in cases:
        t0 = perf()
        pred = predict(nlp, components, flag, sentence, start, end)
        dt = perf() - t0
        for k in (kit.parity(row), "all"):
            seconds[k] += dt
            n[k] += 1
            c = counts[k]
            if pred is None:
                c["unaligned"] += 1
                pred = False
            c[{(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}[(gold, pred)]] += 1
    wall = perf() - wall0

    result = {
        "tool": {"medspacy": "medspaCy ConText", "negspacy": "negspacy NegEx"}[args.tool],
        "versions": versions,
        "python": platform.python_version(),
        "subsets": {},
    }
    for k in kit.SUBSETS:
        c = counts[k]
        m = kit.metrics(c["tp"], c["fp"], c["fn"], c["tn"])
        secs = wall if k == "all" else seconds[k]
        result["subsets"][k] = dict(
            rows=n[k], skipped=skipped[k], **c, **m, seconds=secs,
            sentences_per_s=(n[k] / secs if secs > 0 else 0.0),
        )
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
