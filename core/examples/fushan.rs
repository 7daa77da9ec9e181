//! The main job on the embedded Fushan default: `cargo run --release --example fushan [seed]`.
//!
//! Loads the organisation and prints its counts per kind and level and the coverage report;
//! then routes a seeded month of synthetic cases through the default rules and prints how
//! many went to each level and office, and the share kept at grid level or below.

use std::collections::BTreeMap;

use gridgov::org::{Hierarchy, Level, OrgGraph, Role, UnitKind};
use gridgov::{Engine, sim};

/// Pads text to a display width, counting CJK characters as two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    // Exact to one decimal place, rounded half up, in integers.
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn print_org(org: &OrgGraph) {
    let counts = org.counts();
    println!(
        "{} ({})",
        org.name(),
        org.spec().name_en.as_deref().unwrap_or("")
    );
    println!();
    for (title, hierarchy) in [
        ("Territory 网格", Hierarchy::Territory),
        ("Party organisation 党组织", Hierarchy::Party),
    ] {
        println!("{title}");
        for kind in UnitKind::ALL.iter().filter(|k| k.hierarchy() == hierarchy) {
            println!(
                "  {:<28} {} {:>6}",
                kind.as_str(),
                pad(kind.chinese(), 10),
                counts.units.get(kind).copied().unwrap_or(0)
            );
        }
        println!();
    }
    println!("Levels 层级");
    for level in Level::ALL {
        let what = if *level == Level::Department {
            "offices"
        } else {
            "units"
        };
        println!(
            "  {:<28} {} {:>6} {what}",
            level.as_str(),
            pad(level.chinese(), 10),
            counts.levels.get(level).copied().unwrap_or(0)
        );
    }
    println!();
    println!("People 人员");
    for role in Role::ALL {
        let n = counts.people.get(role).copied().unwrap_or(0);
        if n > 0 {
            println!("  {:<28} {n:>6}", role.as_str());
        }
    }
    println!(
        "  {:<28} {:>6} ({} volunteers)",
        "volunteer_teams", counts.volunteer_teams, counts.volunteers
    );
    println!("  {:<28} {:>6}", "offices", counts.offices);
    println!("  {:<28} {:>6}", "households", counts.households);
    println!("  {:<28} {:>6}", "anchoring edges", counts.anchors);
    println!();

    let coverage = org.coverage();
    println!("Coverage 覆盖 (全域覆盖、不留空白)");
    let lines: [(&str, usize); 8] = [
        (
            "units without a duty holder",
            coverage.without_duty_holder.len(),
        ),
        (
            "grids without a liaison",
            coverage.grids_without_liaison.len(),
        ),
        (
            "offices without a holder",
            coverage.offices_without_holder.len(),
        ),
        (
            "compounds without a grid",
            coverage.compounds_without_grid.len(),
        ),
        (
            "party units anchored to nothing",
            coverage.unanchored_party_units.len(),
        ),
        (
            "communities without a party committee",
            coverage.communities_without_party_committee.len(),
        ),
        (
            "grids without a party branch",
            coverage.grids_without_party_branch.len(),
        ),
        (
            "micro-grids without a party group",
            coverage.micro_grids_without_party_group.len(),
        ),
    ];
    for (what, n) in lines {
        println!("  {what:<40} {n:>6}");
    }
}

fn main() {
    let seed: u64 = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 2026,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            println!("usage: cargo run --release --example fushan [seed]   (seed: a whole number)");
            std::process::exit(2);
        }
    };
    let engine = Engine::fushan();
    print_org(engine.org());

    let (year, month, count) = (2026, 3, 2400);
    let cases = sim::month_cases(&engine, year, month, count, seed);
    let mut by_level: BTreeMap<Level, usize> = BTreeMap::new();
    let mut by_office: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = 0;
    for case in &cases {
        match engine.route(case) {
            Ok(d) => {
                *by_level.entry(d.level()).or_default() += 1;
                if let Some(o) = d.office() {
                    *by_office.entry(o.id.to_string()).or_default() += 1;
                }
                let r = d.rule();
                *by_rule.entry(format!("{}/{}", r.table, r.row)).or_default() += 1;
            }
            Err(e) => {
                errors += 1;
                println!("  could not route {}: {e}", case.id);
            }
        }
    }
    let routed = cases.len() - errors;
    println!();
    println!(
        "Routing a simulated month 模拟一个月 ({year}-{month:02}, {} cases, seed {seed})",
        cases.len()
    );
    println!("  by level 按层级");
    for level in Level::ALL {
        let n = by_level.get(level).copied().unwrap_or(0);
        println!(
            "    {:<16} {} {n:>6}  {:>6}",
            level.as_str(),
            pad(level.chinese(), 8),
            percent(n, routed)
        );
    }
    println!("  by lead office 按牵头部门");
    for (office, n) in &by_office {
        println!("    {office:<34} {n:>6}  {:>6}", percent(*n, routed));
    }
    println!("  by deciding rule 按决定规则");
    for (rule, n) in &by_rule {
        println!("    {rule:<34} {n:>6}  {:>6}", percent(*n, routed));
    }
    let in_grid = by_level.get(&Level::MicroGrid).copied().unwrap_or(0)
        + by_level.get(&Level::Grid).copied().unwrap_or(0);
    println!(
        "  kept at grid level or below 网格内吸附: {in_grid} of {routed} = {} (Fushan reports 96%+ resolved in the grid)",
        percent(in_grid, routed)
    );
    if errors > 0 {
        println!("  {errors} cases could not be routed");
    }

    print_ledger(&engine, year, month, count, seed);
}

/// Simulates the month through the ledger and prints what happened to the cases.
fn print_ledger(engine: &Engine, year: i32, month: u32, count: usize, seed: u64) {
    use gridgov::case::event::Event;
    use gridgov::case::ledger::Status;

    let sim = sim::simulate_month(engine, year, month, count, seed);
    let ledger = &sim.ledger;
    let state = ledger.state();
    let mut escalated_to: BTreeMap<Level, usize> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for r in ledger.events() {
        if let Event::Escalated { to, reason, .. } = &r.event {
            *escalated_to.entry(*to).or_default() += 1;
            *reasons.entry(reason.as_str()).or_default() += 1;
        }
    }
    let count_status = |s: Status| state.cases().iter().filter(|c| c.status == s).count();
    let resolved: Vec<_> = state
        .cases()
        .iter()
        .filter(|c| c.resolved_level.is_some())
        .collect();
    let in_grid = resolved
        .iter()
        .filter(|c| c.resolved_level.is_some_and(|l| l <= Level::Grid))
        .count();
    let grassroots = resolved
        .iter()
        .filter(|c| c.resolved_level.is_some_and(|l| l <= Level::Community))
        .count();
    let on_time = resolved
        .iter()
        .filter(|c| engine.resolved_on_time(c) == Some(true))
        .count();
    let merged = count_status(Status::Merged);
    println!();
    println!(
        "The simulated month through the ledger 台账 ({} events, {} cases, {} visits; {} refused)",
        ledger.len(),
        state.cases().len(),
        state.visits().len(),
        sim.refused
    );
    println!("  escalations 逐级上报, by the level reached");
    for level in Level::ALL.iter().skip(1) {
        let n = escalated_to.get(level).copied().unwrap_or(0);
        println!(
            "    to {:<14} {} {n:>6}",
            level.as_str(),
            pad(level.chinese(), 8)
        );
    }
    for (reason, n) in &reasons {
        println!("    because {reason:<20} {n:>6}");
    }
    let reopened: u32 = state.cases().iter().map(|c| c.reopens).sum();
    let returned: u32 = state.cases().iter().map(|c| c.returns).sum();
    println!(
        "  shelved as unresolved 挂账              {:>6}",
        count_status(Status::Shelved)
    );
    println!("  reopened 重新办理                        {reopened:>6}");
    println!("  returned as misrouted 退回               {returned:>6}");
    println!("  repeat reports merged 合并               {merged:>6}");
    println!(
        "  still open at the end                   {:>6}",
        state.cases().iter().filter(|c| c.status.is_open()).count()
    );
    println!(
        "  resolved 办结 {} of {}; on time {} ({})",
        resolved.len(),
        state.cases().len() - merged,
        on_time,
        percent(on_time, resolved.len())
    );
    println!(
        "  resolved at grid level or below 网格内化解: {} (target 96%); at community level or below 化解在基层: {}",
        percent(in_grid, resolved.len()),
        percent(grassroots, resolved.len())
    );
}
