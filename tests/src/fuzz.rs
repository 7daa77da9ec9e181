//! The bodies of the fuzz targets (`fuzz/`, run by `fuzz/run.sh` with nightly), shared with
//! the regression test that replays every saved input (`tests/tests/fuzz_regressions.rs`,
//! on stable, in CI). Each takes arbitrary bytes; beyond "no panic" it checks what must
//! hold of whatever was accepted.

use std::sync::LazyLock;

use gridgov::calendar::Calendar;
use gridgov::case::ledger::Ledger;
use gridgov::{Case, Engine, OrgGraph, RuleSet, TimeLimit, Timestamp};

static FUSHAN: LazyLock<Engine> = LazyLock::new(Engine::fushan);

/// The body of a fuzz target.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, for the regression test.
pub const TARGETS: [(&str, Target); 10] = [
    ("org_spec", org_spec),
    ("rule_set", rule_set),
    ("calendar", calendar),
    ("case", case),
    ("ledger_events", ledger_events),
    ("csv_table", csv_table),
    ("open311_form", open311_form),
    ("open311_document", open311_document),
    ("locate", locate),
    ("arrow_ipc", arrow_ipc),
];

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// An org spec: whatever builds answers its queries consistently.
pub fn org_spec(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(org) = OrgGraph::from_json_str(s) else {
        return;
    };
    let summary = gridgov::json::org_summary_json(&org);
    assert!(serde_json::from_str::<serde_json::Value>(&summary).is_ok());
    for unit in org.units().take(64) {
        let id = unit.id.as_str();
        let ancestors = org.ancestors(id).unwrap_or_default();
        for a in &ancestors {
            assert_eq!(
                org.contains(a.id.as_str(), id),
                Ok(true),
                "{} contains {id}",
                a.id
            );
        }
        assert_eq!(org.contains(id, id), Ok(true));
    }
    let _ = gridgov::json::org_tree_json(&org);
}

/// A rule set: validation always answers in JSON; a rule set that reads either fits the
/// Fushan organisation and routes, or is refused with a reason.
pub fn rule_set(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let report = gridgov::json::validate_rules_json(s);
    assert!(serde_json::from_str::<serde_json::Value>(&report).is_ok());
    let Ok(rules) = RuleSet::from_json_str(s) else {
        return;
    };
    let Ok(engine) = FUSHAN.with_rules(rules) else {
        return;
    };
    for case in sample_cases() {
        if let Ok(d) = engine.route(&case) {
            assert!(d.due() >= case.reported_at);
            let _ = d.to_json();
        }
    }
}

/// A calendar: every deadline it counts is at or after its start.
pub fn calendar(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(cal) = Calendar::from_json_str(s) else {
        return;
    };
    let limits = ["4 working hours", "3 working days", "48 hours", "30 days"];
    for start in ["2025-09-30T16:00:00+08:00", "2026-02-14T23:59:00+08:00"] {
        let Ok(start) = start.parse::<Timestamp>() else {
            continue;
        };
        for limit in limits {
            let Ok(limit) = limit.parse::<TimeLimit>() else {
                continue;
            };
            if let Ok(due) = cal.deadline(start, limit) {
                assert!(due >= start, "{due} before {start} for {limit}");
            }
        }
    }
}

/// A case: it routes on the Fushan default or is refused; a decision is due after the
/// report and writes valid JSON.
pub fn case(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(out) = gridgov::json::route_json(&FUSHAN, s) {
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }
    // What the lean per-call path (its hand-written reader, its case-free decision) takes,
    // the full reader reads and decides the same, byte for byte.
    if let Some(text) = gridgov::lean::CaseText::from_json_str(s) {
        assert_eq!(
            Some(text.clone()),
            serde_json::from_str::<gridgov::lean::CaseText<'_>>(s).ok(),
            "the lean reader and serde_json read {s:?} differently"
        );
        if let Some(lean) = FUSHAN.route_text_json(&text, false) {
            let full = Case::from_json_str(s)
                .ok()
                .and_then(|case| FUSHAN.route(&case).ok().map(|d| d.to_json()));
            assert_eq!(Some(lean), full, "{s:?}");
        }
    }
    if let Ok(case) = Case::from_json_str(s) {
        if let Ok(d) = FUSHAN.route(&case) {
            assert!(d.due() >= case.reported_at);
        }
    }
}

/// Ledger events (a JSON array): each is appended or refused; a refused event leaves the
/// ledger as it was, and the ledger replays to the same state.
pub fn ledger_events(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(events) = serde_json::from_str::<Vec<serde_json::Value>>(s) else {
        let _ = Ledger::from_json_str(s);
        return;
    };
    let mut ledger = Ledger::new();
    for event in events.iter().take(256) {
        let before = ledger.state().to_json();
        let len = ledger.len();
        if ledger.append_json_str(&event.to_string()).is_err() {
            assert_eq!(ledger.len(), len);
            assert_eq!(ledger.state().to_json(), before);
        }
    }
    let replayed = Ledger::from_json_str(&ledger.to_json());
    assert!(replayed.is_ok(), "an accepted ledger replays");
    if let Ok(r) = replayed {
        assert_eq!(r.state().to_json(), ledger.state().to_json());
    }
    let _ = gridgov::json::overdue_json(&FUSHAN, &ledger, "2026-03-20T09:00:00+08:00");
    let _ = gridgov::json::actions_json(&FUSHAN, &ledger, "2026-03-20T09:00:00+08:00");
}

/// A CSV table, read as cases and as outcomes: routed cases give one decision line per
/// record; outcomes that read are scored or refused.
pub fn csv_table(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(out) = gridgov::batch::route_csv(&FUSHAN, s) {
        assert!(out.starts_with("case,version,"));
    }
    if let Ok(rows) = gridgov::score::outcomes_from_csv(s) {
        if let Ok(table) = FUSHAN.compile_outcomes(&rows, &[], &[]) {
            if let Some(month) = gridgov::score::Month::new(2026, 3) {
                let _ = FUSHAN.score(&table, &gridgov::score::ScoreOptions::new(month));
            }
        }
    }
}

/// Arrow IPC bytes as the WebAssembly package's `routeArrow` receives them: routed or
/// refused with a `table` (or a row's) error, never a panic; what is routed comes back as
/// an IPC stream that reads again.
pub fn arrow_ipc(data: &[u8]) {
    use gridgov::arrow::{ErrorMode, ipc};
    match ipc::route_ipc(&FUSHAN, data, ErrorMode::Column) {
        Ok(out) => {
            let read = ipc::read_ipc(&out, "decisions");
            assert!(read.is_ok(), "the decisions read back: {:?}", read.err());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let _ = ipc::route_ipc(&FUSHAN, data, ErrorMode::Raise);
}

fn sample_cases() -> Vec<Case> {
    [
        r#"{"id":"f1","channel":"hotline","category":"neighbour_dispute","location":"fs-c01-g02-m1","reported_at":"2026-03-02T09:15:00+08:00","people_involved":3}"#,
        r#"{"id":"f2","channel":"app","category":"property_crime","location":"fs-c05-g01-m1","reported_at":"2025-12-31T23:59:00+08:00"}"#,
        r#"{"id":"f3","channel":"petition","category":"labour_wage","location":"fs-c03-g02-m2","reported_at":"2026-10-01T08:00:00+08:00","people_involved":40,"amount_yuan":"250000"}"#,
    ]
    .iter()
    .filter_map(|s| Case::from_json_str(s).ok())
    .collect()
}

/// An Open311 `POST requests` form, as a reporting system might send it: the answer is
/// always 200, 400 or 404 with a body that reads back in its format, and a request taken
/// in carries a case that routes.
pub fn open311_form(data: &[u8]) {
    use gridgov::open311::{self, Document, Format, PostRequest};
    let Some(form) = text(data) else { return };
    let received_at: Timestamp = "2026-03-02T09:00:00+08:00"
        .parse()
        .unwrap_or_else(|_| unreachable!());
    for format in [Format::Json, Format::Xml] {
        let answer = open311::post_request(
            &FUSHAN,
            PostRequest {
                form,
                id: "f1",
                received_at,
                channel: "app",
            },
            format,
        );
        assert!(
            [200, 400, 404].contains(&answer.status),
            "status {}",
            answer.status
        );
        let doc = match format {
            Format::Json => open311::read_json(
                if answer.status == 200 {
                    "service_requests"
                } else {
                    "errors"
                },
                &answer.body,
            ),
            Format::Xml => open311::xml::read(&answer.body),
        };
        match doc {
            Ok(Document::Requests(r)) => {
                assert_eq!(answer.status, 200);
                assert_eq!(r.len(), 1);
                let case = answer
                    .case
                    .as_ref()
                    .unwrap_or_else(|| unreachable!("a 200 has its case"));
                assert!(FUSHAN.route(case).is_ok(), "a case taken in routes");
            }
            Ok(Document::Errors(e)) => assert!(!e.is_empty() && answer.status != 200),
            other => unreachable!("the answer reads back: {other:?}"),
        }
    }
}

/// A GeoReport v2 document of another system, XML or JSON: whatever reads writes out and
/// reads back the same.
pub fn open311_document(data: &[u8]) {
    use gridgov::open311::{self, Format};
    let Some(s) = text(data) else { return };
    if let Ok(doc) = open311::xml::read(s) {
        let again = open311::xml::read(&open311::render(&doc, Format::Xml));
        assert_eq!(again.as_ref().ok(), Some(&doc), "XML round trip");
    }
    for kind in [
        "services",
        "service_definition",
        "service_requests",
        "errors",
    ] {
        if let Ok(doc) = open311::read_json(kind, s) {
            let again = open311::read_json(kind, &open311::render(&doc, Format::Json));
            assert_eq!(again.as_ref().ok(), Some(&doc), "JSON round trip");
        }
    }
}

/// Points as pairs of 8-byte floats (any bits, NaN and infinities included), in each
/// coordinate system: one by one and as columns, the same micro-grids, never a panic.
pub fn locate(data: &[u8]) {
    use gridgov::spatial::Crs;
    let org = FUSHAN.org();
    let mut lons = Vec::new();
    let mut lats = Vec::new();
    for chunk in data.chunks_exact(16) {
        let (a, b) = chunk.split_at(8);
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            continue;
        };
        // Half the points near Fushan, so that most land somewhere.
        let (x, y) = (f64::from_le_bytes(a), f64::from_le_bytes(b));
        let near = |v: f64, base: f64| {
            if v.is_finite() {
                base + v.fract() * 0.05
            } else {
                v
            }
        };
        if lons.len() % 2 == 0 {
            lons.push(near(x, 116.95));
            lats.push(near(y, 35.38));
        } else {
            lons.push(x);
            lats.push(y);
        }
    }
    for crs in Crs::ALL {
        let all = org.locate_all(&lons, &lats, crs).unwrap_or_default();
        assert_eq!(all.len(), lons.len());
        for ((&x, &y), &m) in lons.iter().zip(&lats).zip(&all) {
            let one = org.locate_key(x, y, crs).ok().map(|k| k.index());
            let micro = usize::try_from(m)
                .ok()
                .and_then(|m| org.units_of_kind(gridgov::UnitKind::MicroGrid).nth(m));
            assert_eq!(
                one.and_then(|k| org.unit_by_key_index(u32::try_from(k).unwrap_or(u32::MAX)))
                    .map(|u| &u.id),
                micro.map(|u| &u.id)
            );
        }
    }
}
