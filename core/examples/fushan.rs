//! The main job on the embedded Fushan default: `cargo run --release --example fushan [seed]`.
//!
//! Loads the organisation and prints its counts per kind and level and the coverage report;
//! then routes a seeded month of synthetic cases through the default rules and prints how
//! many went to each level and office, and the share kept at grid level or below.

use std::collections::BTreeMap;

use gridgov::org::{Hierarchy, Level, Role, UnitKind};
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

fn print_org(engine: &Engine) {
    let org = engine.org();
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
    if let Some(d) = org.duty_lists() {
        let common = d
            .lists
            .iter()
            .filter(|l| l.scope == gridgov::org::DutyScope::Common)
            .count();
        let checks = [
            "category_without_duty",
            "missing_common_duty_list",
            "unknown_work_area_category",
        ];
        let warnings = engine
            .warnings()
            .iter()
            .filter(|w| checks.contains(&w.code))
            .count();
        println!(
            "  duty lists 职责清单: {} classes, {} work areas, {} common and {} individual lists; duty-list warnings {warnings}",
            d.classes.len(),
            d.work_areas.len(),
            common,
            d.lists.len() - common
        );
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
    print_org(&engine);

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

    // Six months through the ledger, October to March, for the evaluation's history.
    let months: Vec<(i32, u32)> = vec![
        (2025, 10),
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ];
    let sims: Vec<sim::Simulation> = months
        .iter()
        .map(|(y, m)| sim::simulate_month(&engine, *y, *m, count, seed))
        .collect();
    if let Some(march) = sims.last() {
        print_ledger(&engine, march);
    }
    print_evaluation(&engine, &sims, year, month);
}

/// Prints a rate as a percentage with one decimal.
fn rate(r: Option<gridgov::score::Rate>) -> String {
    r.map_or_else(
        || "-".to_owned(),
        |r| {
            let tenths = (r.ten_thousandths() + 5) / 10;
            format!("{}.{}%", tenths / 10, tenths % 10)
        },
    )
}

/// Scores the month from the outcome table of the simulated months and prints the
/// evaluation; writes `fushan-report.html`.
fn print_evaluation(engine: &Engine, sims: &[sim::Simulation], year: i32, month: u32) {
    use gridgov::html::month_report_html;
    use gridgov::score::{Indicator, Month, ScoreOptions, UnitScore};

    let mut rows = Vec::new();
    let mut visits = Vec::new();
    let mut meetings = Vec::new();
    let mut register = Vec::new();
    for s in sims {
        rows.extend(engine.outcomes(&s.ledger));
        visits.extend(engine.visits(&s.ledger));
        meetings.extend(engine.meetings(&s.ledger));
        register.extend(engine.register_rows(&s.ledger));
    }
    let table = engine
        .compile_outcomes(&rows, &visits, &[])
        .and_then(|mut t| {
            engine.compile_grid_work(&mut t, &meetings, &register)?;
            Ok(t)
        });
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            println!("  the outcome table does not fit the engine: {e}");
            return;
        }
    };
    let Some(m) = Month::new(year, month) else {
        return;
    };
    // A sample budget: ¥300,000 of rewards and subsidies (奖补) for the month.
    let options = ScoreOptions::new(m).with_budget(30_000_000);
    let mut report = match engine.score(&table, &options) {
        Ok(r) => r,
        Err(e) => {
            println!("  could not score: {e}");
            return;
        }
    };
    // The month's own grid work, from its simulated ledger (the last one).
    if let (Some(s), Some(next)) = (sims.last(), m.next()) {
        report.work = Some(engine.work_summary(&s.ledger, m.first_day(), next.first_day()));
    }
    let t = &report.total;
    println!();
    println!(
        "Monthly evaluation 月度评比 {} (rules {}, scheme {}; {} outcome rows of {} months read)",
        report.month,
        report.version,
        report.scheme,
        table.len(),
        report.months_read.len()
    );
    let share = |n: u32| percent(n as usize, t.counts.reports as usize);
    println!("  cases by channel 受理渠道");
    for (c, n) in &report.by_channel {
        println!("    {c:<28} {n:>6}  {:>6}", share(*n));
    }
    println!("  cases by category 诉求类别");
    let mut cats = report.by_category.clone();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (c, n) in &cats {
        println!("    {c:<28} {n:>6}  {:>6}", share(*n));
    }
    let in_grid = t.indicators.get(Indicator::InGridRate);
    let short = in_grid.map_or(0, |r| 9_600i64 - i64::from(r.ten_thousandths()));
    println!(
        "  resolved in the grid 网格内化解 {} of {} = {} (target 96%{})",
        t.counts.in_grid,
        t.counts.resolved,
        rate(in_grid),
        if short > 0 {
            format!(": {}.{:02} points short", short / 100, short % 100)
        } else {
            ": met".to_owned()
        }
    );
    println!(
        "  on time 按期结案 {} ({} of {} due); satisfied 群众满意 {} (mean {} of 5, {} evaluations)",
        rate(t.indicators.get(Indicator::OnTimeRate)),
        t.counts.on_time,
        t.counts.due,
        rate(t.indicators.get(Indicator::SatisfactionRate)),
        t.indicators
            .get(Indicator::SatisfactionMean)
            .map_or("-".to_owned(), |r| r.to_string()),
        t.counts.evaluations
    );
    let c = &t.counts;
    println!(
        "  closed loop 闭环: petitions accepted in time 信访及时受理 {} ({} of {}); supervision answered in time 督办 {} ({} of {}); verification passed 核查 {} ({} of {}); called back 回访 {} ({} of {} resolved)",
        rate(t.indicators.get(Indicator::PetitionAcceptanceRate)),
        c.petitions_accepted_timely,
        c.petitions,
        rate(t.indicators.get(Indicator::SupervisionRate)),
        c.supervisions_on_time,
        c.supervisions,
        rate(t.indicators.get(Indicator::VerificationPassRate)),
        c.verifications_passed,
        c.verifications,
        rate(t.indicators.get(Indicator::CallBackRate)),
        c.called_back,
        c.resolved
    );
    if let Some(w) = &report.work {
        let found = |k: &str| w.findings.get(k).copied().unwrap_or(0);
        println!(
            "  grid work 网格工作: {} visits 入户走访 reaching {} households (found {} needs, {} disputes, {} risks; {} cases opened)",
            w.visits,
            w.households,
            found("need"),
            found("dispute"),
            found("risk"),
            w.cases_opened
        );
        println!(
            "    register 矛盾纠纷排查台账: {} entered, {} resolved in the grid, {} sent up, {} open at the month's end, {} follow-up visits; closed this month resolved in the grid {} ({} of {})",
            w.registered,
            w.resolved_in_grid,
            w.sent_up,
            w.open_entries,
            w.follow_ups,
            rate(t.indicators.get(Indicator::RegisterResolutionRate)),
            c.register_resolved,
            c.register_closed
        );
        println!(
            "    meetings 网格例会: {} held in {} grids, {} with the liaison member and a deputy 两委、代表委员出席 ({}); {} matters discussed, {} decisions",
            w.meetings,
            w.grids_met,
            w.meetings_fully_attended,
            rate(t.indicators.get(Indicator::MeetingAttendanceRate)),
            w.matters,
            w.decisions
        );
        let teams: u32 = w.team_work.values().sum();
        println!(
            "    volunteer teams 志愿服务团队: {} cases and register entries given to {} of {} teams",
            teams,
            w.team_work.len(),
            engine.org().spec().volunteer_teams.len()
        );
    }
    let score = |u: &UnitScore| u.score.map_or_else(|| "n/a".to_owned(), |s| s.to_string());
    println!("  subdistrict score {} of 100", score(t));
    let line = |g: &UnitScore| {
        let change = match g.change {
            Some(c) if c > 0 => format!("+{c}"),
            Some(c) => c.to_string(),
            None => "new".to_owned(),
        };
        println!(
            "    {:>3}  {:<12} {} {:<10} {:>7}  {:>5}  on time {:>6}  satisfied {:>6}",
            g.rank,
            g.id,
            pad(&g.name, 18),
            g.worker.as_ref().map_or("", |w| w.as_str()),
            score(g),
            change,
            rate(g.indicators.get(Indicator::OnTimeRate)),
            rate(g.indicators.get(Indicator::SatisfactionRate)),
        );
    };
    println!("  top five 红榜 (rank, grid, worker, score, change since last month)");
    report.grids.iter().take(5).for_each(line);
    println!("  bottom five 黑榜 (of the ranked grids; inactive ones are listed below)");
    let ranked: Vec<&UnitScore> = report.grids.iter().filter(|g| g.rank > 0).collect();
    let n = ranked.len();
    ranked
        .iter()
        .skip(n.saturating_sub(5))
        .for_each(|g| line(g));
    if let Some(f) = &report.first_place {
        println!(
            "  first place {} for {} month(s) in a row",
            f.grid, f.months
        );
    }
    if report.inactive.is_empty() {
        println!("  inactive grids 不活跃网格: none (the goal is zero)");
    } else {
        println!("  inactive grids 不活跃网格: {}", report.inactive.len());
        for i in &report.inactive {
            println!(
                "    {} {} inactive {} month(s){}",
                i.grid,
                i.name,
                i.months,
                if i.zombie {
                    ", a zombie grid 僵尸网格"
                } else {
                    ""
                }
            );
        }
    }
    println!(
        "  common demands 共性诉求: {} recommendations for a long-term mechanism",
        report.common_demands.len()
    );
    for d in report.common_demands.iter().take(5) {
        println!("    {}", d.recommendation());
    }
    if let Some(r) = &report.rewards {
        let total: u64 = r.allocations.iter().map(|a| a.fen).sum();
        println!(
            "  rewards 奖补: a budget of ¥{} split by {} among {} grids; allocated ¥{} (to the fen)",
            gridgov::Fixed2::from_hundredths(i64::try_from(r.budget_fen).unwrap_or(0)),
            r.method,
            r.allocations.len(),
            gridgov::Fixed2::from_hundredths(i64::try_from(total).unwrap_or(0)),
        );
        let len = r.allocations.len();
        for (i, a) in r.allocations.iter().enumerate() {
            if i < 3 || i + 2 >= len {
                println!(
                    "    {:>3}  {:<12} score {:>6}  ¥{:>9}",
                    a.rank,
                    a.grid,
                    a.weight.to_string(),
                    a.yuan.to_string()
                );
            } else if i == 3 {
                println!("    ...");
            }
        }
    }
    if report.talent_pool.is_empty() {
        println!("  talent pool 后备人才库: nobody yet");
    } else {
        let spec = &engine.scoring_spec_on(m.first_day()).1.talent;
        println!(
            "  talent pool 后备人才库 (top {} in {} of the last {} months): {}",
            spec.top,
            spec.months,
            spec.of_last,
            report
                .talent_pool
                .iter()
                .map(|w| format!("{} {} ({} months)", w.worker, w.name, w.months.len()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let html = month_report_html(
        &report,
        &format!("{} {}", engine.org().name(), report.month),
    );
    match std::fs::write("fushan-report.html", &html) {
        Ok(()) => println!(
            "\nWrote fushan-report.html ({} KB): open it in a browser.",
            html.len() / 1024
        ),
        Err(e) => println!("\ncould not write fushan-report.html: {e}"),
    }
}

/// Prints what happened to the simulated month's cases in the ledger.
fn print_ledger(engine: &Engine, sim: &sim::Simulation) {
    use gridgov::case::event::Event;
    use gridgov::case::ledger::Status;

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
