//! The grids of an organisation laid out for scoring: what a month's evaluation reads of
//! the organisation, in plain vectors indexed by grid position.

use std::sync::Arc;

use super::{Level, NONE, OrgGraph, UnitKey, UnitKind};
use crate::id::{PersonId, UnitId, sorted_places};

/// The grids of an organisation laid out for scoring, built once per organisation (see
/// [`OrgGraph::grid_index`]): per grid its id, name, community, compound, households and
/// worker; the communities, compounds and workers; the grid of every unit.
#[derive(Debug)]
pub(crate) struct GridIndex {
    pub(crate) ids: Vec<UnitId>,
    pub(crate) names: Vec<Arc<str>>,
    pub(crate) community: Vec<u32>,
    pub(crate) compound: Vec<u32>,
    pub(crate) households: Vec<u32>,
    pub(crate) worker_id: Vec<Option<PersonId>>,
    pub(crate) communities: Vec<(UnitId, Arc<str>)>,
    pub(crate) compounds: Vec<(UnitId, Arc<str>)>,
    /// The grids of each community.
    pub(crate) members: Vec<Vec<u32>>,
    /// Distinct grid workers: id, name and grids.
    pub(crate) workers: Vec<(PersonId, Arc<str>, Vec<u32>)>,
    /// The position of each grid by its unit key (`u32::MAX`: not a grid).
    pub(crate) places: Vec<u32>,
    pub(crate) root: (Arc<str>, Arc<str>),
    /// The ids as shared text, for the scored units: grids, workers, communities.
    pub(crate) grid_text: Vec<Arc<str>>,
    pub(crate) worker_text: Vec<Arc<str>>,
    pub(crate) community_text: Vec<Arc<str>>,
    /// Places in id order of compounds and communities (for sorting demands).
    pub(crate) compound_order: Vec<u32>,
    pub(crate) community_order: Vec<u32>,
}

/// A copy of an id with its own allocation: the index's ids then lie together in memory,
/// so touching their counts for a whole city stays in cache.
fn fresh<T: Clone + std::str::FromStr + AsRef<str>>(id: &T) -> T {
    id.as_ref().parse().unwrap_or_else(|_| id.clone())
}

impl GridIndex {
    pub(crate) fn new(org: &OrgGraph) -> Self {
        let mut community_pos = vec![NONE; org.len()];
        let mut compound_pos = vec![NONE; org.len()];
        let mut communities = Vec::new();
        let mut compounds = Vec::new();
        for (kind, list, pos) in [
            (UnitKind::Community, &mut communities, &mut community_pos),
            (UnitKind::Compound, &mut compounds, &mut compound_pos),
        ] {
            for u in org.units_of_kind(kind) {
                if let Some(k) = org.key(u.id.as_str()) {
                    if let Some(slot) = pos.get_mut(k.index()) {
                        *slot = u32::try_from(list.len()).unwrap_or(NONE);
                    }
                    list.push((fresh(&u.id), Arc::<str>::from(u.name.as_str())));
                }
            }
        }
        let mut ids = Vec::new();
        let mut names = Vec::new();
        let mut community = Vec::new();
        let mut compound = Vec::new();
        let mut households = Vec::new();
        let mut worker_id = Vec::new();
        let mut workers: Vec<(PersonId, Arc<str>, Vec<u32>)> = Vec::new();
        let mut worker_pos: std::collections::HashMap<u32, usize> =
            std::collections::HashMap::new();
        let mut places = vec![NONE; org.len()];
        for (i, u) in org.units_of_kind(UnitKind::Grid).enumerate() {
            let gi = u32::try_from(i).unwrap_or(NONE);
            let key = org.key(u.id.as_str());
            if let Some(slot) = key.and_then(|k| places.get_mut(k.index())) {
                *slot = gi;
            }
            let at = |pos: &[u32], kind| {
                key.and_then(|k| org.ancestor_of_kind(k, kind))
                    .and_then(|a| pos.get(a.index()).copied())
                    .unwrap_or(NONE)
            };
            ids.push(fresh(&u.id));
            names.push(Arc::<str>::from(u.name.as_str()));
            community.push(at(&community_pos, UnitKind::Community));
            compound.push(at(&compound_pos, UnitKind::Compound));
            households.push(key.map_or(0, |k| {
                u32::try_from(org.households_at(u32::try_from(k.index()).unwrap_or(NONE)))
                    .unwrap_or(u32::MAX)
            }));
            let person = key
                .and_then(|k| org.duty_holder_index(k, Level::Grid))
                .and_then(|p| Some((p, org.person_at(p)?)));
            let worker = person.map(|(_, p)| fresh(&p.id));
            worker_id.push(worker.clone());
            if let Some((p, spec)) = person {
                match worker_pos.get(&p) {
                    Some(&w) => {
                        if let Some((_, _, grids)) = workers.get_mut(w) {
                            grids.push(gi);
                        }
                    }
                    None => {
                        worker_pos.insert(p, workers.len());
                        let id = worker.clone().unwrap_or_else(|| fresh(&spec.id));
                        workers.push((id, Arc::from(spec.name.as_str()), vec![gi]));
                    }
                }
            }
        }
        let mut members = vec![Vec::new(); communities.len()];
        for (g, c) in community.iter().enumerate() {
            if let Some(m) = members.get_mut(*c as usize) {
                m.push(u32::try_from(g).unwrap_or(NONE));
            }
        }
        let root = org
            .units()
            .find(|u| u.parent.is_none() && u.kind == UnitKind::Subdistrict)
            .map_or_else(
                || (Arc::from(""), Arc::from(org.name())),
                |u| (Arc::from(u.id.as_str()), Arc::from(u.name.as_str())),
            );
        Self {
            grid_text: ids.iter().map(|i| Arc::from(i.as_str())).collect(),
            worker_text: workers.iter().map(|w| Arc::from(w.0.as_str())).collect(),
            community_text: communities
                .iter()
                .map(|c| Arc::from(c.0.as_str()))
                .collect(),
            compound_order: sorted_places(
                &compounds.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            ),
            community_order: sorted_places(
                &communities.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            ),
            ids,
            names,
            community,
            compound,
            households,
            worker_id,
            communities,
            compounds,
            members,
            workers,
            places,
            root,
        }
    }

    /// The grid position of a unit key, if the unit is in a grid.
    pub(crate) fn grid_of_key(&self, org: &OrgGraph, key: UnitKey) -> Option<u32> {
        let g = org.unit_at_level_key(key, Level::Grid)?;
        self.places.get(g.index()).copied().filter(|p| *p != NONE)
    }

    pub(crate) fn name(&self, g: usize) -> Arc<str> {
        self.names.get(g).cloned().unwrap_or_else(|| Arc::from(""))
    }
}
