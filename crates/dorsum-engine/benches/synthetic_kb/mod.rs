//! A synthetic knowledge base for benchmarks: 1,000 conditions × 5,000 findings, as TOML text for
//! `dorsum_kb::load`, so it goes through the same validation as the real one.
//!
//! Deterministic (a fixed-seed linear congruential generator), with a sparsity like a large real knowledge
//! base would have: each condition has 20-40 likelihood ratios, a few hundred findings are common (places,
//! durations, onsets, pain scores and the first few hundred others) and are linked to many conditions, the
//! rest to a handful; findings sit in ~100 question groups of various sizes (some exclusive, one numeric);
//! ~300 triage rules use `all`, `any`, `unless`, age and sex limits; urgencies and thresholds are spread like
//! the real knowledge base's.

use std::fmt::Write;

pub const FINDINGS: usize = 5_000;
pub const CONDITIONS: usize = 1_000;
pub const GROUPS: usize = 100;
pub const RED_FLAG_RULES: usize = 270;
pub const FOLLOW_UP_RULES: usize = 30;
const SOURCES: usize = 5;
const EXERCISES: usize = 30;

/// Fixed layout of the first findings.
const LOCATIONS: std::ops::Range<usize> = 0..10;
const DURATIONS: std::ops::Range<usize> = 10..15;
const ONSETS: std::ops::Range<usize> = 15..18;
const SEVERITIES: std::ops::Range<usize> = 18..21;
/// Findings below this index are "common": linked to many conditions.
const COMMON: usize = 300;

/// The location finding for the lower back (`f0004`).
pub const LOWER_BACK: usize = 4;

/// Knuth's MMIX linear congruential generator; the high bits are used.
struct Lcg(u64);

impl Lcg {
    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }
    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        ((u64::from(self.next_u32()) * n as u64) >> 32) as usize
    }
    /// Uniform in [lo, hi] (inclusive).
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }
    /// True with probability p.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Log-uniform in [lo, hi).
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }
    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Location,
    Duration,
    Onset,
    Severity,
    Symptom,
    Sign,
    Neurological,
    RiskFactor,
    History,
    Timing,
    Trigger,
    Character,
    Radiation,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Location => "location",
            Kind::Duration => "duration",
            Kind::Onset => "onset",
            Kind::Severity => "severity",
            Kind::Symptom => "symptom",
            Kind::Sign => "sign",
            Kind::Neurological => "neurological",
            Kind::RiskFactor => "risk_factor",
            Kind::History => "history",
            Kind::Timing => "timing",
            Kind::Trigger => "trigger",
            Kind::Character => "character",
            Kind::Radiation => "radiation",
        }
    }
    /// A finding of this kind can be a warning sign in a red-flag rule.
    fn can_warn(self) -> bool {
        matches!(self, Kind::Symptom | Kind::Sign | Kind::Neurological)
    }
}

/// Kinds for the free-form findings, with weights.
const KINDS: [(Kind, u32); 9] = [
    (Kind::Symptom, 30),
    (Kind::Sign, 10),
    (Kind::Neurological, 10),
    (Kind::RiskFactor, 12),
    (Kind::History, 8),
    (Kind::Timing, 8),
    (Kind::Trigger, 10),
    (Kind::Character, 7),
    (Kind::Radiation, 5),
];

/// Urgencies with weights, and each one's threshold range.
const URGENCIES: [(&str, u32, f64, f64); 5] = [
    ("self_care", 25, 0.5, 0.7),
    ("consultation", 25, 0.3, 0.5),
    ("consultation_24", 20, 0.1, 0.3),
    ("emergency", 15, 0.02, 0.1),
    ("emergency_ambulance", 15, 0.01, 0.05),
];

const REGIONS: [&str; 4] = ["neck", "upper", "lower", "both"];
const AGE_BANDS: [&str; 5] = ["0-17", "18-39", "40-59", "60-79", "80+"];

/// Shape of the generated knowledge base, for the record.
#[derive(Debug, Default)]
pub struct Shape {
    pub findings: usize,
    pub grouped: usize,
    pub groups: usize,
    pub exclusive_groups: usize,
    pub largest_group: usize,
    pub conditions: usize,
    pub likelihood_ratios: usize,
    pub rules: usize,
    pub warning_signs: usize,
    pub toml_bytes: usize,
}

struct Finding {
    kind: Kind,
    group: Option<usize>,
    female_only: bool,
}

/// Generate the knowledge base as one TOML file.
pub fn toml() -> (String, Shape) {
    let mut rng = Lcg(0x00d0_25c0_ffee_2026);
    let mut shape = Shape::default();
    let mut s = String::with_capacity(4 << 20);
    s.push_str("[meta]\nversion = \"synthetic\"\nemergency_number = \"999\"\n");
    for i in 0..SOURCES {
        let _ = write!(
            s,
            "\n[[source]]\nid = \"s{i}\"\ntitle = \"Synthetic source {i}\"\npublication = \"Bench 2026\"\n"
        );
    }

    // Groups: location (body map), duration and onset (exclusive), severity (pain score), then 96 more.
    let mut group_exclusive = [false; GROUPS];
    group_exclusive[1] = true;
    group_exclusive[2] = true;
    let mut findings: Vec<Finding> = Vec::with_capacity(FINDINGS);
    for (range, kind, group) in [
        (LOCATIONS, Kind::Location, 0),
        (DURATIONS, Kind::Duration, 1),
        (ONSETS, Kind::Onset, 2),
        (SEVERITIES, Kind::Severity, 3),
    ] {
        for _ in range {
            findings.push(Finding {
                kind,
                group: Some(group),
                female_only: false,
            });
        }
    }
    // The other groups: one in eight is exclusive (3-8 options); the rest share the findings by weight,
    // leaving about one in ten findings outside any group (asked yes/no on their own).
    let free = FINDINGS - findings.len();
    let to_group = free * 9 / 10;
    let mut sizes = [0usize; GROUPS];
    let mut weights = [0usize; GROUPS];
    let mut exclusive_total = 0;
    for (g, ((exclusive, size), weight)) in group_exclusive
        .iter_mut()
        .zip(&mut sizes)
        .zip(&mut weights)
        .enumerate()
        .skip(4)
    {
        if g % 8 == 0 {
            *exclusive = true;
            *size = rng.between(3, 8);
            exclusive_total += *size;
        } else {
            *weight = rng.between(1, 12);
        }
    }
    let weight_total: usize = weights.iter().sum();
    let open_total = to_group - exclusive_total;
    for ((size, weight), exclusive) in sizes.iter_mut().zip(weights).zip(group_exclusive) {
        if !exclusive && weight > 0 {
            *size = (weight * open_total / weight_total).max(2);
        }
    }
    for (g, &size) in sizes.iter().enumerate().skip(4) {
        let kind = KINDS[rng.weighted(&KINDS.map(|(_, w)| w))].0;
        for _ in 0..size {
            if findings.len() < FINDINGS {
                findings.push(Finding {
                    kind,
                    group: Some(g),
                    female_only: false,
                });
            }
        }
    }
    while findings.len() < FINDINGS {
        let kind = KINDS[rng.weighted(&KINDS.map(|(_, w)| w))].0;
        findings.push(Finding {
            kind,
            group: None,
            female_only: false,
        });
    }
    // Shuffle the free-form findings so that groups are not contiguous and the common ones are spread
    // over groups (Fisher-Yates).
    for i in (SEVERITIES.end + 1..FINDINGS).rev() {
        let j = SEVERITIES.end + rng.below(i - SEVERITIES.end + 1);
        findings.swap(i, j);
    }
    for f in findings.iter_mut().skip(SEVERITIES.end) {
        f.female_only = rng.chance(0.01);
    }

    for (g, exclusive) in group_exclusive.iter().enumerate() {
        let question = match g {
            0 => "Where is the pain? Choose all that apply.".to_string(),
            1 => "How long have you had this pain?".to_string(),
            2 => "How did the pain start?".to_string(),
            3 => "How bad is the pain?".to_string(),
            _ => format!("Synthetic question group {g}: choose all that apply."),
        };
        let _ = write!(
            s,
            "\n[[group]]\nid = \"g{g:02}\"\nquestion = \"{question}\"\n"
        );
        if *exclusive {
            s.push_str("exclusive = true\n");
        }
    }
    shape.groups = GROUPS;
    shape.exclusive_groups = group_exclusive.iter().filter(|&&e| e).count();
    let mut members = vec![0usize; GROUPS];
    for f in &findings {
        if let Some(g) = f.group {
            members[g] += 1;
        }
    }
    shape.largest_group = members.iter().copied().max().unwrap_or(0);
    shape.grouped = members.iter().sum();

    for (i, f) in findings.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[finding]]\nid = \"f{i:04}\"\nname = \"Synthetic finding {i}\"\nkind = \"{}\"\nquestion = \"Have you noticed synthetic finding {i}?\"\nphrases = [\"synthetic finding {i}\"]\n",
            f.kind.as_str()
        );
        if let Some(g) = f.group {
            let _ = writeln!(s, "group = \"g{g:02}\"");
        }
        match f.kind {
            Kind::Location => {
                let _ = writeln!(s, "region = \"{}\"", REGIONS[i % REGIONS.len()]);
            }
            Kind::Duration => {
                let edges = [0.0, 7.0, 42.0, 90.0, 365.0, 36_500.0];
                let k = i - DURATIONS.start;
                let _ = writeln!(s, "days = [{:.1}, {:.1}]", edges[k], edges[k + 1]);
            }
            Kind::Severity => {
                let edges = [0.0, 4.0, 8.0, 11.0];
                let k = i - SEVERITIES.start;
                let _ = writeln!(s, "pain_score = [{:.1}, {:.1}]", edges[k], edges[k + 1]);
            }
            _ => {}
        }
        if f.female_only {
            s.push_str("sex = \"female\"\n");
        }
    }
    shape.findings = findings.len();

    // Rules first: they decide which findings are warning signs, which the likelihood ratios must respect.
    let signs: Vec<usize> = (SEVERITIES.end..FINDINGS)
        .filter(|&i| findings[i].kind.can_warn() && !findings[i].female_only)
        .collect();
    let risks: Vec<usize> = (SEVERITIES.end..FINDINGS)
        .filter(|&i| findings[i].kind == Kind::RiskFactor)
        .collect();
    // Warning signs come from a pool of ~450; `unless` exceptions from findings that are never in a rule.
    let pool: Vec<usize> = signs.iter().copied().step_by(3).take(450).collect();
    let exceptions: Vec<usize> = (SEVERITIES.end..FINDINGS)
        .filter(|&i| {
            matches!(
                findings[i].kind,
                Kind::Trigger | Kind::History | Kind::Timing
            )
        })
        .collect();
    let mut red_flag = vec![false; FINDINGS];
    let mut rule_text = String::new();
    for r in 0..RED_FLAG_RULES + FOLLOW_UP_RULES {
        let follow_up = r >= RED_FLAG_RULES;
        let level = if follow_up {
            ["consultation", "consultation_24"][rng.below(2)]
        } else {
            [
                "consultation",
                "consultation_24",
                "emergency",
                "emergency_ambulance",
            ][rng.weighted(&[15, 35, 35, 15])]
        };
        let mut all = Vec::new();
        let mut any = Vec::new();
        let mut unless = Vec::new();
        if follow_up {
            // "Not better after a while": a duration plus one of a few ordinary symptoms.
            all.push(DURATIONS.start + rng.between(2, 4));
            for _ in 0..rng.between(1, 3) {
                let f = exceptions[rng.below(exceptions.len())];
                if !any.contains(&f) {
                    any.push(f);
                }
            }
        } else {
            all.push(pool[rng.below(pool.len())]);
            if rng.chance(0.3) {
                let f = pool[rng.below(pool.len())];
                if !all.contains(&f) {
                    all.push(f);
                }
            }
            if rng.chance(0.4) {
                for _ in 0..rng.between(1, 3) {
                    let f = match rng.below(4) {
                        0 => pool[rng.below(pool.len())],
                        1 => risks[rng.below(risks.len())],
                        2 => DURATIONS.start + rng.below(DURATIONS.len()),
                        _ => LOCATIONS.start + rng.below(LOCATIONS.len()),
                    };
                    if !all.contains(&f) && !any.contains(&f) {
                        any.push(f);
                    }
                }
            }
            if rng.chance(0.15) {
                unless.push(exceptions[rng.below(exceptions.len())]);
            }
            for &f in all.iter().chain(&any) {
                if !matches!(
                    findings[f].kind,
                    Kind::Location | Kind::Duration | Kind::RiskFactor
                ) {
                    red_flag[f] = true;
                }
            }
        }
        let list = |v: &[usize]| {
            v.iter()
                .map(|f| format!("\"f{f:04}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            rule_text,
            "\n[[rule]]\nid = \"r{r:03}\"\nkind = \"{}\"\nlevel = \"{level}\"\nall = [{}]\nany = [{}]\nunless = [{}]\ntext = \"Synthetic rule {r}.\"\ncite = [\"s{}\"]\n",
            if follow_up { "follow_up" } else { "red_flag" },
            list(&all),
            list(&any),
            list(&unless),
            r % SOURCES
        );
        if rng.chance(0.2) {
            let _ = writeln!(rule_text, "min_age = {}", [50, 60][rng.below(2)]);
        } else if rng.chance(0.05) {
            rule_text.push_str("max_age = 17\n");
        }
        if rng.chance(0.03) {
            rule_text.push_str("sex = \"female\"\n");
        }
    }
    shape.rules = RED_FLAG_RULES + FOLLOW_UP_RULES;
    shape.warning_signs = red_flag.iter().filter(|&&w| w).count();
    let warning_signs: Vec<usize> = (0..FINDINGS).filter(|&f| red_flag[f]).collect();

    for c in 0..CONDITIONS {
        let (urgency, _, lo, hi) = URGENCIES[rng.weighted(&URGENCIES.map(|u| u.1))];
        let threshold = lo + rng.unit() * (hi - lo);
        let urgent = urgency != "self_care";
        let serious = matches!(urgency, "emergency" | "emergency_ambulance");
        // Serious conditions are rare; ordinary ones common. Priors rise with age.
        let base = if serious {
            rng.log_uniform(1e-5, threshold / 20.0)
        } else {
            rng.log_uniform(1e-3, threshold / 4.0)
        };
        let category = if serious {
            "serious_spinal"
        } else {
            ["musculoskeletal", "non_spinal"][rng.below(2)]
        };
        let _ = write!(
            s,
            "\n[[condition]]\nid = \"c{c:04}\"\nname = \"Synthetic condition {c}\"\nclinical_name = \"Synthetic condition {c}\"\nicd10 = [\"M54.5\"]\ncategory = \"{category}\"\nregion = \"{}\"\nurgency = \"{urgency}\"\nthreshold = {threshold:.4}\nthreshold_cite = {{ cite = [\"s{}\"] }}\n\n[condition.prior]\ncite = [\"s{}\"]\nbands = [\n",
            REGIONS[rng.below(REGIONS.len())],
            c % SOURCES,
            (c + 1) % SOURCES
        );
        for (b, band) in AGE_BANDS.iter().enumerate() {
            let p = (base * (0.6 + 0.2 * b as f64)).clamp(1e-6, 0.5);
            let female = p * (0.8 + 0.4 * rng.unit());
            let male = p * (0.8 + 0.4 * rng.unit());
            let _ = writeln!(
                s,
                "  {{ age = \"{band}\", female = {female:.7}, male = {male:.7} }},"
            );
        }
        s.push_str("]\n");
        let n = rng.between(20, 40);
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        // Urgent conditions have a few warning signs that point to them.
        if urgent {
            for _ in 0..rng.between(1, 4) {
                let f = warning_signs[rng.below(warning_signs.len())];
                if !chosen.contains(&f) {
                    chosen.push(f);
                }
            }
        }
        while chosen.len() < n {
            let f = if rng.chance(0.4) {
                rng.below(COMMON)
            } else {
                rng.below(FINDINGS)
            };
            if !chosen.contains(&f) {
                chosen.push(f);
            }
        }
        for (k, &f) in chosen.iter().enumerate() {
            // The first likelihood ratio (and every warning sign's) raises the condition; about one in four
            // of the others argues against it.
            let raises = k == 0 || red_flag[f] || !rng.chance(0.25);
            let (lr_pos, lr_neg) = if raises {
                let lr_pos = rng.log_uniform(1.2, 20.0);
                let lr_neg = (!rng.chance(0.3)).then(|| rng.log_uniform(0.3, 1.0));
                (lr_pos, lr_neg)
            } else {
                let lr_pos = rng.log_uniform(0.1, 0.9);
                let lr_neg = (!rng.chance(0.3)).then(|| rng.log_uniform(1.05, 2.0));
                (lr_pos, lr_neg)
            };
            let _ = write!(
                s,
                "\n[[condition.lr]]\nfinding = \"f{f:04}\"\nlr_pos = {lr_pos:.3}\n"
            );
            if let Some(lr_neg) = lr_neg {
                let _ = writeln!(s, "lr_neg = {lr_neg:.3}");
            }
            let _ = writeln!(s, "cite = [\"s{}\"]", (c + k) % SOURCES);
        }
        shape.likelihood_ratios += chosen.len();
    }
    shape.conditions = CONDITIONS;
    s.push_str(&rule_text);

    for e in 0..EXERCISES {
        let _ = write!(
            s,
            "\n[[exercise]]\nid = \"e{e:02}\"\nname = \"Synthetic exercise {e}\"\nregions = [\"{}\"]\ngoal = \"{}\"\nsteps = [\"Do it slowly.\"]\ndose = \"2 sets of 10\"\nsuits = [\"c{:04}\"]\ncontraindications = {{ findings = [\"f{:04}\"] }}\ncite = [\"s0\"]\n",
            ["neck", "upper", "lower"][e % 3],
            ["mobility", "strength", "relaxation"][(e / 3) % 3],
            e * 7 % CONDITIONS,
            pool[e % pool.len()]
        );
    }
    for t in 0..8 {
        let _ = write!(
            s,
            "\n[[treatment]]\nid = \"t{t}\"\nkind = \"self_care\"\nregions = [\"neck\", \"upper\", \"lower\"]\ntext = \"Synthetic advice {t}.\"\ncite = [\"s1\"]\n"
        );
    }
    s.push_str(
        "\n[[treatment]]\nid = \"t_med\"\nkind = \"medication\"\nregions = [\"neck\", \"upper\", \"lower\"]\ntext = \"A synthetic class of medicine: follow the label or ask a pharmacist.\"\ncite = [\"s2\"]\n",
    );
    shape.toml_bytes = s.len();
    (s, shape)
}
