//! The spec's own example documents (GeoReport v2, `spec/`, copied from
//! open311.github.io) read, round-trip, and agree between their XML and JSON forms; and
//! the mapping of requests both ways on the Fushan default.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use super::model::Document;
use super::*;

const EXAMPLES: [(&str, &str, &str, &str); 6] = [
    (
        "services",
        "service-list",
        include_str!("spec/service-list.xml"),
        include_str!("spec/service-list.json"),
    ),
    (
        "service_definition",
        "service-definition",
        include_str!("spec/service-definition.xml"),
        include_str!("spec/service-definition.json"),
    ),
    (
        "service_requests",
        "service-request-post",
        include_str!("spec/service-request-post.xml"),
        include_str!("spec/service-request-post.json"),
    ),
    (
        "service_requests",
        "service-requests",
        include_str!("spec/service-requests.xml"),
        include_str!("spec/service-requests.json"),
    ),
    (
        "service_requests",
        "service-request",
        include_str!("spec/service-request.xml"),
        include_str!("spec/service-request.json"),
    ),
    (
        "errors",
        "errors",
        include_str!("spec/errors.xml"),
        include_str!("spec/errors.json"),
    ),
];

/// The spec's JSON examples write codes with leading zeros (`"service_code":001`), which
/// JSON does not allow; quoted, they read.
fn quote_leading_zeros(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(pos) = rest.find("\":0") {
        let (head, tail) = rest.split_at(pos + 2);
        out.push_str(head);
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() > 1 {
            out.push('"');
            out.push_str(&digits);
            out.push('"');
        } else {
            out.push_str(&digits);
        }
        rest = &tail[digits.len()..];
    }
    out.push_str(rest);
    out
}

/// Every text trimmed: the examples' XML carries indentation inside some values, and the
/// two forms of one example differ in a trailing space.
fn trimmed(doc: &Document) -> String {
    let json = render(doc, Format::Json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    fn trim(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::String(s) => serde_json::Value::String(s.trim().to_owned()),
            serde_json::Value::Array(a) => {
                serde_json::Value::Array(a.into_iter().map(trim).collect())
            }
            serde_json::Value::Object(o) => {
                serde_json::Value::Object(o.into_iter().map(|(k, v)| (k, trim(v))).collect())
            }
            other => other,
        }
    }
    trim(v).to_string()
}

#[test]
fn the_spec_examples_read_and_round_trip() {
    for (kind, name, xml_text, json_text) in EXAMPLES {
        let from_xml = xml::read(xml_text).unwrap_or_else(|e| panic!("{name}.xml: {e}"));
        // XML → XML and JSON → JSON give the same documents back.
        assert_eq!(
            xml::read(&render(&from_xml, Format::Xml)).unwrap(),
            from_xml,
            "{name}.xml"
        );
        let fixed = quote_leading_zeros(json_text);
        if fixed != json_text {
            assert!(
                read_json(kind, json_text).is_err(),
                "{name}.json has numbers with leading zeros"
            );
        }
        let from_json = read_json(kind, &fixed).unwrap_or_else(|e| panic!("{name}.json: {e}"));
        assert_eq!(
            read_json(kind, &render(&from_json, Format::Json)).unwrap(),
            from_json,
            "{name}.json"
        );
        // The two forms of one example say the same.
        assert_eq!(
            trimmed(&from_xml),
            trimmed(&from_json),
            "{name}: XML and JSON differ"
        );
    }
}

#[test]
fn the_examples_carry_what_the_spec_shows() {
    let Document::Requests(r) = xml::read(EXAMPLES[3].2).unwrap() else {
        panic!()
    };
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].service_request_id.as_deref(), Some("638344"));
    assert_eq!(r[0].status_notes.as_deref(), Some("Duplicate request."));
    assert_eq!(r[0].lat, Some(37.762_221_815));
    assert_eq!(
        r[0].requested_datetime.as_deref(),
        Some("2010-04-14T06:37:38-08:00")
    );
    assert_eq!(r[1].description, None, "an empty element is absent");
    let Document::ServiceDefinition(d) = xml::read(EXAMPLES[1].2).unwrap() else {
        panic!()
    };
    assert_eq!(d.attributes[0].values[1].name, "Chrysler");
    let Document::Errors(e) = xml::read(EXAMPLES[5].2).unwrap() else {
        panic!()
    };
    assert_eq!(e[0].code, 403);
}

#[test]
fn bad_xml_is_named() {
    assert!(
        xml::read("<services><service>")
            .unwrap_err()
            .contains("ends before every element is closed")
    );
    assert!(
        xml::read("<cases/>")
            .unwrap_err()
            .contains("root element `cases`")
    );
    assert!(
        xml::read(
            "<errors><error><code>1</code><description>a &bogus; b</description></error></errors>"
        )
        .unwrap_err()
        .contains("&bogus;")
    );
    let Document::Errors(e) =
        xml::read("<errors><error><code>400</code><description>Fish &amp; chips &#x4E2D;</description></error></errors>").unwrap()
    else {
        panic!()
    };
    assert_eq!(e[0].description, "Fish & chips 中");
    // Found by the fuzzer: `inf` is no coordinate (and JSON could not hold it).
    let Document::Requests(r) = xml::read(
        "<service_requests><request><lat>NaN</lat><long>-inf</long></request></service_requests>",
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!((r[0].lat, r[0].long), (None, None));
}

fn post(form: &str) -> Answer {
    let engine = Engine::fushan();
    post_request(
        &engine,
        PostRequest {
            form,
            id: "o311-1",
            received_at: "2026-03-06T18:30:00+08:00".parse().unwrap(),
            channel: "app",
        },
        Format::Json,
    )
}

fn errors_of(a: &Answer) -> Vec<ErrorItem> {
    let Document::Errors(e) = read_json("errors", &a.body).unwrap() else {
        panic!()
    };
    e
}

#[test]
fn a_request_with_a_point_is_taken_in_and_routed() {
    // The middle of fs-c01-g01-m1 in GCJ-02, given in WGS-84 as Open311 requires.
    let (lon, lat) = Crs::Gcj02.convert(Crs::Wgs84, 116.950_333, 35.386_125);
    let a = post(&format!(
        "api_key=k&service_code=safety_hazard&lat={lat}&long={lon}&attribute[hazard_type]=gas\
         &first_name=%E8%8A%B3&last_name=%E7%8E%8B&phone=13800001234&email=wf%40example.com\
         &account_id=acc-9&description=Smell+of+gas+in+the+stairwell&media_url=https%3A%2F%2Fx.example%2F1.jpg"
    ));
    assert_eq!(a.status, 200, "{}", a.body);
    let case = a.case.unwrap();
    assert_eq!(case.location, "fs-c01-g01-m1");
    assert_eq!(case.category, "safety_hazard");
    let r = case.reporter.unwrap();
    assert_eq!(
        r.name.as_deref(),
        Some("王芳"),
        "a Chinese name is family name first"
    );
    assert_eq!(r.email.as_deref(), Some("wf@example.com"));
    assert_eq!(case.media_url.as_deref(), Some("https://x.example/1.jpg"));
    let Document::Requests(resp) = read_json("service_requests", &a.body).unwrap() else {
        panic!()
    };
    assert_eq!(resp[0].service_request_id.as_deref(), Some("o311-1"));
    assert_eq!(resp[0].account_id.as_deref(), Some("acc-9"));
    assert!(
        resp[0]
            .service_notice
            .as_deref()
            .unwrap()
            .contains("expected by 2026-"),
        "{:?}",
        resp[0]
    );
}

#[test]
fn every_problem_is_named_in_open311_form() {
    let a = post("service_code=moon&colour=red&lat=35");
    assert_eq!(a.status, 404);
    let e = errors_of(&a);
    assert_eq!(e[0].code, 404);
    assert!(
        e[0].description
            .contains("service_code `moon` was not found; valid: party_building")
    );
    assert!(
        e.iter()
            .any(|e| e.code == 400 && e.description.contains("unknown field `colour`"))
    );
    assert!(e.iter().any(|e| {
        e.description
            .contains("lat and long must be given together")
    }));

    let e = errors_of(&post("service_code=safety_hazard&address_string=1+Main+St"));
    assert!(
        e[0].description
            .contains("address_string alone cannot place"),
        "{e:?}"
    );
    let e = errors_of(&post(
        "service_code=labour_wage&address_id=fs-c01-g01-m1&attribute[workers_unpaid]=many",
    ));
    assert!(
        e[0].description
            .contains("attribute[workers_unpaid] is `many`; it takes a number"),
        "{e:?}"
    );
    let e = errors_of(&post(
        "service_code=environment&address_id=fs-c01-g01-m1&attribute[hazard_type]=gas",
    ));
    assert!(
        e[0].description
            .contains("attribute[hazard_type] is not an attribute of service `environment`"),
        "{e:?}"
    );
    // A missing required attribute does not lose the request: it is taken in on the safe
    // side, and the notice names the Open311 field to complete.
    let a = post("service_code=safety_hazard&address_id=fs-c01-g01-m1");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body.contains("taken in incomplete")
            && a.body.contains("attribute[hazard_type] is required"),
        "{}",
        a.body
    );
    let e = errors_of(&post("service_code=environment&lat=35.0&long=116.0"));
    assert!(
        e[0].description
            .contains("is in no micro-grid; the nearest is"),
        "{e:?}"
    );
    let e = errors_of(&post(
        "service_code=environment&service_code=housing&address_id=fs-c01-g01-m1",
    ));
    assert!(
        e[0].description
            .contains("`service_code` was given more than once"),
        "{e:?}"
    );
}

#[test]
fn services_and_definitions_come_from_the_rule_set() {
    let engine = Engine::fushan();
    let s = services(&engine);
    assert_eq!(s.len(), 16);
    let hazard = s
        .iter()
        .find(|s| s.service_code == "safety_hazard")
        .unwrap();
    assert!(hazard.metadata);
    assert_eq!(hazard.group.as_deref(), Some("public_safety"));
    assert!(
        !s.iter()
            .find(|s| s.service_code == "housing")
            .unwrap()
            .metadata
    );
    let d = service_definition(&engine, "safety_hazard").unwrap();
    let codes: Vec<&str> = d.attributes.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["hazard_type", "first_noticed"]);
    assert!(d.attributes[0].required);
    assert_eq!(d.attributes[0].datatype, "singlevaluelist");
    assert_eq!(d.attributes[0].values[0].key, "gas");
    assert_eq!(d.attributes[1].order, 2);
    assert_eq!(service_definition(&engine, "moon").unwrap_err().code, 404);
}

#[test]
fn requests_filter_as_the_spec_says() {
    let engine = Engine::fushan();
    let mut ledger = Ledger::new();
    let actor = crate::access::Actor::system();
    for (i, (cat, day)) in [("environment", 2), ("housing", 3), ("environment", 20)]
        .iter()
        .enumerate()
    {
        let case: Case = serde_json::from_value(serde_json::json!({
            "id": format!("r{i}"), "channel": "app", "category": cat, "location": "fs-c01-g01-m1",
            "reported_at": format!("2026-03-{day:02}T09:00:00+08:00"),
            "reporter": {"name": "王芳", "phone": "13800001234"},
            "summary": "王芳 reports rubbish"
        }))
        .unwrap();
        engine.record_intake(&mut ledger, &actor, case).unwrap();
    }
    let now: Timestamp = "2026-03-25T00:00:00+08:00".parse().unwrap();
    let get = |q: &str| requests(&engine, &ledger, GetRequests { query: q, now });
    assert_eq!(get("").unwrap().len(), 3);
    let env = get("service_code=environment").unwrap();
    assert_eq!(env.len(), 2);
    assert_eq!(get("status=open").unwrap().len(), 2);
    let r = &env[0];
    assert_eq!(r.status.as_deref(), Some("open"));
    assert_eq!(
        r.description.as_deref(),
        Some("王* reports rubbish"),
        "personal data masked"
    );
    assert!(r.address.as_deref().unwrap().ends_with("凫山街道"));
    assert!(!r.notes.is_empty());
    assert_eq!(
        get("start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-03-10T00:00:00%2B08:00")
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get("service_request_id=r2,r0")
            .unwrap()
            .iter()
            .map(|r| r.service_request_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["r2", "r0"]
    );
    // r2 repeats r0 (same category and place) and joined it: closed, as a duplicate.
    let closed = get("status=closed").unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].service_request_id.as_deref(), Some("r2"));
    assert_eq!(
        closed[0].status_notes.as_deref(),
        Some("duplicate of request r0")
    );
    let e =
        get("status=done&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z&colour=red")
            .unwrap_err();
    let text: Vec<&str> = e.iter().map(|e| e.description.as_str()).collect();
    assert!(text.iter().any(|t| t.contains("status `done`")), "{text:?}");
    assert!(
        text.iter().any(|t| t.contains("more than 90 days")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("unknown query field `colour`")),
        "{text:?}"
    );
}

#[test]
fn a_text_attribute_is_an_open311_text_and_takes_line_breaks() {
    let mut rules: serde_json::Value = serde_json::from_str(crate::rules::default_json()).unwrap();
    rules["attributes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "code": "what_was_seen", "categories": ["environment"], "datatype": "text",
            "description": "What the resident saw, in their words."
        }));
    let engine = Engine::from_json_strs(None, Some(&rules.to_string()), None).unwrap();
    let d = service_definition(&engine, "environment").unwrap();
    let seen = d
        .attributes
        .iter()
        .find(|a| a.code == "what_was_seen")
        .unwrap();
    assert_eq!((seen.datatype.as_str(), seen.required), ("text", false));
    let a = post_request(
        &engine,
        PostRequest {
            form: "service_code=environment&address_id=fs-c01-g01-m1&attribute%5Bwhat_was_seen%5D=bags%0Aand+boxes",
            id: "t1",
            received_at: "2026-03-02T09:00:00+08:00".parse().unwrap(),
            channel: "app",
        },
        Format::Json,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.case.unwrap().attributes.get("what_was_seen"),
        Some(&AttrValue::Text("bags\nand boxes".to_owned()))
    );
}
