//! Timelines: a case's whole life, for staff; and for the public (信访事项处理全过程公开),
//! the same steps with personal data redacted: the reporter's name, phone and ID number,
//! in their own fields and wherever they appear in free text, and phone or ID numbers in
//! any free text.

use std::sync::Arc;

use serde::Serialize;

use super::event::{Event, EventRecord};
use super::ledger::Ledger;
use super::{Case, Reporter};
use crate::org::OrgGraph;
use crate::time::Timestamp;

/// One step of a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TimelineEntry {
    /// When.
    pub at: Timestamp,
    /// Who: a person of the organisation, `system`, or (in public timelines) `resident`
    /// for anyone else.
    pub actor: String,
    /// The event type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A label in Chinese and English.
    pub label: &'static str,
    /// The event, redacted in public timelines.
    pub event: Event,
    /// The event's position in the ledger.
    pub index: u64,
    /// The event's chain hash in the ledger (64 hex digits), covering the event as
    /// recorded and every event before it. Staff timelines only: a public timeline leaves
    /// it out, since the hash of a record whose personal data are masked to a few unknown
    /// digits (`138****1234`) would let anyone try the 10,000 phone numbers until one
    /// gives it. The public checks the ledger's head instead (`Ledger::head`), which
    /// covers every case's records, most of which they cannot see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// The label of an event type.
#[must_use]
pub const fn label(kind: &str) -> &'static str {
    match kind.as_bytes() {
        b"reported" => "上报 Reported",
        b"accepted" => "受理 Accepted",
        b"assigned" => "派遣 Assigned",
        b"escalated" => "上报升级 Escalated",
        b"returned" => "退回 Returned",
        b"paused" => "缓办 Paused",
        b"resumed" => "恢复办理 Resumed",
        b"mediation_failed" => "调解不成 Mediation failed",
        b"consulted" => "联合会商 Consulted",
        b"reminded" => "催办 Reminded",
        b"resolved" => "办结 Resolved",
        b"evaluated" => "群众评价 Evaluated",
        b"reopened" => "重新办理 Reopened",
        b"shelved" => "挂账 Shelved",
        b"merged" => "合并 Merged",
        b"visited" => "入户走访 Visited",
        b"petition_accepted" => "信访受理 Petition accepted",
        b"extended" => "延期办理 Extended",
        b"review_requested" => "请求复查 Review requested",
        b"third_party_joined" => "第三方参与 Third party joined",
        b"supervised" => "督办 Supervised",
        b"supervision_answered" => "督办回复 Supervision answered",
        b"verified" => "核查 Verified",
        b"called_back" => "回访 Called back",
        b"signed_off" => "销号 Signed off",
        b"amended" => "补充 Amended",
        b"followed_up" => "跟进回访 Followed up",
        b"meeting_held" => "网格例会 Meeting held",
        b"team_assigned" => "志愿服务团队承接 Given to a team",
        _ => "",
    }
}

/// A name with all but its first character masked: `张三` → `张*`.
#[must_use]
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

/// A number with its middle masked: phones keep 3 and 4 digits (`138****1234`), longer
/// numbers such as ID numbers keep 4 and 4; short ones are masked whole.
#[must_use]
pub fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0..=6 => (0, 0),
        7..=14 => (3, 4),
        _ => (4, 4),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { *c } else { '*' })
        .collect()
}

/// Masks an e-mail address: the first character of the local part and the domain stay
/// (`z***@example.com`); text without an `@` is masked whole.
#[must_use]
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "*".repeat(email.chars().count().min(8)),
    }
}

/// Masks personal data in free text: the given names, and runs of 7 or more digits (an ID
/// number's final `X` included).
#[must_use]
pub fn mask_text(text: &str, names: &[&str]) -> String {
    let mut out = text.to_owned();
    for name in names.iter().filter(|n| n.chars().count() >= 2) {
        out = out.replace(name, &mask_name(name));
    }
    let mut result = String::with_capacity(out.len());
    let mut run = String::new();
    let flush = |run: &mut String, result: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if digits >= 7 {
            result.push_str(&mask_number(run));
        } else {
            result.push_str(run);
        }
        run.clear();
    };
    for c in out.chars() {
        let continues = c.is_ascii_digit() || (matches!(c, 'X' | 'x') && !run.is_empty());
        if continues {
            run.push(c);
        } else {
            flush(&mut run, &mut result);
            result.push(c);
        }
    }
    flush(&mut run, &mut result);
    result
}

pub(crate) fn redact_case(case: &Case) -> Case {
    let names = case.reporter_names();
    let mut c = case.clone();
    c.reporter = case.reporter.as_ref().map(|r| Reporter {
        name: r.name.as_deref().map(|s| mask_name(s).into()),
        phone: r.phone.as_deref().map(|s| mask_number(s).into()),
        id_number: r.id_number.as_deref().map(|s| mask_number(s).into()),
        email: r.email.as_deref().map(|s| mask_email(s).into()),
        account_id: r.account_id.as_deref().map(|s| mask_number(s).into()),
        device_id: r.device_id.as_deref().map(|s| mask_number(s).into()),
    });
    // A point may be the reporter's door: public views show it to about 100 m.
    c.point = case.point.map(crate::spatial::GeoPoint::coarse);
    c.summary = case.summary.as_deref().map(|s| mask_text(s, &names).into());
    c
}

/// The event with personal data masked; `names` are the reporter's names to mask in text.
fn redact(event: &Event, names: &[&str]) -> Event {
    let t = |s: &str| mask_text(s, names);
    match event {
        Event::Reported { case } => Event::Reported {
            case: Arc::new(redact_case(case)),
        },
        Event::Returned {
            reason,
            category,
            location,
        } => Event::Returned {
            reason: t(reason),
            category: category.clone(),
            location: location.clone(),
        },
        Event::Paused { reason } => Event::Paused { reason: t(reason) },
        Event::MediationFailed { note } => Event::MediationFailed { note: t(note) },
        Event::Consulted { office, opinion } => Event::Consulted {
            office: office.clone(),
            opinion: t(opinion),
        },
        Event::Resolved { level, how } => Event::Resolved {
            level: *level,
            how: t(how),
        },
        Event::Evaluated {
            satisfaction,
            comment,
        } => Event::Evaluated {
            satisfaction: *satisfaction,
            comment: comment.as_deref().map(t),
        },
        Event::Shelved { explanation } => Event::Shelved {
            explanation: t(explanation),
        },
        Event::PetitionAccepted { note } => Event::PetitionAccepted {
            note: note.as_deref().map(t),
        },
        Event::Extended { days, approval } => Event::Extended {
            days: *days,
            approval: t(approval),
        },
        Event::ReviewRequested { reason } => Event::ReviewRequested { reason: t(reason) },
        Event::ThirdPartyJoined { party, name, part } => Event::ThirdPartyJoined {
            party: *party,
            name: name.clone(),
            part: t(part),
        },
        Event::Supervised { order, within } => Event::Supervised {
            order: t(order),
            within: *within,
        },
        Event::SupervisionAnswered { answer } => Event::SupervisionAnswered { answer: t(answer) },
        Event::Verified { passed, note } => Event::Verified {
            passed: *passed,
            note: t(note),
        },
        Event::CalledBack {
            satisfaction,
            comment,
        } => Event::CalledBack {
            satisfaction: *satisfaction,
            comment: comment.as_deref().map(t),
        },
        Event::SignedOff { note } => Event::SignedOff { note: t(note) },
        Event::Amended { facts, note } => Event::Amended {
            facts: super::event::Amendment {
                attributes: facts
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            super::AttrValue::Text(x) => super::AttrValue::Text(t(x)),
                            other => other.clone(),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
                ..facts.clone()
            },
            note: note.as_deref().map(t),
        },
        other => other.clone(),
    }
}

/// A case's timeline: every event about it (and the repeat reports joined to it), in
/// order. `public` masks personal data and shows actors outside the organisation as
/// `resident`. `None` when the ledger has no such case.
#[must_use]
pub fn timeline(
    ledger: &Ledger,
    org: &OrgGraph,
    case: &str,
    public: bool,
) -> Option<Vec<TimelineEntry>> {
    let state = ledger.case(case)?;
    let names = state.case.reporter_names();
    let positions: Vec<u32> = std::iter::once(case)
        .chain(
            state
                .extras
                .merged_from
                .iter()
                .map(crate::id::CaseId::as_str),
        )
        .filter_map(|id| ledger.position(id))
        .collect();
    let entries = ledger
        .events_of(&positions)
        .map(
            |(index, hash, r): (u64, super::ledger::ChainHash, EventRecord)| {
                let actor = r.actor.as_str();
                let known = actor == super::event::SYSTEM || org.person(actor).is_some();
                TimelineEntry {
                    at: r.at,
                    actor: if public && !known {
                        "resident".to_owned()
                    } else {
                        actor.to_owned()
                    },
                    kind: r.event.kind(),
                    label: label(r.event.kind()),
                    event: if public {
                        redact(&r.event, &names)
                    } else {
                        r.event.clone()
                    },
                    index,
                    hash: (!public).then(|| super::ledger::hex(&hash)),
                }
            },
        )
        .collect();
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("A"), "A*");
        assert_eq!(mask_number("13800001234"), "138****1234");
        assert_eq!(mask_number("370883199001011234"), "3708**********1234");
        assert_eq!(mask_number("12345"), "*****");
        assert_eq!(
            mask_text(
                "张三说电话13800001234，身份证37088319900101123X。",
                &["张三"]
            ),
            "张*说电话138****1234，身份证3708**********123X。"
        );
        assert_eq!(
            mask_text("3 楼 12 户，共 2000 元", &[]),
            "3 楼 12 户，共 2000 元"
        );
    }
}
