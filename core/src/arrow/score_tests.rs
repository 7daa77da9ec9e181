//! The columnar compile of an outcome table against the reference, the rows read into
//! [`OutcomeRow`]s and compiled by [`Engine::compile_outcomes`]: the same table, field for
//! field, or the same error, whether the columns are text, typed or dictionary-encoded.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Int8Array, Int64Array, RecordBatch, StringArray,
    TimestampSecondArray, UInt32Array,
};
use arrow_schema::{Field, Schema};
use proptest::prelude::*;

use super::score::{compile_columns, compile_outcome_batches, outcome_rows};
use crate::Engine;
use crate::org::{Level, UnitKind};
use crate::score::OutcomeRow;

/// How a batch's columns are given.
#[derive(Clone, Copy, Debug)]
enum Style {
    /// Every column text, as a CSV export read without types.
    Text,
    /// Times as timestamps in the calendar's zone, counts as integers, flags as booleans.
    Typed,
    /// Typed, with the name columns dictionary-encoded (pandas categoricals, polars
    /// `Categorical`).
    Dictionary,
}

/// The batch of `rows` in `style`.
fn batch(engine: &Engine, rows: &[OutcomeRow], style: Style) -> RecordBatch {
    let zone = engine.calendar().zone().to_string();
    let text = |f: &dyn Fn(&OutcomeRow) -> Option<String>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let name = |f: &dyn Fn(&OutcomeRow) -> Option<String>| -> ArrayRef {
        match style {
            Style::Dictionary => {
                let values: Vec<Option<String>> = rows.iter().map(f).collect();
                Arc::new(
                    values
                        .iter()
                        .map(Option::as_deref)
                        .collect::<DictionaryArray<Int32Type>>(),
                )
            }
            _ => text(f),
        }
    };
    let time = |f: &dyn Fn(&OutcomeRow) -> Option<crate::Timestamp>| -> ArrayRef {
        match style {
            Style::Text => text(&|r| f(r).map(|t| t.to_string())),
            _ => Arc::new(
                rows.iter()
                    .map(|r| f(r).map(|t| t.unix()))
                    .collect::<TimestampSecondArray>()
                    .with_timezone(zone.clone()),
            ),
        }
    };
    let count = |f: &dyn Fn(&OutcomeRow) -> u32| -> ArrayRef {
        match style {
            Style::Text => text(&|r| Some(f(r).to_string())),
            // Signed integers, a zero given as a null now and then.
            Style::Dictionary => Arc::new(
                rows.iter()
                    .map(|r| {
                        Some(i64::from(f(r))).filter(|n| *n > 0 || r.id.as_str().len() % 2 == 0)
                    })
                    .collect::<Int64Array>(),
            ),
            // A zero given as a null now and then: both read as none.
            Style::Typed => Arc::new(
                rows.iter()
                    .map(|r| Some(f(r)).filter(|n| *n > 0 || r.id.as_str().len() % 2 == 0))
                    .collect::<UInt32Array>(),
            ),
        }
    };
    let flag = |f: &dyn Fn(&OutcomeRow) -> bool| -> ArrayRef {
        match style {
            Style::Text => text(&|r| f(r).then(|| "true".to_owned())),
            _ => Arc::new(
                rows.iter()
                    .map(|r| Some(f(r)).filter(|b| *b || r.id.as_str().len() % 2 == 1))
                    .collect::<BooleanArray>(),
            ),
        }
    };
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", text(&|r| Some(r.id.to_string()))),
        ("location", name(&|r| Some(r.location.to_string()))),
        ("category", name(&|r| Some(r.category.to_string()))),
        (
            "channel",
            name(&|r| r.channel.as_ref().map(ToString::to_string)),
        ),
        ("reported_at", time(&|r| Some(r.reported_at))),
        ("accepted_at", time(&|r| r.accepted_at)),
        ("resolved_at", time(&|r| r.resolved_at)),
        (
            "resolved_level",
            name(&|r| r.resolved_level.map(|l| l.as_str().to_owned())),
        ),
        (
            "satisfaction",
            match style {
                Style::Text => text(&|r| r.satisfaction.map(|s| s.to_string())),
                _ => Arc::new(
                    rows.iter()
                        .map(|r| r.satisfaction.map(|s| i8::try_from(s).unwrap_or(i8::MAX)))
                        .collect::<Int8Array>(),
                ),
            },
        ),
        ("time_limit", name(&|r| r.time_limit.map(|l| l.to_string()))),
        ("due", time(&|r| r.due)),
        ("paused", flag(&|r| r.paused)),
        ("returned", count(&|r| r.returned)),
        ("reopened", count(&|r| r.reopened)),
        ("escalated", count(&|r| r.escalated)),
        ("shelved", flag(&|r| r.shelved)),
        (
            "repeat_of",
            text(&|r| r.repeat_of.as_ref().map(ToString::to_string)),
        ),
        (
            "office",
            name(&|r| r.office.as_ref().map(ToString::to_string)),
        ),
        ("petition", flag(&|r| r.petition)),
        ("petition_accepted_at", time(&|r| r.petition_accepted_at)),
        ("supervisions", count(&|r| r.supervisions)),
        ("supervisions_on_time", count(&|r| r.supervisions_on_time)),
        ("verifications", count(&|r| r.verifications)),
        ("verifications_passed", count(&|r| r.verifications_passed)),
        ("called_back_at", time(&|r| r.called_back_at)),
    ];
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap()
}

/// An outcome row from drawn numbers: mostly well-formed, now and then one that does not
/// fit (a satisfaction of 9, a resolution before the report, a repeated id, an unknown
/// office, more supervisions answered than ordered).
fn row(engine: &Engine, i: usize, draw: &[u32; 8]) -> OutcomeRow {
    let micro: Vec<_> = engine.org().units_of_kind(UnitKind::MicroGrid).collect();
    let categories = engine.rules().categories();
    // 2026-03-01T00:00Z, in the calendar's zone (as typed columns read back).
    let start = engine.calendar().zone().timestamp(1_772_323_200);
    let at = |minutes: u32| start.plus_minutes(i64::from(minutes));
    let reported = at(draw[0] % 40_000);
    let resolved = (draw[1] % 3 != 0).then(|| reported.plus_minutes(i64::from(draw[1] % 9000)));
    let bad = draw[7] % 41;
    let id = if bad == 1 && i > 0 {
        "o0".to_owned()
    } else {
        format!("o{i}")
    };
    OutcomeRow {
        id: crate::CaseId::new(id).unwrap(),
        location: micro[draw[2] as usize % micro.len()].id.clone(),
        category: crate::id::Category::new(&categories[draw[3] as usize % categories.len()])
            .unwrap(),
        channel: (draw[4] % 4 != 0).then(|| {
            crate::case::Channel::new(crate::case::DEFAULT_CHANNELS[draw[4] as usize % 6].0)
                .unwrap()
        }),
        reported_at: reported,
        accepted_at: (draw[4] % 5 != 0).then(|| reported.plus_minutes(i64::from(draw[5] % 600))),
        resolved_at: if bad == 2 {
            Some(reported.plus_minutes(-5))
        } else {
            resolved
        },
        resolved_level: if bad == 2 {
            Some(Level::Grid)
        } else {
            resolved.map(|_| Level::ALL[draw[5] as usize % 5])
        },
        satisfaction: if bad == 3 {
            Some(9)
        } else {
            resolved.and_then(|_| (draw[6] % 3 != 0).then_some(1 + (draw[6] % 5) as u8))
        },
        time_limit: (draw[6] % 2 == 0).then(|| {
            ["3 working days", "4 working hours", "7 days"][draw[6] as usize % 3]
                .parse()
                .unwrap()
        }),
        due: (draw[6] % 2 == 1 && draw[5] % 3 == 0).then(|| reported.plus_minutes(4320)),
        paused: resolved.is_none() && draw[7] % 5 == 0,
        returned: draw[7] % 3,
        reopened: draw[5] % 2,
        escalated: draw[4] % 3,
        shelved: draw[7] % 7 == 0,
        repeat_of: (draw[3] % 11 == 0).then(|| crate::CaseId::new("o0").unwrap()),
        office: match bad {
            4 => Some(crate::id::OfficeId::new("no-such-office").unwrap()),
            _ => (draw[2] % 5 == 0)
                .then(|| engine.org().spec().offices.first().map(|o| o.id.clone()))
                .flatten(),
        },
        petition: draw[1] % 7 == 0,
        petition_accepted_at: (draw[1] % 14 == 0).then(|| reported.plus_minutes(60)),
        supervisions: draw[2] % 3,
        supervisions_on_time: if bad == 5 { 9 } else { draw[2] % 3 / 2 },
        verifications: draw[3] % 2,
        verifications_passed: draw[3] % 2 * (draw[0] % 2),
        called_back_at: resolved.and_then(|r| (draw[0] % 4 == 0).then(|| r.plus_minutes(600))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn outcome_columns_compile_to_the_table_of_their_rows(
        draws in proptest::collection::vec(proptest::array::uniform8(0u32..100_000), 0..120),
        split in 0usize..120,
    ) {
        let engine = Engine::fushan();
        let rows: Vec<OutcomeRow> = draws.iter().enumerate().map(|(i, d)| row(&engine, i, d)).collect();
        let reference = engine.compile_outcomes(&rows, &[], &[]);
        for style in [Style::Text, Style::Typed, Style::Dictionary] {
            let whole = batch(&engine, &rows, style);
            // One batch, and the same rows in two batches.
            let at = split.min(rows.len());
            let parts = vec![whole.slice(0, at), whole.slice(at, rows.len() - at)];
            for batches in [vec![whole.clone()], parts] {
                let read = outcome_rows(&batches, engine.calendar().zone()).unwrap();
                prop_assert_eq!(&read, &rows, "{:?}", style);
                let columnar = compile_outcome_batches(&engine, &batches, &[], &[]);
                match (&reference, &columnar) {
                    (Ok(a), Ok(b)) => prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{:?}", style),
                    (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string(), "{:?}", style),
                    (a, b) => prop_assert!(false, "{style:?}: rows {a:?}, columns {b:?}"),
                }
            }
        }
    }
}

/// Well-formed rows take the columnar reader itself, in every style (the property above
/// would also hold were every table left to the row reader).
#[test]
fn well_formed_columns_are_read_without_the_row_reader() {
    let engine = Engine::fushan();
    let rows: Vec<OutcomeRow> = (0u32..200)
        .map(|i| {
            let d = [
                i * 7919,
                i * 31 + 1,
                i * 17,
                i * 13,
                i * 3 + 1,
                i * 11,
                i * 5,
                0,
            ];
            row(&engine, i as usize, &d)
        })
        .filter(|r| r.repeat_of.is_none() && r.office.is_none())
        .collect();
    let reference = engine.compile_outcomes(&rows, &[], &[]).unwrap();
    for style in [Style::Text, Style::Typed, Style::Dictionary] {
        let table = compile_columns(&engine, &[batch(&engine, &rows, style)], &[], &[])
            .unwrap_or_else(|| panic!("{style:?} left to the row reader"));
        assert_eq!(format!("{reference:?}"), format!("{table:?}"), "{style:?}");
    }
}

/// Outcome tables as Arrow IPC bytes (the `ipc` feature).
#[cfg(feature = "ipc")]
mod ipc_bytes {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// An outcome table sent as Arrow IPC bytes (what the web module's
        /// `scoreOutcomesArrow` reads) scores to the report of the same batches scored in
        /// place, byte for byte, or fails with the same error, in every style of column.
        #[test]
        fn outcome_tables_as_ipc_bytes_score_as_their_batches(
            draws in proptest::collection::vec(proptest::array::uniform8(0u32..100_000), 0..80),
            budget in 0u64..2_000_000,
        ) {
            let engine = Engine::fushan();
            let rows: Vec<OutcomeRow> = draws.iter().enumerate().map(|(i, d)| row(&engine, i, d)).collect();
            let request = format!(r#"{{"month": "2026-03", "budget_fen": {budget}}}"#);
            for style in [Style::Text, Style::Typed, Style::Dictionary] {
                let whole = batch(&engine, &rows, style);
                let bytes = crate::arrow::ipc::write_ipc(&whole.schema(), std::slice::from_ref(&whole)).unwrap();
                let in_place = crate::arrow::score_outcomes_report(&engine, std::slice::from_ref(&whole), &request)
                    .map(|r| crate::json::report_json(&r));
                let from_bytes = crate::arrow::ipc::score_ipc_report_vec(&engine, bytes, &request)
                    .map(|r| crate::json::report_json(&r));
                match (&in_place, &from_bytes) {
                    (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{:?}", style),
                    (Err(a), Err(b)) => {
                        prop_assert_eq!(a.to_string(), b.to_string(), "{:?}", style);
                        prop_assert_eq!(a.code(), b.code());
                    }
                    (a, b) => prop_assert!(false, "{style:?}: in place {a:?}, from bytes {b:?}"),
                }
            }
        }
    }

    /// What `scoreOutcomesArrow` refuses: bytes that are not an IPC stream, a table without
    /// the outcome columns, a request that also gives the table.
    #[test]
    fn outcome_ipc_bytes_that_do_not_score_say_why() {
        let engine = Engine::fushan();
        let month = r#"{"month": "2026-03"}"#;
        let e = crate::arrow::ipc::score_ipc_report_vec(&engine, vec![1, 2, 3], month).unwrap_err();
        assert_eq!(e.code(), "table", "{e}");
        let other = RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new(
                "x",
                arrow_schema::DataType::Int8,
                false,
            )])),
            vec![Arc::new(Int8Array::from(vec![1i8])) as ArrayRef],
        )
        .unwrap();
        let bytes =
            crate::arrow::ipc::write_ipc(&other.schema(), std::slice::from_ref(&other)).unwrap();
        let e = crate::arrow::ipc::score_ipc_report_vec(&engine, bytes, month).unwrap_err();
        assert_eq!(e.code(), "table", "{e}");
        assert!(e.to_string().contains("id"), "{e}");
        let rows: Vec<OutcomeRow> = (0..3)
            .map(|i| row(&engine, i, &[i as u32 * 77, 1, 2, 3, 1, 5, 6, 0]))
            .collect();
        let table = batch(&engine, &rows, Style::Typed);
        let bytes =
            crate::arrow::ipc::write_ipc(&table.schema(), std::slice::from_ref(&table)).unwrap();
        let e = crate::arrow::ipc::score_ipc_report_vec(
            &engine,
            bytes,
            r#"{"month": "2026-03", "outcomes": []}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("leave out `outcomes`"), "{e}");
    }
}

/// A score table holds every count of every unit, one column each, after the indicators
/// and in the order of their names (the order of the report's JSON).
#[test]
fn a_score_table_holds_every_count_in_the_order_of_their_names() {
    let engine = Engine::fushan();
    let ledger = crate::sim::simulate_month(&engine, 2026, 3, 400, 7).ledger;
    let options = crate::score::ScoreOptions::new(crate::score::Month::parse("2026-03").unwrap());
    let report = engine.score_ledger(&ledger, &[], &options).unwrap();
    let (schema, batch) =
        super::score::units_table(&report, super::score::UnitLevel::Grid).unwrap();
    let json = serde_json::to_value(report.grids[0].counts).unwrap();
    let names: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(names.len(), crate::score::Counts::FIELDS.len());
    let first = schema.index_of(names[0]).unwrap();
    let columns: Vec<&str> = schema
        .fields()
        .iter()
        .skip(first)
        .take(names.len())
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(columns, names);
    assert!(
        schema
            .index_of(crate::score::Indicator::ALL.last().unwrap().as_str())
            .unwrap()
            < first
    );
    let mut nonzero = 0;
    for (row, grid) in report.grids.iter().enumerate() {
        let counts = serde_json::to_value(grid.counts).unwrap();
        for name in &names {
            let column = batch
                .column_by_name(name)
                .unwrap()
                .as_any()
                .downcast_ref::<UInt32Array>()
                .unwrap();
            let want = counts[name.as_str()].as_u64().unwrap();
            assert_eq!(u64::from(column.value(row)), want, "{name} of {}", grid.id);
            nonzero += usize::from(want > 0);
        }
    }
    assert!(nonzero > 100, "{nonzero} counts above zero");
}

/// A score table does not show the month's common demands, and is made without looking
/// for them: every level's table is the table of the whole report, which has some,
/// whether scored at once or finished from partials.
#[test]
fn a_score_table_is_the_whole_reports_units() {
    let engine = Engine::fushan();
    let ledger = crate::sim::simulate_month(&engine, 2026, 3, 3_000, 11).ledger;
    let rows = engine.outcomes(&ledger);
    let batches = [batch(&engine, &rows, Style::Typed)];
    let request = r#"{"month": "2026-03", "budget_fen": 1000000}"#;
    let whole = super::score::score_outcomes_report(&engine, &batches, request).unwrap();
    assert!(
        whole.common_demands.len() > 3,
        "{} common demands",
        whole.common_demands.len()
    );
    for level in [
        None,
        Some(super::score::UnitLevel::Worker),
        Some(super::score::UnitLevel::Community),
        Some(super::score::UnitLevel::Office),
    ] {
        let (schema, table) =
            super::score::score_outcomes(&engine, &batches, request, level).unwrap();
        let (whole_schema, whole_table) = super::score::report_units(&whole, level).unwrap();
        assert_eq!(schema, whole_schema, "{level:?}");
        assert_eq!(table, whole_table, "{level:?}");
    }
    // The same from partials: two partitions' partials merged and finished.
    let month = r#"{"month": "2026-03"}"#;
    let (first, second) = rows.split_at(rows.len() / 3);
    let parts: Vec<_> = [first, second]
        .iter()
        .map(|part| {
            let (schema, batch) = super::partial::score_partial(
                &engine,
                &[batch(&engine, part, Style::Typed)],
                month,
            )
            .unwrap();
            (schema, vec![batch])
        })
        .collect();
    let (schema, merged) = super::partial::merge_partials(&engine, &parts).unwrap();
    let merged = [merged];
    let finished = super::partial::score_finish_report(&engine, &schema, &merged, request).unwrap();
    assert_eq!(
        crate::text::to_json(&finished),
        crate::text::to_json(&whole)
    );
    for level in [None, Some(super::score::UnitLevel::Worker)] {
        let (table_schema, table) =
            super::partial::score_finish(&engine, &schema, &merged, request, level).unwrap();
        let (whole_schema, whole_table) = super::score::report_units(&whole, level).unwrap();
        assert_eq!(table_schema, whole_schema, "{level:?}");
        assert_eq!(table, whole_table, "{level:?}");
    }
}
