//! Appends to a ledger file and prints `done <event_id>…` after each append returns; the
//! crash and two-writer tests in tests/tests/store.rs start it and kill it.
//!
//! `ledger_writer PATH NAME FROM COUNT [shared]`: takes in cases `NAME-FROM`… up to
//! `NAME-(COUNT-1)` on the Fushan default, each as a batch (the report and its routing,
//! event ids `<case>-0`, `<case>-1`) followed by a single append (the case accepted by its
//! handler is not valid after routing, so a pause: `<case>-2`). With `shared`, the case ids
//! do not carry the name, so two writers send the same events.

use std::io::Write;

use gridgov::case::Case;
use gridgov::case::event::{Event, EventRecord};
use gridgov::case::ledger::Ledger;
use gridgov::id::PersonId;

fn main() {
    if let Err(e) = run() {
        eprintln!("ledger_writer: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, name, from, count, rest @ ..] = args.as_slice() else {
        return Err("usage: ledger_writer PATH NAME FROM COUNT [shared]".into());
    };
    let shared = rest.first().is_some_and(|s| s == "shared");
    let from: u32 = from.parse()?;
    let count: u32 = count.parse()?;
    let engine = gridgov::Engine::fushan();
    let mut ledger = Ledger::open(path)?;
    let system = PersonId::new("system")?;
    let out = std::io::stdout();
    for i in from..count {
        let id = if shared {
            format!("shared-{i}")
        } else {
            format!("{name}-{i}")
        };
        // Skip cases already taken in (a restarted writer goes on where it stopped).
        if ledger.case(&id).is_some() {
            continue;
        }
        let minute = i % 50;
        let case = Case::from_json_str(&format!(
            r#"{{"id": "{id}", "channel": "hotline", "category": "livelihood",
                "location": "fs-c0{}-g01-m1", "reported_at": "2026-03-02T09:{minute:02}:00+08:00"}}"#,
            1 + i % 9
        ))?;
        let mut events = engine.intake(&ledger, case, &system)?;
        for (n, e) in events.iter_mut().enumerate() {
            e.event_id = Some(format!("{id}-{n}"));
        }
        let ids: Vec<String> = events.iter().filter_map(|e| e.event_id.clone()).collect();
        ledger.append_all(events)?;
        writeln!(out.lock(), "done {}", ids.join(" "))?;
        let pause = EventRecord {
            event_id: Some(format!("{id}-2")),
            case: Some(id.parse()?),
            at: format!("2026-03-02T10:{minute:02}:00+08:00").parse()?,
            actor: system.clone(),
            event: Event::Paused {
                reason: "等待材料".to_owned(),
            },
        };
        ledger.append(pause)?;
        writeln!(out.lock(), "done {id}-2")?;
        out.lock().flush()?;
    }
    Ok(())
}
