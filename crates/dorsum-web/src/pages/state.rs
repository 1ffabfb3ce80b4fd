//! The check in progress, carried by the pages themselves: every form holds the whole case so far in a
//! hidden `state` field (JSON), and the server replays the interview from it on each step
//! ([`dorsum_app::replay`]). Nothing about a check is kept on the server until the person saves it.

use dorsum_app::replay::{self, InputError};
use dorsum_kb::Kb;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A finding the person stated directly (a correction of what was read from their words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stated {
    pub id: String,
    pub present: bool,
}

/// Everything a check has so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebCase {
    pub age: u8,
    pub sex: String,
    #[serde(default)]
    pub text: String,
    /// Body-map region ids ([`super::bodymap::REGIONS`]).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Findings read from the text that the person said were misread.
    #[serde(default)]
    pub dismissed: Vec<String>,
    /// Findings the person stated while correcting.
    #[serde(default)]
    pub stated: Vec<Stated>,
    /// The answers so far, as the JSON API takes them (`{"options": [...], "answer": ...}`).
    #[serde(default)]
    pub answers: Vec<Value>,
}

impl WebCase {
    /// The hidden-field form.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a WebCase always serialises")
    }

    /// Read a hidden field back; a tampered or stale field is an error, never a panic.
    pub fn decode(s: &str) -> Result<WebCase, String> {
        serde_json::from_str(s).map_err(|e| format!("the page's saved answers are not valid ({e})"))
    }

    /// The replay request: body-map findings and corrections as evidence, the answers as given.
    pub fn request(&self, kb: &Kb) -> Result<replay::Request, Vec<InputError>> {
        let mut evidence: Vec<Value> = super::bodymap::findings(kb, &self.regions)
            .into_iter()
            .map(|f| json!({"id": kb.finding(f).id, "present": true}))
            .collect();
        evidence.extend(
            self.stated
                .iter()
                .map(|s| json!({"id": s.id, "present": s.present})),
        );
        let mut body = json!({
            "age": self.age,
            "sex": self.sex,
            "evidence": evidence,
            "answers": self.answers,
        });
        if !self.text.trim().is_empty() {
            body["text"] = Value::String(self.text.clone());
        }
        let mut request = replay::parse_request(kb, &body)?;
        let mut errors = Vec::new();
        for id in &self.dismissed {
            match kb.finding_ix(id) {
                Some(f) => request.dismissed.push(f),
                None => errors.push(InputError {
                    field: "dismissed".into(),
                    message: format!("'{id}' is not a finding id"),
                    mismatch: false,
                }),
            }
        }
        if let Some(r) = self
            .regions
            .iter()
            .find(|r| super::bodymap::region(r).is_none())
        {
            errors.push(InputError {
                field: "region".into(),
                message: format!("'{r}' is not a body-map region"),
                mismatch: false,
            });
        }
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(errors)
        }
    }
}

/// A decoded `application/x-www-form-urlencoded` body: every pair, in order (repeated keys kept).
#[derive(Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// Parse a form body.
    pub fn parse(body: &[u8]) -> FormData {
        FormData(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value for `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_survives_the_hidden_field_and_becomes_a_request() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        let case = WebCase {
            age: 40,
            sex: "female".into(),
            text: "my lower back hurts & \"aches\" <b>".into(),
            regions: vec!["lower_back_left".into(), "buttocks".into()],
            dismissed: vec!["loc_lower_back".into()],
            stated: vec![Stated {
                id: "fever".into(),
                present: false,
            }],
            answers: vec![],
        };
        let back = WebCase::decode(&case.encode()).unwrap();
        assert_eq!(back, case);
        let r = back.request(&kb).unwrap();
        assert_eq!(r.case.age, 40);
        let ids: Vec<(&str, bool)> = r
            .evidence
            .iter()
            .map(|o| (kb.finding(o.finding).id.as_str(), o.present))
            .collect();
        assert_eq!(
            ids,
            [
                ("loc_lower_back", true),
                ("loc_buttock", true),
                ("fever", false)
            ]
        );
        assert_eq!(r.dismissed, vec![kb.finding_ix("loc_lower_back").unwrap()]);
    }

    #[test]
    fn tampered_state_is_an_error_naming_the_field() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        assert!(WebCase::decode("{not json").is_err());
        assert!(WebCase::decode(r#"{"age": 300, "sex": "female"}"#).is_err());
        let bad = WebCase {
            age: 40,
            sex: "other".into(),
            regions: vec!["moon".into()],
            dismissed: vec!["no_such".into()],
            ..WebCase::default()
        };
        let errors = bad.request(&kb).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"sex"), "{fields:?}");
    }

    #[test]
    fn form_bodies_keep_repeated_keys_in_order() {
        let f = FormData::parse(b"region=neck&age=40&region=lower_back_left&text=a+b%26c");
        assert_eq!(f.all("region"), ["neck", "lower_back_left"]);
        assert_eq!(f.get("text"), Some("a b&c"));
        assert_eq!(f.get("nope"), None);
    }
}
