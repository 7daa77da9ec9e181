//! Cases: what residents report, through which channel, where, and the facts that decide
//! how it is handled.
//!
//! A case is read from JSON (unknown fields rejected) and then checked against a rule set
//! (`RuleSet::check_case`, a layer above): its category, risk flags and per-category
//! attributes must be ones the rule set declares.

mod attributes;
mod due;
pub mod event;
mod index;
pub mod ledger;
mod log;
mod rare;
mod state;
#[cfg(feature = "sqlite")]
pub mod store;
pub mod timeline;
mod transition;
pub mod work;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thin_vec::ThinVec;

use crate::fixed::Fixed2;
use crate::id::{CaseId, Category, Name, UnitId};
use crate::time::Timestamp;

pub use crate::id::Channel;
pub use attributes::Attributes;

/// The channels a rule set has when it declares none: the six of the Fushan model, as
/// (id, Chinese name, English name).
pub const DEFAULT_CHANNELS: [(&str, &str, &str); 6] = [
    (
        "visit",
        "常态化入户走访",
        "a grid worker's routine household visit",
    ),
    (
        "app",
        "城市大数据综合治理平台 APP",
        "reported in the city governance app",
    ),
    (
        "hotline",
        "12345 政务服务热线",
        "the government-service hotline",
    ),
    ("petition", "信访", "a petition by letter or visit"),
    (
        "walk_in",
        "一站式服务窗口",
        "a walk-in at the one-stop service desk",
    ),
    (
        "lawyer_desk",
        "周四律师坐班",
        "the Thursday duty lawyer desk",
    ),
];

/// The longest free text accepted (summary, comments), in characters.
pub const MAX_TEXT: usize = 4000;

/// Who reported a case. Personal data: redacted in public timelines and analyst exports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Reporter {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub name: Option<arcstr::ArcStr>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub phone: Option<arcstr::ArcStr>,
    /// Resident ID number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub id_number: Option<arcstr::ArcStr>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub email: Option<arcstr::ArcStr>,
    /// The reporting system's account of the resident (Open311 `account_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub account_id: Option<arcstr::ArcStr>,
    /// The device the report came from (Open311 `device_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub device_id: Option<arcstr::ArcStr>,
}

/// The value of a per-category attribute, as given in the case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttrValue {
    /// `true` or `false`.
    Bool(bool),
    /// A number, exact to two decimal places.
    Number(Fixed2),
    /// Text: a string, a choice from a list, or a timestamp.
    Text(String),
    /// Several choices from a list.
    List(Vec<String>),
}

impl AttrValue {
    /// The JSON type name, for messages.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self {
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::Text(_) => "a string",
            Self::List(_) => "a list",
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Number(n) => s.collect_str(n),
            Self::Text(t) => s.serialize_str(t),
            Self::List(l) => l.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, a number, a string or a list of strings")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AttrValue, E> {
                Ok(AttrValue::Bool(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Fixed2::deserialize(serde::de::value::I64Deserializer::new(v))
                    .map(AttrValue::Number)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AttrValue, E> {
                Fixed2::deserialize(serde::de::value::U64Deserializer::new(v))
                    .map(AttrValue::Number)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<AttrValue, E> {
                Fixed2::deserialize(serde::de::value::F64Deserializer::new(v))
                    .map(AttrValue::Number)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AttrValue, E> {
                Ok(AttrValue::Text(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<AttrValue, E> {
                Ok(AttrValue::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AttrValue, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(AttrValue::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn one() -> u32 {
    1
}

pub(super) fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

/// A case as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Case {
    /// The id the reporting system gave it.
    pub id: CaseId,
    /// How it came in.
    pub channel: Channel,
    /// Its category, from the rule set's list.
    pub category: Category,
    /// Where: a micro-grid (or a building in one). A reporting system that has only a
    /// map point gives `point` instead, and the engine locates it
    /// ([`Engine::read_case`](crate::Engine::read_case)).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub location: UnitId,
    /// Where on the map, when the report came with a point (a phone's position, an
    /// Open311 request's `lat`/`long`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<crate::spatial::GeoPoint>,
    /// A photo or other media of the report (Open311 `media_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub media_url: Option<arcstr::ArcStr>,
    /// How many people are involved (default 1).
    #[serde(default = "one")]
    pub people_involved: u32,
    /// Money at stake, in yuan with up to two decimals (exact, in fen).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "string | number"))]
    pub amount_yuan: Fixed2,
    /// How many times the same matter was reported before (0 for a first report).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub repeat_count: u32,
    /// Risk flags from the rule set's list (`mass_incident`…).
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Name[]"))]
    pub risk_flags: ThinVec<Name>,
    /// Per-category attributes declared in the rule set.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, AttrValue>"))]
    pub attributes: Attributes,
    /// When it was reported, with the UTC offset it was reported in.
    pub reported_at: Timestamp,
    /// Who reported it (personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
    /// What it is about, in the reporter's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub summary: Option<arcstr::ArcStr>,
}

/// A case as a reporting system sends it: a [`Case`] whose `location` may be left out
/// when it gives a `point`, to be located on the organisation's map
/// ([`Engine::read_case`](crate::Engine::read_case)).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    /// As [`Case::id`].
    pub id: CaseId,
    /// As [`Case::channel`].
    pub channel: Channel,
    /// As [`Case::category`].
    pub category: Category,
    /// A micro-grid (or a building in one); may be left out when `point` is given.
    #[serde(default)]
    pub location: Option<UnitId>,
    /// A point on the map.
    #[serde(default)]
    pub point: Option<crate::spatial::GeoPoint>,
    /// As [`Case::media_url`].
    #[serde(default)]
    pub media_url: Option<String>,
    /// As [`Case::people_involved`].
    #[serde(default = "one")]
    pub people_involved: u32,
    /// As [`Case::amount_yuan`].
    #[serde(default)]
    pub amount_yuan: Fixed2,
    /// As [`Case::repeat_count`].
    #[serde(default)]
    pub repeat_count: u32,
    /// As [`Case::risk_flags`].
    #[serde(default)]
    pub risk_flags: Vec<Name>,
    /// As [`Case::attributes`].
    #[serde(default)]
    pub attributes: Attributes,
    /// As [`Case::reported_at`].
    pub reported_at: Timestamp,
    /// As [`Case::reporter`].
    #[serde(default)]
    pub reporter: Option<Reporter>,
    /// As [`Case::summary`].
    #[serde(default)]
    pub summary: Option<String>,
}

impl CaseInput {
    /// Reads a case from JSON.
    ///
    /// # Errors
    /// [`CaseError::Parse`] with line and column.
    pub fn from_json_str(json: &str) -> Result<Self, CaseError> {
        serde_json::from_str(json).map_err(|e| CaseError::parse(&e))
    }

    /// The case, its location given or found from its point by `locate`.
    ///
    /// # Errors
    /// [`CaseError::Invalid`] when it gives neither a location nor a point; what `locate`
    /// returns when the point cannot be placed.
    pub fn into_case<E: From<CaseError>>(
        self,
        locate: impl FnOnce(&crate::spatial::GeoPoint) -> Result<UnitId, E>,
    ) -> Result<Case, E> {
        let location = match (self.location, &self.point) {
            (Some(l), _) => l,
            (None, Some(p)) => locate(p)?,
            (None, None) => {
                return Err(CaseError::Invalid(vec![CaseProblem {
                    case: self.id.to_string(),
                    field: "location".to_owned(),
                    reason: "is missing; give a micro-grid id in `location` or a map `point` {\"lon\", \"lat\", \"crs\"}".to_owned(),
                }])
                .into());
            }
        };
        Ok(Case {
            id: self.id,
            channel: self.channel,
            category: self.category,
            location,
            point: self.point,
            media_url: self.media_url.map(arcstr::ArcStr::from),
            people_involved: self.people_involved,
            amount_yuan: self.amount_yuan,
            repeat_count: self.repeat_count,
            risk_flags: self.risk_flags.into(),
            attributes: self.attributes,
            reported_at: self.reported_at,
            reporter: self.reporter,
            summary: self.summary.map(arcstr::ArcStr::from),
        })
    }
}

/// One thing wrong with a case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("case `{case}`: field `{field}`: {reason}")]
pub struct CaseProblem {
    /// The case id.
    pub case: String,
    /// The field, e.g. `category` or `attributes.hazard_type`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub reason: String,
}

/// A case could not be read or does not fit the rule set and the organisation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// Not valid JSON, or not a case's shape.
    #[error("case does not parse at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// Fields that do not fit; every problem is listed.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<CaseProblem>),
}

impl CaseError {
    /// A stable snake_case code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "case_parse",
            Self::Invalid(_) => "case_invalid",
        }
    }

    /// A JSON parse error, with its line and column.
    fn parse(e: &serde_json::Error) -> Self {
        Self::Parse {
            line: e.line(),
            column: e.column(),
            message: crate::text::strip_position(&e.to_string()),
        }
    }

    /// The problems (empty for a parse error).
    #[must_use]
    pub fn problems(&self) -> &[CaseProblem] {
        match self {
            Self::Parse { .. } => &[],
            Self::Invalid(p) => p,
        }
    }
}

impl Case {
    /// Reads a case from JSON.
    ///
    /// # Errors
    /// [`CaseError::Parse`] with the line and column.
    pub fn from_json_str(json: &str) -> Result<Self, CaseError> {
        serde_json::from_str(json).map_err(|e| CaseError::parse(&e))
    }

    /// The reporter's name, as a list of the names to mask in free text (empty without one).
    pub(crate) fn reporter_names(&self) -> Vec<&str> {
        self.reporter
            .as_ref()
            .and_then(|r| r.name.as_deref())
            .into_iter()
            .collect()
    }

    /// Problems with the case that need no rule set: text lengths.
    pub(crate) fn check_text(&self, problems: &mut Vec<CaseProblem>) {
        for (field, max) in long_texts(
            self.summary.as_deref(),
            self.media_url.as_deref(),
            self.reporter.as_ref(),
        ) {
            problems.push(CaseProblem {
                case: self.id.to_string(),
                field: field.to_owned(),
                reason: format!("is longer than {max} characters"),
            });
        }
    }
}

/// The free texts of a case longer than their limits, each as its field and limit, in
/// field order: what [`Case::check_text`] reports, and what the readers that check a
/// case's text in place ask.
pub(crate) fn long_texts<'a>(
    summary: Option<&'a str>,
    media_url: Option<&'a str>,
    reporter: Option<&'a Reporter>,
) -> impl Iterator<Item = (&'static str, usize)> + 'a {
    let r = |f: fn(&Reporter) -> &Option<arcstr::ArcStr>| reporter.and_then(|r| f(r).as_deref());
    [
        ("summary", summary, MAX_TEXT),
        ("media_url", media_url, 2000),
        ("reporter.name", r(|r| &r.name), 200),
        ("reporter.phone", r(|r| &r.phone), 200),
        ("reporter.id_number", r(|r| &r.id_number), 200),
        ("reporter.email", r(|r| &r.email), 320),
        ("reporter.account_id", r(|r| &r.account_id), 200),
        ("reporter.device_id", r(|r| &r.device_id), 200),
    ]
    .into_iter()
    // A text no longer in bytes than the limit is within it in characters too.
    .filter(|(_, v, max)| v.is_some_and(|v| v.len() > *max && v.chars().count() > *max))
    .map(|(field, _, max)| (field, max))
}

crate::tsdecl::ts_alias!(AttrValue = "boolean | number | string | string[]");
