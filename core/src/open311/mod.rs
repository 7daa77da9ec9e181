//! Open311 GeoReport v2, both ways: the rule set's categories as services and service
//! definitions, a `POST requests` form taken in as a case, and the ledger's cases given
//! out as service requests with their public timelines (the `notes` extension), in XML
//! (the spec's required format) and JSON.
//!
//! The mapping:
//!
//! | Open311 | gridgov |
//! |---|---|
//! | `service_code`, `service_name`, `description`, `group` | a category's id, name, English name, group |
//! | `metadata`, service definition | the category's attributes (`datatype` as declared; `boolean` as a `singlevaluelist` of `true`, `false`) |
//! | `lat`, `long` (WGS-84) | the case's `point`, located on the map |
//! | `address_id` | the case's `location` (a micro-grid id) |
//! | `address_string` | kept in the summary; it cannot place a case by itself |
//! | `attribute[code]`, `attribute[code][]` | the case's attributes, typed by the rule set |
//! | `first_name`, `last_name`, `phone`, `email`, `account_id`, `device_id` | the reporter (personal data, masked in every public view) |
//! | `description`, `media_url` | the case's summary and media |
//! | `status` `open` / `closed` | a case still handled / resolved, closed, shelved or merged |
//! | `agency_responsible`, `expected_datetime` | the handling unit or office, the deadline |
//! | `lat`, `long` given out | the reported point to about 100 m, else a point inside the micro-grid's area |
//! | `notes` | the public timeline |
//!
//! Every problem with a request is answered in Open311's error form (`code`,
//! `description`): 404 for an unknown service, 400 for the rest, each naming the field
//! and what would be valid. The answers are [`Answer`]s: an HTTP status and the body, for
//! an integrator's handler to send as they are.

pub mod model;
pub mod xml;

use serde::Serialize;

use crate::case::ledger::Ledger;
use crate::case::{AttrValue, Case, CaseInput, Reporter};
use crate::engine::{Engine, ReadCaseError};
use crate::fixed::Fixed2;
use crate::rules::Datatype;
use crate::spatial::{Crs, GeoPoint};
use crate::time::Timestamp;

pub use model::{
    Attribute, AttributeValue, Document, ErrorItem, Format, Note, Service, ServiceDefinition,
    ServiceRequest,
};

/// An answer to an Open311 call: the HTTP status and the body in the requested format.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// 200, or the status of the first error (404 for an unknown service, else 400).
    pub status: u16,
    /// The document, in the requested format.
    pub body: String,
    /// For a request taken in: the case, located and checked, for the caller to record
    /// (with the authority of whoever takes it in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<Case>,
}

/// Writes a document in a format.
#[must_use]
pub fn render(doc: &Document, format: Format) -> String {
    match format {
        Format::Xml => xml::write(doc),
        Format::Json => match doc {
            Document::Services(s) => crate::text::to_json(s),
            Document::ServiceDefinition(d) => crate::text::to_json(d),
            Document::Requests(r) => crate::text::to_json(r),
            Document::Errors(e) => crate::text::to_json(e),
        },
    }
}

/// Reads a document of the given kind from JSON (`services`, `service_definition`,
/// `service_requests` or `errors`: the JSON form carries no root name).
///
/// # Errors
/// What does not parse, with its line and column.
pub fn read_json(kind: &str, json: &str) -> Result<Document, String> {
    let at = |e: serde_json::Error| {
        format!(
            "does not parse at line {}, column {}: {}",
            e.line(),
            e.column(),
            crate::text::strip_position(&e.to_string())
        )
    };
    Ok(match kind {
        "services" => Document::Services(serde_json::from_str(json).map_err(at)?),
        "service_definition" => {
            Document::ServiceDefinition(serde_json::from_str(json).map_err(at)?)
        }
        "service_requests" => Document::Requests(serde_json::from_str(json).map_err(at)?),
        "errors" => Document::Errors(serde_json::from_str(json).map_err(at)?),
        other => {
            return Err(format!(
                "unknown document kind `{}`; valid: services, service_definition, service_requests, errors",
                crate::text::truncate_for_message(other)
            ));
        }
    })
}

fn errors(list: Vec<ErrorItem>, format: Format) -> Answer {
    let status = list.first().map_or(400, |e| e.code);
    Answer {
        status,
        body: render(&Document::Errors(list), format),
        case: None,
    }
}

fn ok(doc: &Document, format: Format) -> Answer {
    Answer {
        status: 200,
        body: render(doc, format),
        case: None,
    }
}

fn bad(description: impl Into<String>) -> ErrorItem {
    ErrorItem {
        code: 400,
        description: description.into(),
    }
}

/// The services: one per category of the rule set, in its order.
#[must_use]
pub fn services(engine: &Engine) -> Vec<Service> {
    let spec = engine.rules().spec();
    spec.categories
        .iter()
        .map(|c| {
            let code = c.id.as_str();
            let mut keywords = vec![code.to_owned()];
            keywords.extend(c.name_en.clone());
            Service {
                service_code: code.to_owned(),
                service_name: Some(c.name.clone().unwrap_or_else(|| code.to_owned())),
                description: c.name_en.clone(),
                metadata: spec.attributes.iter().any(|a| a.applies_to(code)),
                kind: "realtime".to_owned(),
                keywords: Some(keywords.join(", ")),
                group: c.group.clone(),
            }
        })
        .collect()
}

fn unknown_service(engine: &Engine, code: &str) -> ErrorItem {
    ErrorItem {
        code: 404,
        description: format!(
            "service_code `{}` was not found; valid: {}",
            crate::text::truncate_for_message(code),
            engine.rules().categories().join(", ")
        ),
    }
}

/// The service definition of a category: its attributes, in the rule set's order.
///
/// # Errors
/// A 404 [`ErrorItem`] for a code that is not a category.
pub fn service_definition(engine: &Engine, code: &str) -> Result<ServiceDefinition, ErrorItem> {
    if engine.rules().category_index(code).is_none() {
        return Err(unknown_service(engine, code));
    }
    let attributes = engine
        .rules()
        .spec()
        .attributes
        .iter()
        .filter(|a| a.applies_to(code))
        .zip(1_u32..)
        .map(|(a, order)| {
            let (datatype, how, values): (&str, &str, Vec<String>) = match a.datatype {
                Datatype::String => ("string", "text without line breaks", Vec::new()),
                Datatype::Text => ("text", "text; line breaks allowed", Vec::new()),
                Datatype::Number => (
                    "number",
                    "a number with at most two decimal places",
                    Vec::new(),
                ),
                Datatype::Datetime => (
                    "datetime",
                    "a date and time with its UTC offset, e.g. 2026-03-02T09:00:00+08:00",
                    Vec::new(),
                ),
                Datatype::Singlevaluelist => (
                    "singlevaluelist",
                    "one of the listed keys",
                    a.values.iter().map(ToString::to_string).collect(),
                ),
                Datatype::Multivaluelist => (
                    "multivaluelist",
                    "any of the listed keys, each as attribute[code][]",
                    a.values.iter().map(ToString::to_string).collect(),
                ),
                Datatype::Boolean => (
                    "singlevaluelist",
                    "true or false",
                    vec!["true".to_owned(), "false".to_owned()],
                ),
            };
            Attribute {
                variable: true,
                code: a.code.to_string(),
                datatype: datatype.to_owned(),
                required: a.required,
                datatype_description: Some(how.to_owned()),
                order,
                description: a.description.clone(),
                values: values
                    .into_iter()
                    .map(|v| AttributeValue {
                        key: v.clone(),
                        name: v,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ServiceDefinition {
        service_code: code.to_owned(),
        attributes,
    })
}

/// `GET services`.
#[must_use]
pub fn services_answer(engine: &Engine, format: Format) -> Answer {
    ok(&Document::Services(services(engine)), format)
}

/// `GET services/{code}`.
#[must_use]
pub fn service_definition_answer(engine: &Engine, code: &str, format: Format) -> Answer {
    match service_definition(engine, code) {
        Ok(d) => ok(&Document::ServiceDefinition(d), format),
        Err(e) => errors(vec![e], format),
    }
}

/// The fields of a `POST requests` form that gridgov reads (others are refused by name;
/// `api_key` and `jurisdiction_id` are the integrator's to check and are passed over).
const POST_FIELDS: [&str; 15] = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "api_key",
    "jurisdiction_id",
];

/// Whether a name is written in Chinese characters (for the order of a full name).
fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What `POST requests` is asked to take in: the form (as sent,
/// `application/x-www-form-urlencoded`), the id the integrator gives the new case, the
/// time it was received (with its offset) and the channel it came through.
#[derive(Clone, Copy, Debug)]
pub struct PostRequest<'a> {
    /// The form body.
    pub form: &'a str,
    /// The new case's id (the `service_request_id` answered).
    pub id: &'a str,
    /// When the request was received: the case's `reported_at`.
    pub received_at: Timestamp,
    /// The channel (`app` in the Fushan rule set).
    pub channel: &'a str,
}

/// `POST requests`: a form taken in as a case, located (from `lat`/`long` or
/// `address_id`), checked against the rule set and routed. On success the answer is 200
/// with the new request's id and a notice (where it went and by when), and carries the
/// case for the caller to record; otherwise it lists every problem in Open311's form.
#[must_use]
pub fn post_request(engine: &Engine, request: PostRequest<'_>, format: Format) -> Answer {
    match read_post(engine, request) {
        Ok((case, notice, account)) => Answer {
            status: 200,
            body: render(
                &Document::Requests(vec![ServiceRequest {
                    service_request_id: Some(case.id.to_string()),
                    service_notice: Some(notice),
                    account_id: account,
                    ..ServiceRequest::default()
                }]),
                format,
            ),
            case: Some(case),
        },
        Err(list) => errors(list, format),
    }
}

/// The form's fields, every problem with them listed.
fn read_post(
    engine: &Engine,
    request: PostRequest<'_>,
) -> Result<(Case, String, Option<String>), Vec<ErrorItem>> {
    let mut problems: Vec<ErrorItem> = Vec::new();
    let mut fields: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut attributes: Vec<(String, String, bool)> = Vec::new();
    for (key, value) in form_urlencoded::parse(request.form.as_bytes()) {
        let key = key.into_owned();
        let value = value.into_owned();
        if let Some(rest) = key.strip_prefix("attribute[") {
            let (code, list) = match rest.strip_suffix("][]") {
                Some(code) => (code, true),
                None => match rest.strip_suffix(']') {
                    Some(code) => (code, false),
                    None => {
                        problems.push(bad(format!(
                            "`{}` is not an attribute field; write attribute[code]=value, or attribute[code][]=value for each value of a multivaluelist",
                            crate::text::truncate_for_message(&key)
                        )));
                        continue;
                    }
                },
            };
            attributes.push((code.to_owned(), value, list));
        } else if !POST_FIELDS.contains(&key.as_str()) {
            problems.push(bad(format!(
                "unknown field `{}`; the fields of a service request are {}, and attribute[code]",
                crate::text::truncate_for_message(&key),
                POST_FIELDS.join(", ")
            )));
        } else {
            match fields.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    problems.push(bad(format!(
                        "`{}` was given more than once; give it once",
                        e.key()
                    )));
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(value);
                }
            }
        }
    }
    let field = |k: &str| fields.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());

    let category = match field("service_code") {
        None => {
            problems.push(bad(
                "service_code was not provided; give one of GET services",
            ));
            None
        }
        Some(code) if engine.rules().category_index(code).is_none() => {
            problems.insert(0, unknown_service(engine, code));
            None
        }
        Some(code) => Some(code.to_owned()),
    };

    // Where: lat/long (WGS-84), or address_id (a micro-grid), or both.
    let number = |k: &str, problems: &mut Vec<ErrorItem>| -> Option<f64> {
        let v = field(k)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                problems.push(bad(format!(
                    "`{k}` is `{}`, not a number of degrees",
                    crate::text::truncate_for_message(v)
                )));
                None
            }
        }
    };
    let lat = number("lat", &mut problems);
    let long = number("long", &mut problems);
    let point = match (lat, long, field("lat"), field("long")) {
        (Some(lat), Some(lon), _, _) => Some(GeoPoint {
            lon,
            lat,
            crs: Crs::Wgs84,
        }),
        (_, _, Some(_), None) | (_, _, None, Some(_)) => {
            problems.push(bad("lat and long must be given together (WGS-84 degrees)"));
            None
        }
        _ => None,
    };
    let address_id = field("address_id").map(str::to_owned);
    if point.is_none() && address_id.is_none() && field("lat").is_none() && field("long").is_none()
    {
        problems.push(bad(if field("address_string").is_some() {
            "address_string alone cannot place the request in a micro-grid; give lat and long, or address_id (a micro-grid id)"
        } else {
            "no location was provided; give lat and long (WGS-84), or address_id (a micro-grid id)"
        }));
    }

    // Attributes, typed by the rule set.
    let mut values = crate::case::Attributes::new();
    if let Some(category) = &category {
        let declared: Vec<&crate::rules::AttributeSpec> = engine
            .rules()
            .spec()
            .attributes
            .iter()
            .filter(|a| a.applies_to(category))
            .collect();
        for (code, value, list) in attributes {
            let Some(spec) = declared.iter().find(|a| a.code.as_str() == code) else {
                let valid: Vec<&str> = declared.iter().map(|a| a.code.as_str()).collect();
                problems.push(bad(format!(
                    "attribute[{}] is not an attribute of service `{category}`; its attributes are {}",
                    crate::text::truncate_for_message(&code),
                    if valid.is_empty() { "none".to_owned() } else { valid.join(", ") }
                )));
                continue;
            };
            let typed = match spec.datatype {
                Datatype::Multivaluelist => match values.remove(&code) {
                    Some(AttrValue::List(mut l)) => {
                        l.push(value);
                        Some(AttrValue::List(l))
                    }
                    _ => Some(AttrValue::List(vec![value])),
                },
                _ if list => {
                    problems.push(bad(format!(
                        "attribute[{code}][] gives a list, but attribute {code} takes one value; write attribute[{code}]=value"
                    )));
                    None
                }
                Datatype::Number => match value.trim().parse::<Fixed2>() {
                    Ok(n) => Some(AttrValue::Number(n)),
                    Err(_) => {
                        problems.push(bad(format!(
                            "attribute[{code}] is `{}`; it takes a number with at most two decimal places",
                            crate::text::truncate_for_message(&value)
                        )));
                        None
                    }
                },
                Datatype::Boolean => match value.trim() {
                    "true" => Some(AttrValue::Bool(true)),
                    "false" => Some(AttrValue::Bool(false)),
                    other => {
                        problems.push(bad(format!(
                            "attribute[{code}] is `{}`; it takes true or false",
                            crate::text::truncate_for_message(other)
                        )));
                        None
                    }
                },
                _ => Some(AttrValue::Text(value)),
            };
            if let Some(t) = typed {
                if values.contains_key(&code) && !matches!(t, AttrValue::List(_)) {
                    problems.push(bad(format!(
                        "attribute[{code}] was given more than once; give it once"
                    )));
                } else {
                    values.insert(code, t);
                }
            }
        }
    }

    let Some(category) = category else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }

    let name = match (field("first_name"), field("last_name")) {
        (Some(f), Some(l)) if is_cjk(f) || is_cjk(l) => Some(format!("{l}{f}")),
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(n), None) | (None, Some(n)) => Some(n.to_owned()),
        (None, None) => None,
    };
    let reporter = Reporter {
        name: name.map(arcstr::ArcStr::from),
        phone: field("phone").map(arcstr::ArcStr::from),
        id_number: None,
        email: field("email").map(arcstr::ArcStr::from),
        account_id: field("account_id").map(arcstr::ArcStr::from),
        device_id: field("device_id").map(arcstr::ArcStr::from),
    };
    let has_reporter = reporter != Reporter::default();
    let summary = match (field("description"), field("address_string")) {
        (Some(d), Some(a)) => Some(format!("{d}\n(address: {a})")),
        (Some(d), None) => Some(d.to_owned()),
        (None, Some(a)) => Some(format!("(address: {a})")),
        (None, None) => None,
    };
    let fail = |field: &str, reason: String| vec![bad(format!("{field}: {reason}"))];
    let input = CaseInput {
        id: crate::id::CaseId::new(request.id)
            .map_err(|e| fail("service_request_id", e.to_string()))?,
        channel: crate::id::Channel::new(request.channel)
            .map_err(|e| fail("channel", e.to_string()))?,
        category: crate::id::Category::new(category.as_str())
            .map_err(|e| fail("service_code", e.to_string()))?,
        location: match &address_id {
            Some(a) => Some(
                crate::id::UnitId::new(a.as_str())
                    .map_err(|e| fail("address_id", e.to_string()))?,
            ),
            None => None,
        },
        point,
        media_url: field("media_url").map(str::to_owned),
        people_involved: 1,
        amount_yuan: Fixed2::default(),
        repeat_count: 0,
        risk_flags: Vec::new(),
        attributes: values,
        reported_at: request.received_at,
        reporter: has_reporter.then_some(reporter),
        summary,
    };
    let case = engine.place_case(input).map_err(|e| match e {
        ReadCaseError::Locate(l) => vec![bad(format!("lat/long: {l}"))],
        ReadCaseError::Case(c) => case_errors(&c),
    })?;
    // A request with attributes missing or wrong is taken in on the safe side, and the
    // notice says what is to be completed; one that cannot be placed is refused.
    let decision = engine.route_or_take_in(&case).map_err(|e| match e {
        crate::route::RouteError::Case(c) => case_errors(&c),
        other => vec![bad(other.to_string())],
    })?;
    let unit = decision
        .unit
        .as_ref()
        .and_then(|u| engine.org().unit(u.as_str()))
        .map(|u| u.name.clone())
        .or_else(|| {
            decision
                .office
                .as_ref()
                .and_then(|o| engine.org().office(o.as_str()))
                .map(|o| o.name.clone())
        })
        .unwrap_or_default();
    let mut notice = format!(
        "{unit} ({}) handles it within {}; expected by {}",
        decision.level.as_str(),
        decision.time_limit,
        decision.due
    );
    if !decision.extras.incomplete.is_empty() {
        let missing: Vec<String> = decision
            .extras
            .incomplete
            .iter()
            .map(|m| format!("{} {}", open311_field(&m.field), m.reason))
            .collect();
        notice.push_str(&format!(
            "; taken in incomplete and handled on the safe side until completed: {}",
            missing.join("; ")
        ));
    }
    let account = case
        .reporter
        .as_ref()
        .and_then(|r| r.account_id.as_deref().map(str::to_owned));
    Ok((case, notice, account))
}

/// A case's problems as Open311 errors, naming the Open311 field where there is one.
fn case_errors(e: &crate::case::CaseError) -> Vec<ErrorItem> {
    if e.problems().is_empty() {
        return vec![bad(e.to_string())];
    }
    e.problems()
        .iter()
        .map(|p| bad(format!("{}: {}", open311_field(&p.field), p.reason)))
        .collect()
}

/// The Open311 name of a case's field.
fn open311_field(field: &str) -> String {
    match field {
        "category" => "service_code".to_owned(),
        "location" => "address_id".to_owned(),
        "summary" => "description".to_owned(),
        f => match f.strip_prefix("attributes.") {
            Some(code) => format!("attribute[{code}]"),
            None => f.replace("reporter.", ""),
        },
    }
}

/// What `GET requests` is asked: the query string as sent (`service_request_id`,
/// `service_code`, `start_date`, `end_date`, `status`, each comma-separated where the
/// spec allows), and the time now (for the default range of the last 90 days).
#[derive(Clone, Copy, Debug)]
pub struct GetRequests<'a> {
    /// The query string, without the `?`.
    pub query: &'a str,
    /// Now, for the default range.
    pub now: Timestamp,
}

/// At most this many requests are answered (the spec's default volume).
pub const MAX_REQUESTS: usize = 1000;

/// `GET requests` (and `GET requests/{id}` with `service_request_id=id`): the ledger's
/// cases as service requests, as the public sees them (personal data masked, the point
/// to about 100 m), with their public timelines as `notes`, oldest first. Filters as the
/// spec's: `service_request_id` (overrides the others), `service_code`, `start_date` and
/// `end_date` on the requested time (at most 90 days apart; the last 90 days when
/// neither is given), `status` (`open`, `closed`); at most 1000 requests.
#[must_use]
pub fn get_requests(
    engine: &Engine,
    ledger: &Ledger,
    get: GetRequests<'_>,
    format: Format,
) -> Answer {
    match requests(engine, ledger, get) {
        Ok(list) => ok(&Document::Requests(list), format),
        Err(list) => errors(list, format),
    }
}

fn split(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The service requests a query selects.
///
/// # Errors
/// The query's problems, as Open311 errors.
pub fn requests(
    engine: &Engine,
    ledger: &Ledger,
    get: GetRequests<'_>,
) -> Result<Vec<ServiceRequest>, Vec<ErrorItem>> {
    const DAY: i64 = 86_400;
    let mut problems = Vec::new();
    let mut ids: Option<Vec<String>> = None;
    let mut codes: Option<Vec<String>> = None;
    let mut statuses: Option<Vec<String>> = None;
    let mut start: Option<Timestamp> = None;
    let mut end: Option<Timestamp> = None;
    for (key, value) in form_urlencoded::parse(get.query.as_bytes()) {
        let time = |problems: &mut Vec<ErrorItem>| match value.trim().parse::<Timestamp>() {
            Ok(t) => Some(t),
            Err(_) => {
                problems.push(bad(format!(
                    "{key} is `{}`; give a W3C date and time with its offset, e.g. 2026-03-01T00:00:00+08:00",
                    crate::text::truncate_for_message(&value)
                )));
                None
            }
        };
        match key.as_ref() {
            "service_request_id" => ids.get_or_insert_with(Vec::new).extend(split(&value)),
            "service_code" => codes.get_or_insert_with(Vec::new).extend(split(&value)),
            "status" => {
                let list = split(&value);
                for s in &list {
                    if s != "open" && s != "closed" {
                        problems.push(bad(format!(
                            "status `{}` is not a status; valid: open, closed",
                            crate::text::truncate_for_message(s)
                        )));
                    }
                }
                statuses.get_or_insert_with(Vec::new).extend(list);
            }
            "start_date" => start = time(&mut problems),
            "end_date" => end = time(&mut problems),
            "jurisdiction_id" | "api_key" | "extensions" => {}
            other => problems.push(bad(format!(
                "unknown query field `{}`; valid: service_request_id, service_code, start_date, end_date, status",
                crate::text::truncate_for_message(other)
            ))),
        }
    }
    if let Some(codes) = &codes {
        for c in codes {
            if engine.rules().category_index(c).is_none() {
                problems.push(unknown_service(engine, c));
            }
        }
    }
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => (s.unix(), e.unix()),
        (Some(s), None) => (s.unix(), s.unix() + 90 * DAY),
        (None, Some(e)) => (e.unix() - 90 * DAY, e.unix()),
        (None, None) => (get.now.unix() - 90 * DAY, get.now.unix()),
    };
    if to - from > 90 * DAY {
        problems.push(bad(
            "start_date and end_date may not span more than 90 days",
        ));
    }
    if to < from {
        problems.push(bad("end_date is before start_date"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let org = engine.org();
    let mut out = Vec::new();
    let states = ledger.state().cases();
    let chosen: Vec<&crate::case::ledger::CaseState> = match &ids {
        Some(ids) => ids.iter().filter_map(|id| ledger.case(id)).collect(),
        None => states
            .iter()
            .filter(|s| {
                let t = s.case.reported_at.unix();
                t >= from && t <= to
            })
            .filter(|s| {
                codes
                    .as_ref()
                    .is_none_or(|c| c.iter().any(|c| c == s.category.as_str()))
            })
            .filter(|s| {
                statuses.as_ref().is_none_or(|st| {
                    let open = if s.status.is_open() { "open" } else { "closed" };
                    st.iter().any(|x| x == open)
                })
            })
            .collect(),
    };
    for s in chosen.into_iter().take(MAX_REQUESTS) {
        out.push(request_of(engine, ledger, s, org));
    }
    Ok(out)
}

/// One case as the public sees it.
fn request_of(
    engine: &Engine,
    ledger: &Ledger,
    s: &crate::case::ledger::CaseState,
    org: &crate::org::OrgGraph,
) -> ServiceRequest {
    use crate::case::ledger::Status;
    let public = crate::case::timeline::redact_case(&s.case);
    let category = engine
        .rules()
        .spec()
        .categories
        .iter()
        .find(|c| c.id.as_str() == s.category.as_str());
    let assignment = s.assignment.as_deref();
    let agency = assignment.and_then(|a| {
        a.office
            .as_ref()
            .and_then(|o| org.office(o.as_str()))
            .map(|o| o.name.clone())
            .or_else(|| {
                a.unit
                    .as_ref()
                    .and_then(|u| org.unit(u.as_str()))
                    .map(|u| u.name.clone())
            })
    });
    let status_notes = match s.status {
        Status::Merged => s
            .extras
            .merged_into
            .as_ref()
            .map(|m| format!("duplicate of request {m}")),
        Status::Shelved => s.extras.shelved.as_ref().map(|e| {
            let names = s.case.reporter_names();
            format!("shelved: {}", crate::case::timeline::mask_text(e, &names))
        }),
        other => Some(other.as_str().to_owned()),
    };
    let address = org.unit(s.location.as_str()).map(|u| {
        std::iter::once(u)
            .chain(org.ancestors(s.location.as_str()).unwrap_or_default())
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    // The reported point (to about 100 m in public), else a point inside the location's
    // area on the map, both in WGS-84 as the spec wants.
    let point = public
        .point
        .map(|p| p.to_crs(Crs::Wgs84).coarse())
        .or_else(|| {
            let map = org.map()?;
            let key = org.key(s.location.as_str())?;
            let micro = org
                .unit_at_level_key(key, crate::org::Level::MicroGrid)
                .unwrap_or(key);
            let (x, y) = crate::spatial::representative_point(map.area_of(micro.index() as u32)?);
            let (lon, lat) = map.crs().convert(Crs::Wgs84, x, y);
            Some(
                GeoPoint {
                    lon,
                    lat,
                    crs: Crs::Wgs84,
                }
                .rounded6(),
            )
        });
    let notes = crate::case::timeline::timeline(ledger, org, s.case.id.as_str(), true)
        .unwrap_or_default()
        .into_iter()
        .map(|e| Note {
            datetime: Some(e.at.to_string()),
            description: Some(e.label.to_owned()),
            kind: Some(e.kind.to_owned()),
        })
        .collect();
    ServiceRequest {
        service_request_id: Some(s.case.id.to_string()),
        status: Some(if s.status.is_open() { "open" } else { "closed" }.to_owned()),
        status_notes,
        service_name: category.and_then(|c| c.name.clone()),
        service_code: Some(s.category.to_string()),
        description: public.summary.as_deref().map(str::to_owned),
        agency_responsible: agency,
        service_notice: assignment.map(|a| format!("within {}", a.time_limit)),
        requested_datetime: Some(s.case.reported_at.to_string()),
        updated_datetime: Some(s.last_at.to_string()),
        expected_datetime: assignment.map(|a| a.due.to_string()),
        address,
        address_id: Some(s.location.to_string()),
        lat: point.map(|p| p.lat),
        long: point.map(|p| p.lon),
        media_url: s.case.media_url.as_deref().map(str::to_owned),
        notes,
        ..ServiceRequest::default()
    }
}

#[cfg(test)]
mod tests;
