//! The XML form of the GeoReport v2 documents (the spec's required format), read and
//! written with `quick-xml`: schemaless, no namespace, UTF-8, elements in the spec's order,
//! absent fields left out.

use std::io::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::reader::Reader;

use super::model::{
    Attribute, AttributeValue, Document, ErrorItem, Note, Service, ServiceDefinition,
    ServiceRequest,
};

/// An element as read: its name, its own text (trimmed) and its child elements.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child; `None` when it is absent or empty.
    fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_owned())
            .filter(|t| !t.is_empty())
    }

    fn bool_of(&self, name: &str) -> bool {
        self.text_of(name)
            .is_some_and(|t| t.eq_ignore_ascii_case("true"))
    }
}

/// Reads an XML document into its element tree.
fn tree(xml: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("is not well-formed XML at byte {at}: {e}"))?;
        match event {
            Event::Start(e) => stack.push(Node {
                name: AsRef::<str>::as_ref(&e.name()).to_owned(),
                ..Node::default()
            }),
            Event::Empty(e) => {
                let node = Node {
                    name: AsRef::<str>::as_ref(&e.name()).to_owned(),
                    ..Node::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    let name: String = AsRef::<str>::as_ref(&r).to_owned();
                    quick_xml::escape::resolve_xml_entity(&name).map(str::to_owned)
                };
                let Some(text) = resolved else {
                    return Err(format!(
                        "uses the entity `&{};`, which XML does not define",
                        AsRef::<str>::as_ref(&r)
                    ));
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err("closes an element it never opened".to_owned());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("ends before every element is closed".to_owned());
    }
    root.ok_or_else(|| "has no root element".to_owned())
}

fn service(n: &Node) -> Service {
    Service {
        service_code: n.text_of("service_code").unwrap_or_default(),
        service_name: n.text_of("service_name"),
        description: n.text_of("description"),
        metadata: n.bool_of("metadata"),
        kind: n.text_of("type").unwrap_or_default(),
        keywords: n.text_of("keywords"),
        group: n.text_of("group"),
    }
}

fn attribute(n: &Node) -> Attribute {
    Attribute {
        variable: n.bool_of("variable"),
        code: n.text_of("code").unwrap_or_default(),
        datatype: n.text_of("datatype").unwrap_or_default(),
        required: n.bool_of("required"),
        datatype_description: n.text_of("datatype_description"),
        order: n
            .text_of("order")
            .and_then(|o| o.parse().ok())
            .unwrap_or_default(),
        description: n.text_of("description"),
        values: n
            .child("values")
            .map(|v| {
                v.all("value")
                    .map(|v| AttributeValue {
                        key: v.text_of("key").unwrap_or_default(),
                        name: v.text_of("name").unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn request(n: &Node) -> ServiceRequest {
    let t = |name: &str| n.text_of(name);
    // A coordinate is a finite number; `inf` or `NaN` (which Rust's parser would take)
    // are no place, and read as absent, as JSON cannot hold them either.
    let f = |name: &str| {
        n.text_of(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    ServiceRequest {
        service_request_id: t("service_request_id"),
        token: t("token"),
        status: t("status"),
        status_notes: t("status_notes"),
        service_name: t("service_name"),
        service_code: t("service_code"),
        description: t("description"),
        agency_responsible: t("agency_responsible"),
        service_notice: t("service_notice"),
        requested_datetime: t("requested_datetime"),
        updated_datetime: t("updated_datetime"),
        expected_datetime: t("expected_datetime"),
        address: t("address"),
        address_id: t("address_id"),
        zipcode: t("zipcode"),
        lat: f("lat"),
        long: f("long"),
        media_url: t("media_url"),
        account_id: t("account_id"),
        notes: n
            .child("notes")
            .map(|ns| {
                ns.all("note")
                    .map(|x| Note {
                        datetime: x.text_of("datetime"),
                        description: x.text_of("description"),
                        kind: x.text_of("type"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Reads a GeoReport v2 XML document.
///
/// # Errors
/// What is wrong with it: not well-formed, or a root element that is none of
/// `services`, `service_definition`, `service_requests`, `errors`.
pub fn read(xml: &str) -> Result<Document, String> {
    let root = tree(xml)?;
    Ok(match root.name.as_str() {
        "services" => Document::Services(root.all("service").map(service).collect()),
        "service_definition" => Document::ServiceDefinition(ServiceDefinition {
            service_code: root.text_of("service_code").unwrap_or_default(),
            attributes: root
                .child("attributes")
                .map(|a| a.all("attribute").map(attribute).collect())
                .unwrap_or_default(),
        }),
        "service_requests" => Document::Requests(root.all("request").map(request).collect()),
        "errors" => Document::Errors(
            root.all("error")
                .map(|e| ErrorItem {
                    code: e
                        .text_of("code")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or_default(),
                    description: e.text_of("description").unwrap_or_default(),
                })
                .collect(),
        ),
        other => {
            return Err(format!(
                "has the root element `{}`; a GeoReport v2 document is one of services, service_definition, service_requests, errors",
                crate::text::truncate_for_message(other)
            ));
        }
    })
}

/// Writes into a byte buffer, which cannot fail.
type W = Writer<Vec<u8>>;

fn leaf(w: &mut W, name: &str, value: Option<&str>) -> std::io::Result<()> {
    if let Some(v) = value {
        w.create_element(name)
            .write_text_content(BytesText::new(v))?;
    }
    Ok(())
}

fn flag(w: &mut W, name: &str, value: bool) -> std::io::Result<()> {
    leaf(w, name, Some(if value { "true" } else { "false" }))
}

fn number(v: f64) -> String {
    // The same digits as the JSON form (shortest round-trip).
    serde_json::to_string(&v).unwrap_or_default()
}

/// An element holding a list: `outer`, with one element per item written by `each`.
fn list<T>(
    w: &mut W,
    outer: &str,
    items: &[T],
    each: impl Fn(&mut W, &T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.create_element(outer)
        .write_inner_content(|w| items.iter().try_for_each(|item| each(w, item)))?;
    Ok(())
}

fn write_service(w: &mut W, s: &Service) -> std::io::Result<()> {
    w.create_element("service").write_inner_content(|w| {
        leaf(w, "service_code", Some(&s.service_code))?;
        leaf(w, "service_name", s.service_name.as_deref())?;
        leaf(w, "description", s.description.as_deref())?;
        flag(w, "metadata", s.metadata)?;
        leaf(w, "type", Some(&s.kind))?;
        leaf(w, "keywords", s.keywords.as_deref())?;
        leaf(w, "group", s.group.as_deref())
    })?;
    Ok(())
}

fn write_attribute(w: &mut W, a: &Attribute) -> std::io::Result<()> {
    w.create_element("attribute").write_inner_content(|w| {
        flag(w, "variable", a.variable)?;
        leaf(w, "code", Some(&a.code))?;
        leaf(w, "datatype", Some(&a.datatype))?;
        flag(w, "required", a.required)?;
        leaf(w, "datatype_description", a.datatype_description.as_deref())?;
        leaf(w, "order", Some(&a.order.to_string()))?;
        leaf(w, "description", a.description.as_deref())?;
        if !a.values.is_empty() {
            list(w, "values", &a.values, |w, v| {
                w.create_element("value").write_inner_content(|w| {
                    leaf(w, "key", Some(&v.key))?;
                    leaf(w, "name", Some(&v.name))
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_request(w: &mut W, r: &ServiceRequest) -> std::io::Result<()> {
    w.create_element("request").write_inner_content(|w| {
        leaf(w, "service_request_id", r.service_request_id.as_deref())?;
        leaf(w, "token", r.token.as_deref())?;
        leaf(w, "status", r.status.as_deref())?;
        leaf(w, "status_notes", r.status_notes.as_deref())?;
        leaf(w, "service_name", r.service_name.as_deref())?;
        leaf(w, "service_code", r.service_code.as_deref())?;
        leaf(w, "description", r.description.as_deref())?;
        leaf(w, "agency_responsible", r.agency_responsible.as_deref())?;
        leaf(w, "service_notice", r.service_notice.as_deref())?;
        leaf(w, "requested_datetime", r.requested_datetime.as_deref())?;
        leaf(w, "updated_datetime", r.updated_datetime.as_deref())?;
        leaf(w, "expected_datetime", r.expected_datetime.as_deref())?;
        leaf(w, "address", r.address.as_deref())?;
        leaf(w, "address_id", r.address_id.as_deref())?;
        leaf(w, "zipcode", r.zipcode.as_deref())?;
        leaf(w, "lat", r.lat.map(number).as_deref())?;
        leaf(w, "long", r.long.map(number).as_deref())?;
        leaf(w, "media_url", r.media_url.as_deref())?;
        leaf(w, "account_id", r.account_id.as_deref())?;
        if !r.notes.is_empty() {
            list(w, "notes", &r.notes, |w, n| {
                w.create_element("note").write_inner_content(|w| {
                    leaf(w, "datetime", n.datetime.as_deref())?;
                    leaf(w, "description", n.description.as_deref())?;
                    leaf(w, "type", n.kind.as_deref())
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_doc(w: &mut W, doc: &Document) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    match doc {
        Document::Services(items) => list(w, "services", items, write_service)?,
        Document::ServiceDefinition(d) => {
            w.create_element("service_definition")
                .write_inner_content(|w| {
                    leaf(w, "service_code", Some(&d.service_code))?;
                    list(w, "attributes", &d.attributes, write_attribute)
                })?;
        }
        Document::Requests(items) => list(w, "service_requests", items, write_request)?,
        Document::Errors(items) => list(w, "errors", items, |w, e| {
            w.create_element("error").write_inner_content(|w| {
                leaf(w, "code", Some(&e.code.to_string()))?;
                leaf(w, "description", Some(&e.description))
            })?;
            Ok(())
        })?,
    }
    Ok(())
}

/// Writes a document as XML: the declaration, then the elements indented by two spaces,
/// ending with a newline.
#[must_use]
pub fn write(doc: &Document) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into memory cannot fail.
    let _ = write_doc(&mut w, doc);
    let mut bytes = w.into_inner();
    let _ = bytes.write_all(b"\n");
    String::from_utf8(bytes).unwrap_or_default()
}
