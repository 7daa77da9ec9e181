//! The columnar reader of a cases table against the reference, each row through its
//! `Case`: the same routed table, byte for byte, and the same first error.

use std::sync::Arc;

use arrow_array::Array as _;
use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, LargeStringArray, RecordBatch, StringArray, TimestampSecondArray,
};
use arrow_schema::{Field, Schema};
use proptest::prelude::*;

use super::route::{Reader, route_batches_with};
use super::{ErrorMode, cases_table};
use crate::Engine;
use crate::org::UnitKind;
use crate::time::Timestamp;

/// Routes `batch` both ways in `mode` on `threads` threads and checks that they agree.
fn assert_same(engine: &Engine, batch: &RecordBatch, threads: usize) {
    for mode in [ErrorMode::Column, ErrorMode::Raise] {
        let run = |reader| {
            route_batches_with(
                engine,
                std::slice::from_ref(batch),
                (mode, reader),
                Some(threads),
            )
        };
        match (run(Reader::Columns), run(Reader::Cases)) {
            (Ok((_, a)), Ok((_, b))) => assert_eq!(a, b, "{mode:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{mode:?}"),
            (a, b) => panic!(
                "{mode:?}: columns {:?}, cases {:?}",
                a.map(|_| ()),
                b.map(|_| ())
            ),
        }
    }
}

/// `batch` with column `name` replaced by `array`.
fn with_column(batch: &RecordBatch, name: &str, array: ArrayRef) -> RecordBatch {
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        if f.name() == name {
            fields.push(Field::new(name, array.data_type().clone(), true));
            cols.push(Arc::clone(&array));
        } else {
            fields.push(f.as_ref().clone());
            cols.push(Arc::clone(c));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap()
}

/// A text column dictionary-encoded (what pandas categoricals and polars `Categorical`
/// hand over).
fn dictionary(batch: &RecordBatch, name: &str) -> ArrayRef {
    let text = batch.column_by_name(name).unwrap().as_string::<i32>();
    Arc::new(text.iter().collect::<DictionaryArray<Int32Type>>())
}

#[test]
fn simulated_months_route_the_same_from_columns_as_through_cases() {
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 12_000, 11);
    let (_, batch) = cases_table(&cases).unwrap();
    assert_same(&engine, &batch, 1);
    // Parts on two threads.
    assert_same(&engine, &batch, 2);
    // Categorical names.
    let mut cat = batch.clone();
    for name in [
        "channel",
        "category",
        "location",
        "risk_flags",
        "attributes",
    ] {
        cat = with_column(&cat, name, dictionary(&cat, name));
    }
    assert_same(&engine, &cat, 1);
    // A typed timestamp column, and ids in a large-text column (copied, not sliced).
    let at: TimestampSecondArray = cases
        .iter()
        .map(|c| Some(c.reported_at.unix()))
        .collect::<TimestampSecondArray>()
        .with_timezone("+08:00");
    let typed = with_column(&batch, "reported_at", Arc::new(at));
    assert_same(&engine, &typed, 1);
    let ids: LargeStringArray = cases.iter().map(|c| Some(c.id.as_str())).collect();
    assert_same(&engine, &with_column(&typed, "id", Arc::new(ids)), 1);
}

#[test]
fn the_routed_case_column_is_the_input_id_column() {
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 100, 3);
    let (_, batch) = cases_table(&cases).unwrap();
    let (_, out) = super::route_batches(
        &engine,
        std::slice::from_ref(&batch),
        ErrorMode::Raise,
        Some(1),
    )
    .unwrap();
    let input = batch.column_by_name("id").unwrap().as_string::<i32>();
    let case = out[0].column_by_name("case").unwrap().as_string::<i32>();
    // The same buffer: sliced, not copied.
    assert_eq!(input.values().as_ptr(), case.values().as_ptr());
    assert_eq!(input, case);
}

/// The values each column's cells are drawn from: valid ones and every kind of wrong.
struct Pools {
    cols: [Vec<Option<String>>; 11],
}

fn pools(engine: &Engine) -> Pools {
    let rules = &engine.rules;
    let org = &engine.org;
    let s = |v: &str| Some(v.to_owned());
    let of_kind = |kind: UnitKind, n: usize| {
        org.units()
            .filter(|u| u.kind == kind)
            .take(n)
            .map(|u| Some(u.id.to_string()))
            .collect::<Vec<_>>()
    };
    let mut location = of_kind(UnitKind::MicroGrid, 4);
    location.extend(of_kind(UnitKind::Building, 2));
    location.extend(of_kind(UnitKind::Grid, 1));
    location.extend([s("nowhere"), None]);
    let mut channel: Vec<_> = rules.vocab.channels.iter().map(|c| s(c)).collect();
    channel.extend([s("fax"), None]);
    let mut category: Vec<_> = rules.vocab.categories.iter().map(|c| s(c)).collect();
    category.extend([s("unknown_matter"), None]);
    let risk = &rules.vocab.risk_flags;
    let mut flags = vec![None, s(""), s(" , "), s("no_such_flag"), s("bad flag!")];
    flags.extend(risk.iter().map(|f| s(f)));
    if let [a, b, ..] = risk.as_slice() {
        flags.push(Some(format!("{a};{b}")));
        flags.push(Some(format!("{b} | {a}")));
    }
    let mut attributes = vec![
        None,
        s(""),
        s("{}"),
        s("not json"),
        s(r#"{"no_such_attribute": 1}"#),
        s(r#"{"hazard_type": "no_such_value"}"#),
        s(r#"{"first_noticed": "2026-03-01T08:00:00+08:00"}"#),
        s(r#"{"first_noticed": "yesterday"}"#),
    ];
    if let Some(a) = rules
        .vocab
        .attributes
        .iter()
        .find(|a| a.code == "hazard_type")
    {
        for v in a.values.iter().take(2) {
            attributes.push(Some(format!(r#"{{"hazard_type": "{v}"}}"#)));
        }
    }
    Pools {
        cols: [
            vec![
                s("c-1"),
                s("c-2"),
                s("c.3/x"),
                s(""),
                s("bad id!"),
                Some("x".repeat(200)),
                None,
            ],
            channel,
            category,
            location,
            vec![
                s("2026-03-02T09:15:00+08:00"),
                s("2026-03-07T23:59:59+08:00"),
                s("2026-10-01T10:00:00+08:00"),
                s("2026-09-27T08:00:00+08:00"),
                s("2026-03-02 09:15+08:00"),
                s("2026-03-02T01:15:00Z"),
                s("2001-01-01T00:00:00+08:00"),
                s("2099-12-31T23:00:00+08:00"),
                s("yesterday"),
                None,
            ],
            vec![s("1"), s("3"), s("60"), s("0"), s("-1"), s("x"), None],
            vec![
                s("0"),
                s("1500.50"),
                s("250000"),
                s("-1"),
                s("0.001"),
                s("abc"),
                None,
            ],
            vec![s("0"), s("2"), s("5"), s("-2"), None],
            flags,
            attributes,
            vec![
                None,
                s("漏水"),
                Some("x".repeat(4001)),
                Some("汉".repeat(4001)),
                Some("汉".repeat(1500)),
            ],
        ],
    }
}

/// A table of text cells, each column's values picked by `picks` from `pools`.
fn text_table(pools: &Pools, picks: &[[usize; 11]]) -> RecordBatch {
    let names = crate::batch::CASE_COLUMNS;
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (c, name) in names.iter().enumerate() {
        let pool = &pools.cols[c];
        let values: StringArray = picks
            .iter()
            .map(|p| pool[p[c] % pool.len()].as_deref())
            .collect();
        fields.push(Field::new(*name, arrow_schema::DataType::Utf8, true));
        cols.push(Arc::new(values));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Rows of valid and invalid cells in every mix route the same both ways, from plain
    /// text and from dictionary columns, with every row's error named alike.
    #[test]
    fn any_row_routes_the_same_from_columns_as_through_its_case(
        picks in proptest::collection::vec(
            // Mostly valid cells (the first ones of each pool), so that rows route.
            proptest::array::uniform11(prop_oneof![4 => 0usize..3, 1 => 0usize..16]),
            1..40,
        ),
    ) {
        let engine = Engine::fushan();
        let pools = pools(&engine);
        let batch = text_table(&pools, &picks);
        assert_same(&engine, &batch, 1);
        let mut cat = batch.clone();
        for name in crate::batch::CASE_COLUMNS {
            cat = with_column(&cat, name, dictionary(&cat, name));
        }
        assert_same(&engine, &cat, 1);
    }
}

#[test]
fn a_typed_zoneless_timestamp_is_local_time_both_ways() {
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 200, 5);
    let (_, batch) = cases_table(&cases).unwrap();
    let zone = engine.calendar().zone();
    let local: TimestampSecondArray = cases
        .iter()
        .map(|c| {
            let t: Timestamp = c.reported_at;
            Some(t.unix() + 60 * i64::from(zone.offset_at(t.unix()).minutes()))
        })
        .collect();
    assert_same(
        &engine,
        &with_column(&batch, "reported_at", Arc::new(local)),
        1,
    );
}

#[test]
fn every_simulated_row_is_read_from_its_columns() {
    // The equality tests above would pass with every row sent through its case; this one
    // holds the columnar reader to taking the rows a month of cases has.
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 5_000, 13);
    let (_, batch) = cases_table(&cases).unwrap();
    let cols: Vec<super::cols::Col<'_>> = crate::batch::CASE_COLUMNS
        .iter()
        .map(|name| super::cols::Col::of(&batch, name).ok().unwrap())
        .collect();
    let mut cells = super::route_in::RouteCells::new(&engine, &cols);
    let mut with_attributes = 0;
    let mut places = Vec::new();
    cells.places(0..cases.len(), &mut places);
    for (row, case) in cases.iter().enumerate() {
        let routed = places[row]
            .and_then(|p| cells.route(row, p))
            .unwrap_or_else(|| panic!("row {row} left to its case"));
        let d = engine.route(case).unwrap();
        assert_eq!(routed.due, d.due());
        with_attributes += usize::from(!case.attributes.is_empty());
    }
    assert!(
        with_attributes > 100,
        "{with_attributes} cases with attributes"
    );
}

proptest! {
    /// The ids of a column checked together are valid exactly when each one is.
    #[test]
    fn ids_checked_together_agree(
        ids in proptest::collection::vec(
            prop_oneof![
                "[a-z0-9._:/-]{1,20}",
                "[a-z]{0,3}[ !#é汉]?[a-z]{0,3}",
                "[a-z]{120,140}",
            ],
            1..12,
        ),
    ) {
        let array = StringArray::from(ids.iter().map(String::as_str).collect::<Vec<_>>());
        let col = super::cols::Col::Utf8(&array);
        let each = ids.iter().all(|id| crate::id::CaseId::is_valid(id));
        let together = super::route_in::ids_valid(&col, 0..ids.len());
        // Together never says valid wrongly; for ASCII ids it says what each says.
        prop_assert!(!together || each);
        if ids.iter().all(|id| id.is_ascii()) {
            prop_assert_eq!(together, each);
        }
        // A part of the column.
        if ids.len() > 2 {
            let part = super::route_in::ids_valid(&col, 1..ids.len() - 1);
            let each_part = ids[1..ids.len() - 1].iter().all(|id| crate::id::CaseId::is_valid(id));
            prop_assert!(!part || each_part);
        }
    }
}

#[test]
fn a_column_of_the_wrong_type_is_reported_both_ways() {
    // Optional columns too: a number where text belongs is an error, not an empty cell.
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 50, 17);
    let (_, batch) = cases_table(&cases).unwrap();
    let numbers: ArrayRef = Arc::new(arrow_array::Int64Array::from_iter_values(0..50));
    for name in [
        "risk_flags",
        "attributes",
        "summary",
        "channel",
        "location",
        "reported_at",
    ] {
        let wrong = if batch.column_by_name(name).is_some() {
            with_column(&batch, name, Arc::clone(&numbers))
        } else {
            let mut fields: Vec<Field> = batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone())
                .collect();
            fields.push(Field::new(name, arrow_schema::DataType::Int64, true));
            let mut cols = batch.columns().to_vec();
            cols.push(Arc::clone(&numbers));
            RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap()
        };
        assert_same(&engine, &wrong, 1);
        let (_, out) = route_batches_with(
            &engine,
            std::slice::from_ref(&wrong),
            (ErrorMode::Column, Reader::Columns),
            Some(1),
        )
        .unwrap();
        assert_eq!(
            out[0].column_by_name("error").unwrap().null_count(),
            0,
            "{name}"
        );
    }
}

/// The text of row `row` of a dictionary column of text, `None` for a null.
fn dictionary_text(col: &ArrayRef, row: usize) -> Option<String> {
    let dict = col.as_dictionary::<Int32Type>();
    let keys = dict.keys();
    keys.is_valid(row).then(|| {
        let key = usize::try_from(keys.value(row)).unwrap();
        dict.values().as_string::<i32>().value(key).to_owned()
    })
}

#[test]
fn the_name_role_and_error_columns_are_each_rows() {
    // The names and roles are keyed at the end from the unit and handler columns, and the
    // error columns are written at the end from the rows that failed: each row's must
    // still be its own decision's, or its own error's for a row that was not routed.
    let engine = Engine::fushan();
    let cases = crate::sim::month_cases(&engine, 2026, 3, 3_000, 17);
    let (_, batch) = cases_table(&cases).unwrap();
    let unknown = [5usize, 6, 2_999];
    let locations: StringArray = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Some(if unknown.contains(&i) {
                "fs-nowhere"
            } else {
                c.location.as_str()
            })
        })
        .collect();
    let batch = with_column(&batch, "location", Arc::new(locations));
    let (_, out) = super::route_batches(
        &engine,
        std::slice::from_ref(&batch),
        ErrorMode::Column,
        Some(1),
    )
    .unwrap();
    let out = &out[0];
    let col = |name: &str| Arc::clone(out.column_by_name(name).unwrap());
    let (unit, unit_name) = (col("unit"), col("unit_name"));
    let (handler, role) = (col("handler"), col("handler_role"));
    let (code, error) = (col("error_code"), col("error"));
    let error = error.as_string::<i32>();
    let mut levels = std::collections::BTreeSet::new();
    for (row, case) in cases.iter().enumerate() {
        let got = [&unit, &unit_name, &handler, &role].map(|c| dictionary_text(c, row));
        if unknown.contains(&row) {
            assert_eq!(got, [None, None, None, None], "row {row}");
            // The error columns hold the error of routing the row's case.
            let mut bad = case.clone();
            bad.location = "fs-nowhere".parse().unwrap();
            let e = crate::Error::from(engine.route(&bad).unwrap_err());
            assert_eq!(dictionary_text(&code, row).as_deref(), Some(e.code()));
            assert_eq!(
                error.is_valid(row).then(|| error.value(row)),
                Some(e.to_string().as_str())
            );
            continue;
        }
        assert_eq!(dictionary_text(&code, row), None, "row {row}");
        assert!(error.is_null(row), "row {row}");
        let d = engine.route(case).unwrap();
        let v = d.view();
        levels.insert(v.level);
        let want = [
            v.unit.map(str::to_owned),
            v.unit_name.map(str::to_owned),
            v.handler.map(str::to_owned),
            v.handler_role.map(|r| r.as_str().to_owned()),
        ];
        assert_eq!(got, want, "row {row}");
    }
    assert!(levels.len() >= 4, "{levels:?}");
}
