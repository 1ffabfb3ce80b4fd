#!/usr/bin/env python3
"""Write N distinct synthetic `assess --jsonl` cases (deterministic) for benchmarking.

Usage: scripts/gen_bench_cases.py [N] > cases.jsonl
The texts combine lay fragments at random (seeded), so every case differs and nothing can be cached.
"""
import json
import random
import sys

WHERE = ["my lower back", "between my shoulder blades", "my neck", "the middle of my back",
         "my upper back", "the small of my back", "my left flank", "my bum and lower back"]
WHAT = ["aches", "is stiff", "has a sharp pain", "burns", "throbs", "feels tight", "is sore",
        "has a shooting pain"]
SINCE = ["for 3 days", "since yesterday", "for 2 weeks", "for about 8 months", "for a few days",
         "since this morning", "for 6 weeks", "for over a year", ""]
EXTRA = ["no leg pain", "no numbness", "it goes down my right leg to my foot", "i feel sick",
         "no fever", "i have a temperature of 38.5", "it's worse when i cough", "i'm a smoker",
         "i can pee fine", "i lifted a heavy box", "i sit at a desk all day", "i'm short of breath",
         "my dad had cancer", "it wakes me at night", "i've lost weight without trying",
         "it eases when i walk", "my legs feel weak", "no chest pain", "i'm on prednisolone",
         "it's better after a hot shower", "my mum says i slouch", "painkillers help a bit"]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(20261123)
    seen = set()
    i = 0
    while len(seen) < n:
        text = f"{rng.choice(WHERE).capitalize()} {rng.choice(WHAT)} {rng.choice(SINCE)}".strip() + ". "
        text += ", ".join(rng.sample(EXTRA, rng.randint(1, 5))) + f". case {i}"
        i += 1
        if text in seen:
            continue
        seen.add(text)
        case = {"id": f"b{len(seen)}", "age": rng.randint(0, 100),
                "sex": rng.choice(["female", "male"]), "text": text}
        print(json.dumps(case))


if __name__ == "__main__":
    main()
