//! The main job on the embedded Fushan default: `cargo run --release --example fushan`.
//!
//! Loads the organisation and prints its counts per kind and per level, and the coverage
//! report.

use gridgov::org::{Hierarchy, Level, OrgGraph, Role, UnitKind};

/// Pads text to a display width, counting CJK characters as two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn main() {
    let org = OrgGraph::fushan();
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
