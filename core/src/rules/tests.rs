//! Rule-set tests: one small bad document per validation rule (asserting the code and the
//! location), the warnings, and checking cases against the vocabularies.

use serde_json::{Value, json};

use super::*;

fn base() -> Value {
    json!({
        "format": 1,
        "name": "t",
        "categories": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "grades": [{"id": "low"}, {"id": "high"}, {"id": "grave"}],
        "risk_flags": [{"id": "x"}, {"id": "y"}],
        "flags": [{"id": "urgent"}],
        "attributes": [
            {"code": "kind", "categories": ["a"], "datatype": "singlevaluelist", "values": ["p", "q"], "required": true},
            {"code": "size", "datatype": "number"},
            {"code": "note", "datatype": "string"},
            {"code": "tags", "datatype": "multivaluelist", "values": ["t1", "t2"]},
            {"code": "seen", "datatype": "datetime"},
            {"code": "ok", "datatype": "boolean"}
        ],
        "versions": [{
            "name": "v1",
            "effective_from": "2026-01-01",
            "tables": [{
                "id": "routing",
                "hit_policy": "first",
                "inputs": ["category", "people_involved"],
                "outputs": ["grade", "level", "role", "office", "time_limit", "flags"],
                "rows": [
                    {"id": "big", "when": ["-", ">= 10"], "then": ["high", "community", "committee_member", "", "5 working days", "urgent"], "why": "big"},
                    {"id": "a", "when": ["a", "< 10"], "then": ["low", "grid", "grid_worker", "", "3 working days", ""], "why": "a small"},
                    {"id": "rest", "when": ["-", "-"], "then": ["low", "grid", "grid_worker", "", "3 working days", ""], "why": "rest"}
                ]
            }]
        }]
    })
}

fn compile_value(v: &Value) -> Result<RuleSet, RuleError> {
    RuleSet::from_json_str(&v.to_string())
}

fn errors(v: &Value) -> Vec<RuleProblem> {
    match compile_value(v) {
        Ok(_) => panic!("rule set should be rejected"),
        Err(e) => e.problems().to_vec(),
    }
}

/// Exactly one error with this code; returns it.
fn only_error(v: &Value, code: &str) -> RuleProblem {
    let es = errors(v);
    assert_eq!(es.len(), 1, "expected one error, got {es:#?}");
    assert_eq!(es[0].code, code, "{}", es[0]);
    es[0].clone()
}

fn warnings(v: &Value) -> Vec<RuleProblem> {
    compile_value(v).unwrap().warnings().to_vec()
}

fn table(v: &mut Value) -> &mut Value {
    &mut v["versions"][0]["tables"][0]
}

fn rows(v: &mut Value) -> &mut Vec<Value> {
    table(v)["rows"].as_array_mut().unwrap()
}

#[test]
fn base_is_valid_without_warnings() {
    let r = compile_value(&base()).unwrap();
    assert!(r.warnings().is_empty(), "{:#?}", r.warnings());
    assert_eq!(r.categories(), ["a", "b", "c"]);
    assert_eq!(
        r.flags(),
        ["joint_consultation", "long_term_mechanism", "urgent"]
    );
}

#[test]
fn parse_errors_have_line_and_column() {
    let err = RuleSet::from_json_str("{\n  \"format\": 1,\n  \"name\": \"x\",,\n}").unwrap_err();
    assert_eq!(err.code(), "rules_parse");
    match err {
        RuleError::Parse { line, .. } => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
    let mut v = base();
    table(&mut v)["colour"] = json!("red");
    let err = compile_value(&v).unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    let report = RuleSet::validate_json_str("[");
    assert_eq!(report.errors[0].code, "rules_parse");
}

#[test]
fn unsupported_format() {
    let mut v = base();
    v["format"] = json!(7);
    only_error(&v, "unsupported_format");
}

#[test]
fn duplicates_everywhere() {
    let mut v = base();
    v["categories"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "a"}));
    let e = only_error(&v, "duplicate");
    assert_eq!(e.message, "category `a` is declared twice");

    let mut v = base();
    v["flags"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "joint_consultation"}));
    assert!(only_error(&v, "duplicate").message.contains("built in"));

    let mut v = base();
    rows(&mut v).push(
        json!({"id": "rest", "when": ["-", "-"], "then": ["", "", "", "", "", ""], "why": "again"}),
    );
    let e = errors(&v);
    assert!(
        e.iter()
            .any(|p| p.code == "duplicate" && p.location.row.as_deref() == Some("rest"))
    );

    let mut v = base();
    table(&mut v)["inputs"] = json!(["category", "category"]);
    for r in rows(&mut v) {
        r["when"] = json!(["-", "-"]);
    }
    let e = only_error(&v, "duplicate");
    assert_eq!(e.location.column.as_deref(), Some("category"));

    let mut v = base();
    let version = v["versions"][0].clone();
    let mut second = version.clone();
    second["effective_from"] = json!("2026-06-01");
    v["versions"] = json!([version, second]);
    only_error(&v, "duplicate");
}

#[test]
fn empty_vocabularies_and_versions() {
    let mut v = base();
    v["categories"] = json!([]);
    let es = errors(&v);
    assert!(es.iter().any(|p| p.code == "no_categories"), "{es:#?}");
    let mut v = base();
    v["versions"] = json!([]);
    only_error(&v, "no_versions");
}

#[test]
fn too_many_risk_flags() {
    let mut v = base();
    v["risk_flags"] = Value::Array((0..65).map(|i| json!({"id": format!("f{i}")})).collect());
    only_error(&v, "too_many");
}

#[test]
fn attribute_rules() {
    let mut v = base();
    v["attributes"][0]["values"] = json!([]);
    let e = only_error(&v, "bad_attribute");
    assert_eq!(e.location.column.as_deref(), Some("attr.kind"));
    let mut v = base();
    v["attributes"][1]["values"] = json!(["p"]);
    only_error(&v, "bad_attribute");
    let mut v = base();
    v["attributes"][0]["categories"] = json!(["zzz"]);
    let e = only_error(&v, "unknown_value");
    assert!(e.message.contains("unknown category `zzz`"), "{e}");
}

#[test]
fn versions_must_be_in_date_order() {
    let mut v = base();
    let mut later = v["versions"][0].clone();
    later["name"] = json!("v0");
    later["effective_from"] = json!("2025-06-01");
    v["versions"].as_array_mut().unwrap().push(later);
    let e = only_error(&v, "version_order");
    assert_eq!(e.location.version.as_deref(), Some("v0"));
}

#[test]
fn unknown_columns() {
    let mut v = base();
    table(&mut v)["inputs"] = json!(["category", "peoples"]);
    let e = only_error(&v, "unknown_column");
    assert_eq!(e.location.column.as_deref(), Some("peoples"));
    assert!(e.message.contains("attr.kind"), "{e}");
    let mut v = base();
    table(&mut v)["outputs"] = json!(["grade", "level", "role", "office", "deadline", "flags"]);
    let e = only_error(&v, "unknown_column");
    assert!(
        e.message
            .contains("`deadline` is not a valid output column"),
        "{e}"
    );
}

#[test]
fn row_width() {
    let mut v = base();
    rows(&mut v)[1]["when"] = json!(["a"]);
    let e = only_error(&v, "row_width");
    assert_eq!(e.location.row.as_deref(), Some("a"));
    assert_eq!(
        e.to_string(),
        "version `v1`, table `routing`, row `a`: the row has 1 `when` cells and 6 `then` cells; the table has 2 inputs and 6 outputs"
    );
}

#[test]
fn missing_why() {
    let mut v = base();
    rows(&mut v)[1]["why"] = json!("  ");
    only_error(&v, "missing_why");
}

#[test]
fn bad_cell_syntax_names_table_row_and_column() {
    let mut v = base();
    rows(&mut v)[1]["when"] = json!(["a", "[1..4"]);
    let e = only_error(&v, "bad_cell");
    assert_eq!(
        e.to_string(),
        "version `v1`, table `routing`, row `a`, column `people_involved`: cell `[1..4`: range `[1..4` must end with `]` or `)`"
    );
    let mut v = base();
    rows(&mut v)[1]["when"] = json!(["a", ">= lots"]);
    only_error(&v, "bad_cell");
}

#[test]
fn unknown_values_in_cells_and_outputs() {
    let mut v = base();
    rows(&mut v)[1]["when"] = json!(["a, zebra", "-"]);
    let e = only_error(&v, "unknown_value");
    assert_eq!(e.location.column.as_deref(), Some("category"));
    assert!(
        e.message
            .contains("unknown value `zebra`; valid values: a, b, c"),
        "{e}"
    );
    for (i, bad) in [(0, "medium"), (1, "village"), (2, "mayor"), (5, "loud")] {
        let mut v = base();
        rows(&mut v)[1]["then"][i] = json!(bad);
        let e = only_error(&v, "unknown_value");
        assert!(e.message.contains(bad), "{e}");
    }
}

#[test]
fn bad_time_limit() {
    let mut v = base();
    rows(&mut v)[1]["then"][4] = json!("3 fortnights");
    let e = only_error(&v, "bad_time_limit");
    assert_eq!(e.location.column.as_deref(), Some("time_limit"));
    assert!(
        e.message
            .contains("`3 fortnights` is not a valid time limit"),
        "{e}"
    );
}

#[test]
fn department_needs_an_office() {
    let mut v = base();
    rows(&mut v)[1]["then"][1] = json!("department");
    only_error(&v, "department_without_office");
}

#[test]
fn a_version_needs_a_deciding_table() {
    let mut v = base();
    table(&mut v)["outputs"] = json!(["grade", "level", "role", "office", "flags"]);
    for r in rows(&mut v) {
        let then = r["then"].as_array_mut().unwrap();
        then.remove(4);
    }
    only_error(&v, "missing_decision");
}

#[test]
fn csv_tables() {
    let mut v = base();
    let t = table(&mut v);
    t.as_object_mut().unwrap().remove("inputs");
    t.as_object_mut().unwrap().remove("outputs");
    t.as_object_mut().unwrap().remove("rows");
    t["csv"] = json!(
        "id,when:category,when:people_involved,then:level,then:time_limit,why\nsmall,\"a, b\",< 10,grid,3 working days,small ones\nrest,-,-,community,5 working days,\"the rest, all of it\"\n"
    );
    let r = compile_value(&v).unwrap();
    assert!(r.warnings().is_empty(), "{:#?}", r.warnings());
    let tab = &r.versions[0].tables[0];
    assert_eq!(tab.inputs, ["category", "people_involved"]);
    assert_eq!(tab.rows[1].why, "the rest, all of it");

    let mut bad = v.clone();
    table(&mut bad)["csv"] = json!(
        "id,when:category,then:level,then:time_limit,why\nok,a,grid,3 working days,fine\nbroken,a,grid\n"
    );
    let e = only_error(&bad, "csv");
    assert_eq!(e.location.line, Some(3));
    assert!(e.to_string().contains("line 3"), "{e}");

    let mut bad = v.clone();
    table(&mut bad)["csv"] =
        json!("id,when:category,then:level,then:time_limit,why\nok,zzz,grid,3 working days,fine\n");
    let e = only_error(&bad, "unknown_value");
    assert_eq!(e.location.row.as_deref(), Some("ok"));

    let mut both = v.clone();
    table(&mut both)["rows"] = json!([]);
    table(&mut both)["inputs"] = json!(["category"]);
    only_error(&both, "bad_table");
}

#[test]
fn never_fires_warning() {
    let mut v = base();
    rows(&mut v)[1]["when"] = json!(["a", "[5..3]"]);
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "never_fires");
    assert_eq!(w[0].location.column.as_deref(), Some("people_involved"));
}

#[test]
fn unreachable_row_warning() {
    let mut v = base();
    rows(&mut v).insert(2, json!({"id": "hidden", "when": ["b", ">= 20"], "then": ["low", "grid", "", "", "1 working day", ""], "why": "never"}));
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "unreachable_row");
    assert_eq!(
        w[0].message,
        "row `hidden` can never fire: every case it matches is matched first by row `big`"
    );
}

#[test]
fn crossing_overlap_warning_names_an_example_and_the_winner() {
    let mut v = base();
    // `a` for any size crosses `big` (any category, >= 10).
    rows(&mut v)[1]["when"] = json!(["a", "-"]);
    rows(&mut v).swap(0, 1);
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "overlap");
    assert_eq!(
        w[0].message,
        "rows `a` and `big` both match some cases (for example category a, people_involved 10); `a` wins there"
    );
}

#[test]
fn exception_first_is_not_an_overlap() {
    // `a` with < 10 people is a special case of `rest`; `big` and `a` are disjoint.
    assert!(warnings(&base()).is_empty());
}

#[test]
fn unique_tables_warn_on_any_overlap() {
    let mut v = base();
    table(&mut v)["hit_policy"] = json!("unique");
    let w = warnings(&v);
    let codes: Vec<_> = w.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["overlap", "overlap"], "{w:#?}");
    assert!(
        w[0].message
            .contains("a unique table should have one row per case")
    );
}

#[test]
fn collect_tables_do_not_warn_on_overlap() {
    let mut v = base();
    let mut modifiers = table(&mut v).clone();
    modifiers["id"] = json!("mods");
    modifiers["hit_policy"] = json!("collect");
    v["versions"][0]["tables"]
        .as_array_mut()
        .unwrap()
        .push(modifiers);
    assert!(warnings(&v).is_empty());
}

#[test]
fn no_catch_all_warning() {
    let mut v = base();
    rows(&mut v).pop();
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "no_catch_all");
    assert_eq!(w[0].location.version.as_deref(), Some("v1"));
}

#[test]
fn no_rows_warning() {
    let mut v = base();
    let mut empty = table(&mut v).clone();
    empty["id"] = json!("empty");
    empty["rows"] = json!([]);
    v["versions"][0]["tables"]
        .as_array_mut()
        .unwrap()
        .push(empty);
    let w = warnings(&v);
    assert_eq!(w.iter().map(|p| p.code).collect::<Vec<_>>(), ["no_rows"]);
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let mut v = base();
    rows(&mut v)[0]["when"] = json!(["zebra", "-"]);
    rows(&mut v)[1]["then"][4] = json!("soon");
    rows(&mut v)[2]["why"] = json!("");
    let codes: Vec<_> = errors(&v).iter().map(|p| p.code).collect();
    assert_eq!(codes, ["unknown_value", "bad_time_limit", "missing_why"]);
}

#[test]
fn default_rule_set_compiles_cleanly() {
    let r = RuleSet::fushan();
    assert!(r.warnings().is_empty(), "{:#?}", r.warnings());
    assert_eq!(r.categories().len(), 16);
    let versions: Vec<_> = r
        .versions()
        .map(|(n, d)| (n.to_owned(), d.to_string()))
        .collect();
    assert_eq!(
        versions,
        [
            ("fushan-2025".to_owned(), "2025-01-01".to_owned()),
            ("fushan-2026".to_owned(), "2026-01-01".to_owned())
        ]
    );
    // Every row says why it exists.
    for v in &r.versions {
        for t in &v.tables {
            for row in &t.rows {
                assert!(row.why.len() > 20, "{}/{}/{}", v.name, t.id, row.id);
            }
        }
    }
}

fn case(extra: Value) -> crate::case::Case {
    let mut c = json!({
        "id": "k1", "channel": "app", "category": "a", "location": "m1",
        "reported_at": "2026-03-02T09:00:00+08:00",
        "attributes": {"kind": "p"}
    });
    for (k, val) in extra.as_object().unwrap() {
        c[k] = val.clone();
    }
    crate::case::Case::from_json_str(&c.to_string()).unwrap()
}

fn case_fields(r: &RuleSet, extra: Value) -> Vec<String> {
    match r.check_case(&case(extra)) {
        Ok(()) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.field.clone()).collect(),
    }
}

#[test]
fn cases_are_checked_against_the_vocabularies() {
    let r = compile_value(&base()).unwrap();
    assert!(case_fields(&r, json!({})).is_empty());
    assert_eq!(
        case_fields(&r, json!({"category": "zzz"})),
        ["category", "attributes.kind"]
    );
    assert_eq!(
        case_fields(&r, json!({"risk_flags": ["x", "nope"]})),
        ["risk_flags"]
    );
    assert_eq!(
        case_fields(&r, json!({"amount_yuan": "-1"})),
        ["amount_yuan"]
    );
    // Required attribute of category `a`.
    assert_eq!(
        case_fields(&r, json!({"attributes": {}})),
        ["attributes.kind"]
    );
    // Not one of the values.
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": "z"}})),
        ["attributes.kind"]
    );
    // Declared for another category only.
    assert_eq!(
        case_fields(&r, json!({"category": "b", "attributes": {"kind": "p"}})),
        ["attributes.kind"]
    );
    // Unknown attribute.
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": "p", "colour": "red"}})),
        ["attributes.colour"]
    );
    // Types.
    assert!(case_fields(&r, json!({"attributes": {"kind": "p", "size": 12.5, "note": "n", "tags": ["t1"], "seen": "2026-01-01T00:00:00+08:00", "ok": true}})).is_empty());
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": "p", "size": "big"}})),
        ["attributes.size"]
    );
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": "p", "tags": ["t9"]}})),
        ["attributes.tags"]
    );
    assert_eq!(
        case_fields(
            &r,
            json!({"attributes": {"kind": "p", "seen": "yesterday"}})
        ),
        ["attributes.seen"]
    );
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": "p", "ok": "yes"}})),
        ["attributes.ok"]
    );
    assert_eq!(
        case_fields(&r, json!({"attributes": {"kind": ["p"]}})),
        ["attributes.kind"]
    );
    let err = r
        .check_case(&case(json!({"attributes": {"kind": "p", "ok": "yes"}})))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "case `k1`: field `attributes.ok`: is a string but the attribute is a boolean"
    );
}

#[test]
fn the_embedded_rule_set_spells_out_the_default_scheme() {
    let r = RuleSet::fushan();
    assert!(!r.versions.is_empty());
    let d = scoring::ScoringSpec::default();
    let four_fifths = crate::ratio::Ratio::new(4, 5);
    for v in &r.versions {
        if v.name != "fushan-2026" {
            assert_eq!(v.scoring, d, "{}", v.name);
            continue;
        }
        // 2026 scores the closed loop: its scheme is the default's with every earlier item
        // at four fifths of its points (deductions too) and four loop items of 5 points, so
        // a unit with no loop facts scores as under the default (80 points measured scale
        // to 100 as 100 did). Everything else is the default.
        assert_eq!(
            scoring::ScoringSpec {
                scheme: d.scheme.clone(),
                ..v.scoring.clone()
            },
            d
        );
        let loop_items = [
            scoring::Indicator::PetitionAcceptanceRate,
            scoring::Indicator::SupervisionRate,
            scoring::Indicator::VerificationPassRate,
            scoring::Indicator::CallBackRate,
        ];
        let (earlier, added): (Vec<_>, Vec<_>) = v
            .scoring
            .scheme
            .items
            .iter()
            .partition(|i| i.indicator.is_none_or(|x| !loop_items.contains(&x)));
        assert_eq!(added.len(), 4);
        assert!(
            added
                .iter()
                .all(|i| i.points == crate::ratio::Ratio::new(5, 1))
        );
        assert_eq!(earlier.len(), d.scheme.items.len());
        for (new, old) in earlier.iter().zip(&d.scheme.items) {
            if old.penalty.is_some() {
                assert_eq!(*new, old);
                continue;
            }
            assert_eq!(new.indicator, old.indicator);
            assert_eq!(new.points, old.points * four_fifths, "{:?}", old.indicator);
            assert_eq!(new.minus, old.minus.map(|m| m * four_fifths));
            assert_eq!(
                (new.full_at, new.at_least, new.when_missing),
                (old.full_at, old.at_least, old.when_missing)
            );
        }
    }
    // It is written out in the file, not left to the code's default.
    let doc: Value = serde_json::from_str(default_json()).unwrap();
    for v in doc["versions"].as_array().unwrap() {
        let items = v["scoring"]["scheme"]["items"].as_array().unwrap();
        assert!(items.iter().any(|i| i["when_missing"] == "not_evaluable"));
        assert!(
            items
                .iter()
                .filter(|i| i.get("indicator").is_some())
                .all(|i| i["note"].is_string())
        );
    }
}

proptest::proptest! {
    /// The scan over a few channels finds what the map finds, for declared ids, their
    /// prefixes and extensions, and other text.
    #[test]
    fn the_channel_scan_equals_the_map(
        ids in proptest::collection::vec("[a-z0-9 _-]{1,6}", 1..20),
        probe in "[a-z0-9 _-]{0,7}",
    ) {
        let mut ids: Vec<String> = ids.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty() && s != "-").collect();
        ids.sort();
        ids.dedup();
        proptest::prop_assume!(!ids.is_empty());
        let mut doc: Value = serde_json::from_str(default_json()).unwrap();
        doc["channels"] = Value::Array(ids.iter().map(|i| json!({"id": i})).collect());
        let Ok(rules) = RuleSet::from_json_str(&doc.to_string()) else {
            // Ids that clash by case are refused; not what this test is about.
            return Ok(());
        };
        for p in ids.iter().map(String::as_str).chain([probe.as_str()]) {
            proptest::prop_assert_eq!(rules.vocab.channel_index(p), rules.vocab.channel_index_by_map(p));
        }
    }
}

#[test]
fn the_default_rule_set_writes_out_its_whole_scoring() {
    // Every part of each version's scoring is spelled out in default.json, where an office
    // can read and change it, and says what the code defaults say (moving it there
    // changed no score).
    let raw: Value = serde_json::from_str(default_json()).unwrap_or(Value::Null);
    let rules = RuleSet::from_json_str(default_json()).unwrap_or_else(|e| panic!("{e}"));
    let defaults = serde_json::to_value(scoring::ScoringSpec::default()).unwrap_or(Value::Null);
    let Some(keys) = defaults.as_object() else {
        panic!("the scoring defaults are an object")
    };
    let versions = raw["versions"].as_array().cloned().unwrap_or_default();
    assert_eq!(versions.len(), rules.versions.len());
    for (v, parsed) in versions.iter().zip(&rules.versions) {
        let written = v["scoring"].as_object().cloned().unwrap_or_default();
        for key in keys.keys() {
            assert!(
                written.contains_key(key),
                "{}: scoring.{key} is not written out",
                parsed.name
            );
        }
        let s = &parsed.scoring;
        let d = scoring::ScoringSpec::default();
        assert_eq!(
            (
                &s.ranking,
                &s.inactive,
                &s.common_demands,
                &s.rewards,
                &s.talent
            ),
            (
                &d.ranking,
                &d.inactive,
                &d.common_demands,
                &d.rewards,
                &d.talent
            ),
            "{}",
            parsed.name
        );
        assert_eq!(
            (s.acceptance_limit, s.satisfied_at_least),
            (d.acceptance_limit, d.satisfied_at_least)
        );
    }
}

#[test]
fn urgent_rows_on_working_time_are_warned() {
    // The most serious grade on working time.
    let mut v = base();
    rows(&mut v)[0]["then"] = json!([
        "grave",
        "community",
        "committee_member",
        "",
        "1 working day",
        ""
    ]);
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "urgent_on_working_time");
    assert_eq!(w[0].location.row.as_deref(), Some("big"));
    assert_eq!(w[0].location.column.as_deref(), Some("time_limit"));
    assert_eq!(
        w[0].message,
        "row `big` is urgent (its grade `grave` is the most serious) but its time limit `1 working day` counts working time, so a matter reported on a Friday evening waits out the weekend; give it natural time, such as `24 hours` or `30 minutes`"
    );
    // The same on natural time: no warning.
    rows(&mut v)[0]["then"] = json!(["grave", "community", "committee_member", "", "24 hours", ""]);
    assert_eq!(warnings(&v), vec![]);
    // A grade below the most serious on working time: no warning.
    rows(&mut v)[0]["then"] = json!([
        "high",
        "community",
        "committee_member",
        "",
        "4 working hours",
        ""
    ]);
    assert_eq!(warnings(&v), vec![]);
    // The early-intervention flag on working hours.
    v["flags"] = json!([{"id": "early_intervention"}]);
    rows(&mut v)[0]["then"] = json!([
        "high",
        "community",
        "committee_member",
        "",
        "4 working hours",
        "early_intervention"
    ]);
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message.contains("it carries `early_intervention`"),
        "{}",
        w[0].message
    );
    assert!(w[0].message.contains("`4 hours`"), "{}", w[0].message);
    // …and on minutes: none.
    rows(&mut v)[0]["then"] = json!([
        "high",
        "community",
        "committee_member",
        "",
        "30 minutes",
        "early_intervention"
    ]);
    assert_eq!(warnings(&v), vec![]);
}

#[test]
fn the_default_rule_set_has_no_warning() {
    let rules = RuleSet::from_json_str(default_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules.warnings(), &[][..]);
}

/// The lean path skips the attribute check just when it could find nothing: a case
/// without attributes of a category with no required attribute. For every category of
/// the default rule set (where `safety_hazard` requires `hazard_type`) and of a small one
/// (where `a` requires `kind`, and one attribute applies to every category), with and
/// without attributes.
#[test]
fn the_attribute_check_is_skipped_only_when_it_finds_nothing() {
    let small = compile_value(&base()).unwrap();
    let default = RuleSet::fushan();
    let mut with_one = facts::Attributes::new();
    with_one.insert(
        "size".to_owned(),
        crate::case::AttrValue::Number(crate::fixed::Fixed2::from_hundredths(100)),
    );
    let mut required = 0;
    for rules in [&small, &default] {
        for (i, category) in rules.vocab.categories.iter().enumerate() {
            for attributes in [&facts::Attributes::new(), &with_one] {
                let mut found = false;
                rules.attribute_problems(category, attributes, true, &mut |_, _| found = true);
                if found {
                    assert!(rules.attributes_to_check(i, attributes), "{category}");
                }
                if attributes.is_empty() {
                    assert_eq!(
                        rules.attributes_to_check(i, attributes),
                        found,
                        "{category}"
                    );
                    required += usize::from(found);
                } else {
                    assert!(rules.attributes_to_check(i, attributes), "{category}");
                }
            }
        }
    }
    // `a` in the small set, `safety_hazard` in the default one.
    assert_eq!(required, 2);
}

/// The deflated rule set the library carries inflates to the checked-in file, byte for
/// byte.
#[test]
fn the_embedded_default_rules_are_the_checked_in_file() {
    assert_eq!(
        super::default_json(),
        include_str!("../../data/rules/default.json")
    );
}
