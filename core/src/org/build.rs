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
    if spec.units.len() >= NONE as usize {
        return Err(OrgError::Invalid(vec![OrgProblem::DuplicateId {
            what: "unit",
            id: "(too many units)".to_owned(),
        }]));
    }
    let tables = Check::ids(&spec).run(gaps)?;
    Ok(tables.assemble(spec))
}

/// The checks of one specification, phase by phase, with every problem found so far.
/// Problems are reported in phase order; gaps (what [`GapPolicy`] may tolerate) are kept
/// apart and join the problems at the end when the policy rejects them.
struct Check<'s> {
    spec: &'s OrgSpec,
    problems: Vec<OrgProblem>,
    gap_problems: Vec<OrgProblem>,
    /// Units and offices share one namespace; people have their own.
    unit_index: FxHashMap<&'s str, u32>,
    office_index: FxHashMap<&'s str, u32>,
    person_index: FxHashMap<&'s str, u32>,
    /// False for a unit whose id repeats an earlier one.
    live: Vec<bool>,
}

/// The first holder of each duty, per unit (or per office for `office_lead`).
struct Duties {
    grid_worker: Vec<u32>,
    micro_leader: Vec<u32>,
    liaison: Vec<u32>,
    lead: Vec<u32>,
    office_lead: Vec<u32>,
}

/// The containment forest: the graph (containment and anchoring edges), each unit's
/// parent and children, and whether it has a cycle.
struct Forest {
    graph: DiGraph<UnitKind, Edge, u32>,
    parent: Vec<u32>,
    children: Vec<Vec<u32>>,
    has_cycle: bool,
}

/// Everything a valid specification yields, before the specification itself moves into
/// the [`OrgGraph`].
struct Tables {
    graph: DiGraph<UnitKind, Edge, u32>,
    parent: Vec<u32>,
    spans: Vec<Span>,
    order: Vec<u32>,
    duties: Duties,
    gap_problems: Vec<OrgProblem>,
    map: Option<std::sync::Arc<super::OrgMap>>,
}

impl<'s> Check<'s> {
    /// Phase 1: the format and the ids, each namespace without repeats.
    fn ids(spec: &'s OrgSpec) -> Self {
        let mut check = Self {
            spec,
            problems: Vec::new(),
            gap_problems: Vec::new(),
            unit_index: FxHashMap::default(),
            office_index: FxHashMap::default(),
            person_index: FxHashMap::default(),
            live: vec![true; spec.units.len()],
        };
        if spec.format != ORG_FORMAT {
            check.problems.push(OrgProblem::UnsupportedFormat {
                found: spec.format,
                expected: ORG_FORMAT,
            });
        }
        check.unit_index.reserve(spec.units.len());
        for (i, u) in spec.units.iter().enumerate() {
            if check.unit_index.contains_key(u.id.as_str()) {
                check.duplicate("unit", u.id.to_string());
                if let Some(slot) = check.live.get_mut(i) {
                    *slot = false;
                }
            } else {
                check.unit_index.insert(u.id.as_str(), ix(i));
            }
        }
        for (i, o) in spec.offices.iter().enumerate() {
            if check.unit_index.contains_key(o.id.as_str())
                || check.office_index.insert(o.id.as_str(), ix(i)).is_some()
            {
                check.duplicate("office", o.id.to_string());
            }
        }
        for (i, p) in spec.people.iter().enumerate() {
            if check.person_index.contains_key(p.id.as_str()) {
                check.duplicate("person", p.id.to_string());
            } else {
                check.person_index.insert(p.id.as_str(), ix(i));
            }
        }
        let mut team_seen: FxHashMap<&str, ()> = FxHashMap::default();
        for t in &spec.volunteer_teams {
            if team_seen.insert(t.id.as_str(), ()).is_some() {
                check.duplicate("volunteer team", t.id.to_string());
            }
        }
        check
    }

    /// The remaining phases in order; the tables when nothing is wrong.
    fn run(mut self, gaps: GapPolicy) -> Result<Tables, OrgError> {
        let mut forest = self.containment();
        let anchors = self.anchors(&mut forest.graph);
        let (spans, order) = if forest.has_cycle {
            (Vec::new(), Vec::new())
        } else {
            intervals(&forest.parent, &forest.children)
        };
        self.compounds_without_grid(&forest.children);
        if !forest.has_cycle {
            self.anchors_inside_parents(&forest.parent, &anchors, &spans);
        }
        self.people();
        let duties = self.duties();
        self.grids_without_worker(&duties);
        self.offices_and_teams();
        self.problems.extend(super::duty_lists::check(self.spec));
        let map = if forest.has_cycle {
            None
        } else {
            self.map(&forest.parent)
        };
        let Self {
            mut problems,
            mut gap_problems,
            ..
        } = self;
        match gaps {
            GapPolicy::Reject => problems.append(&mut gap_problems),
            GapPolicy::Report => {}
        }
        if !problems.is_empty() {
            return Err(OrgError::Invalid(problems));
        }
        Ok(Tables {
            graph: forest.graph,
            parent: forest.parent,
            spans,
            order,
            duties,
            gap_problems,
            map,
        })
    }

    /// Phase 8: the map's areas, when the spec has them.
    fn map(&mut self, parent: &[u32]) -> Option<std::sync::Arc<super::OrgMap>> {
        let spec = self.spec.map.as_ref()?;
        let found = super::map::MapCheck {
            units: &self.spec.units,
            index: &self.unit_index,
            parent,
        }
        .run(spec);
        self.problems.extend(found.problems);
        self.gap_problems.extend(found.gaps);
        found.map
    }

    fn duplicate(&mut self, what: &'static str, id: String) {
        self.problems.push(OrgProblem::DuplicateId { what, id });
    }

    fn is_live(&self, i: usize) -> bool {
        self.live.get(i).copied().unwrap_or(false)
    }

    fn kind_of(&self, i: u32) -> Option<UnitKind> {
        self.spec.units.get(i as usize).map(|u| u.kind)
    }

    /// Phase 2: parents of the allowed kinds, the containment edges, and cycles.
    fn containment(&mut self) -> Forest {
        let spec = self.spec;
        let n = spec.units.len();
        let mut graph: DiGraph<UnitKind, Edge, u32> = DiGraph::with_capacity(n, n * 2);
        for u in &spec.units {
            graph.add_node(u.kind);
        }
        let mut parent = vec![NONE; n];
        for (i, u) in spec.units.iter().enumerate() {
            if !self.is_live(i) {
                continue;
            }
            let allowed = u.kind.allowed_parents();
            match &u.parent {
                None if allowed.is_empty() => {}
                None if u.kind == UnitKind::MicroGrid => {
                    self.problems
                        .push(OrgProblem::MicroGridOutsideGrid { id: u.id.clone() });
                }
                None => self.problems.push(OrgProblem::MissingParent {
                    id: u.id.clone(),
                    kind: u.kind,
                    expected: allowed.to_vec(),
                }),
                Some(p) => match self.unit_index.get(p.as_str()).copied() {
                    None => self.problems.push(OrgProblem::UnknownParent {
                        id: u.id.clone(),
                        parent: p.clone(),
                    }),
                    Some(pi) => {
                        let pk = self.kind_of(pi).unwrap_or(u.kind);
                        if !allowed.contains(&pk) {
                            self.problems.push(OrgProblem::WrongParentKind {
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
        let has_cycle = self.cycles(&graph);
        // Children in spec order.
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, &p) in parent.iter().enumerate() {
            if p != NONE {
                if let Some(c) = children.get_mut(p as usize) {
                    c.push(ix(i));
                }
            }
        }
        Forest {
            graph,
            parent,
            children,
            has_cycle,
        }
    }

    /// Containment cycles. Called before anchoring edges are added (they only run party →
    /// territory anyway, and containment stays inside a hierarchy), so every strongly
    /// connected component with more than one node, or a self-loop, is a cycle.
    fn cycles(&mut self, graph: &DiGraph<UnitKind, Edge, u32>) -> bool {
        let mut has_cycle = false;
        for scc in petgraph::algo::tarjan_scc(graph) {
            let looped = match scc.as_slice() {
                [one] => graph.contains_edge(*one, *one),
                _ => true,
            };
            if looped {
                has_cycle = true;
                let mut ids: Vec<_> = scc
                    .iter()
                    .filter_map(|n| self.spec.units.get(n.index()).map(|u| u.id.clone()))
                    .collect();
                ids.sort();
                self.problems.push(OrgProblem::Cycle { ids });
            }
        }
        has_cycle
    }

    /// Phase 3: households only on grids and micro-grids; party units anchored to
    /// territory of the allowed kinds (an unanchored party unit is a gap). Adds the
    /// anchoring edges and returns each unit's anchors.
    fn anchors(&mut self, graph: &mut DiGraph<UnitKind, Edge, u32>) -> Vec<Vec<u32>> {
        let spec = self.spec;
        let mut anchors: Vec<Vec<u32>> = vec![Vec::new(); spec.units.len()];
        for (i, u) in spec.units.iter().enumerate() {
            if !self.is_live(i) {
                continue;
            }
            if u.households.is_some() && !matches!(u.kind, UnitKind::Grid | UnitKind::MicroGrid) {
                self.problems.push(OrgProblem::HouseholdsOnWrongKind {
                    id: u.id.clone(),
                    kind: u.kind,
                });
            }
            if u.kind.hierarchy() == Hierarchy::Territory {
                if !u.anchored_to.is_empty() {
                    self.problems.push(OrgProblem::AnchorOnTerritory {
                        id: u.id.clone(),
                        kind: u.kind,
                    });
                }
                continue;
            }
            let allowed = u.kind.allowed_anchors();
            if u.anchored_to.is_empty() {
                self.gap_problems.push(OrgProblem::UnanchoredPartyUnit {
                    id: u.id.clone(),
                    kind: u.kind,
                    expected: allowed.to_vec(),
                });
            }
            for t in &u.anchored_to {
                let Some(ti) = self.unit_index.get(t.as_str()).copied() else {
                    self.problems.push(OrgProblem::UnknownAnchor {
                        id: u.id.clone(),
                        target: t.clone(),
                    });
                    continue;
                };
                let tk = self.kind_of(ti).unwrap_or(u.kind);
                if !allowed.contains(&tk) {
                    self.problems.push(OrgProblem::AnchorKindMismatch {
                        id: u.id.clone(),
                        kind: u.kind,
                        target: t.clone(),
                        target_kind: tk,
                        expected: allowed.to_vec(),
                    });
                    continue;
                }
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
            }
        }
        anchors
    }

    /// Phase 4 (a gap): every compound holds a grid.
    fn compounds_without_grid(&mut self, children: &[Vec<u32>]) {
        for (i, u) in self.spec.units.iter().enumerate() {
            if u.kind == UnitKind::Compound && self.is_live(i) {
                let has_grid = children
                    .get(i)
                    .is_some_and(|c| c.iter().any(|&c| self.kind_of(c) == Some(UnitKind::Grid)));
                if !has_grid {
                    self.gap_problems
                        .push(OrgProblem::CompoundWithoutGrid { id: u.id.clone() });
                }
            }
        }
    }

    /// Phase 5 (on an acyclic forest): a party unit's anchors lie inside the territory of
    /// its parent's anchors.
    fn anchors_inside_parents(&mut self, parent: &[u32], anchors: &[Vec<u32>], spans: &[Span]) {
        let spec = self.spec;
        let contains = |a: u32, b: u32| match (spans.get(a as usize), spans.get(b as usize)) {
            (Some(sa), Some(sb)) => sa.start <= sb.start && sb.start <= sa.end,
            _ => false,
        };
        let id_at = |i: u32, fallback: &crate::id::UnitId| {
            spec.units
                .get(i as usize)
                .map_or_else(|| fallback.clone(), |x| x.id.clone())
        };
        for (i, u) in spec.units.iter().enumerate() {
            if u.kind.hierarchy() != Hierarchy::Party {
                continue;
            }
            let p = at(parent, ix(i), NONE);
            let Some(parent_anchors) = anchors.get(p as usize) else {
                continue;
            };
            if parent_anchors.is_empty() {
                continue;
            }
            for &t in anchors.get(i).map_or(&[][..], Vec::as_slice) {
                if !parent_anchors.iter().any(|&pa| contains(pa, t)) {
                    self.problems.push(OrgProblem::AnchorOutsideParent {
                        id: u.id.clone(),
                        kind: u.kind,
                        target: id_at(t, &u.id),
                        parent: id_at(p, &u.id),
                    });
                }
            }
        }
    }

    /// Where a name in `person.unit` or `duty.unit` points.
    fn target(&self, name: &str) -> Option<Target> {
        self.unit_index
            .get(name)
            .map(|&i| Target::Unit(i))
            .or_else(|| self.office_index.get(name).map(|&i| Target::Office(i)))
    }

    /// Phase 6: every person belongs to a known unit or office.
    fn people(&mut self) {
        for p in &self.spec.people {
            if self.target(p.unit.as_str()).is_none() {
                self.problems.push(OrgProblem::UnknownPersonUnit {
                    person: p.id.to_string(),
                    unit: p.unit.to_string(),
                });
            }
        }
    }

    /// Phase 7: duties name a known person of a fitting role and a unit or office of a
    /// fitting kind. The first holder in spec order wins where a unit has several.
    fn duties(&mut self) -> Duties {
        let spec = self.spec;
        let n = spec.units.len();
        let mut duties = Duties {
            grid_worker: vec![NONE; n],
            micro_leader: vec![NONE; n],
            liaison: vec![NONE; n],
            lead: vec![NONE; n],
            office_lead: vec![NONE; spec.offices.len()],
        };
        for d in &spec.duties {
            let Some(pi) = self.person_index.get(d.person.as_str()).copied() else {
                self.problems.push(OrgProblem::UnknownDutyPerson {
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
                self.problems.push(OrgProblem::DutyRoleMismatch {
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
            match self.target(d.unit.as_str()) {
                None => self.problems.push(OrgProblem::UnknownDutyUnit {
                    person: d.person.to_string(),
                    duty: d.duty,
                    unit: d.unit.to_string(),
                }),
                Some(Target::Office(oi)) => {
                    if !d.duty.allows_office() {
                        self.problems.push(mismatch("office".to_owned()));
                    } else if role_ok {
                        set_first(&mut duties.office_lead, oi, pi);
                    }
                }
                Some(Target::Unit(ui)) => {
                    let uk = self.kind_of(ui).unwrap_or(UnitKind::Building);
                    if !d.duty.allowed_unit_kinds().contains(&uk) {
                        self.problems.push(mismatch(uk.as_str().to_owned()));
                    } else if role_ok {
                        let table = match d.duty {
                            DutyKind::GridWorker => &mut duties.grid_worker,
                            DutyKind::Liaison => &mut duties.liaison,
                            DutyKind::Lead => &mut duties.lead,
                            DutyKind::MicroGridLeader => &mut duties.micro_leader,
                        };
                        set_first(table, ui, pi);
                    }
                }
            }
        }
        duties
    }

    /// Phase 8 (a gap): every grid has a grid worker.
    fn grids_without_worker(&mut self, duties: &Duties) {
        for (i, u) in self.spec.units.iter().enumerate() {
            if u.kind == UnitKind::Grid
                && self.is_live(i)
                && at(&duties.grid_worker, ix(i), NONE) == NONE
            {
                self.gap_problems
                    .push(OrgProblem::GridWithoutWorker { id: u.id.clone() });
            }
        }
    }

    /// Phase 9: an office's unit is a subdistrict; a volunteer team serves known grids.
    fn offices_and_teams(&mut self) {
        let spec = self.spec;
        for o in &spec.offices {
            if let Some(unit) = &o.unit {
                let ok = self
                    .unit_index
                    .get(unit.as_str())
                    .is_some_and(|&i| self.kind_of(i) == Some(UnitKind::Subdistrict));
                if !ok {
                    self.problems.push(OrgProblem::OfficeUnitInvalid {
                        id: o.id.to_string(),
                        unit: unit.to_string(),
                    });
                }
            }
        }
        for t in &spec.volunteer_teams {
            if t.grids.is_empty() {
                self.problems.push(OrgProblem::TeamWithoutGrid {
                    id: t.id.to_string(),
                });
            }
            for g in &t.grids {
                let ok = self
                    .unit_index
                    .get(g.as_str())
                    .is_some_and(|&i| self.kind_of(i) == Some(UnitKind::Grid));
                if !ok {
                    self.problems.push(OrgProblem::TeamGridInvalid {
                        id: t.id.to_string(),
                        grid: g.to_string(),
                    });
                }
            }
        }
    }
}

impl Tables {
    /// The per-unit level rows, the id maps and the office lookup, then the graph.
    fn assemble(self, spec: OrgSpec) -> OrgGraph {
        let Self {
            graph,
            parent,
            spans,
            order,
            mut duties,
            gap_problems,
            map,
        } = self;
        let levels = level_units(&spec, &parent);
        let holders = level_holders(&levels, &duties);
        // An office without a `lead` duty falls back to the first person attached to it.
        let mut office_ids = crate::idmap::IdMap::with_capacity(spec.offices.len());
        for (i, o) in spec.offices.iter().enumerate() {
            office_ids.insert_new(o.id.as_str(), ix(i));
        }
        for (pi, p) in spec.people.iter().enumerate() {
            if let Some(oi) = office_ids.get(p.unit.as_str()) {
                set_first(&mut duties.office_lead, oi, ix(pi));
            }
        }
        let mut unit_ids = crate::idmap::IdMap::with_capacity(spec.units.len());
        for (i, u) in spec.units.iter().enumerate() {
            unit_ids.insert_new(u.id.as_str(), ix(i));
        }
        let mut person_ids = crate::idmap::IdMap::with_capacity(spec.people.len());
        for (i, p) in spec.people.iter().enumerate() {
            person_ids.insert_new(p.id.as_str(), ix(i));
        }
        let mut office_by_kind: FxHashMap<(u32, super::OfficeKind), u32> = FxHashMap::default();
        for (i, o) in spec.offices.iter().enumerate() {
            let sd = o
                .unit
                .as_ref()
                .and_then(|u| unit_ids.get(u.as_str()))
                .unwrap_or(NONE);
            office_by_kind.entry((sd, o.kind)).or_insert(ix(i));
        }
        OrgGraph {
            graph,
            unit_ids,
            office_ids,
            person_ids,
            kinds: spec.units.iter().map(|u| u.kind).collect(),
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
            liaison: duties.liaison,
            micro_leaders_posted: duties.micro_leader.iter().any(|p| *p != NONE),
            micro_leader: duties.micro_leader,
            office_lead: duties.office_lead,
            office_by_kind,
            gaps: gap_problems,
            id_texts: super::IdTexts::of(&spec),
            spec,
            grid_index: std::sync::OnceLock::new(),
            map,
            person_duties: std::sync::OnceLock::new(),
            offices_taking: std::sync::OnceLock::new(),
            duty_cover: std::sync::OnceLock::new(),
        }
    }
}

/// For each territorial unit, the unit at each territorial level at or above it
/// (micro-grid, grid, community, subdistrict; `NONE` where there is none).
fn level_units(spec: &OrgSpec, parent: &[u32]) -> Vec<[u32; 4]> {
    let kind_of = |i: u32| spec.units.get(i as usize).map(|u| u.kind);
    let mut levels = vec![[NONE; 4]; spec.units.len()];
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
            cur = at(parent, cur, NONE);
            guard += 1;
        }
        if let Some(slot) = levels.get_mut(i) {
            *slot = row;
        }
    }
    levels
}

/// The duty holder at each level of each unit's row: a micro-grid's leader (微网格长), or
/// else its own grid worker, or else its grid's; the grid's liaison or else the
/// community's lead; the subdistrict's lead.
fn level_holders(levels: &[[u32; 4]], duties: &Duties) -> Vec<[u32; 4]> {
    levels
        .iter()
        .map(|&[micro, grid, community, subdistrict]| {
            let grid_holder = at(&duties.grid_worker, grid, NONE);
            let micro_holder = if micro == NONE {
                NONE
            } else {
                match (
                    at(&duties.micro_leader, micro, NONE),
                    at(&duties.grid_worker, micro, NONE),
                ) {
                    (NONE, NONE) => grid_holder,
                    (NONE, p) | (p, _) => p,
                }
            };
            let community_holder = match at(&duties.liaison, grid, NONE) {
                NONE => at(&duties.lead, community, NONE),
                p => p,
            };
            [
                micro_holder,
                grid_holder,
                community_holder,
                at(&duties.lead, subdistrict, NONE),
            ]
        })
        .collect()
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
