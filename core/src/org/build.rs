//! Validation of an [`OrgSpec`] and construction of the indexes behind [`OrgGraph`].
//!
//! Every rule is checked and every problem reported; nothing here panics on any input.

use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use super::error::{OrgError, OrgProblem};
use super::kind::{DutyKind, Hierarchy, UnitKind};
use super::spec::{ORG_FORMAT, OrgSpec};
use super::{Edge, GapPolicy, NONE, OrgGraph, Span};

/// Where a name in `person.unit` or `duty.unit` points.
#[derive(Clone, Copy)]
enum Target {
    Unit(u32),
    Office(u32),
}

fn ix(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NONE)
}

fn at<T: Copy>(v: &[T], i: u32, default: T) -> T {
    v.get(i as usize).copied().unwrap_or(default)
}

pub(super) fn build(spec: OrgSpec, gaps: GapPolicy) -> Result<OrgGraph, OrgError> {
    let mut problems = Vec::new();
    let mut gap_problems = Vec::new();
    if spec.format != ORG_FORMAT {
        problems.push(OrgProblem::UnsupportedFormat {
            found: spec.format,
            expected: ORG_FORMAT,
        });
    }
    if spec.units.len() >= NONE as usize {
        return Err(OrgError::Invalid(vec![OrgProblem::DuplicateId {
            what: "unit",
            id: "(too many units)".to_owned(),
        }]));
    }

    // Ids: units and offices share one namespace, people and teams have their own.
    let mut unit_index: FxHashMap<&str, u32> = FxHashMap::default();
    unit_index.reserve(spec.units.len());
    let mut live = vec![true; spec.units.len()];
    for (i, u) in spec.units.iter().enumerate() {
        if unit_index.contains_key(u.id.as_str()) {
            problems.push(OrgProblem::DuplicateId {
                what: "unit",
                id: u.id.to_string(),
            });
            if let Some(slot) = live.get_mut(i) {
                *slot = false;
            }
        } else {
            unit_index.insert(u.id.as_str(), ix(i));
        }
    }
    let mut office_index: FxHashMap<&str, u32> = FxHashMap::default();
    for (i, o) in spec.offices.iter().enumerate() {
        if unit_index.contains_key(o.id.as_str())
            || office_index.insert(o.id.as_str(), ix(i)).is_some()
        {
            problems.push(OrgProblem::DuplicateId {
                what: "office",
                id: o.id.to_string(),
            });
        }
    }
    let mut person_index: FxHashMap<&str, u32> = FxHashMap::default();
    for (i, p) in spec.people.iter().enumerate() {
        if person_index.contains_key(p.id.as_str()) {
            problems.push(OrgProblem::DuplicateId {
                what: "person",
                id: p.id.to_string(),
            });
        } else {
            person_index.insert(p.id.as_str(), ix(i));
        }
    }
    let mut team_seen: FxHashMap<&str, ()> = FxHashMap::default();
    for t in &spec.volunteer_teams {
        if team_seen.insert(t.id.as_str(), ()).is_some() {
            problems.push(OrgProblem::DuplicateId {
                what: "volunteer team",
                id: t.id.to_string(),
            });
        }
    }
    let kind_of = |i: u32| spec.units.get(i as usize).map(|u| u.kind);

    // Parents, and the graph that holds containment and anchoring edges.
    let n = spec.units.len();
    let mut graph: DiGraph<UnitKind, Edge, u32> = DiGraph::with_capacity(n, n * 2);
    for u in &spec.units {
        graph.add_node(u.kind);
    }
    let mut parent = vec![NONE; n];
    for (i, u) in spec.units.iter().enumerate() {
        if !live.get(i).copied().unwrap_or(false) {
            continue;
        }
        let allowed = u.kind.allowed_parents();
        match &u.parent {
            None if allowed.is_empty() => {}
            None if u.kind == UnitKind::MicroGrid => {
                problems.push(OrgProblem::MicroGridOutsideGrid { id: u.id.clone() });
            }
            None => problems.push(OrgProblem::MissingParent {
                id: u.id.clone(),
                kind: u.kind,
                expected: allowed.to_vec(),
            }),
            Some(p) => match unit_index.get(p.as_str()) {
                None => problems.push(OrgProblem::UnknownParent {
                    id: u.id.clone(),
                    parent: p.clone(),
                }),
                Some(&pi) => {
                    let pk = kind_of(pi).unwrap_or(u.kind);
                    if !allowed.contains(&pk) {
                        problems.push(OrgProblem::WrongParentKind {
                            id: u.id.clone(),
                            kind: u.kind,
                            parent: p.clone(),
                            parent_kind: pk,
                            expected: allowed.to_vec(),
                        });
                    }
                    if let Some(slot) = parent.get_mut(i) {
                        *slot = pi;
                    }
                    graph.add_edge(
                        NodeIndex::new(pi as usize),
                        NodeIndex::new(i),
                        Edge::Contains,
                    );
                }
            },
        }
    }

    // Cycles: anchoring edges only run party → territory and containment stays inside a
    // hierarchy, so every strongly connected component with more than one node (or a
    // self-loop) is a containment cycle.
    let mut has_cycle = false;
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let looped = match scc.as_slice() {
            [one] => graph.contains_edge(*one, *one),
            _ => true,
        };
        if looped {
            has_cycle = true;
            let mut ids: Vec<_> = scc
                .iter()
                .filter_map(|n| spec.units.get(n.index()).map(|u| u.id.clone()))
                .collect();
            ids.sort();
            problems.push(OrgProblem::Cycle { ids });
        }
    }

    // Anchors and households.
    let mut anchors: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, u) in spec.units.iter().enumerate() {
        if !live.get(i).copied().unwrap_or(false) {
            continue;
        }
        if u.households.is_some() && !matches!(u.kind, UnitKind::Grid | UnitKind::MicroGrid) {
            problems.push(OrgProblem::HouseholdsOnWrongKind {
                id: u.id.clone(),
                kind: u.kind,
            });
        }
        if u.kind.hierarchy() == Hierarchy::Territory {
            if !u.anchored_to.is_empty() {
                problems.push(OrgProblem::AnchorOnTerritory {
                    id: u.id.clone(),
                    kind: u.kind,
                });
            }
            continue;
        }
        let allowed = u.kind.allowed_anchors();
        if u.anchored_to.is_empty() {
            gap_problems.push(OrgProblem::UnanchoredPartyUnit {
                id: u.id.clone(),
                kind: u.kind,
                expected: allowed.to_vec(),
            });
        }
        for t in &u.anchored_to {
            match unit_index.get(t.as_str()) {
                None => problems.push(OrgProblem::UnknownAnchor {
                    id: u.id.clone(),
                    target: t.clone(),
                }),
                Some(&ti) => {
                    let tk = kind_of(ti).unwrap_or(u.kind);
                    if allowed.contains(&tk) {
                        if let Some(list) = anchors.get_mut(i) {
                            if !list.contains(&ti) {
                                list.push(ti);
                                graph.add_edge(
                                    NodeIndex::new(i),
                                    NodeIndex::new(ti as usize),
                                    Edge::AnchoredTo,
                                );
                            }
                        }
                    } else {
                        problems.push(OrgProblem::AnchorKindMismatch {
                            id: u.id.clone(),
                            kind: u.kind,
                            target: t.clone(),
                            target_kind: tk,
                            expected: allowed.to_vec(),
                        });
                    }
                }
            }
        }
    }

    // Children in spec order, then the interval index (only on an acyclic forest).
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, &p) in parent.iter().enumerate() {
        if p != NONE {
            if let Some(c) = children.get_mut(p as usize) {
                c.push(ix(i));
            }
        }
    }
    let (spans, order) = if has_cycle {
        (Vec::new(), Vec::new())
    } else {
        intervals(&parent, &children)
    };

    // Compounds need a grid; grids need a grid worker (checked after duties).
    for (i, u) in spec.units.iter().enumerate() {
        if u.kind == UnitKind::Compound && live.get(i).copied().unwrap_or(false) {
            let has_grid = children
                .get(i)
                .is_some_and(|c| c.iter().any(|&c| kind_of(c) == Some(UnitKind::Grid)));
            if !has_grid {
                gap_problems.push(OrgProblem::CompoundWithoutGrid { id: u.id.clone() });
            }
        }
    }

    // A party unit's anchors must lie inside the territory of its parent's anchors.
    if !has_cycle {
        let contains = |a: u32, b: u32| match (spans.get(a as usize), spans.get(b as usize)) {
            (Some(sa), Some(sb)) => sa.start <= sb.start && sb.start <= sa.end,
            _ => false,
        };
        for (i, u) in spec.units.iter().enumerate() {
            if u.kind.hierarchy() != Hierarchy::Party {
                continue;
            }
            let p = at(&parent, ix(i), NONE);
            let Some(parent_anchors) = anchors.get(p as usize) else {
                continue;
            };
            if parent_anchors.is_empty() {
                continue;
            }
            for &t in anchors.get(i).map_or(&[][..], Vec::as_slice) {
                if !parent_anchors.iter().any(|&pa| contains(pa, t)) {
                    problems.push(OrgProblem::AnchorOutsideParent {
                        id: u.id.clone(),
                        kind: u.kind,
                        target: spec
                            .units
                            .get(t as usize)
                            .map_or_else(|| u.id.clone(), |x| x.id.clone()),
                        parent: spec
                            .units
                            .get(p as usize)
                            .map_or_else(|| u.id.clone(), |x| x.id.clone()),
                    });
                }
            }
        }
    }

    // People.
    let resolve = |name: &str| -> Option<Target> {
        unit_index
            .get(name)
            .map(|&i| Target::Unit(i))
            .or_else(|| office_index.get(name).map(|&i| Target::Office(i)))
    };
    for p in &spec.people {
        if resolve(p.unit.as_str()).is_none() {
            problems.push(OrgProblem::UnknownPersonUnit {
                person: p.id.to_string(),
                unit: p.unit.to_string(),
            });
        }
    }

    // Duties: first holder in spec order wins where a unit has several.
    let mut grid_worker = vec![NONE; n];
    let mut liaison = vec![NONE; n];
    let mut lead = vec![NONE; n];
    let mut office_lead = vec![NONE; spec.offices.len()];
    for d in &spec.duties {
        let Some(&pi) = person_index.get(d.person.as_str()) else {
            problems.push(OrgProblem::UnknownDutyPerson {
                person: d.person.to_string(),
                duty: d.duty,
                unit: d.unit.to_string(),
            });
            continue;
        };
        let Some(person) = spec.people.get(pi as usize) else {
            continue;
        };
        let roles = d.duty.allowed_roles();
        let role_ok = roles.contains(&person.role);
        if !role_ok {
            problems.push(OrgProblem::DutyRoleMismatch {
                person: d.person.to_string(),
                role: person.role,
                duty: d.duty,
                expected: roles.to_vec(),
            });
        }
        let mismatch = |unit_kind: String| OrgProblem::DutyUnitMismatch {
            person: d.person.to_string(),
            duty: d.duty,
            unit: d.unit.to_string(),
            unit_kind,
            expected: duty_targets(d.duty),
        };
        match resolve(d.unit.as_str()) {
            None => problems.push(OrgProblem::UnknownDutyUnit {
                person: d.person.to_string(),
                duty: d.duty,
                unit: d.unit.to_string(),
            }),
            Some(Target::Office(oi)) => {
                if d.duty.allows_office() {
                    if role_ok {
                        set_first(&mut office_lead, oi, pi);
                    }
                } else {
                    problems.push(mismatch("office".to_owned()));
                }
            }
            Some(Target::Unit(ui)) => {
                let uk = kind_of(ui).unwrap_or(UnitKind::Building);
                if !d.duty.allowed_unit_kinds().contains(&uk) {
                    problems.push(mismatch(uk.as_str().to_owned()));
                } else if role_ok {
                    let table = match d.duty {
                        DutyKind::GridWorker => &mut grid_worker,
                        DutyKind::Liaison => &mut liaison,
                        DutyKind::Lead => &mut lead,
                    };
                    set_first(table, ui, pi);
                }
            }
        }
    }
    for (i, u) in spec.units.iter().enumerate() {
        if u.kind == UnitKind::Grid
            && live.get(i).copied().unwrap_or(false)
            && at(&grid_worker, ix(i), NONE) == NONE
        {
            gap_problems.push(OrgProblem::GridWithoutWorker { id: u.id.clone() });
        }
    }

    // Offices and teams.
    for o in &spec.offices {
        if let Some(unit) = &o.unit {
            let ok = unit_index
                .get(unit.as_str())
                .is_some_and(|&i| kind_of(i) == Some(UnitKind::Subdistrict));
            if !ok {
                problems.push(OrgProblem::OfficeUnitInvalid {
                    id: o.id.to_string(),
                    unit: unit.to_string(),
                });
            }
        }
    }
    for t in &spec.volunteer_teams {
        if t.grids.is_empty() {
            problems.push(OrgProblem::TeamWithoutGrid {
                id: t.id.to_string(),
            });
        }
        for g in &t.grids {
            let ok = unit_index
                .get(g.as_str())
                .is_some_and(|&i| kind_of(i) == Some(UnitKind::Grid));
            if !ok {
                problems.push(OrgProblem::TeamGridInvalid {
                    id: t.id.to_string(),
                    grid: g.to_string(),
                });
            }
        }
    }

    match gaps {
        GapPolicy::Reject => problems.append(&mut gap_problems),
        GapPolicy::Report => {}
    }
    if !problems.is_empty() {
        return Err(OrgError::Invalid(problems));
    }

    // Per-unit level tables: the unit at each territorial level above (or at) a unit, and
    // the duty holder at each level.
    let mut levels = vec![[NONE; 4]; n];
    for (i, u) in spec.units.iter().enumerate() {
        if u.kind.hierarchy() != Hierarchy::Territory {
            continue;
        }
        let mut cur = ix(i);
        let mut row = [NONE; 4];
        let mut guard = 0;
        while cur != NONE && guard < 16 {
            if let Some(l) = kind_of(cur).and_then(UnitKind::level) {
                if let Some(slot) = row.get_mut(l.rank()) {
                    if *slot == NONE {
                        *slot = cur;
                    }
                }
            }
            cur = at(&parent, cur, NONE);
            guard += 1;
        }
        if let Some(slot) = levels.get_mut(i) {
            *slot = row;
        }
    }
    let mut holders = vec![[NONE; 4]; n];
    for (i, row) in levels.iter().enumerate() {
        let [micro, grid, community, subdistrict] = *row;
        let grid_holder = at(&grid_worker, grid, NONE);
        let micro_holder = if micro == NONE {
            NONE
        } else {
            match at(&grid_worker, micro, NONE) {
                NONE => grid_holder,
                p => p,
            }
        };
        let community_holder = match at(&liaison, grid, NONE) {
            NONE => at(&lead, community, NONE),
            p => p,
        };
        if let Some(slot) = holders.get_mut(i) {
            *slot = [
                micro_holder,
                grid_holder,
                community_holder,
                at(&lead, subdistrict, NONE),
            ];
        }
    }
    // An office without a `lead` duty falls back to the first person attached to it.
    for (pi, p) in spec.people.iter().enumerate() {
        if let Some(&oi) = office_index.get(p.unit.as_str()) {
            set_first(&mut office_lead, oi, ix(pi));
        }
    }

    let mut unit_ids = crate::idmap::IdMap::with_capacity(spec.units.len());
    for (i, u) in spec.units.iter().enumerate() {
        if live.get(i).copied().unwrap_or(false) {
            unit_ids.insert_new(u.id.as_str(), ix(i));
        }
    }
    let mut office_ids = crate::idmap::IdMap::with_capacity(spec.offices.len());
    for (i, o) in spec.offices.iter().enumerate() {
        office_ids.insert_new(o.id.as_str(), ix(i));
    }
    let mut person_ids = crate::idmap::IdMap::with_capacity(spec.people.len());
    for (i, p) in spec.people.iter().enumerate() {
        person_ids.insert_new(p.id.as_str(), ix(i));
    }
    let kinds = spec.units.iter().map(|u| u.kind).collect();

    let mut office_by_kind: FxHashMap<(u32, super::OfficeKind), u32> = FxHashMap::default();
    for (i, o) in spec.offices.iter().enumerate() {
        let sd = o
            .unit
            .as_ref()
            .and_then(|u| unit_ids.get(u.as_str()))
            .unwrap_or(NONE);
        office_by_kind.entry((sd, o.kind)).or_insert(ix(i));
    }

    Ok(OrgGraph {
        graph,
        unit_ids,
        office_ids,
        person_ids,
        kinds,
        parent,
        spans,
        order,
        rows: levels
            .iter()
            .zip(&holders)
            .map(|(l, h)| super::UnitRow {
                levels: *l,
                holders: *h,
            })
            .collect(),
        liaison,
        office_lead,
        office_by_kind,
        gaps: gap_problems,
        spec,
        grid_index: std::sync::OnceLock::new(),
    })
}

fn set_first(table: &mut [u32], i: u32, value: u32) {
    if let Some(slot) = table.get_mut(i as usize) {
        if *slot == NONE {
            *slot = value;
        }
    }
}

fn duty_targets(d: DutyKind) -> String {
    let mut parts: Vec<String> = d
        .allowed_unit_kinds()
        .iter()
        .map(|k| format!("a {k}"))
        .collect();
    if d.allows_office() {
        parts.push("an office".to_owned());
    }
    parts.join(" or ")
}

/// Pre-order numbering of the containment forest, iteratively (no recursion on input
/// depth). Returns each unit's span and the units in pre-order.
fn intervals(parent: &[u32], children: &[Vec<u32>]) -> (Vec<Span>, Vec<u32>) {
    let n = parent.len();
    let mut spans = vec![Span { start: 0, end: 0 }; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for root in 0..n {
        if parent.get(root).copied() != Some(NONE) {
            continue;
        }
        stack.push((ix(root), 0));
        if let Some(s) = spans.get_mut(root) {
            s.start = ix(order.len());
        }
        order.push(ix(root));
        while let Some((node, next)) = stack.last_mut() {
            let kids = children.get(*node as usize).map_or(&[][..], Vec::as_slice);
            if let Some(&child) = kids.get(*next) {
                *next += 1;
                if let Some(s) = spans.get_mut(child as usize) {
                    s.start = ix(order.len());
                }
                order.push(child);
                stack.push((child, 0));
            } else {
                if let Some(s) = spans.get_mut(*node as usize) {
                    s.end = ix(order.len().saturating_sub(1));
                }
                stack.pop();
            }
        }
    }
    (spans, order)
}
