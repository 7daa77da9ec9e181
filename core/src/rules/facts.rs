//! The columns a table reads and a case's facts as their values, read once per case.

use super::Vocab;
use super::cell::{self, ColumnKind, Fact};
use super::spec::Datatype;

use crate::case::{AttrValue, Case};
use crate::fixed::Fixed2;
use crate::time::Timestamp;

/// The most offices a version's tables may name.
pub(crate) const MAX_OFFICES: usize = 64;

/// A case fact a column reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    Category,
    Channel,
    PeopleInvolved,
    AmountYuan,
    RepeatCount,
    RiskFlags,
    Community,
    Attr(usize),
}

/// The column names a table may use, for messages.
pub(crate) const BUILTIN_COLUMNS: &[&str] = &[
    "category",
    "channel",
    "people_involved",
    "amount_yuan",
    "repeat_count",
    "risk_flags",
    "community",
];

impl Column {
    pub(crate) fn parse(name: &str, vocab: &Vocab) -> Option<Column> {
        Some(match name.trim() {
            "category" => Column::Category,
            "channel" => Column::Channel,
            "people_involved" => Column::PeopleInvolved,
            "amount_yuan" => Column::AmountYuan,
            "repeat_count" => Column::RepeatCount,
            "risk_flags" => Column::RiskFlags,
            "community" => Column::Community,
            other => {
                let code = other.strip_prefix("attr.")?;
                Column::Attr(
                    vocab
                        .attributes
                        .iter()
                        .position(|a| a.code.as_str() == code)?,
                )
            }
        })
    }

    /// Where an index or number fact sits in [`Facts`]' values: the five built-in columns,
    /// then the attributes read ahead (`preloaded`, the version's attribute columns).
    #[inline]
    pub(crate) fn value_pos(self, preloaded: &[usize]) -> Option<u8> {
        match self {
            Column::Category => Some(0),
            Column::Channel => Some(1),
            Column::PeopleInvolved => Some(2),
            Column::AmountYuan => Some(3),
            Column::RepeatCount => Some(4),
            Column::Attr(i) => preloaded
                .iter()
                .take(PRELOADED_ATTRS)
                .position(|a| *a == i)
                .and_then(|k| u8::try_from(5 + k).ok()),
            Column::RiskFlags | Column::Community => None,
        }
    }

    pub(crate) fn kind(self, vocab: &Vocab) -> ColumnKind {
        match self {
            Column::Category => ColumnKind::Choice(vocab.categories.clone()),
            Column::Channel => ColumnKind::Choice(vocab.channels.clone()),
            Column::PeopleInvolved | Column::RepeatCount => ColumnKind::Number { scale: 1, min: 0 },
            Column::AmountYuan => ColumnKind::Number { scale: 100, min: 0 },
            Column::RiskFlags => ColumnKind::Set(vocab.risk_flags.clone()),
            Column::Community => ColumnKind::Text,
            Column::Attr(i) => match vocab.attributes.get(i) {
                Some(a) => match a.datatype {
                    Datatype::String | Datatype::Text => ColumnKind::Text,
                    Datatype::Number => ColumnKind::Number {
                        scale: 100,
                        min: i64::MIN,
                    },
                    Datatype::Datetime => ColumnKind::DateTime,
                    Datatype::Singlevaluelist => {
                        ColumnKind::Choice(a.values.iter().map(ToString::to_string).collect())
                    }
                    Datatype::Multivaluelist => {
                        ColumnKind::Set(a.values.iter().map(ToString::to_string).collect())
                    }
                    Datatype::Boolean => ColumnKind::Choice(vec!["false".into(), "true".into()]),
                },
                None => ColumnKind::Text,
            },
        }
    }
}

/// The facts of one case, resolved once for all tables.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Facts<'a> {
    /// The index and number facts by value position (see [`Column::value_pos`]):
    /// category, channel, people involved, amount in fen, repeat count, then the attributes
    /// read ahead (the ones the version's tables test), so that evaluation does not go back
    /// to the case. A multi-value attribute is held as a bit mask.
    pub(super) vals: [i64; VALUES],
    pub(crate) risk: u64,
    pub(crate) community: &'a str,
    /// The case's attributes, read when a table tests one not read ahead.
    pub(crate) attributes: &'a Attributes,
    pub(crate) vocab: &'a Vocab,
    /// The attributes read ahead, by index (`u16::MAX` for none).
    pub(super) attr_ids: [u16; PRELOADED_ATTRS],
    /// Value positions whose fact is missing.
    pub(super) missing: u8,
}

/// How many attribute facts are read ahead when a case is prepared.
pub(crate) const PRELOADED_ATTRS: usize = 2;

/// Value positions: category, channel, people, amount, repeats, then preloaded attributes.
pub(super) const VALUES: usize = 5 + PRELOADED_ATTRS;

pub(crate) use crate::case::Attributes;

/// No attributes: what a row of a table without any reads.
#[cfg(feature = "arrow")]
pub(crate) static NO_ATTRIBUTES: Attributes = Attributes::new();

/// What the tables read of a case besides its category, channel, community and risk
/// flags: from a [`Case`], or from the cells of a table row without building one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CaseFacts<'a> {
    pub(crate) people_involved: u32,
    pub(crate) amount_fen: i64,
    pub(crate) repeat_count: u32,
    pub(crate) attributes: &'a Attributes,
}

impl<'a> CaseFacts<'a> {
    /// The facts of a case.
    #[inline]
    pub(crate) fn of(case: &'a Case) -> Self {
        Self {
            people_involved: case.people_involved,
            amount_fen: case.amount_yuan.hundredths(),
            repeat_count: case.repeat_count,
            attributes: &case.attributes,
        }
    }
}

impl<'a> Facts<'a> {
    /// The facts of a case, with the positions of its category and channel in the rule
    /// set's vocabularies; `attrs` are the attribute indices to read ahead.
    #[inline]
    pub(crate) fn new(
        case: CaseFacts<'a>,
        (category, channel): (usize, usize),
        community: &'a str,
        risk: u64,
        vocab: &'a Vocab,
        attrs: &[usize],
    ) -> Self {
        let mut vals = [0i64; VALUES];
        vals[0] = i64::try_from(category).unwrap_or(i64::MAX);
        vals[1] = i64::try_from(channel).unwrap_or(i64::MAX);
        vals[2] = i64::from(case.people_involved);
        vals[3] = case.amount_fen;
        vals[4] = i64::from(case.repeat_count);
        let mut f = Facts {
            vals,
            risk,
            community,
            attributes: case.attributes,
            vocab,
            attr_ids: [u16::MAX; PRELOADED_ATTRS],
            missing: 0,
        };
        for (slot, &a) in attrs.iter().take(PRELOADED_ATTRS).enumerate() {
            let value = match f.lookup_attr(a) {
                Fact::Index(i) => i64::try_from(i).ok(),
                Fact::Int(x) => Some(x),
                Fact::Mask(m) => Some(m as i64),
                // Text attributes are read from the case when a table tests them.
                Fact::Text(_) | Fact::Missing => None,
            };
            let pos = 5 + slot;
            match value {
                Some(v) => {
                    if let (Some(id), Some(val)) = (f.attr_ids.get_mut(slot), f.vals.get_mut(pos)) {
                        *id = u16::try_from(a).unwrap_or(u16::MAX);
                        *val = v;
                    }
                }
                None => {
                    if let Some(id) = f.attr_ids.get_mut(slot) {
                        *id = u16::try_from(a).unwrap_or(u16::MAX);
                    }
                    f.missing |= 1 << pos;
                }
            }
        }
        f
    }

    /// The category index.
    #[inline]
    pub(crate) fn category(&self) -> usize {
        usize::try_from(self.vals[0]).unwrap_or(usize::MAX)
    }

    #[inline]
    pub(crate) fn fact(&self, col: Column) -> Fact<'a> {
        match col {
            Column::Category => Fact::Index(self.category()),
            Column::Channel => Fact::Index(usize::try_from(self.vals[1]).unwrap_or(usize::MAX)),
            Column::PeopleInvolved => Fact::Int(self.vals[2]),
            Column::AmountYuan => Fact::Int(self.vals[3]),
            Column::RepeatCount => Fact::Int(self.vals[4]),
            Column::RiskFlags => Fact::Mask(self.risk),
            Column::Community => Fact::Text(self.community),
            Column::Attr(i) => self.attr(i),
        }
    }

    #[inline]
    pub(super) fn attr(&self, i: usize) -> Fact<'a> {
        for (slot, id) in self.attr_ids.iter().enumerate() {
            if usize::from(*id) != i {
                continue;
            }
            let pos = 5 + slot;
            if self.missing & (1 << pos) != 0 {
                // Missing, or text: read from the case.
                return self.lookup_attr(i);
            }
            let v = self.vals.get(pos).copied().unwrap_or(0);
            return match self.vocab.attributes.get(i).map(|a| a.datatype) {
                Some(Datatype::Singlevaluelist | Datatype::Boolean) => {
                    Fact::Index(usize::try_from(v).unwrap_or(usize::MAX))
                }
                Some(Datatype::Multivaluelist) => Fact::Mask(v as u64),
                _ => Fact::Int(v),
            };
        }
        self.lookup_attr(i)
    }

    pub(super) fn lookup_attr(&self, i: usize) -> Fact<'a> {
        let Some(spec) = self.vocab.attributes.get(i) else {
            return Fact::Missing;
        };
        let Some(value) = self.attributes.get(spec.code.as_str()) else {
            return Fact::Missing;
        };
        match (spec.datatype, value) {
            (Datatype::String | Datatype::Text, AttrValue::Text(t)) => Fact::Text(t),
            (Datatype::Number, AttrValue::Number(n)) => Fact::Int(n.hundredths()),
            (Datatype::Number, AttrValue::Text(t)) => t
                .parse::<Fixed2>()
                .map_or(Fact::Missing, |n| Fact::Int(n.hundredths())),
            (Datatype::Datetime, AttrValue::Text(t)) => t
                .parse::<Timestamp>()
                .map_or(Fact::Missing, |ts| Fact::Int(ts.unix())),
            (Datatype::Singlevaluelist, AttrValue::Text(t)) => spec
                .values
                .iter()
                .position(|v| v.as_str() == t)
                .map_or(Fact::Missing, Fact::Index),
            (Datatype::Multivaluelist, AttrValue::List(items)) => {
                let mut mask = 0u64;
                for item in items {
                    if let Some(p) = spec.values.iter().position(|v| v.as_str() == item) {
                        mask |= 1u64.checked_shl(p as u32).unwrap_or(0);
                    }
                }
                Fact::Mask(mask)
            }
            (Datatype::Boolean, AttrValue::Bool(b)) => Fact::Index(usize::from(*b)),
            _ => Fact::Missing,
        }
    }

    /// The fact as text, for traces.
    pub(crate) fn describe(&self, col: Column) -> String {
        match self.fact(col) {
            Fact::Index(i) => match col.kind(self.vocab) {
                ColumnKind::Choice(names) => names.get(i).cloned().unwrap_or_default(),
                _ => i.to_string(),
            },
            Fact::Int(v) => match col.kind(self.vocab) {
                ColumnKind::Number { scale, .. } => cell::describe_number(v, scale),
                ColumnKind::DateTime => {
                    Timestamp::from_unix(v, crate::time::Offset::UTC).to_string()
                }
                _ => v.to_string(),
            },
            Fact::Mask(m) => match col.kind(self.vocab) {
                ColumnKind::Set(names) => {
                    let set: Vec<_> = names
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| m & (1u64 << i) != 0)
                        .map(|(_, n)| n.as_str())
                        .collect();
                    if set.is_empty() {
                        "none".to_owned()
                    } else {
                        set.join(", ")
                    }
                }
                _ => m.to_string(),
            },
            Fact::Text(t) => t.to_owned(),
            Fact::Missing => "(not given)".to_owned(),
        }
    }
}
