//! Cases as a table: what a simulation gives the analyst, ready for routing.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::cols::finish;

/// The schema of a table of cases as [`cases_table`] writes it and [`route_batches`](super::route_batches) reads it.
pub fn cases_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("channel", DataType::Utf8, false),
        Field::new("category", DataType::Utf8, false),
        Field::new("location", DataType::Utf8, false),
        Field::new("reported_at", DataType::Utf8, false),
        Field::new("people_involved", DataType::UInt32, false),
        Field::new("amount_yuan", DataType::Decimal128(18, 2), false),
        Field::new("repeat_count", DataType::UInt32, false),
        Field::new("risk_flags", DataType::Utf8, true),
        Field::new("attributes", DataType::Utf8, true),
    ]))
}

/// Cases as a table of the columns [`route_batches`](super::route_batches) reads (amounts as exact decimals).
///
/// # Errors
/// What Arrow says when a column cannot be built.
pub fn cases_table(cases: &[crate::Case]) -> Result<(SchemaRef, RecordBatch), String> {
    let mut id = StringBuilder::new();
    let mut channel = StringBuilder::new();
    let mut category = StringBuilder::new();
    let mut location = StringBuilder::new();
    let mut reported_at = StringBuilder::new();
    let mut people = UInt32Builder::new();
    let mut amount = Decimal128Builder::new()
        .with_precision_and_scale(18, 2)
        .map_err(|e| e.to_string())?;
    let mut repeat = UInt32Builder::new();
    let mut flags = StringBuilder::new();
    let mut attributes = StringBuilder::new();
    for c in cases {
        id.append_value(c.id.as_str());
        channel.append_value(c.channel.as_str());
        category.append_value(c.category.as_str());
        location.append_value(c.location.as_str());
        let _ = write!(reported_at, "{}", c.reported_at);
        reported_at.append_value("");
        people.append_value(c.people_involved);
        amount.append_value(i128::from(c.amount_yuan.hundredths()));
        repeat.append_value(c.repeat_count);
        if c.risk_flags.is_empty() {
            flags.append_null();
        } else {
            let names: Vec<&str> = c.risk_flags.iter().map(crate::id::Name::as_str).collect();
            flags.append_value(names.join(","));
        }
        if c.attributes.is_empty() {
            attributes.append_null();
        } else {
            attributes
                .append_value(serde_json::to_string(&c.attributes).map_err(|e| e.to_string())?);
        }
    }
    let schema = cases_schema();
    let cols: Vec<ArrayRef> = vec![
        finish(id),
        finish(channel),
        finish(category),
        finish(location),
        finish(reported_at),
        finish(people),
        finish(amount),
        finish(repeat),
        finish(flags),
        finish(attributes),
    ];
    let batch = RecordBatch::try_new(Arc::clone(&schema), cols).map_err(|e| e.to_string())?;
    Ok((schema, batch))
}
