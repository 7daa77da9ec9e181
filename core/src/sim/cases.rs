//! The seeded cases of a month: where, what, by which channel, how big.

use crate::case::{AttrValue, Case, Channel, Reporter};
use crate::engine::Engine;
use crate::fixed::Fixed2;
use crate::id::{CaseId, Category, Name, UnitId};
use crate::org::UnitKind;
use crate::rng::{SplitMix64, cumulative};
use crate::rules::Datatype;
use crate::time::Date;

/// How often each default category is reported, per thousand cases (common practice in
/// grid systems: livelihood, environment and disputes dominate). Categories not listed
/// weigh 20.
const CATEGORY_WEIGHTS: &[(&str, u64)] = &[
    ("livelihood", 190),
    ("environment", 170),
    ("neighbour_dispute", 110),
    ("property_management", 110),
    ("safety_hazard", 80),
    ("comprehensive_governance", 60),
    ("health_care", 40),
    ("medical_insurance", 30),
    ("housing", 30),
    ("debt_dispute", 30),
    ("labour_wage", 25),
    ("party_building", 25),
    ("public_security", 20),
    ("property_crime", 15),
    ("petition", 15),
    ("other", 50),
];

/// The Fushan channels and their weights; a rule set's other channels weigh 20.
const CHANNEL_WEIGHTS: &[(&str, u64)] = &[
    ("visit", 420),
    ("app", 300),
    ("hotline", 180),
    ("walk_in", 60),
    ("petition", 25),
    ("lawyer_desk", 15),
];

/// `count` seeded cases reported during `year`-`month` in the engine's calendar zone,
/// spread over the organisation's micro-grids by households, with categories, channels,
/// sizes, amounts, repeats, risk flags and required attributes drawn from fixed
/// distributions. Every case is valid for the engine's rule set.
#[must_use]
pub fn month_cases(engine: &Engine, year: i32, month: u32, count: usize, seed: u64) -> Vec<Case> {
    let mut rng = SplitMix64::new(seed ^ (u64::from(month) << 32) ^ (year as u64));
    let org = engine.org();
    let rules = engine.rules();
    let micro: Vec<(&UnitId, u64)> = org
        .units_of_kind(UnitKind::MicroGrid)
        .map(|u| (&u.id, u64::from(u.households.unwrap_or(100)).max(1)))
        .collect();
    let micro_weights: Vec<u64> = cumulative(&micro.iter().map(|(_, w)| *w).collect::<Vec<_>>());
    let categories = rules.categories();
    let cat_weights: Vec<u64> = categories
        .iter()
        .map(|c| {
            CATEGORY_WEIGHTS
                .iter()
                .find(|(n, _)| n == c)
                .map_or(20, |(_, w)| *w)
        })
        .collect();
    // The declared channels: those of the weight table first, in its order, then the
    // others (so the Fushan default draws exactly as it always has).
    let declared = rules.channels();
    let mut channels: Vec<(Channel, u64)> = CHANNEL_WEIGHTS
        .iter()
        .filter(|(n, _)| declared.iter().any(|d| d == n))
        .filter_map(|(n, w)| Some((Channel::new(n).ok()?, *w)))
        .collect();
    for d in declared {
        if !CHANNEL_WEIGHTS.iter().any(|(n, _)| n == d) {
            if let Ok(c) = Channel::new(d) {
                channels.push((c, 20));
            }
        }
    }
    let chan_weights: Vec<u64> = channels.iter().map(|(_, w)| *w).collect();
    let Ok(first) = Date::new(year, month, 1) else {
        return Vec::new();
    };
    let next = if month == 12 {
        Date::new(year + 1, 1, 1)
    } else {
        Date::new(year, month + 1, 1)
    };
    let days = next
        .map_or(28, |n| i64::from(n.days() - first.days()))
        .max(1);
    let zone = engine.calendar().zone();
    let risk_flags = rules.risk_flags();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let Some(&(location, _)) = micro.get(rng.weighted_cumulative(&micro_weights)) else {
            break;
        };
        let category = categories
            .get(rng.weighted(&cat_weights))
            .cloned()
            .unwrap_or_default();
        let Some(channel) = channels
            .get(rng.weighted(&chan_weights))
            .map(|(c, _)| c.clone())
        else {
            break;
        };
        // Most matters involve one or two people; a few many.
        let people_involved = match rng.below(1000) {
            0..=799 => 1,
            800..=979 => 2 + rng.below(3) as u32,
            980..=997 => 5 + rng.below(25) as u32,
            _ => 30 + rng.below(40) as u32,
        };
        // Debts, wages and theft always involve money; neighbours and property sometimes.
        let money = match category.as_str() {
            "debt_dispute" | "labour_wage" | "property_crime" => true,
            "property_management" | "neighbour_dispute" => rng.chance(200),
            _ => false,
        };
        let amount_yuan = if money {
            let fen = match rng.below(100) {
                0..=59 => rng.below(500_000),
                60..=89 => 500_000 + rng.below(4_500_000),
                90..=98 => 5_000_000 + rng.below(45_000_000),
                _ => 50_000_000 + rng.below(100_000_000),
            };
            Fixed2::from_hundredths(i64::try_from(fen).unwrap_or(0))
        } else {
            Fixed2::ZERO
        };
        let repeat_count = match rng.below(1000) {
            0..=929 => 0,
            930..=979 => 1,
            _ => 2 + rng.below(2) as u32,
        };
        let mut flags = Vec::new();
        if !risk_flags.is_empty() && rng.chance(15) {
            if let Some(f) = risk_flags.get(rng.below(risk_flags.len() as u64) as usize) {
                if let Ok(n) = Name::new(f.as_str()) {
                    flags.push(n);
                }
            }
        }
        let day = first.days() + rng.below(days as u64) as i32;
        // Seven reports in ten come in office hours.
        let minute = if rng.chance(700) {
            510 + rng.below(540) as i64
        } else {
            rng.below(1440) as i64
        };
        let local = i64::from(day) * 1440 + minute;
        let reported_at = zone.at_local_minute(local);
        let mut attributes = crate::case::Attributes::new();
        for a in &rules.spec().attributes {
            if !a.applies_to(&category) || !(a.required || rng.chance(300)) {
                continue;
            }
            let value = match a.datatype {
                Datatype::Singlevaluelist => a
                    .values
                    .get(rng.below(a.values.len() as u64) as usize)
                    .map(|v| AttrValue::Text(v.to_string())),
                Datatype::Multivaluelist => a
                    .values
                    .get(rng.below(a.values.len() as u64) as usize)
                    .map(|v| AttrValue::List(vec![v.to_string()])),
                Datatype::Number => Some(AttrValue::Number(Fixed2::from_units(
                    1 + rng.below(50) as i64,
                ))),
                Datatype::Boolean => Some(AttrValue::Bool(rng.chance(500))),
                Datatype::Datetime => Some(AttrValue::Text(
                    zone.at_local_minute(local - 1440 * (1 + rng.below(30) as i64))
                        .to_string(),
                )),
                Datatype::String | Datatype::Text => {
                    Some(AttrValue::Text(format!("示例{}", rng.below(100))))
                }
            };
            if let Some(v) = value {
                attributes.insert(a.code.to_string(), v);
            }
        }
        let (Ok(id), Ok(category)) = (
            CaseId::new(format!("sim-{year:04}{month:02}-{:06}", i + 1)),
            Category::new(category),
        ) else {
            continue;
        };
        // One report in twenty repeats an earlier matter: the same resident, place and
        // category (一个事多次反映).
        if !out.is_empty() && rng.chance(50) {
            let earlier: Option<&Case> = out.get(rng.below(out.len() as u64) as usize);
            if let Some(e) = earlier.cloned() {
                let later = if e.reported_at > reported_at {
                    e.reported_at.plus_minutes(60)
                } else {
                    reported_at
                };
                out.push(Case {
                    id,
                    reported_at: later,
                    channel,
                    summary: None,
                    ..e
                });
                continue;
            }
        }
        out.push(Case {
            id,
            channel,
            category,
            location: location.clone(),
            point: None,
            media_url: None,
            people_involved,
            amount_yuan,
            repeat_count,
            risk_flags: flags.into(),
            attributes,
            reported_at,
            reporter: Some(Reporter {
                name: Some(format!("居民{:05}", rng.below(100_000)).into()),
                phone: Some(format!("138{:08}", rng.below(100_000_000)).into()),
                id_number: None,
                email: None,
                account_id: None,
                device_id: None,
            }),
            summary: None,
        });
    }
    out
}
