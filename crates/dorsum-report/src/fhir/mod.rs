//! The FHIR R4 (4.0.1) export: one `Bundle` of type `collection` holding
//!
//! - a `Patient` with no identifiers, no name and no birth date; `gender` from the sex given;
//! - the person's age at the last assessment as an `Observation` (LOINC 30525-0), since Dorsum never asks
//!   for a birth date and invents none;
//! - the `Questionnaire` of Dorsum's interview, made from the knowledge base: age, sex, the description,
//!   then one group per knowledge-base question group (each finding a yes / no / don't-know item, or one
//!   integer item for a pain-score group) and one item per finding outside any group;
//! - a `QuestionnaireResponse` with the last assessment's answers, negatives included (an option not chosen
//!   in a "choose all that apply" question is a "no");
//! - an `Observation` per pain score (LOINC 72514-3: each diary entry and the pain stated at an
//!   assessment), per PEG (LOINC panel 91148-7 with its three items and mean score as components) and per
//!   PSFS (Dorsum's own code; activities as components);
//! - a `Condition` for each of the leading conditions of the last assessment (ICD-10 codes, system
//!   `http://hl7.org/fhir/sid/icd-10`, or ICD-10-CM for the knowledge base's few US extensions;
//!   `verificationStatus` provisional).
//!
//! Entries refer to each other by `urn:uuid:` full URLs. Ids are the store's record ids where there are
//! some, otherwise name-based UUIDs (v5) of what they are about, so the same records give the same bundle.

pub mod types;

use crate::input::{Clock, Error, ExchangeView, Records, ResultView};
use dorsum_kb::Kb;
use dorsum_store::SavedAssessment;
use jiff::Timestamp;
use std::collections::HashMap;
pub use types::*;

pub const LOINC: &str = "http://loinc.org";
pub const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
/// ICD-10-CM, for the US extensions the knowledge base uses where WHO ICD-10 stops (three or more
/// characters after the dot, e.g. `M47.816`).
pub const ICD10_CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
pub const CONDITION_VERIFICATION: &str =
    "http://terminology.hl7.org/CodeSystem/condition-ver-status";
pub const YES_NO: &str = "http://terminology.hl7.org/CodeSystem/v2-0136";
pub const DATA_ABSENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
pub const YES_NO_DONT_KNOW: &str = "http://hl7.org/fhir/ValueSet/yesnodontknow";
pub const ADMINISTRATIVE_GENDER: &str = "http://hl7.org/fhir/administrative-gender";
/// Canonical URL of Dorsum's interview questionnaire (its version is the knowledge-base version).
pub const QUESTIONNAIRE_URL: &str = "urn:dorsum:fhir:Questionnaire:interview";
/// Dorsum's code system for the instruments without a LOINC code (the PSFS).
pub const INSTRUMENT_SYSTEM: &str = "urn:dorsum:fhir:CodeSystem:instrument";

/// LOINC: pain severity 0-10 numeric rating, reported.
pub const LOINC_PAIN: &str = "72514-3";
/// LOINC: age.
pub const LOINC_AGE: &str = "30525-0";
/// LOINC: the PEG panel, its three items (pain, enjoyment, activity) and its mean score.
pub const LOINC_PEG: &str = dorsum_care::peg::PEG_LOINC;
pub const LOINC_PEG_ITEMS: [&str; 3] = ["75893-8", "91145-3", "91146-1"];
pub const LOINC_PEG_MEAN: &str = "91147-9";

/// How many conditions of the last assessment become `Condition` resources.
pub const LEADING_CONDITIONS: usize = 3;

/// Namespace of Dorsum's name-based UUIDs.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6d1f_3c1e_9a4b_4f0e_8d2a_5b7c_0e91_d0a5);

fn name_uuid(name: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// The code system of an ICD-10 code: WHO ICD-10 (with its optional fifth character, e.g. `M54.16`), or
/// ICD-10-CM for longer codes.
pub fn icd10_system(code: &str) -> &'static str {
    match code.split_once('.') {
        Some((_, tail)) if tail.len() >= 3 => ICD10_CM,
        _ => ICD10,
    }
}

fn urn(id: &str) -> String {
    format!("urn:uuid:{id}")
}

/// An instant as FHIR wants it: seconds, UTC.
fn instant(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn survey() -> Vec<CodeableConcept> {
    vec![CodeableConcept::coded(
        Coding::new(OBSERVATION_CATEGORY, "survey", Some("Survey")),
        None,
    )]
}

fn score_quantity(value: f64) -> Quantity {
    Quantity {
        // Two decimals are plenty for a mean of 0-10 answers.
        value: (value * 100.0).round() / 100.0,
        unit: "score".into(),
        system: UCUM.into(),
        code: "{score}".into(),
    }
}

fn yes() -> Coding {
    Coding::new(YES_NO, "Y", Some("Yes"))
}
fn no() -> Coding {
    Coding::new(YES_NO, "N", Some("No"))
}
fn dont_know() -> Coding {
    Coding::new(
        DATA_ABSENT_REASON,
        "asked-unknown",
        Some("Asked But Unknown"),
    )
}

/// Link ids of the questionnaire.
fn finding_link(id: &str) -> String {
    format!("finding:{id}")
}
fn group_link(id: &str) -> String {
    format!("group:{id}")
}
fn score_link(id: &str) -> String {
    format!("score:{id}")
}

/// True when the finding is answered with a number (a pain-score band).
fn numeric(kb: &Kb, f: dorsum_kb::FindingIx) -> bool {
    kb.finding(f).pain_score.is_some()
}

/// The interview questionnaire for this knowledge base.
pub fn questionnaire(kb: &Kb) -> Questionnaire {
    let yes_no_item = |f: &dorsum_kb::Finding| QuestionnaireItem {
        link_id: finding_link(&f.id),
        text: Some(f.question.clone()),
        kind: "choice".into(),
        repeats: None,
        answer_value_set: Some(YES_NO_DONT_KNOW.into()),
        answer_option: Vec::new(),
        item: Vec::new(),
    };
    let integer_item = |link: String, text: &str| QuestionnaireItem {
        link_id: link,
        text: Some(format!("{text} (0 = no pain, 10 = as bad as it could be)")),
        kind: "integer".into(),
        repeats: None,
        answer_value_set: None,
        answer_option: Vec::new(),
        item: Vec::new(),
    };
    let mut items = vec![
        QuestionnaireItem {
            link_id: "age".into(),
            text: Some("Age in years".into()),
            kind: "integer".into(),
            repeats: None,
            answer_value_set: None,
            answer_option: Vec::new(),
            item: Vec::new(),
        },
        QuestionnaireItem {
            link_id: "sex".into(),
            text: Some("Sex".into()),
            kind: "choice".into(),
            repeats: None,
            answer_value_set: None,
            answer_option: ["female", "male"]
                .into_iter()
                .map(|s| AnswerOption {
                    value_coding: Coding::new(
                        ADMINISTRATIVE_GENDER,
                        s,
                        Some(if s == "female" { "Female" } else { "Male" }),
                    ),
                })
                .collect(),
            item: Vec::new(),
        },
        QuestionnaireItem {
            link_id: "complaint".into(),
            text: Some("Describe the pain in your own words.".into()),
            kind: "text".into(),
            repeats: None,
            answer_value_set: None,
            answer_option: Vec::new(),
            item: Vec::new(),
        },
    ];
    for g in &kb.groups {
        let children: Vec<QuestionnaireItem> = if g.members.iter().any(|&f| numeric(kb, f)) {
            vec![integer_item(score_link(&g.id), &g.question)]
        } else {
            g.members
                .iter()
                .map(|&f| yes_no_item(kb.finding(f)))
                .collect()
        };
        if children.is_empty() {
            continue;
        }
        items.push(QuestionnaireItem {
            link_id: group_link(&g.id),
            text: Some(g.question.clone()),
            kind: "group".into(),
            repeats: None,
            answer_value_set: None,
            answer_option: Vec::new(),
            item: children,
        });
    }
    for f in kb.findings.iter().filter(|f| f.group.is_none()) {
        if f.pain_score.is_some() {
            items.push(integer_item(score_link(&f.id), &f.question));
        } else {
            items.push(yes_no_item(f));
        }
    }
    Questionnaire {
        id: name_uuid(&format!("questionnaire:{}", kb.version)),
        url: QUESTIONNAIRE_URL.into(),
        version: kb.version.clone(),
        name: "DorsumInterview".into(),
        title: "Dorsum back and neck pain interview".into(),
        status: "active".into(),
        subject_type: vec!["Patient".into()],
        publisher: Some("Dorsum".into()),
        description: Some(
            "The questions Dorsum's adaptive interview can ask, from its knowledge base. Each interview asks only some of them; a finding offered in a 'choose all that apply' question and not chosen is answered 'No'.".into(),
        ),
        item: items,
    }
}

/// One answer, before it is placed in the questionnaire's order.
#[derive(Debug, Clone)]
enum Given {
    Coding(Coding),
    Integer(i64),
    /// Asked, no usable value (a pain score answered "don't know").
    Nothing,
}

/// The link id an exchange's options answer under, with the answer for each.
fn answers_of(kb: &Kb, q: &ExchangeView) -> Vec<(String, Given)> {
    let known = |id: &str| kb.finding_ix(id);
    match q.kind.as_str() {
        "number" => {
            let Some(f) = q.options.first().and_then(|o| known(o)) else {
                return Vec::new();
            };
            let link = match kb.finding(f).group {
                Some(g) => score_link(&kb.group(g).id),
                None => score_link(&kb.finding(f).id),
            };
            let given = q
                .answer
                .trim()
                .parse::<i64>()
                .map_or(Given::Nothing, Given::Integer);
            vec![(link, given)]
        }
        _ => {
            let chosen: Vec<&str> = q.answer.split(',').map(str::trim).collect();
            q.options
                .iter()
                .filter(|o| known(o).is_some_and(|f| !numeric(kb, f)))
                .map(|o| {
                    let coding = match (q.kind.as_str(), q.answer.as_str()) {
                        (_, "dont_know") => dont_know(),
                        ("yes_no", "yes") => yes(),
                        ("yes_no", _) => no(),
                        (_, "none") => no(),
                        _ if chosen.contains(&o.as_str()) => yes(),
                        _ => no(),
                    };
                    (finding_link(o), Given::Coding(coding))
                })
                .collect()
        }
    }
}

fn response_item(link: &str, text: Option<&String>, given: Option<&Given>) -> ResponseItem {
    let answer = match given {
        Some(Given::Coding(c)) => vec![ResponseAnswer {
            value_coding: Some(c.clone()),
            ..ResponseAnswer::default()
        }],
        Some(Given::Integer(n)) => vec![ResponseAnswer {
            value_integer: Some(*n),
            ..ResponseAnswer::default()
        }],
        Some(Given::Nothing) | None => Vec::new(),
    };
    ResponseItem {
        link_id: link.to_string(),
        text: text.cloned(),
        answer,
        item: Vec::new(),
    }
}

/// The answers of one assessment, in the questionnaire's order.
pub fn questionnaire_response(
    kb: &Kb,
    q: &Questionnaire,
    saved: &SavedAssessment,
    result: &ResultView,
    patient: &Reference,
) -> QuestionnaireResponse {
    let mut given: HashMap<String, Given> = HashMap::new();
    given.insert("age".into(), Given::Integer(i64::from(result.age)));
    if matches!(result.sex.as_str(), "female" | "male") {
        given.insert(
            "sex".into(),
            Given::Coding(Coding::new(
                ADMINISTRATIVE_GENDER,
                &result.sex,
                Some(if result.sex == "female" {
                    "Female"
                } else {
                    "Male"
                }),
            )),
        );
    }
    if let Some(interview) = &result.interview {
        for ex in &interview.questions {
            for (link, g) in answers_of(kb, ex) {
                given.insert(link, g);
            }
        }
    }
    let mut items = Vec::new();
    for item in &q.item {
        if item.link_id == "complaint" {
            if !result.text.is_empty() {
                items.push(ResponseItem {
                    link_id: item.link_id.clone(),
                    text: item.text.clone(),
                    answer: vec![ResponseAnswer {
                        value_string: Some(result.text.clone()),
                        ..ResponseAnswer::default()
                    }],
                    item: Vec::new(),
                });
            }
            continue;
        }
        if item.kind == "group" {
            let children: Vec<ResponseItem> = item
                .item
                .iter()
                .filter_map(|c| {
                    given
                        .get(&c.link_id)
                        .map(|g| response_item(&c.link_id, c.text.as_ref(), Some(g)))
                })
                .collect();
            if !children.is_empty() {
                items.push(ResponseItem {
                    link_id: item.link_id.clone(),
                    text: item.text.clone(),
                    answer: Vec::new(),
                    item: children,
                });
            }
        } else if let Some(g) = given.get(&item.link_id) {
            items.push(response_item(&item.link_id, item.text.as_ref(), Some(g)));
        }
    }
    QuestionnaireResponse {
        id: name_uuid(&format!("questionnaire-response:{}", saved.id)),
        questionnaire: format!("{}|{}", q.url, q.version),
        status: "completed".into(),
        subject: patient.clone(),
        authored: instant(saved.created_at),
        item: items,
    }
}

fn pain_observation(
    id: String,
    patient: &Reference,
    when: String,
    pain: u8,
    derived_from: Vec<Reference>,
    note: Vec<Annotation>,
) -> Observation {
    Observation {
        id,
        status: "final".into(),
        category: survey(),
        code: CodeableConcept::coded(
            Coding::new(
                LOINC,
                LOINC_PAIN,
                Some("Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
            ),
            Some("Pain, 0-10"),
        ),
        subject: patient.clone(),
        effective_date_time: Some(when),
        value_integer: Some(i64::from(pain)),
        value_quantity: None,
        derived_from,
        note,
        component: Vec::new(),
    }
}

/// Everything [`bundle`] needs.
#[derive(Debug, Clone, Copy)]
pub struct BundleInput<'a> {
    pub kb: &'a Kb,
    pub records: Records<'a>,
    pub clock: &'a Clock,
    /// Whose data (the store's user id): names the Patient's id, never shown.
    pub user: &'a str,
}

/// The bundle of everything stored for the person. Fails when nothing is stored, or when the last
/// assessment cannot be read.
pub fn bundle(input: &BundleInput<'_>) -> Result<Bundle, Error> {
    let kb = input.kb;
    let records = input.records;
    if records.is_empty() {
        return Err(Error::NothingToExport);
    }
    let latest = records.latest();
    let result = latest.map(ResultView::of).transpose()?;

    let patient_id = name_uuid(&format!("patient:{}", input.user));
    let patient_ref = Reference {
        reference: urn(&patient_id),
        display: None,
    };
    let mut entries: Vec<Resource> = vec![Resource::Patient(Patient {
        id: patient_id.clone(),
        gender: result
            .as_ref()
            .map(|r| r.sex.clone())
            .filter(|s| matches!(s.as_str(), "female" | "male")),
    })];

    let q = questionnaire(kb);
    let mut qr_ref = None;
    if let (Some(saved), Some(result)) = (latest, &result) {
        entries.push(Resource::Observation(Observation {
            id: name_uuid(&format!("age:{}", saved.id)),
            status: "final".into(),
            category: Vec::new(),
            code: CodeableConcept::coded(
                Coding::new(LOINC, LOINC_AGE, Some("Age")),
                Some("Age at the assessment"),
            ),
            subject: patient_ref.clone(),
            effective_date_time: Some(instant(saved.created_at)),
            value_integer: None,
            value_quantity: Some(Quantity {
                value: f64::from(result.age),
                unit: "years".into(),
                system: UCUM.into(),
                code: "a".into(),
            }),
            derived_from: Vec::new(),
            note: Vec::new(),
            component: Vec::new(),
        }));
        let qr = questionnaire_response(kb, &q, saved, result, &patient_ref);
        qr_ref = Some(Reference {
            reference: urn(&qr.id),
            display: Some("Dorsum interview answers".into()),
        });
        entries.push(Resource::Questionnaire(q));
        entries.push(Resource::QuestionnaireResponse(qr));
    } else {
        entries.push(Resource::Questionnaire(q));
    }

    // Pain stated at each assessment.
    for a in records.assessments {
        if let Some(p) = a.pain {
            let derived = match (&qr_ref, latest) {
                (Some(r), Some(l)) if l.id == a.id => vec![r.clone()],
                _ => Vec::new(),
            };
            entries.push(Resource::Observation(pain_observation(
                name_uuid(&format!("pain-at-assessment:{}", a.id)),
                &patient_ref,
                instant(a.created_at),
                p.get(),
                derived,
                vec![Annotation {
                    text: "Pain stated during the Dorsum assessment".into(),
                }],
            )));
        }
    }
    // Diary pain.
    for e in records.diary {
        let mut note = vec![Annotation {
            text: format!("Exercise sessions that day: {}", e.sessions),
        }];
        if let Some(s) = &e.symptoms {
            note.push(Annotation {
                text: format!("New symptoms in the person's words: {s}"),
            });
        }
        entries.push(Resource::Observation(pain_observation(
            e.id.clone(),
            &patient_ref,
            e.date.to_string(),
            e.pain.get(),
            Vec::new(),
            note,
        )));
    }
    // PEG.
    for p in records.peg {
        let Ok(peg) = dorsum_care::Peg::new(
            i64::from(p.pain.get()),
            i64::from(p.enjoyment.get()),
            i64::from(p.activity.get()),
        ) else {
            continue;
        };
        let mut component: Vec<ObservationComponent> = dorsum_care::PEG_ITEMS
            .iter()
            .zip(LOINC_PEG_ITEMS)
            .zip(peg.answers())
            .map(|((item, code), value)| ObservationComponent {
                code: CodeableConcept::coded(Coding::new(LOINC, code, None), Some(item.question)),
                value_integer: Some(i64::from(value)),
                value_quantity: None,
            })
            .collect();
        component.push(ObservationComponent {
            code: CodeableConcept::coded(
                Coding::new(LOINC, LOINC_PEG_MEAN, None),
                Some("PEG score (mean of the three items)"),
            ),
            value_integer: None,
            value_quantity: Some(score_quantity(peg.score())),
        });
        entries.push(Resource::Observation(Observation {
            id: p.id.clone(),
            status: "final".into(),
            category: survey(),
            code: CodeableConcept::coded(
                Coding::new(LOINC, LOINC_PEG, None),
                Some("PEG three-item pain scale (Krebs et al. 2009)"),
            ),
            subject: patient_ref.clone(),
            effective_date_time: Some(p.date.to_string()),
            value_integer: None,
            value_quantity: None,
            derived_from: Vec::new(),
            note: Vec::new(),
            component,
        }));
    }
    // PSFS.
    for p in records.psfs {
        let Ok(psfs) = dorsum_care::Psfs::new(
            p.activities
                .iter()
                .map(|a| (a.name.as_str(), i64::from(a.score.get()))),
        ) else {
            continue;
        };
        entries.push(Resource::Observation(Observation {
            id: p.id.clone(),
            status: "final".into(),
            category: survey(),
            code: CodeableConcept::coded(
                Coding::new(
                    INSTRUMENT_SYSTEM,
                    "psfs",
                    Some("Patient-Specific Functional Scale"),
                ),
                Some("Patient-Specific Functional Scale (Stratford et al. 1995): mean of the activity scores, 0 = unable, 10 = as before the problem"),
            ),
            subject: patient_ref.clone(),
            effective_date_time: Some(p.date.to_string()),
            value_integer: None,
            value_quantity: Some(score_quantity(psfs.score())),
            derived_from: Vec::new(),
            note: Vec::new(),
            component: psfs
                .activities()
                .iter()
                .map(|a| ObservationComponent {
                    code: CodeableConcept::text(&a.name),
                    value_integer: Some(i64::from(a.score)),
                    value_quantity: None,
                })
                .collect(),
        }));
    }
    // Leading conditions.
    if let (Some(saved), Some(result)) = (latest, &result) {
        for c in result.conditions.iter().take(LEADING_CONDITIONS) {
            let name = c
                .clinical_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| c.name.clone());
            let for_names: Vec<CodeableConcept> = c
                .evidence_for
                .iter()
                .map(|w| {
                    let n = crate::input::finding_name(kb, &w.finding, w.name.as_deref());
                    CodeableConcept::text(&match w.present {
                        Some(false) => format!("no {}", crate::report::lower_first(n)),
                        _ => n.to_string(),
                    })
                })
                .collect();
            let evidence = if for_names.is_empty() && qr_ref.is_none() {
                Vec::new()
            } else {
                vec![ConditionEvidence {
                    code: for_names,
                    detail: qr_ref.iter().cloned().collect(),
                }]
            };
            entries.push(Resource::Condition(Condition {
                id: name_uuid(&format!("condition:{}:{}", saved.id, c.id)),
                clinical_status: CodeableConcept::coded(
                    Coding::new(CONDITION_CLINICAL, "active", Some("Active")),
                    None,
                ),
                verification_status: CodeableConcept::coded(
                    Coding::new(CONDITION_VERIFICATION, "provisional", Some("Provisional")),
                    None,
                ),
                code: CodeableConcept {
                    coding: c
                        .icd10
                        .iter()
                        .map(|code| Coding::new(icd10_system(code), code, None))
                        .collect(),
                    text: Some(name),
                },
                subject: patient_ref.clone(),
                recorded_date: Some(instant(saved.created_at)),
                evidence,
                note: vec![Annotation {
                    text: format!(
                        "Dorsum self-check estimate: probability {} (a ranking from self-reported answers, not a diagnosis); triage {}.",
                        crate::html::percent(c.probability),
                        result.triage.level
                    ),
                }],
            }));
        }
    }

    let entry = entries
        .into_iter()
        .map(|resource| {
            let id = match &resource {
                Resource::Patient(r) => &r.id,
                Resource::Questionnaire(r) => &r.id,
                Resource::QuestionnaireResponse(r) => &r.id,
                Resource::Observation(r) => &r.id,
                Resource::Condition(r) => &r.id,
            };
            BundleEntry {
                full_url: urn(id),
                resource,
            }
        })
        .collect();
    Ok(Bundle {
        resource_type: "Bundle".into(),
        id: name_uuid(&format!("bundle:{}:{}", input.user, input.clock.now)),
        kind: "collection".into(),
        timestamp: instant(input.clock.now),
        entry,
    })
}
