//! Arrow columns read as the core's values: one input column typed once per batch, and
//! its cells as text, whole numbers, exact amounts, instants or the typed cells of an
//! outcome row. Dictionary columns (pandas categoricals, polars `Categorical`) are read
//! through their dictionaries.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, LargeStringArray, PrimitiveArray, RecordBatch,
    StringArray, StringViewArray,
};
use arrow_schema::{DataType, TimeUnit};
use rustc_hash::FxHashMap;

use crate::batch::Reported;
use crate::fixed::Fixed2;
use crate::score::Cell;
use crate::time::Zone;

/// One input column, typed once per batch.
pub(crate) enum Col<'a> {
    /// Not in the table, or all null.
    Missing,
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    View(&'a StringViewArray),
    Dict {
        array: &'a dyn Array,
        keys: Vec<usize>,
        values: Box<Col<'a>>,
    },
    Bool(&'a BooleanArray),
    I8(&'a PrimitiveArray<Int8Type>),
    I16(&'a PrimitiveArray<Int16Type>),
    I32(&'a PrimitiveArray<Int32Type>),
    I64(&'a PrimitiveArray<Int64Type>),
    U8(&'a PrimitiveArray<UInt8Type>),
    U16(&'a PrimitiveArray<UInt16Type>),
    U32(&'a PrimitiveArray<UInt32Type>),
    U64(&'a PrimitiveArray<UInt64Type>),
    F32(&'a PrimitiveArray<Float32Type>),
    F64(&'a PrimitiveArray<Float64Type>),
    Decimal(&'a Decimal128Array, i8),
    /// Seconds per value as (multiplier, divisor), and the zone: `None` for local time.
    Time {
        values: TimeValues<'a>,
        offset: Option<Zone>,
    },
    /// A type no column of gridgov reads.
    Other(&'a DataType),
}

pub(crate) enum TimeValues<'a> {
    S(&'a PrimitiveArray<TimestampSecondType>),
    Ms(&'a PrimitiveArray<TimestampMillisecondType>),
    Us(&'a PrimitiveArray<TimestampMicrosecondType>),
    Ns(&'a PrimitiveArray<TimestampNanosecondType>),
}

/// A text column whose values are resolved once per distinct value.
pub(crate) struct Names<'c, 'a, T: Copy> {
    col: &'c Col<'a>,
    /// By dictionary key, for a dictionary column.
    by_key: Vec<Option<T>>,
    /// By [`ShortText`], for the texts of a plain string column of at most 16 bytes (ids,
    /// names, categories): found without hashing the text's bytes one by one or calling
    /// `memcmp` to compare them, which took most of a row's time in a plain column.
    by_short: FxHashMap<ShortText, T>,
    /// By text, for the longer texts of a plain string column.
    by_text: FxHashMap<&'a str, T>,
}

/// A text of at most 16 bytes as two words and its length, which together are the text:
/// its first eight bytes and the rest, each read as a little-endian number with zero
/// bytes past the end. Two texts have equal keys just when they are equal (tested in
/// `short_texts_are_their_text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ShortText(u64, u64, u8);

impl ShortText {
    /// The key of `text`, when it is at most 16 bytes long. Each word is read in at most
    /// two loads from the text itself (overlapping, for a length that is not a multiple
    /// of the word's), not byte by byte.
    #[inline(always)]
    pub(crate) fn of(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let n = b.len();
        let word = |from: usize| {
            b.get(from..from + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(0, u64::from_le_bytes)
        };
        let half = |from: usize| {
            b.get(from..from + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
        };
        let byte = |at: usize| b.get(at).map_or(0, |v| u64::from(*v));
        // The bytes `0..k` (k ≤ 8) as a word: two reads that together cover them, the
        // second shifted to where its bytes belong (where they overlap the first, the
        // bytes are the same, so or-ing them changes nothing).
        let head = |k: usize| match k {
            0 => 0,
            1..=3 => byte(0) | byte(k / 2) << (8 * (k / 2)) | byte(k - 1) << (8 * (k - 1)),
            4..=7 => half(0) | half(k - 4) << (8 * (k - 4)),
            _ => word(0),
        };
        let (first, rest) = match n {
            0..=8 => (head(n), 0),
            // The last eight bytes, shifted down past the ones the first word holds.
            9..=16 => (word(0), word(n - 8) >> (8 * (16 - n))),
            _ => return None,
        };
        Some(Self(first, rest, u8::try_from(n).ok()?))
    }
}

impl<'c, 'a, T: Copy> Names<'c, 'a, T> {
    pub(crate) fn new(col: &'c Col<'a>) -> Self {
        Self {
            col,
            by_key: Vec::new(),
            by_short: FxHashMap::default(),
            by_text: FxHashMap::default(),
        }
    }

    /// The value of row `row` resolved by `resolve` from its text (once per distinct
    /// text): `Some(None)` for an empty cell, `None` for a cell that is not text (the
    /// row reader names it).
    #[inline(always)]
    pub(crate) fn get(
        &mut self,
        row: usize,
        resolve: impl FnOnce(&'a str) -> T,
    ) -> Option<Option<T>> {
        match self.col {
            Col::Dict {
                array,
                keys,
                values,
            } => {
                if array.is_null(row) {
                    return Some(None);
                }
                let k = *keys.get(row)?;
                if let Some(Some(v)) = self.by_key.get(k) {
                    return Some(Some(*v));
                }
                let Some(text) = values.str(k, "").ok()? else {
                    return Some(None);
                };
                let v = resolve(text);
                if k >= self.by_key.len() {
                    self.by_key.resize(k + 1, None);
                }
                if let Some(slot) = self.by_key.get_mut(k) {
                    *slot = Some(v);
                }
                Some(Some(v))
            }
            col => {
                let Some(text) = col.str(row, "").ok()? else {
                    return Some(None);
                };
                if let Some(short) = ShortText::of(text) {
                    return Some(Some(
                        *self.by_short.entry(short).or_insert_with(|| resolve(text)),
                    ));
                }
                if let Some(v) = self.by_text.get(text) {
                    return Some(Some(*v));
                }
                let v = resolve(text);
                self.by_text.insert(text, v);
                Some(Some(v))
            }
        }
    }
}

/// A cell that is there but cannot be read as the column requires.
pub(crate) struct CellError {
    pub(crate) column: &'static str,
    pub(crate) reason: String,
}

impl<'a> Col<'a> {
    /// The column `name` of `batch`, typed; an Arrow timestamp's zone is read here.
    pub(crate) fn of(batch: &'a RecordBatch, name: &'static str) -> Result<Self, CellError> {
        match batch.column_by_name(name) {
            None => Ok(Col::Missing),
            Some(a) => Self::typed(a.as_ref(), name),
        }
    }

    fn typed(a: &'a dyn Array, name: &'static str) -> Result<Self, CellError> {
        let dt = a.data_type();
        Ok(match dt {
            DataType::Null => Col::Missing,
            DataType::Utf8 => Col::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Col::LargeUtf8(a.as_string::<i64>()),
            DataType::Utf8View => Col::View(a.as_string_view()),
            DataType::Dictionary(_, _) => match a.as_any_dictionary_opt() {
                // No values: every key is null (Arrow refuses any other key), so the
                // column is all null.
                Some(d) if d.values().is_empty() => Col::Missing,
                Some(d) => Col::Dict {
                    array: a,
                    keys: d.normalized_keys(),
                    values: Box::new(Self::typed(d.values().as_ref(), name)?),
                },
                None => Col::Other(dt),
            },
            DataType::Boolean => Col::Bool(a.as_boolean()),
            DataType::Int8 => Col::I8(a.as_primitive()),
            DataType::Int16 => Col::I16(a.as_primitive()),
            DataType::Int32 => Col::I32(a.as_primitive()),
            DataType::Int64 => Col::I64(a.as_primitive()),
            DataType::UInt8 => Col::U8(a.as_primitive()),
            DataType::UInt16 => Col::U16(a.as_primitive()),
            DataType::UInt32 => Col::U32(a.as_primitive()),
            DataType::UInt64 => Col::U64(a.as_primitive()),
            DataType::Float32 => Col::F32(a.as_primitive()),
            DataType::Float64 => Col::F64(a.as_primitive()),
            DataType::Decimal128(_, scale) => Col::Decimal(a.as_primitive(), *scale),
            DataType::Timestamp(unit, tz) => {
                let offset = match tz {
                    None => None,
                    // A named zone of one offset (`UTC`) is read as that offset: the same
                    // instants and offsets, without a look-up per value.
                    Some(tz) => Some(
                        tz.parse::<Zone>()
                            .map(|z| z.constant_offset().map_or(z, Zone::Fixed))
                            .map_err(|e| CellError {
                                column: name,
                                reason: e.to_string(),
                            })?,
                    ),
                };
                let values = match unit {
                    TimeUnit::Second => TimeValues::S(a.as_primitive()),
                    TimeUnit::Millisecond => TimeValues::Ms(a.as_primitive()),
                    TimeUnit::Microsecond => TimeValues::Us(a.as_primitive()),
                    TimeUnit::Nanosecond => TimeValues::Ns(a.as_primitive()),
                };
                Col::Time { values, offset }
            }
            other => Col::Other(other),
        })
    }

    #[inline(always)]
    pub(crate) fn is_null(&self, i: usize) -> bool {
        match self {
            Col::Missing => true,
            Col::Utf8(a) => a.is_null(i),
            Col::LargeUtf8(a) => a.is_null(i),
            Col::View(a) => a.is_null(i),
            Col::Dict {
                array,
                keys,
                values,
            } => array.is_null(i) || keys.get(i).is_none_or(|k| values.is_null(*k)),
            Col::Bool(a) => a.is_null(i),
            Col::I8(a) => a.is_null(i),
            Col::I16(a) => a.is_null(i),
            Col::I32(a) => a.is_null(i),
            Col::I64(a) => a.is_null(i),
            Col::U8(a) => a.is_null(i),
            Col::U16(a) => a.is_null(i),
            Col::U32(a) => a.is_null(i),
            Col::U64(a) => a.is_null(i),
            Col::F32(a) => a.is_null(i),
            Col::F64(a) => a.is_null(i),
            Col::Decimal(a, _) => a.is_null(i),
            Col::Time { values, .. } => match values {
                TimeValues::S(a) => a.is_null(i),
                TimeValues::Ms(a) => a.is_null(i),
                TimeValues::Us(a) => a.is_null(i),
                TimeValues::Ns(a) => a.is_null(i),
            },
            Col::Other(_) => false,
        }
    }

    /// The text of a string column (`None` for null); other types are an error.
    pub(crate) fn str(&self, i: usize, name: &'static str) -> Result<Option<&'a str>, CellError> {
        if self.is_null(i) {
            return Ok(None);
        }
        Ok(Some(match self {
            Col::Utf8(a) => a.value(i),
            Col::LargeUtf8(a) => a.value(i),
            Col::View(a) => a.value(i),
            Col::Dict { keys, values, .. } => {
                return match keys.get(i) {
                    Some(k) => values.str(*k, name),
                    None => Ok(None),
                };
            }
            other => {
                return Err(CellError {
                    column: name,
                    reason: format!(
                        "is a column of {}; text (a string column) is required",
                        other.type_name()
                    ),
                });
            }
        }))
    }

    /// A whole number: integer columns, floats without a fraction, or text.
    pub(crate) fn int(&self, i: usize, name: &'static str) -> Result<Option<i128>, CellError> {
        if self.is_null(i) {
            return Ok(None);
        }
        let bad = |reason: String| CellError {
            column: name,
            reason,
        };
        let float = |v: f64| {
            if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
                // Exact: a float without a fraction below 2^53 is a whole number.
                #[allow(clippy::cast_possible_truncation)]
                Ok(Some(v as i128))
            } else {
                Err(bad(format!("`{v}` is not a whole number")))
            }
        };
        match self {
            Col::I8(a) => Ok(Some(a.value(i).into())),
            Col::I16(a) => Ok(Some(a.value(i).into())),
            Col::I32(a) => Ok(Some(a.value(i).into())),
            Col::I64(a) => Ok(Some(a.value(i).into())),
            Col::U8(a) => Ok(Some(a.value(i).into())),
            Col::U16(a) => Ok(Some(a.value(i).into())),
            Col::U32(a) => Ok(Some(a.value(i).into())),
            Col::U64(a) => Ok(Some(a.value(i).into())),
            Col::F32(a) => float(f64::from(a.value(i))),
            Col::F64(a) => float(a.value(i)),
            Col::Bool(_) | Col::Decimal(..) | Col::Time { .. } | Col::Other(_) => {
                Err(bad(format!(
                    "is a column of {}; whole numbers are required",
                    self.type_name()
                )))
            }
            _ => match self.str(i, name)? {
                None => Ok(None),
                Some(s) => s
                    .trim()
                    .parse::<i128>()
                    .map(Some)
                    .map_err(|_| bad(format!("`{}` is not a whole number", short(s)))),
            },
        }
    }

    /// A count that fits `u32`.
    pub(crate) fn count(&self, i: usize, name: &'static str) -> Result<Option<u32>, CellError> {
        match self.int(i, name)? {
            None => Ok(None),
            Some(v) => u32::try_from(v).map(Some).map_err(|_| CellError {
                column: name,
                reason: format!("{v} is out of range; a count from 0 to {}", u32::MAX),
            }),
        }
    }

    /// An amount exact to two places: integers (whole yuan), decimals, floats with at most
    /// two places, or text.
    pub(crate) fn fixed2(&self, i: usize, name: &'static str) -> Result<Option<Fixed2>, CellError> {
        if self.is_null(i) {
            return Ok(None);
        }
        let bad = |reason: String| CellError {
            column: name,
            reason,
        };
        let parse = |s: &str| {
            s.parse::<Fixed2>()
                .map(Some)
                .map_err(|e| bad(e.to_string()))
        };
        match self {
            Col::F32(_) | Col::F64(_) => {
                let v = match self {
                    Col::F32(a) => f64::from(a.value(i)),
                    Col::F64(a) => a.value(i),
                    _ => f64::NAN,
                };
                if v.is_finite() {
                    // The shortest text that reads back as the same float: `1500.5`, or
                    // `0.30000000000000004`, which is refused rather than rounded.
                    parse(&v.to_string())
                } else {
                    Err(bad(format!("`{v}` is not an amount")))
                }
            }
            Col::Decimal(a, scale) => {
                let (v, scale) = (a.value(i), i32::from(*scale));
                // Hundredths without text: exact, or refused when finer than a fen.
                let hundredths = if scale <= 2 {
                    10i128
                        .checked_pow((2 - scale).unsigned_abs())
                        .and_then(|f| v.checked_mul(f))
                } else {
                    let f = 10i128.checked_pow((scale - 2).unsigned_abs());
                    f.filter(|f| v % f == 0).map(|f| v / f)
                };
                match hundredths.and_then(|h| i64::try_from(h).ok()) {
                    Some(h) if h.abs() <= crate::fixed::MAX_HUNDREDTHS => {
                        Ok(Some(Fixed2::from_hundredths(h)))
                    }
                    _ => parse(&decimal_text(a.value(i), i8::try_from(scale).unwrap_or(0))),
                }
            }
            Col::Bool(_) | Col::Time { .. } | Col::Other(_) => Err(bad(format!(
                "is a column of {}; an amount (number or text) is required",
                self.type_name()
            ))),
            Col::Utf8(_) | Col::LargeUtf8(_) | Col::View(_) | Col::Dict { .. } => {
                match self.str(i, name)? {
                    None => Ok(None),
                    Some(s) => parse(s),
                }
            }
            _ => match self.int(i, name)? {
                None => Ok(None),
                Some(v) => i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(100))
                    .filter(|h| h.abs() <= crate::fixed::MAX_HUNDREDTHS)
                    .map(|h| Some(Fixed2::from_hundredths(h)))
                    .ok_or_else(|| bad(format!("{v} is too large an amount"))),
            },
        }
    }

    /// An instant: RFC 3339 text, or a timestamp column (a zone-less one is local time in
    /// `local`).
    pub(crate) fn time(
        &self,
        i: usize,
        name: &'static str,
        local: Zone,
    ) -> Result<Option<Reported<'a>>, CellError> {
        if self.is_null(i) {
            return Ok(None);
        }
        match self {
            Col::Time { values, offset } => {
                let secs = match values {
                    TimeValues::S(a) => a.value(i),
                    TimeValues::Ms(a) => a.value(i).div_euclid(1_000),
                    TimeValues::Us(a) => a.value(i).div_euclid(1_000_000),
                    TimeValues::Ns(a) => a.value(i).div_euclid(1_000_000_000),
                };
                Ok(Some(Reported::At(match offset {
                    Some(z) => z.timestamp(secs),
                    // Zone-less values are wall-clock readings in the calendar's zone.
                    None => local.timestamp(local.unix_of_local(secs)),
                })))
            }
            _ => Ok(self.str(i, name)?.map(Reported::Text)),
        }
    }

    /// The cell as the outcome table's reader takes it: text as it is (trimmed; blank is
    /// absent), whole numbers, booleans and instants typed.
    pub(crate) fn cell(
        &self,
        i: usize,
        name: &'static str,
        local: Zone,
    ) -> Result<Option<Cell<'a>>, CellError> {
        if self.is_null(i) {
            return Ok(None);
        }
        Ok(match self {
            Col::Utf8(_) | Col::LargeUtf8(_) | Col::View(_) | Col::Dict { .. } => self
                .str(i, name)?
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Cell::Text),
            Col::Bool(a) => Some(Cell::Bool(a.value(i))),
            Col::Time { .. } => match self.time(i, name, local)? {
                Some(Reported::At(t)) => Some(Cell::Time(t)),
                Some(Reported::Text(t)) => Some(Cell::Text(t)),
                None => None,
            },
            Col::Decimal(a, scale) => {
                let v = a.value(i);
                let factor = 10i128.checked_pow(u32::from(scale.unsigned_abs()));
                let whole = match factor {
                    Some(f) if *scale >= 0 => (v % f == 0).then(|| v / f),
                    Some(f) => v.checked_mul(f),
                    None => None,
                };
                match whole {
                    Some(n) => Some(Cell::Int(n)),
                    None => {
                        return Err(CellError {
                            column: name,
                            reason: format!("`{}` is not a whole number", decimal_text(v, *scale)),
                        });
                    }
                }
            }
            Col::Other(_) => {
                return Err(CellError {
                    column: name,
                    reason: format!(
                        "is a column of {}, which gridgov does not read",
                        self.type_name()
                    ),
                });
            }
            _ => self.int(i, name)?.map(Cell::Int),
        })
    }

    fn type_name(&self) -> String {
        match self {
            Col::Missing => "nulls".to_owned(),
            Col::Utf8(_) | Col::LargeUtf8(_) | Col::View(_) => "strings".to_owned(),
            Col::Dict { values, .. } => format!("dictionary-encoded {}", values.type_name()),
            Col::Bool(_) => "booleans".to_owned(),
            Col::F32(_) | Col::F64(_) => "floats".to_owned(),
            Col::Decimal(..) => "decimals".to_owned(),
            Col::Time { .. } => "timestamps".to_owned(),
            Col::Other(dt) => format!("type {dt}"),
            _ => "integers".to_owned(),
        }
    }
}

/// A decimal's text from its unscaled value and scale.
fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        let zeros = "0".repeat(usize::from(scale.unsigned_abs()));
        return format!("{v}{zeros}");
    }
    let digits = v.unsigned_abs().to_string();
    let scale = usize::from(scale.unsigned_abs());
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac}")
}

fn short(s: &str) -> String {
    crate::text::truncate_for_message(s)
}

/// An Arrow array from a finished builder.
pub(crate) fn finish<B: arrow_array::builder::ArrayBuilder>(mut b: B) -> ArrayRef {
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::StringArray;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Two texts of at most 16 bytes have the same [`ShortText`] just when they are
        /// the same text, and a longer one has none: over texts of every length to 20
        /// (the zero byte and non-ASCII text among their characters), each against a
        /// text of its own length with one character changed, one character shorter,
        /// and another drawn alike.
        #[test]
        fn short_texts_are_their_text(
            a in "[ab\u{0}é]{0,20}",
            other in "[ab\u{0}é]{0,20}",
            at in any::<usize>(),
            to in "[ab\u{0}é]",
        ) {
            let chars: Vec<char> = a.chars().collect();
            let mut changed = chars.clone();
            if let Some(c) = changed.get_mut(at % chars.len().max(1)) {
                *c = to.chars().next().unwrap_or('a');
            }
            let changed: String = changed.into_iter().collect();
            let shorter: String = chars.iter().take(chars.len().saturating_sub(1)).collect();
            let ka = ShortText::of(&a);
            prop_assert_eq!(ka.is_some(), a.len() <= 16);
            for b in [&changed, &shorter, &other] {
                let kb = ShortText::of(b);
                prop_assert_eq!(kb.is_some(), b.len() <= 16);
                if let (Some(ka), Some(kb)) = (ka, kb) {
                    prop_assert_eq!(ka == kb, a == *b, "{:?} {:?}", a, b);
                }
            }
        }

        /// A plain string column's names resolve as a map from each distinct text
        /// resolves them, each text resolved once, short and long texts alike.
        #[test]
        fn names_resolve_each_text_once(
            texts in proptest::collection::vec(proptest::option::of("[ab]{0,3}|[ab]{15,18}"), 0..80),
        ) {
            let array = StringArray::from(texts.clone());
            let col = Col::Utf8(&array);
            let mut names = Names::new(&col);
            let mut seen: Vec<String> = Vec::new();
            for (row, text) in texts.iter().enumerate() {
                let got = names.get(row, |t| {
                    seen.push(t.to_owned());
                    t.len() * 7 + t.bytes().filter(|b| *b == b'a').count()
                });
                let want = text.as_deref().map(|t| t.len() * 7 + t.bytes().filter(|b| *b == b'a').count());
                prop_assert_eq!(got, Some(want));
            }
            let mut distinct: Vec<String> = texts.iter().flatten().cloned().collect();
            distinct.sort();
            distinct.dedup();
            seen.sort();
            prop_assert_eq!(seen, distinct);
        }
    }
}
