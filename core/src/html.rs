//! A month's report as one self-contained HTML page: headline figures, inline SVG charts
//! and the lists a subdistrict office reads. No scripts and no external assets, so the
//! file can be mailed, archived or opened offline.

use std::fmt::Write;

use crate::org::Level;
use crate::rules::scoring::Indicator;
use crate::score::{MonthReport, Rate, UnitScore};

/// The title a report page gets when the caller gives none.
pub const DEFAULT_TITLE: &str = "Monthly evaluation";

/// The share of cases resolved in the grid that Fushan aims at (96%).
const IN_GRID_TARGET: u32 = 9_600;

/// Escapes text for HTML.
/// A unit's score as printed, or a dash when it was not evaluable.
fn score_text(u: &UnitScore) -> String {
    u.score.map_or_else(|| "—".to_owned(), |s| s.to_string())
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A rate as a percentage with one decimal (`95.2%`), or `–` when empty.
fn pct(r: Option<Rate>) -> String {
    r.map_or_else(
        || "–".to_owned(),
        |r| {
            let t = r.ten_thousandths();
            // Tenths of a percent, rounded half up.
            let tenths = (t + 5) / 10;
            format!("{}.{}%", tenths / 10, tenths % 10)
        },
    )
}

fn change(u: &UnitScore) -> String {
    match u.change {
        Some(c) if c > 0 => format!("<span class=up>▲{c}</span>"),
        Some(c) if c < 0 => format!("<span class=down>▼{}</span>", -c),
        Some(_) => "<span class=same>–</span>".to_owned(),
        None => "<span class=same>new</span>".to_owned(),
    }
}

/// Horizontal bars: label, value.
fn hbars(out: &mut String, rows: &[(String, u32)], colour: &str) {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let h = 22;
    let height = rows.len() * h + 6;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 520 {height}\" width=\"520\" height=\"{height}\" role=\"img\">"
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i * h + 3;
        let w = u64::from(*n) * 300 / u64::from(max);
        let _ = write!(
            out,
            "<text x=\"170\" y=\"{}\" text-anchor=\"end\" class=lbl>{}</text>\
             <rect x=\"178\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"{colour}\" rx=\"2\"><title>{}: {n}</title></rect>\
             <text x=\"{}\" y=\"{}\" class=val>{n}</text>",
            y + 13,
            esc(label),
            esc(label),
            178 + w + 6,
            y + 13
        );
    }
    out.push_str("</svg>");
}

/// Scores a month of an outcome table as [`score_outcomes_json`](crate::json::score_outcomes_json)
/// does and renders the report as one page titled `title` (none: [`DEFAULT_TITLE`]).
///
/// # Errors
/// As [`score_outcomes_json`](crate::json::score_outcomes_json).
pub fn score_outcomes_html(
    engine: &crate::Engine,
    request_json: &str,
    title: Option<&str>,
) -> Result<String, crate::Error> {
    let report = crate::json::score_outcomes_report(engine, request_json)?;
    Ok(month_report_html(&report, title.unwrap_or(DEFAULT_TITLE)))
}

/// Renders a month's report as one self-contained HTML page titled `title`.
///
/// ```
/// use gridgov::Engine;
/// use gridgov::html::month_report_html;
/// use gridgov::score::ScoreOptions;
///
/// let engine = Engine::fushan();
/// let table = engine.compile_outcomes(&[], &[], &[])?;
/// let report = engine.score(&table, &ScoreOptions::new("2026-03".parse()?))?;
/// let html = month_report_html(&report, "凫山街道 2026-03");
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("<svg") && !html.contains("<script") && !html.contains("http"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
#[expect(clippy::too_many_lines, reason = "one page, written top to bottom")]
pub fn month_report_html(report: &MonthReport, title: &str) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let t = &report.total;
    let in_grid = t.indicators.get(Indicator::InGridRate);
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{}</style></head><body><main>",
        esc(title),
        STYLE
    );
    let _ = write!(
        o,
        "<header><h1>{}</h1><p class=sub>月度评比 Monthly evaluation · {} · rules {} · scheme {} · months read {}</p></header>",
        esc(title),
        report.month,
        esc(&report.version),
        esc(&report.scheme),
        report.months_read.len()
    );

    // Headline figures.
    o.push_str("<section class=cards>");
    let cards = [
        (
            "Cases 受理",
            t.counts.reports.to_string(),
            format!(
                "{} handled, {} repeat reports",
                t.counts.cases, t.counts.repeats
            ),
        ),
        (
            "Resolved in the grid 网格内化解",
            pct(in_grid),
            "target 96%".to_owned(),
        ),
        (
            "On time 按期结案",
            pct(t.indicators.get(Indicator::OnTimeRate)),
            format!("{} of {} due", t.counts.on_time, t.counts.due),
        ),
        (
            "Satisfied 群众满意",
            pct(t.indicators.get(Indicator::SatisfactionRate)),
            format!("{} evaluations", t.counts.evaluations),
        ),
        (
            "Subdistrict score 总分",
            score_text(t),
            format!(
                "{} of {} grids ranked",
                report.grids.iter().filter(|g| g.rank > 0).count(),
                report.grids.len()
            ),
        ),
    ];
    for (label, value, note) in &cards {
        let _ = write!(
            o,
            "<div class=card><div class=k>{}</div><div class=v>{}</div><div class=n>{}</div></div>",
            esc(label),
            esc(value),
            esc(note)
        );
    }
    o.push_str("</section>");

    // The closed loop: petitions, supervision, verification, call-backs.
    let c = &t.counts;
    let loop_cards = [
        (
            "Petitions accepted in time 信访及时受理",
            Indicator::PetitionAcceptanceRate,
            format!(
                "{} of {} petitions",
                c.petitions_accepted_timely, c.petitions
            ),
        ),
        (
            "Supervision answered in time 督办按时办复",
            Indicator::SupervisionRate,
            format!("{} of {} orders", c.supervisions_on_time, c.supervisions),
        ),
        (
            "Verification passed 核查通过",
            Indicator::VerificationPassRate,
            format!("{} of {} checks", c.verifications_passed, c.verifications),
        ),
        (
            "Called back 回访",
            Indicator::CallBackRate,
            format!("{} of {} resolved", c.called_back, c.resolved),
        ),
    ];
    o.push_str("<section><h2>Closed loop 闭环</h2><div class=cards>");
    for (label, indicator, note) in &loop_cards {
        let _ = write!(
            o,
            "<div class=card><div class=k>{}</div><div class=v>{}</div><div class=n>{}</div></div>",
            esc(label),
            esc(&pct(t.indicators.get(*indicator))),
            esc(note)
        );
    }
    o.push_str("</div></section>");

    // The grid's own work: visits, the register, meetings, volunteer teams.
    if let Some(w) = &report.work {
        let findings = |k: &str| w.findings.get(k).copied().unwrap_or(0);
        let team_cases: u32 = w.team_work.values().sum();
        let work_cards = [
            (
                "Household visits 入户走访",
                w.visits.to_string(),
                format!(
                    "{} households; found: {} needs, {} disputes, {} risks; {} cases opened",
                    w.households,
                    findings("need"),
                    findings("dispute"),
                    findings("risk"),
                    w.cases_opened
                ),
            ),
            (
                "Dispute register 矛盾纠纷排查台账",
                w.registered.to_string(),
                format!(
                    "{} resolved in the grid, {} sent up, {} open, {} follow-up visits",
                    w.resolved_in_grid, w.sent_up, w.open_entries, w.follow_ups
                ),
            ),
            (
                "Grid meetings 网格例会",
                w.meetings.to_string(),
                format!(
                    "{} grids met; {} with liaison and deputies ({}); {} matters, {} decisions",
                    w.grids_met,
                    w.meetings_fully_attended,
                    pct(t.indicators.get(Indicator::MeetingAttendanceRate)),
                    w.matters,
                    w.decisions
                ),
            ),
            (
                "Volunteer teams 志愿服务团队",
                team_cases.to_string(),
                format!(
                    "cases and register entries given to {} team{}",
                    w.team_work.len(),
                    if w.team_work.len() == 1 { "" } else { "s" }
                ),
            ),
        ];
        o.push_str("<section><h2>Grid work 网格工作</h2><div class=cards>");
        for (label, value, note) in &work_cards {
            let _ = write!(
                o,
                "<div class=card><div class=k>{}</div><div class=v>{}</div><div class=n>{}</div></div>",
                esc(label),
                esc(value),
                esc(note)
            );
        }
        o.push_str("</div></section>");
    }

    // In-grid share against the target.
    let share = in_grid.map_or(0, Rate::ten_thousandths).min(10_000);
    let fill = share * 500 / 10_000;
    let target = IN_GRID_TARGET * 500 / 10_000;
    let colour = if share >= IN_GRID_TARGET {
        "#2e7d32"
    } else {
        "#e67e22"
    };
    let _ = write!(
        o,
        "<section><h2>Small matters stay in the grid 小事不出网格</h2>\
         <svg viewBox=\"0 0 540 50\" width=\"540\" height=\"50\" role=\"img\">\
         <rect x=\"10\" y=\"12\" width=\"500\" height=\"20\" fill=\"#eceff1\" rx=\"3\"/>\
         <rect x=\"10\" y=\"12\" width=\"{fill}\" height=\"20\" fill=\"{colour}\" rx=\"3\"><title>resolved in the grid {}</title></rect>\
         <line x1=\"{tx}\" y1=\"6\" x2=\"{tx}\" y2=\"38\" stroke=\"#c0392b\" stroke-width=\"2\"/>\
         <text x=\"{tx}\" y=\"48\" text-anchor=\"middle\" class=lbl>96% target</text></svg>\
         <p>{} of {} cases resolved this month were resolved at micro-grid or grid level ({}).</p></section>",
        pct(in_grid),
        t.counts.in_grid,
        t.counts.resolved,
        pct(in_grid),
        tx = 10 + target,
    );

    // Levels.
    o.push_str("<section class=two><div><h2>Where cases were resolved 化解层级</h2>");
    let levels: Vec<(String, u32)> = report
        .resolved_by_level
        .iter()
        .map(|(l, n)| {
            let zh = l.parse::<Level>().map(Level::chinese).unwrap_or("");
            (format!("{l} {zh}"), *n)
        })
        .collect();
    hbars(&mut o, &levels, "#1f77b4");
    o.push_str("</div><div><h2>How cases came in 受理渠道</h2>");
    let channels: Vec<(String, u32)> = report.by_channel.clone();
    hbars(&mut o, &channels, "#8e44ad");
    o.push_str("</div></section>");
    o.push_str("<section><h2>Cases by category 诉求类别</h2>");
    let mut categories: Vec<(String, u32)> = report.by_category.clone();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    hbars(&mut o, &categories, "#16a085");
    o.push_str("</section>");

    // The ranking.
    let ranked: Vec<&UnitScore> = report.grids.iter().filter(|g| g.rank > 0).collect();
    let n = ranked.len();
    let step = n.div_ceil(400).max(1);
    let shown: Vec<&UnitScore> = ranked.iter().copied().step_by(step).collect();
    let bar = if shown.is_empty() {
        1
    } else {
        (900 / shown.len()).clamp(1, 12)
    };
    let width = shown.len() * bar + 40;
    let points = |g: &UnitScore| g.score.map_or(0, |s| s.rounded().max(0));
    let max = ranked.first().map_or(1, |g| points(g).max(1));
    let _ = write!(
        o,
        "<section><h2>Ranking of {n} grids 网格排名</h2><p class=sub>Bars are scores in rank order{}; red: the red list 红榜, dark: the black list 黑榜. Inactive grids and grids that could not be evaluated are not ranked.</p>\
         <svg viewBox=\"0 0 {width} 170\" width=\"{width}\" height=\"170\" role=\"img\">",
        if step > 1 {
            format!(" (every {step}th grid)")
        } else {
            String::new()
        }
    );
    for (i, g) in shown.iter().enumerate() {
        let v = points(g);
        let h = i64::try_from(v * 140 / max).unwrap_or(0);
        let colour = if g.red_streak > 0 {
            "#c0392b"
        } else if g.black_streak > 0 {
            "#2c3e50"
        } else {
            "#95a5a6"
        };
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{colour}\"><title>#{} {} {} {}</title></rect>",
            20 + i * bar,
            150 - h,
            bar.saturating_sub(1).max(1),
            g.rank,
            esc(&g.id),
            esc(&g.name),
            score_text(g)
        );
    }
    o.push_str(
        "<line x1=\"18\" y1=\"150\" x2=\"100%\" y2=\"150\" stroke=\"#555\"/></svg></section>",
    );

    let table = |o: &mut String, title: &str, rows: &[&UnitScore]| {
        let _ = write!(
            o,
            "<div><h3>{}</h3><table><tr><th>#</th><th>grid</th><th>worker</th><th>score</th><th>vs last month</th><th>on time</th><th>satisfied</th><th>in grid</th></tr>",
            esc(title)
        );
        for g in rows {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{} <span class=id>{}</span></td><td>{}</td><td class=num>{}</td><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td></tr>",
                g.rank,
                esc(&g.name),
                esc(&g.id),
                g.worker.as_ref().map_or(String::new(), |w| esc(w.as_str())),
                score_text(g),
                change(g),
                pct(g.indicators.get(Indicator::OnTimeRate)),
                pct(g.indicators.get(Indicator::SatisfactionRate)),
                pct(g.indicators.get(Indicator::InGridRate)),
            );
        }
        o.push_str("</table></div>");
    };
    let red: Vec<&UnitScore> = report.grids.iter().filter(|g| g.red_streak > 0).collect();
    let black: Vec<&UnitScore> = report.grids.iter().filter(|g| g.black_streak > 0).collect();
    o.push_str("<section class=two>");
    table(&mut o, "Red list 红榜", &red);
    table(&mut o, "Black list 黑榜", &black);
    o.push_str("</section>");
    if let Some(f) = &report.first_place {
        let _ = write!(
            o,
            "<p class=note>First place: <b>{}</b>, {} month{} in a row.</p>",
            esc(f.grid.as_str()),
            f.months,
            if f.months == 1 { "" } else { "s" }
        );
    }

    // Communities.
    o.push_str("<section><h2>Communities 社区</h2><table><tr><th>#</th><th>community</th><th>grids</th><th>cases</th><th>score</th><th>vs last month</th><th>on time</th><th>satisfied</th><th>in grid</th></tr>");
    for c in &report.communities {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{} <span class=id>{}</span></td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td></tr>",
            c.rank,
            esc(&c.name),
            esc(&c.id),
            c.grids.len(),
            c.counts.cases,
            score_text(c),
            change(c),
            pct(c.indicators.get(Indicator::OnTimeRate)),
            pct(c.indicators.get(Indicator::SatisfactionRate)),
            pct(c.indicators.get(Indicator::InGridRate)),
        );
    }
    o.push_str("</table></section>");

    // Inactive grids.
    o.push_str("<section><h2>Inactive and zombie grids 不活跃、僵尸网格</h2>");
    if report.inactive.is_empty() {
        o.push_str(
            "<p class=good>None this month: every grid reported or visited (the goal is zero).</p>",
        );
    } else {
        o.push_str("<table><tr><th>grid</th><th>worker</th><th>months in a row</th><th></th></tr>");
        for i in &report.inactive {
            let _ = write!(
                o,
                "<tr><td>{} <span class=id>{}</span></td><td>{}</td><td class=num>{}</td><td>{}</td></tr>",
                esc(&i.name),
                esc(i.grid.as_str()),
                i.worker.as_ref().map_or(String::new(), |w| esc(w.as_str())),
                i.months,
                if i.zombie {
                    "<b class=down>zombie 僵尸</b>"
                } else {
                    ""
                }
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");

    // Common demands.
    let _ = write!(
        o,
        "<section><h2>Common demands 共性诉求 ({})</h2>",
        report.common_demands.len()
    );
    if report.common_demands.is_empty() {
        o.push_str("<p>No category recurred often enough in one area.</p>");
    } else {
        o.push_str("<ol>");
        for d in report.common_demands.iter().take(15) {
            let _ = write!(o, "<li>{}</li>", esc(&d.recommendation()));
        }
        o.push_str("</ol>");
        if report.common_demands.len() > 15 {
            let _ = write!(
                o,
                "<p class=sub>… and {} more.</p>",
                report.common_demands.len() - 15
            );
        }
    }
    o.push_str("</section>");

    // Rewards.
    if let Some(r) = &report.rewards {
        let total: u64 = r.allocations.iter().map(|a| a.fen).sum();
        let _ = write!(
            o,
            "<section><h2>Rewards 奖补</h2><p>Budget ¥{} split by {} among {} grids; allocated ¥{} (exactly the budget: largest remainder to the fen).</p>\
             <table><tr><th>#</th><th>grid</th><th>weight</th><th>yuan</th></tr>",
            crate::fixed::Fixed2::from_hundredths(i64::try_from(r.budget_fen).unwrap_or(i64::MAX)),
            r.method,
            r.allocations.len(),
            crate::fixed::Fixed2::from_hundredths(i64::try_from(total).unwrap_or(i64::MAX)),
        );
        let len = r.allocations.len();
        for (i, a) in r.allocations.iter().enumerate() {
            if i == 10 && len > 15 {
                o.push_str("<tr><td colspan=4 class=sub>…</td></tr>");
            }
            if i >= 10 && i + 5 < len {
                continue;
            }
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=id>{}</td><td class=num>{}</td><td class=num>¥{}</td></tr>",
                a.rank,
                esc(a.grid.as_str()),
                a.weight,
                a.yuan
            );
        }
        o.push_str("</table></section>");
    }

    // Talent pool.
    o.push_str("<section><h2>Talent pool 后备人才库</h2>");
    if report.talent_pool.is_empty() {
        o.push_str("<p>No grid worker was in the top often enough in the months read.</p>");
    } else {
        o.push_str("<ul>");
        for w in &report.talent_pool {
            let _ = write!(
                o,
                "<li>{} <span class=id>{}</span>: in the top in {} months ({})</li>",
                esc(&w.name),
                esc(w.worker.as_str()),
                w.months.len(),
                w.months
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("</section><footer>Made by gridgov from the outcome table; every figure is exact and the same in Rust, Python and JS.</footer></main></body></html>\n");
    o
}

const STYLE: &str = "body{font:15px/1.45 -apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;margin:0;background:#f5f6f8;color:#222}\
main{max-width:1100px;margin:0 auto;padding:24px}h1{margin:0;font-size:26px}h2{font-size:18px;margin:0 0 8px}h3{font-size:15px;margin:8px 0}\
section{background:#fff;border-radius:8px;padding:16px 20px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}\
.sub{color:#666;font-size:13px}.cards{display:flex;gap:12px;flex-wrap:wrap;background:none;box-shadow:none;padding:0}\
.card{flex:1 1 170px;background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}\
.card .k{font-size:12px;color:#666}.card .v{font-size:26px;font-weight:600}.card .n{font-size:12px;color:#888}\
.two{display:flex;gap:24px;flex-wrap:wrap}.two>div{flex:1 1 440px}table{border-collapse:collapse;width:100%;font-size:13px}\
th,td{padding:4px 6px;border-bottom:1px solid #eee;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}\
.id{color:#888;font-size:11px}.up{color:#2e7d32}.down{color:#c0392b}.same{color:#999}.good{color:#2e7d32}\
.lbl{font-size:12px;fill:#444}.val{font-size:11px;fill:#666}.note{margin:4px 20px}footer{color:#888;font-size:12px;text-align:center;margin:20px}";
