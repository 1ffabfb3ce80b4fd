//! The JSON API against the real server on an ephemeral port (`spawn_app()`).

mod common;

use common::{TestApp, repo, spawn_app, spawn_app_with_care};
use serde_json::{Value, json};

const PROBLEM: &str = "application/problem+json";

/// Assert a problem response with this status naming this field; returns the body.
async fn problem(res: reqwest::Response, status: u16, field: Option<&str>) -> Value {
    let got = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body: Value = res.json().await.expect("problem body is JSON");
    assert_eq!(got, status, "{body}");
    assert_eq!(ct, PROBLEM, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string());
    match field {
        Some(f) => assert_eq!(body["field"], f, "{body}"),
        None => assert!(body.get("field").is_none(), "{body}"),
    }
    body
}

fn case() -> Value {
    json!({"age": 35, "sex": "male", "text": "Sore lower back for 3 days after lifting boxes, no pain down the legs"})
}

#[tokio::test]
async fn health_answers_with_security_headers() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/health").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert!(body["kb_version"].as_str().unwrap().contains('+'));
    // Errors carry the headers too.
    let res = app.get("/api/v1/nope").await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    problem(res, 404, None).await;
    app.stop().await;
}

#[tokio::test]
async fn every_route_is_served_and_in_the_openapi_document() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    for (method, path) in dorsum_web::api::ROUTES {
        assert!(
            documented.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is not in the OpenAPI document"
        );
        // Served: never 404 or 405 (a bad or empty body gives 4xx problems of other kinds).
        // A path parameter gets an id that does not exist: the handler's own 404 problem, not the router's.
        let concrete = path.replace("{id}", "no-such-id");
        let req = app
            .client
            .request(method.to_uppercase().parse().unwrap(), app.url(&concrete));
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        if path.contains("{id}") && status == 404 {
            let p: Value = res.json().await.unwrap();
            assert!(
                p["detail"].as_str().unwrap().contains("no-such-id"),
                "{method} {path}: {p}"
            );
            continue;
        }
        assert!(
            status != 404 && status != 405,
            "{method} {path} -> {status}"
        );
    }
    assert_eq!(
        documented.len(),
        dorsum_web::api::ROUTES.len(),
        "the document has routes the server does not list: {documented:?}"
    );
    // Typed schemas: enums for levels, regions and assertions; bounds on age and pain.
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["TriageLevel"]["enum"],
        json!([
            "self_care",
            "consultation",
            "consultation_24",
            "emergency",
            "emergency_ambulance"
        ])
    );
    assert_eq!(
        s["Region"]["enum"],
        json!(["neck", "upper", "lower", "both"])
    );
    assert_eq!(s["Assertion"]["enum"].as_array().unwrap().len(), 6);
    assert_eq!(s["AssessRequest"]["properties"]["age"]["minimum"], 0);
    assert_eq!(s["AssessRequest"]["properties"]["age"]["maximum"], 120);
    assert_eq!(
        s["NewDiaryEntryRequest"]["properties"]["pain"]["maximum"],
        10
    );
    assert_eq!(s["NewPegRequest"]["properties"]["enjoyment"]["minimum"], 0);
    assert!(s["FindingId"]["enum"].as_array().unwrap().len() > 100);
    app.stop().await;
}

#[tokio::test]
async fn every_bad_input_is_a_problem_naming_the_field() {
    let app = spawn_app().await;
    let with = |patch: Value| {
        let mut v = case();
        for (k, val) in patch.as_object().unwrap() {
            if val.is_null() {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = val.clone();
            }
        }
        v
    };
    let long = "a".repeat(10_001);
    let cases: Vec<(Value, u16, &str)> = vec![
        (with(json!({"age": null})), 422, "age"),
        (with(json!({"age": 121})), 422, "age"),
        (with(json!({"age": -1})), 422, "age"),
        (with(json!({"age": 40.5})), 422, "age"),
        (with(json!({"age": "forty"})), 422, "age"),
        (with(json!({"sex": "x"})), 422, "sex"),
        (with(json!({"sex": null})), 422, "sex"),
        (with(json!({"text": long})), 422, "text"),
        (with(json!({"text": "   "})), 422, "text"),
        (with(json!({"text": 5})), 422, "text"),
        (with(json!({"colour": "red"})), 422, "colour"),
        (with(json!({"id": ""})), 422, "id"),
        (with(json!({"evidence": {"id": "fever"}})), 422, "evidence"),
        (
            with(json!({"evidence": [{"id": "no_such_finding", "present": true}]})),
            422,
            "evidence[0].id",
        ),
        (
            with(json!({"evidence": [{"id": "fever", "present": "yes"}]})),
            422,
            "evidence[0].present",
        ),
        (
            with(json!({"evidence": [{"id": "fever"}]})),
            422,
            "evidence[0].present",
        ),
        (
            with(json!({"evidence": [{"id": "fever", "present": true, "x": 1}]})),
            422,
            "evidence[0].x",
        ),
        (
            with(json!({"answers": [{"options": ["fever"]}]})),
            422,
            "answers[0].answer",
        ),
        (
            with(json!({"answers": [{"options": [], "answer": "yes"}]})),
            422,
            "answers[0].options",
        ),
        (
            with(json!({"answers": [{"options": ["zzz"], "answer": "yes"}]})),
            422,
            "answers[0].options[0]",
        ),
        (
            with(json!({"answers": [{"options": ["fever"], "answer": "maybe"}]})),
            422,
            "answers[0].answer",
        ),
        (
            with(json!({"answers": [{"options": ["fever"], "answer": 300}]})),
            422,
            "answers[0].answer",
        ),
        (
            with(json!({"answers": vec![json!({"options": ["fever"], "answer": "no"}); 21]})),
            422,
            "answers",
        ),
        // Well formed, but not the question the interview asks first.
        (
            with(json!({"answers": [{"options": ["fever"], "answer": "yes"}]})),
            409,
            "answers[0].options",
        ),
    ];
    for (body, status, field) in cases {
        for path in ["/api/v1/assess", "/api/v1/triage"] {
            let res = app.post(path, &body).await;
            problem(res, status, Some(field)).await;
        }
    }
    // Several bad fields: all listed, the first named.
    let body = problem(
        app.post("/api/v1/assess", &json!({"age": 200, "sex": "x"}))
            .await,
        422,
        Some("age"),
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["age", "sex"]);
    // Not an object, not JSON, not declared as JSON, too large.
    problem(app.post("/api/v1/assess", &json!([1, 2])).await, 422, None).await;
    let bad = app
        .post_raw(
            "/api/v1/assess",
            "application/json",
            b"{\"age\": 40,".to_vec(),
        )
        .await;
    let body = problem(bad, 400, None).await;
    assert!(
        body["detail"].as_str().unwrap().contains("line 1"),
        "{body}"
    );
    let form = app
        .post_raw(
            "/api/v1/assess",
            "application/x-www-form-urlencoded",
            b"age=40".to_vec(),
        )
        .await;
    problem(form, 415, None).await;
    let huge = format!(
        r#"{{"age": 40, "sex": "male", "text": "{}"}}"#,
        "a".repeat(70_000)
    );
    problem(
        app.post_raw("/api/v1/assess", "application/json", huge.into_bytes())
            .await,
        413,
        None,
    )
    .await;
    // Parse validates its text the same way.
    problem(
        app.post("/api/v1/parse", &json!({"text": ""})).await,
        422,
        Some("text"),
    )
    .await;
    problem(
        app.post("/api/v1/parse", &json!({"txt": "x"})).await,
        422,
        Some("txt"),
    )
    .await;
    // Unknown route and method.
    problem(app.get("/api/v2/assess").await, 404, None).await;
    problem(app.get("/api/v1/assess").await, 405, None).await;
    app.stop().await;
}

#[tokio::test]
async fn requests_for_other_host_names_are_refused_on_loopback() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/api/v1/health"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    problem(res, 421, None).await;
    let res = app
        .client
        .get(app.url("/api/v1/health"))
        .header("host", format!("localhost:{}", app.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
}

#[test]
fn non_loopback_addresses_need_allow_remote() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = rt
        .block_on(dorsum_web::Server::bind(dorsum_web::Config {
            bind: "0.0.0.0:0".parse().unwrap(),
            ..dorsum_web::Config::default()
        }))
        .err()
        .expect("refused");
    assert!(err.to_string().contains("--allow-remote"), "{err}");
    assert!(dorsum_web::middleware::is_loopback_host("127.0.0.1:8080"));
    assert!(dorsum_web::middleware::is_loopback_host("[::1]:80"));
    assert!(dorsum_web::middleware::is_loopback_host("LOCALHOST"));
    assert!(!dorsum_web::middleware::is_loopback_host(
        "127.0.0.1.evil.example"
    ));
    assert!(!dorsum_web::middleware::is_loopback_host(
        "localhost.evil.example:80"
    ));
}

#[tokio::test]
async fn a_bad_care_file_stops_the_server_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("care.toml");
    std::fs::write(
        &path,
        "[[service]]\nname = \"Clinic\"\nlevels = [\"urgent\"]\nphone = \"123\"\n",
    )
    .unwrap();
    let err = dorsum_web::Server::bind(dorsum_web::Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        care: Some(path.clone()),
        db: Some(dir.path().join("x.db").to_string_lossy().into_owned()),
        ..dorsum_web::Config::default()
    })
    .await
    .err()
    .expect("refused");
    let msg = format!("{err:#}");
    assert!(msg.contains(&format!("{}:3:", path.display())), "{msg}");
    assert!(msg.contains("urgent"), "{msg}");
}

/// Drive the interview through repeated stateless /assess calls; `answer` picks each answer.
async fn interview(
    app: &TestApp,
    start: Value,
    answer: impl Fn(&Value) -> Value,
) -> (Value, Vec<Value>) {
    let mut answers: Vec<Value> = Vec::new();
    for _ in 0..=20 {
        let mut body = start.clone();
        body["answers"] = Value::Array(answers.clone());
        let res = app.post("/api/v1/assess", &body).await;
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["schema"], 1);
        assert_eq!(
            v["interview"]["questions"].as_array().unwrap().len(),
            answers.len()
        );
        if v["should_stop"] == true {
            assert!(v.get("next_question").is_none());
            assert_eq!(v["stop_reason"], v["interview"]["stopped"]);
            return (v, answers);
        }
        let q = &v["next_question"];
        assert!(v.get("stop_reason").is_none());
        assert_eq!(q["number"], answers.len() + 1);
        assert!(!q["why"]["text"].as_str().unwrap().is_empty());
        let options: Vec<Value> = q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].clone())
            .collect();
        answers.push(json!({"options": options, "answer": answer(q)}));
    }
    panic!("the interview did not stop within 20 questions");
}

#[tokio::test]
async fn an_interview_reaches_an_emergency_through_repeated_calls() {
    let app = spawn_app().await;
    let start = json!({"age": 68, "sex": "male", "text": "sudden severe pain in my back"});
    // Say yes to the first question that could raise the triage to an emergency; no to everything else.
    let (result, answers) = interview(&app, start.clone(), |q| {
        let urgent = matches!(
            q["why"]["could_raise_to"].as_str(),
            Some("emergency" | "emergency_ambulance")
        );
        match (q["kind"].as_str().unwrap(), urgent) {
            ("yes_no", true) => json!("yes"),
            ("yes_no", false) => json!("no"),
            ("number", _) => json!(q["max"]),
            (_, true) => {
                let first = q["options"][0]["id"].clone();
                json!([first])
            }
            (_, false) => json!("dont_know"),
        }
    })
    .await;
    let level = result["triage"]["level"].as_str().unwrap();
    assert!(
        level == "emergency" || level == "emergency_ambulance",
        "{result}"
    );
    assert_eq!(result["stop_reason"], "emergency");
    assert!(
        !result["red_flags"].as_array().unwrap().is_empty()
            || !result["triage"]["reasons"].as_array().unwrap().is_empty()
    );
    assert!(result["triage"]["service"]["name"].is_string());
    // Deterministic: replaying the same answers gives the same body; /triage agrees.
    let mut body = start.clone();
    body["answers"] = Value::Array(answers.clone());
    let again: Value = app
        .post("/api/v1/assess", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, result);
    let t: Value = app
        .post("/api/v1/triage", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(t["triage"], result["triage"]);
    assert_eq!(t["red_flags"], result["red_flags"]);
    // One more answer after the stop is a conflict naming it.
    let mut extra = answers.clone();
    extra.push(json!({"options": ["fever"], "answer": "no"}));
    body["answers"] = Value::Array(extra);
    problem(
        app.post("/api/v1/assess", &body).await,
        409,
        Some(&format!("answers[{}]", answers.len())),
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn an_interview_reaches_self_care_through_repeated_calls() {
    let app = spawn_app().await;
    let (result, answers) = interview(&app, case(), |q| match q["kind"].as_str().unwrap() {
        "yes_no" => json!("no"),
        "any_of" => json!("none"),
        "number" => json!(3),
        _ => json!("dont_know"),
    })
    .await;
    assert_eq!(result["triage"]["level"], "self_care", "{result}");
    assert!(!answers.is_empty());
    assert_eq!(result["triage"]["service"]["name"], "A pharmacist");
    assert!(result["self_care"]["exercises"].as_array().unwrap().len() >= 3);
    // Answers appear in the findings without spans; text findings keep theirs.
    let findings = result["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["span"].is_null() && f["present"] == false)
    );
    assert!(findings.iter().any(|f| f["span"].is_array()));
    app.stop().await;
}

#[tokio::test]
async fn evidence_alone_drives_the_triage() {
    let app = spawn_app().await;
    let ids: Vec<String> = app
        .get("/api/v1/kb/findings")
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.iter().any(|i| i == "saddle_anaesthesia"), "{ids:?}");
    let body = json!({"age": 45, "sex": "female",
        "evidence": [{"id": "loc_lower_back", "present": true}, {"id": "saddle_anaesthesia", "present": true}]});
    let v: Value = app
        .post("/api/v1/assess", &body)
        .await
        .json()
        .await
        .unwrap();
    let level = v["triage"]["level"].as_str().unwrap();
    assert!(
        level == "emergency" || level == "emergency_ambulance",
        "{v}"
    );
    assert_eq!(v["text"], "");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["span"].is_null())
    );
    app.stop().await;
}

#[tokio::test]
async fn parse_returns_findings_with_spans_and_assertions() {
    let app = spawn_app().await;
    let text = "Pain in my lower back going down my left leg to my foot, no fever";
    let v: Value = app
        .post("/api/v1/parse", &json!({"text": text}))
        .await
        .json()
        .await
        .unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let (s, e) = (
            f["span"][0].as_u64().unwrap() as usize,
            f["span"][1].as_u64().unwrap() as usize,
        );
        assert!(s < e && e <= text.len());
    }
    let fever = findings.iter().find(|f| f["id"] == "fever").expect("fever");
    assert_eq!(fever["assertion"], "negated");
    assert_eq!(fever["present"], false);
    assert!(
        findings.iter().any(|f| f["radiation"]["to"] == "foot"),
        "{v}"
    );
    app.stop().await;
}

#[tokio::test]
async fn knowledge_base_listings() {
    let app = spawn_app().await;
    let conditions: Vec<Value> = app.get("/api/v1/kb/conditions").await.json().await.unwrap();
    assert!(conditions.len() > 20);
    assert!(
        conditions
            .iter()
            .all(|c| !c["icd10"].as_array().unwrap().is_empty())
    );
    let exercises: Vec<Value> = app.get("/api/v1/kb/exercises").await.json().await.unwrap();
    assert!(exercises.len() >= 10);
    for e in &exercises {
        assert!(
            !e["citation"]["sources"].as_array().unwrap().is_empty(),
            "{e}"
        );
        assert!(!e["steps"].as_array().unwrap().is_empty());
    }
    app.stop().await;
}

async fn routes(app: &TestApp) -> Vec<(String, Value)> {
    let v: Value = app.get("/api/v1/care").await.json().await.unwrap();
    v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap().to_string(),
                r["service"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn care_routing_default_sends_each_level_to_the_right_place() {
    let app = spawn_app().await;
    let names: Vec<(String, String)> = routes(&app)
        .await
        .into_iter()
        .map(|(l, s)| (l, s["name"].as_str().unwrap().to_string()))
        .collect();
    let expect = [
        ("self_care", "A pharmacist"),
        ("consultation", "Your GP or a physiotherapist"),
        ("consultation_24", "Your GP (same-day appointment)"),
        ("emergency", "An emergency department"),
        ("emergency_ambulance", "Emergency services (ambulance)"),
    ];
    assert_eq!(
        names,
        expect.map(|(l, n)| (l.to_string(), n.to_string())).to_vec()
    );
    let all = routes(&app).await;
    let ambulance = &all
        .iter()
        .find(|(l, _)| l == "emergency_ambulance")
        .unwrap()
        .1;
    assert!(ambulance["phone"].as_str().unwrap().contains("999"));
    assert!(all.iter().all(|(_, s)| s["source"] == "default"));
    app.stop().await;
}

#[tokio::test]
async fn care_routing_from_the_sample_file() {
    let app = spawn_app_with_care(repo("docs/care.example.toml")).await;
    let all = routes(&app).await;
    let name = |level: &str| {
        all.iter().find(|(l, _)| l == level).unwrap().1["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(name("self_care"), "Mill Lane Pharmacy");
    assert_eq!(name("consultation"), "Riverside Physiotherapy");
    assert_eq!(name("consultation_24"), "Riverside Practice (same-day)");
    assert_eq!(name("emergency"), "Riverside Hospital Emergency Department");
    assert_eq!(
        name("emergency_ambulance"),
        "Emergency services (ambulance)"
    );
    let amb = &all
        .iter()
        .find(|(l, _)| l == "emergency_ambulance")
        .unwrap()
        .1;
    assert_eq!(amb["phone"], "999");
    let physio = &all.iter().find(|(l, _)| l == "consultation").unwrap().1;
    assert_eq!(
        physio["telehealth_url"],
        "https://riverside-physio.example/video"
    );
    assert_eq!(physio["source"], "care_file");
    // Results carry the service for their level.
    let v: Value = app
        .post("/api/v1/assess", &case())
        .await
        .json()
        .await
        .unwrap();
    let level = v["triage"]["level"].as_str().unwrap().to_string();
    assert_eq!(v["triage"]["service"]["name"], name(&level));
    app.stop().await;
}

#[tokio::test]
async fn diary_peg_chart_export_and_delete_on_a_scratch_store() {
    let app = spawn_app().await;
    let v: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(v["entries"], json!([]));
    assert_eq!(v["follow_up"]["action"], "needs_assessment");

    // Bad entries name the field and save nothing.
    for (body, field) in [
        (json!({"pain": 11}), "pain"),
        (json!({"pain": -1}), "pain"),
        (json!({}), "pain"),
        (json!({"pain": 3, "date": "2999-01-01"}), "date"),
        (json!({"pain": 3, "date": "yesterday"}), "date"),
        (json!({"pain": 3, "region": "middle"}), "region"),
        (json!({"pain": 3, "sessions": -2}), "sessions"),
        (
            json!({"pain": 3, "exercises": ["no_such_exercise"]}),
            "exercises[0]",
        ),
        (json!({"pain": 3, "note": "x".repeat(10_001)}), "note"),
        (json!({"pain": 3, "mood": "ok"}), "mood"),
    ] {
        problem(app.post("/api/v1/diary", &body).await, 422, Some(field)).await;
    }
    let v: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(v["entries"], json!([]));

    let res = app
        .post(
            "/api/v1/diary",
            &json!({"pain": 4, "date": "2026-01-10", "region": "lower", "sessions": 1, "note": "walked"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let added: Value = res.json().await.unwrap();
    assert_eq!(added["entry"]["pain"], 4);
    assert_eq!(added["entry"]["date"], "2026-01-10");
    assert!(added.get("warning").is_none());
    // New symptoms naming a warning sign are flagged at once.
    let res = app
        .post(
            "/api/v1/diary",
            &json!({"pain": 6, "symptoms": "numb around my bottom and I can't pee"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let added: Value = res.json().await.unwrap();
    assert_eq!(added["warning"]["kind"], "warning_words", "{added}");

    for (body, field) in [
        (
            json!({"pain": 5, "enjoyment": 11, "activity": 3}),
            "enjoyment",
        ),
        (json!({"pain": 5, "enjoyment": 4}), "activity"),
    ] {
        problem(app.post("/api/v1/diary/peg", &body).await, 422, Some(field)).await;
    }
    let res = app
        .post(
            "/api/v1/diary/peg",
            &json!({"pain": 6, "enjoyment": 3, "activity": 3}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let peg: Value = res.json().await.unwrap();
    assert_eq!(peg["score"], 4.0);
    let pegs: Value = app.get("/api/v1/diary/peg").await.json().await.unwrap();
    assert_eq!(pegs["items"].as_array().unwrap().len(), 3);
    assert_eq!(pegs["entries"].as_array().unwrap().len(), 1);

    // PSFS: 1-5 activities, each named once and rated 0-10; bad ones name the field and save nothing.
    for (body, field) in [
        (json!({}), "activities"),
        (json!({"activities": []}), "activities"),
        (
            json!({"activities": [{"name": "gardening"}]}),
            "activities[0].score",
        ),
        (json!({"activities": [{"score": 3}]}), "activities[0].name"),
        (
            json!({"activities": [{"name": "a", "score": 11}]}),
            "activities",
        ),
        (
            json!({"activities": [{"name": "a", "score": 1}, {"name": "a", "score": 2}]}),
            "activities",
        ),
        (
            json!({"activities": [{"name": "a", "score": 1, "x": 1}]}),
            "activities[0].x",
        ),
    ] {
        problem(
            app.post("/api/v1/diary/psfs", &body).await,
            422,
            Some(field),
        )
        .await;
    }
    let res = app
        .post(
            "/api/v1/diary/psfs",
            &json!({"activities": [{"name": "walking the dog", "score": 4}, {"name": "gardening", "score": 7}]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let psfs: Value = res.json().await.unwrap();
    assert_eq!(psfs["score"], 5.5);
    assert_eq!(psfs["activities"][1]["name"], "gardening");
    let listed: Value = app.get("/api/v1/diary/psfs").await.json().await.unwrap();
    assert_eq!(listed["entries"].as_array().unwrap().len(), 1);
    assert!(listed["citation"].as_str().unwrap().contains("Stratford"));

    let chart = app.get("/api/v1/diary/chart.svg").await;
    assert_eq!(chart.headers()["content-type"], "image/svg+xml");
    let svg = chart.text().await.unwrap();
    assert!(svg.starts_with("<svg") && !svg.contains("<script"));

    let export: Value = app.get("/api/v1/export").await.json().await.unwrap();
    assert_eq!(export["format"], "dorsum-export");
    assert_eq!(export["diary"].as_array().unwrap().len(), 2);
    assert_eq!(export["peg"].as_array().unwrap().len(), 1);

    problem(
        app.client
            .delete(app.url("/api/v1/data"))
            .send()
            .await
            .unwrap(),
        422,
        Some("confirm"),
    )
    .await;
    let res = app
        .client
        .delete(app.url("/api/v1/data?confirm=all"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let deleted: Value = res.json().await.unwrap();
    assert_eq!(deleted["diary"], 2);
    assert_eq!(deleted["peg"], 1);
    assert_eq!(deleted["psfs"], 1);
    let v: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(v["entries"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_diary_entry_can_be_read_changed_and_deleted() {
    let app = spawn_app().await;
    let added: Value = app
        .post(
            "/api/v1/diary",
            &json!({"pain": 6, "date": "2026-01-10", "note": "first"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = added["entry"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/diary/{id}");
    let got: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(got, added["entry"]);

    // A bad change names the field and writes nothing.
    let bad = app
        .client
        .put(app.url(&path))
        .json(&json!({"pain": 12}))
        .send()
        .await
        .unwrap();
    problem(bad, 422, Some("pain")).await;
    let res = app
        .client
        .put(app.url(&path))
        .json(&json!({"pain": 3, "date": "2026-01-11", "region": "neck"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["id"], id.as_str());
    assert_eq!(changed["pain"], 3);
    assert_eq!(changed["date"], "2026-01-11");
    assert_eq!(changed["region"], "neck");
    assert_eq!(
        changed["note"],
        Value::Null,
        "a change replaces the whole entry"
    );
    assert_eq!(changed["created_at"], added["entry"]["created_at"]);
    let listed: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(listed["entries"], json!([changed]));

    let res = app.client.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let again = app.client.delete(app.url(&path)).send().await.unwrap();
    problem(again, 404, None).await;
    problem(app.get(&path).await, 404, None).await;
    let missing = app
        .client
        .put(app.url(&path))
        .json(&json!({"pain": 1}))
        .send()
        .await
        .unwrap();
    problem(missing, 404, None).await;
    let listed: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(listed["entries"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_saved_assessment_drives_the_diary_follow_up() {
    let app = spawn_app().await;
    let listed: Value = app.get("/api/v1/assessments").await.json().await.unwrap();
    assert_eq!(listed, json!([]));
    problem(app.get("/api/v1/report").await, 409, None).await;
    problem(app.get("/api/v1/fhir/bundle").await, 409, None).await;
    problem(
        app.post("/api/v1/assessments", &json!({"age": 200, "sex": "male"}))
            .await,
        422,
        Some("age"),
    )
    .await;
    let body = json!({"age": 38, "sex": "female",
        "text": "My lower back aches after gardening since Saturday, 4/10, no numbness, no weakness"});
    let res = app.post("/api/v1/assessments", &body).await;
    assert_eq!(res.status(), 201);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["region"], "lower");
    assert_eq!(saved["pain"], 4, "the score stated in the text is kept");
    let listed: Value = app.get("/api/v1/assessments").await.json().await.unwrap();
    assert_eq!(listed, json!([saved]));
    let diary: Value = app.get("/api/v1/diary").await.json().await.unwrap();
    assert_eq!(diary["last_assessment"]["id"], saved["id"]);
    assert_ne!(diary["follow_up"]["action"], "needs_assessment");

    // The hand-over: the report as PDF (default) or HTML, and the FHIR bundle, all as downloads.
    let pdf = app.get("/api/v1/report").await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let html = app.get("/api/v1/report?format=html").await;
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("<html") && html.contains("lower"), "{html}");
    problem(
        app.get("/api/v1/report?format=docx").await,
        422,
        Some("format"),
    )
    .await;
    let fhir = app.get("/api/v1/fhir/bundle").await;
    assert_eq!(fhir.status(), 200);
    assert_eq!(fhir.headers()["content-type"], "application/fhir+json");
    let bundle: Value = fhir.json().await.unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let kinds: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Patient") && kinds.contains(&"QuestionnaireResponse"),
        "{kinds:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn graceful_shutdown_finishes_and_frees_the_port() {
    let app = spawn_app().await;
    let addr = app.addr;
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
    app.stop().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn panics_and_timeouts_become_problems() {
    use axum::routing::get;
    let dir = tempfile::tempdir().unwrap();
    let config = dorsum_web::Config {
        db: Some(dir.path().join("p.db").to_string_lossy().into_owned()),
        care: Some(repo("docs/care.example.toml")),
        ..dorsum_web::Config::default()
    };
    let state = std::sync::Arc::new(dorsum_web::state(&config).await.unwrap());
    let routes = axum::Router::new()
        .route(
            "/boom",
            get(|| async {
                if true {
                    panic!("handler bug");
                }
                "unreachable"
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                "late"
            }),
        );
    let app = dorsum_web::middleware::harden(routes, state, std::time::Duration::from_millis(200));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();
    let res = client
        .get(format!("http://{addr}/boom"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-security-policy"],
        dorsum_web::middleware::CSP
    );
    let body = problem(res, 500, None).await;
    assert!(!body["detail"].as_str().unwrap().contains("handler bug"));
    let res = client
        .get(format!("http://{addr}/slow"))
        .send()
        .await
        .unwrap();
    problem(res, 503, None).await;
}
