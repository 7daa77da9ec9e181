//! The documents of Open311 GeoReport v2, as the spec names their fields, with their JSON
//! form (serde) and their XML form (`xml.rs`).
//!
//! Reading is lenient where the spec's own examples are: ids, codes and keys may be JSON
//! numbers or strings (`"service_code":001` in the spec's examples is not valid JSON, but
//! `"service_request_id":293944` is), and `null` is the same as absent. Writing is exact:
//! ids are strings, absent fields are left out, datetimes carry their offset.

use serde::{Deserialize, Deserializer, Serialize};

/// Text that may be written as a JSON string or number (`"key": 123` in the spec's
/// examples); `null` reads as absent.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text_or_number(d).map(Option::unwrap_or_default)
}

/// One service (a case category): `GET services`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// The category id.
    #[serde(deserialize_with = "required_text")]
    pub service_code: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// A brief description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it has attributes (a service definition to fetch).
    pub metadata: bool,
    /// `realtime`: a request gets its id at once.
    #[serde(rename = "type")]
    pub kind: String,
    /// Comma-separated keywords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// The group it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// One option of a list attribute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// The value sent.
    #[serde(deserialize_with = "required_text")]
    pub key: String,
    /// Its human-readable name.
    #[serde(deserialize_with = "required_text")]
    pub name: String,
}

/// One attribute of a service definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// `true`: the user gives a value.
    pub variable: bool,
    /// The attribute's code (`attribute[code]` in a request).
    #[serde(deserialize_with = "required_text")]
    pub code: String,
    /// `string`, `number`, `datetime`, `text`, `singlevaluelist` or `multivaluelist`.
    pub datatype: String,
    /// Whether a request must give it.
    pub required: bool,
    /// How to give a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datatype_description: Option<String>,
    /// Its place in the form, from 1.
    pub order: u32,
    /// What it asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The options of a list attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<AttributeValue>,
}

/// `GET services/{code}`: the attributes of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceDefinition {
    /// The service.
    #[serde(deserialize_with = "required_text")]
    pub service_code: String,
    /// Its attributes, in order.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
}

/// One step of a request's public timeline: the widely used `notes` extension.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// When, with its offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datetime: Option<String>,
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The kind of step (gridgov's event type).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A service request: an element of `GET requests`, and (with only its id, notice and
/// account) the answer to `POST requests`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceRequest {
    /// The case id.
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_request_id: Option<String>,
    /// A token instead of an id (not used by gridgov, read for completeness).
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub token: Option<String>,
    /// `open` or `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// More on the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    /// The category's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// The category id.
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_code: Option<String>,
    /// What the resident wrote (personal data masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The unit or office handling it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_responsible: Option<String>,
    /// What will be done, and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_notice: Option<String>,
    /// When it was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_datetime: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_datetime: Option<String>,
    /// Its deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_datetime: Option<String>,
    /// Where, as names from the micro-grid up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Where, as the unit id.
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub address_id: Option<String>,
    /// Postal code.
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub zipcode: Option<String>,
    /// Latitude, WGS-84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, WGS-84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long: Option<f64>,
    /// A photo or other media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// The account that submitted it (POST answers).
    #[serde(
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<String>,
    /// The public timeline (`notes` extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// One error, as Open311 reports them: a code (the HTTP status in most cases) and a
/// description for the user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// 400 for a request that cannot be taken, 404 for an unknown service.
    pub code: u16,
    /// What is wrong, naming the field, and what would be valid.
    pub description: String,
}

/// A GeoReport v2 document of any kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// `<services>` / a JSON array of services.
    Services(Vec<Service>),
    /// `<service_definition>` / a JSON object.
    ServiceDefinition(ServiceDefinition),
    /// `<service_requests>` / a JSON array of requests.
    Requests(Vec<ServiceRequest>),
    /// `<errors>` / a JSON array of errors.
    Errors(Vec<ErrorItem>),
}

/// The two formats of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Required by the spec.
    Xml,
    /// Optional in the spec (the Spark convention).
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "xml" => Ok(Self::Xml),
            "json" => Ok(Self::Json),
            _ => Err(format!(
                "unknown format `{}`; valid: xml, json",
                crate::text::truncate_for_message(s)
            )),
        }
    }
}
