use super::*;

const META: &str = r#"
[meta]
version = "test"
emergency_number = "999"

[[source]]
id = "s1"
title = "A guideline"
publication = "Somewhere 2020"
"#;

const FINDINGS: &str = r#"
[[group]]
id = "onset"
question = "How did it start?"
exclusive = true

[[finding]]
id = "fever"
name = "Fever"
kind = "symptom"
question = "Do you have a fever?"
phrases = ["fever", "high temperature"]

[[finding]]
id = "onset_sudden"
name = "Sudden"
kind = "onset"
group = "onset"
question = "Did it start suddenly?"
phrases = ["suddenly"]

[[finding]]
id = "onset_gradual"
name = "Gradual"
kind = "onset"
group = "onset"
question = "Did it come on gradually?"
phrases = ["gradually"]

[[finding]]
id = "rf_smoker"
name = "Smokes"
kind = "risk_factor"
question = "Do you smoke?"
phrases = ["i smoke"]
"#;

const CONDITION: &str = r#"
[[condition]]
id = "infection"
name = "Infection"
clinical_name = "Discitis"
icd10 = ["M46.4"]
category = "serious_spinal"
region = "lower"
urgency = "consultation_24"
threshold = 0.1
threshold_cite = { cite = ["s1"] }

[condition.prior]
cite = ["s1"]
estimate = true
rationale = "rare"
bands = [
  { age = "0-17", female = 0.001, male = 0.001 },
  { age = "18-39", female = 0.001, male = 0.001 },
  { age = "40-59", female = 0.001, male = 0.001 },
  { age = "60-79", female = 0.002, male = 0.002 },
  { age = "80+", female = 0.002, male = 0.002 },
]

[[condition.lr]]
finding = "fever"
sensitivity = 0.5
specificity = 0.9
cite = ["s1"]
"#;

const RULE: &str = r#"
[[rule]]
id = "fever_rule"
kind = "red_flag"
level = "consultation_24"
all = ["fever"]
text = "Fever with back pain can mean infection."
cite = ["s1"]
"#;

fn files<'a>(extra: &'a [(&'a str, &'a str)]) -> Vec<KbFile<'a>> {
    let mut v = vec![
        KbFile {
            path: "kb/meta.toml",
            text: META,
        },
        KbFile {
            path: "kb/findings.toml",
            text: FINDINGS,
        },
        KbFile {
            path: "kb/conditions.toml",
            text: CONDITION,
        },
        KbFile {
            path: "kb/rules.toml",
            text: RULE,
        },
    ];
    v.extend(extra.iter().map(|&(path, text)| KbFile { path, text }));
    v
}

fn errors(extra: &[(&str, &str)]) -> Vec<String> {
    let report = check(&files(extra));
    report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn valid_fixture_loads_with_resolved_references() {
    let kb = load(&files(&[])).expect("valid");
    let c = &kb.conditions[0];
    assert_eq!(c.icd10, ["M46.4"]);
    // sensitivity 0.5, specificity 0.9 -> LR+ 5, LR- 0.5/0.9
    assert!((c.likelihoods[0].lr_pos - 5.0).abs() < 1e-12);
    assert!((c.likelihoods[0].lr_neg - 0.5 / 0.9).abs() < 1e-12);
    assert_eq!(kb.finding(c.likelihoods[0].finding).id, "fever");
    assert!(kb.finding(kb.finding_ix("fever").unwrap()).red_flag);
    assert!(!kb.finding(kb.finding_ix("rf_smoker").unwrap()).red_flag);
    assert_eq!(kb.groups[0].members.len(), 2);
    assert!(kb.version.starts_with("test+"));
    assert_eq!(c.prior.get(65, crate::Sex::Male), 0.002);
}

#[test]
fn stats_count_published_and_estimated_parameters() {
    let report = check(&files(&[]));
    assert_eq!(
        report.stats.priors,
        ParameterCounts {
            published: 0,
            estimated: 1
        }
    );
    assert_eq!(
        report.stats.likelihood_ratios,
        ParameterCounts {
            published: 1,
            estimated: 0
        }
    );
    assert_eq!(
        report.stats.thresholds,
        ParameterCounts {
            published: 1,
            estimated: 0
        }
    );
    assert_eq!(
        report.stats.parameters(),
        ParameterCounts {
            published: 2,
            estimated: 1
        }
    );
    assert_eq!(report.stats.red_flag_rules, 1);
}

#[test]
fn unknown_finding_in_rule_is_reported_with_file_and_line() {
    let errs = errors(&[(
        "kb/more.toml",
        "\n\n[[rule]]\nid = \"r2\"\nkind = \"red_flag\"\nlevel = \"emergency\"\nall = [\"fever\", \"nope\"]\ntext = \"x\"\ncite = [\"s1\"]\n",
    )]);
    assert_eq!(
        errs,
        ["kb/more.toml:3: error: rule 'r2' names unknown finding 'nope'"]
    );
}

#[test]
fn duplicate_ids_and_missing_citations_are_errors() {
    let errs = errors(&[(
        "kb/dup.toml",
        "[[finding]]\nid = \"fever\"\nname = \"x\"\nkind = \"symptom\"\nquestion = \"q\"\n\n[[rule]]\nid = \"r3\"\nkind = \"follow_up\"\nlevel = \"consultation\"\nall = [\"fever\"]\ntext = \"x\"\n",
    )]);
    assert!(
        errs.iter()
            .any(|e| e == "kb/dup.toml:1: error: duplicate finding id 'fever'"),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("kb/dup.toml:7") && e.contains("missing citation")),
        "{errs:?}"
    );
}

#[test]
fn risk_factor_alone_is_not_a_red_flag() {
    let errs = errors(&[(
        "kb/rf.toml",
        "[[rule]]\nid = \"smoking\"\nkind = \"red_flag\"\nlevel = \"consultation\"\nall = [\"rf_smoker\"]\ntext = \"x\"\ncite = [\"s1\"]\n",
    )]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("risk factors alone"));
}

#[test]
fn out_of_range_values_and_bad_codes_are_errors() {
    let bad = CONDITION
        .replace("\"infection\"", "\"bad\"")
        .replace("M46.4", "M46.")
        .replace("threshold = 0.1", "threshold = 1.5")
        .replace(
            "female = 0.001, male = 0.001 },\n  { age = \"18-39\"",
            "female = 1.2, male = 0.001 },\n  { age = \"18-39\"",
        )
        .replace("sensitivity = 0.5\nspecificity = 0.9", "lr_pos = 500.0");
    let errs = errors(&[("kb/bad.toml", &bad)]);
    let joined = errs.join("\n");
    assert!(joined.contains("'M46.' is not an ICD-10 code"), "{joined}");
    assert!(
        joined.contains("threshold 1.5 must be in (0, 1]"),
        "{joined}"
    );
    assert!(joined.contains("prior 1.2 must be in (0, 1)"), "{joined}");
    assert!(
        joined.contains("lr_pos 500.000 is outside [0.01, 100]"),
        "{joined}"
    );
}

#[test]
fn condition_that_nothing_raises_is_an_error() {
    let bad = CONDITION.replace("\"infection\"", "\"bad\"").replace(
        "finding = \"fever\"\nsensitivity = 0.5\nspecificity = 0.9",
        "finding = \"rf_smoker\"\nlr_pos = 0.9",
    );
    let joined = errors(&[("kb/bad.toml", &bad)]).join("\n");
    assert!(
        joined.contains("condition 'bad': no finding raises it"),
        "{joined}"
    );
}

#[test]
fn estimate_needs_rationale_and_condition_needs_codes() {
    let bad = CONDITION
        .replace("\"infection\"", "\"bad\"")
        .replace("icd10 = [\"M46.4\"]", "icd10 = []")
        .replace("rationale = \"rare\"\n", "");
    let joined = errors(&[("kb/bad.toml", &bad)]).join("\n");
    assert!(
        joined.contains("condition 'bad' has no ICD-10 code"),
        "{joined}"
    );
    assert!(
        joined.contains("estimate = true needs a one-line rationale"),
        "{joined}"
    );
}

#[test]
fn warning_sign_absence_may_not_outweigh_its_presence() {
    // lr_pos below 1 is allowed (the engine ignores it for thresholds) ...
    let ok = CONDITION
        .replace("\"infection\"", "\"ok\"")
        .replace("sensitivity = 0.5\nspecificity = 0.9", "lr_pos = 0.5")
        + "\n[[condition.lr]]\nfinding = \"rf_smoker\"\nlr_pos = 2.0\ncite = [\"s1\"]\n";
    assert!(errors(&[("kb/ok.toml", &ok)]).is_empty());
    // ... but absence counting for more than presence is not
    let bad = ok
        .replace("\"ok\"", "\"bad\"")
        .replace("lr_pos = 0.5", "lr_pos = 0.5\nlr_neg = 2.0");
    let joined = errors(&[("kb/bad.toml", &bad)]).join("\n");
    assert!(
        joined.contains(
            "warning sign 'fever' has lr_neg 2.00 above lr_pos 0.50 for urgent condition 'bad'"
        ),
        "{joined}"
    );
}

#[test]
fn unknown_fields_and_syntax_errors_point_at_the_line() {
    let errs = errors(&[("kb/typo.toml", "[[finding]]\nid = \"x\"\nnmae = \"typo\"\n")]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("kb/typo.toml:"), "{errs:?}");
    assert!(errs[0].contains("nmae"), "{errs:?}");
    let errs = errors(&[("kb/syntax.toml", "a = 1\nb = = 2\n")]);
    assert!(errs[0].starts_with("kb/syntax.toml:2:"), "{errs:?}");
}

#[test]
fn medication_text_never_gives_doses() {
    let t = "[[treatment]]\nid = \"nsaid\"\nkind = \"medication\"\nregions = [\"lower\"]\ntext = \"Take 400 mg three times a day.\"\ncite = [\"s1\"]\n";
    let joined = errors(&[("kb/t.toml", t)]).join("\n");
    assert!(joined.contains("never a dose"), "{joined}");
    assert!(joined.contains("ask a pharmacist"), "{joined}");
    assert!(mentions_dose("take 200mg"));
    assert!(!mentions_dose(
        "Anti-inflammatory tablets. Follow the label or ask a pharmacist."
    ));
}

#[test]
fn icd10_shapes() {
    for ok in ["M54.5", "I21", "M48.06", "S32.0", "M80.08XA", "O26.8"] {
        assert!(is_icd10(ok), "{ok}");
    }
    for bad in ["M54.", "m54.5", "54.5", "M5", "M54.12345", "M54-5"] {
        assert!(!is_icd10(bad), "{bad}");
    }
}

#[test]
fn unless_may_not_name_a_warning_sign() {
    let rule = "[[rule]]\nid = \"r\"\nkind = \"red_flag\"\nlevel = \"emergency\"\nall = [\"onset_sudden\"]\nunless = [\"fever\"]\ntext = \"x\"\ncite = [\"s1\"]\n";
    let joined = errors(&[("kb/u.toml", rule)]).join("\n");
    assert!(
        joined.contains("'unless' names warning sign 'fever'"),
        "{joined}"
    );
    let ok = rule.replace("unless = [\"fever\"]", "unless = [\"onset_gradual\"]");
    assert!(errors(&[("kb/u.toml", &ok)]).is_empty());
}
