//! 网格员职责清单: the duty lists of grid workers, as data.
//!
//! An organisation may declare its duty lists: classes of duties (the source document
//! counts 8 classes of common and individual lists, 共性、个性职责清单8类, without naming
//! them), the work areas the grid takes on (the 16 key works, 党的建设、综合治理、民生事项等
//! 16项, each mapping onto the rule set's case categories), and the lists themselves, each
//! of one class and scope (`common` for every grid worker, `individual` for a grid or a
//! person), whose items name the work areas they cover. A duty holds lists by id
//! ([`DutySpec::lists`](super::DutySpec::lists)): each grid worker signs the common lists
//! and the individual lists of their grid.
//!
//! The organisation checks the lists' structure here (unknown classes, areas and lists,
//! duplicates, empty lists); the engine checks them against the rule set and the people
//! ([`Engine::warnings`](crate::Engine::warnings): a category no item covers, a grid worker
//! without the common lists), and a decision warns when its first handler's lists do not
//! cover the case's category (`outside_duty_list`).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::OrgGraph;
use super::error::OrgProblem;
use super::kind::DutyKind;
use super::spec::OrgSpec;
use crate::id::{Category, Name, PersonId};

/// The duty lists of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyListsSpec {
    /// Where the classes, areas and lists come from, and what in them is assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The classes lists are grouped in.
    pub classes: Vec<DutyClassSpec>,
    /// The work areas items cover, each mapping onto case categories.
    pub work_areas: Vec<WorkAreaSpec>,
    /// The lists.
    pub lists: Vec<DutyListSpec>,
}

/// A class of duty lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyClassSpec {
    /// Unique id among classes.
    pub id: Name,
    /// Chinese name.
    pub name: String,
    /// `true` when the name is assumed from common practice, not given by the source.
    #[serde(default, skip_serializing_if = "super::spec::is_false")]
    pub assumed: bool,
}

/// A work area (one of the 16 key works): the case categories it takes in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkAreaSpec {
    /// Unique id among work areas.
    pub id: Name,
    /// Chinese name.
    pub name: String,
    /// The rule set's case categories that fall in the area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// `true` when the name is assumed from common practice, not given by the source.
    #[serde(default, skip_serializing_if = "super::spec::is_false")]
    pub assumed: bool,
}

/// Whether a list binds every grid worker or one grid or person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyScope {
    /// 共性清单: every grid worker holds it.
    Common,
    /// 个性清单: for the grid or person that holds it.
    Individual,
}

/// One duty list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyListSpec {
    /// Unique id among lists.
    pub id: Name,
    /// Chinese name.
    pub name: String,
    /// Its class.
    pub class: Name,
    /// Common or individual.
    pub scope: DutyScope,
    /// Its items.
    pub items: Vec<DutyItemSpec>,
}

/// An item of a duty list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyItemSpec {
    /// What the duty is.
    pub name: String,
    /// The work areas it covers.
    pub areas: Vec<Name>,
}

fn bad(subject: impl Into<String>, message: String) -> OrgProblem {
    OrgProblem::BadDutyList {
        subject: subject.into(),
        message,
    }
}

/// Checks the duty lists' structure and the lists duties hold.
pub(super) fn check(spec: &OrgSpec) -> Vec<OrgProblem> {
    let mut problems = Vec::new();
    let Some(d) = &spec.duty_lists else {
        for t in spec.volunteer_teams.iter().filter(|t| !t.areas.is_empty()) {
            problems.push(bad(
                t.id.as_str(),
                format!(
                    "volunteer team `{}` names work areas, but the organisation declares no `duty_lists.work_areas`",
                    t.id
                ),
            ));
        }
        for duty in spec.duties.iter().filter(|d| !d.lists.is_empty()) {
            problems.push(bad(
                duty.person.as_str(),
                format!(
                    "the duty of `{}` holds lists {:?}, but the organisation declares no `duty_lists`",
                    duty.person,
                    duty.lists.iter().map(Name::as_str).collect::<Vec<_>>()
                ),
            ));
        }
        return problems;
    };
    let classes = unique(d.classes.iter().map(|c| &c.id), "duty class", &mut problems);
    let areas = unique(
        d.work_areas.iter().map(|a| &a.id),
        "work area",
        &mut problems,
    );
    let lists = unique(d.lists.iter().map(|l| &l.id), "duty list", &mut problems);
    for l in &d.lists {
        if !classes.contains(l.class.as_str()) {
            problems.push(bad(
                l.id.as_str(),
                format!(
                    "duty list `{}` is of class `{}`, which `duty_lists.classes` does not declare (declared: {})",
                    l.id,
                    l.class,
                    ids(d.classes.iter().map(|c| c.id.as_str()))
                ),
            ));
        }
        if l.items.is_empty() {
            problems.push(bad(
                l.id.as_str(),
                format!("duty list `{}` has no items; give at least one", l.id),
            ));
        }
        for (n, item) in l.items.iter().enumerate() {
            if item.areas.is_empty() {
                problems.push(bad(
                    l.id.as_str(),
                    format!(
                        "item {} (`{}`) of duty list `{}` covers no work area; name at least one in `areas`",
                        n + 1,
                        item.name,
                        l.id
                    ),
                ));
            }
            for a in item.areas.iter().filter(|a| !areas.contains(a.as_str())) {
                problems.push(bad(
                    l.id.as_str(),
                    format!(
                        "item {} (`{}`) of duty list `{}` names work area `{a}`, which `duty_lists.work_areas` does not declare (declared: {})",
                        n + 1,
                        item.name,
                        l.id,
                        ids(d.work_areas.iter().map(|w| w.id.as_str()))
                    ),
                ));
            }
        }
    }
    for t in &spec.volunteer_teams {
        for a in t.areas.iter().filter(|a| !areas.contains(a.as_str())) {
            problems.push(bad(
                t.id.as_str(),
                format!(
                    "volunteer team `{}` names work area `{a}`, which `duty_lists.work_areas` does not declare (declared: {})",
                    t.id,
                    ids(d.work_areas.iter().map(|w| w.id.as_str()))
                ),
            ));
        }
    }
    for duty in &spec.duties {
        for l in duty.lists.iter().filter(|l| !lists.contains(l.as_str())) {
            problems.push(bad(
                duty.person.as_str(),
                format!(
                    "the {} duty of `{}` holds list `{l}`, which `duty_lists.lists` does not declare",
                    duty.duty, duty.person
                ),
            ));
        }
    }
    problems
}

/// The ids, each once; a repeated one is a problem.
fn unique<'a>(
    ids: impl Iterator<Item = &'a Name>,
    what: &str,
    problems: &mut Vec<OrgProblem>,
) -> FxHashSet<&'a str> {
    let mut seen = FxHashSet::default();
    for id in ids {
        if !seen.insert(id.as_str()) {
            problems.push(bad(id.as_str(), format!("duplicate {what} id `{id}`")));
        }
    }
    seen
}

fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(", ")
    }
}

/// What a person's lists cover: the categories, and the lists held.
#[derive(Clone, Debug, Default)]
pub(super) struct Cover {
    by_person: FxHashMap<u32, (Vec<Name>, FxHashSet<Category>)>,
}

impl Cover {
    pub(super) fn build(org: &OrgGraph) -> Self {
        let spec = org.spec();
        let Some(d) = &spec.duty_lists else {
            return Self::default();
        };
        let area_cats: FxHashMap<&str, &[Category]> = d
            .work_areas
            .iter()
            .map(|a| (a.id.as_str(), a.categories.as_slice()))
            .collect();
        let list_cats: FxHashMap<&str, Vec<&Category>> = d
            .lists
            .iter()
            .map(|l| {
                let cats = l
                    .items
                    .iter()
                    .flat_map(|i| i.areas.iter())
                    .filter_map(|a| area_cats.get(a.as_str()))
                    .flat_map(|c| c.iter())
                    .collect();
                (l.id.as_str(), cats)
            })
            .collect();
        let mut by_person: FxHashMap<u32, (Vec<Name>, FxHashSet<Category>)> = FxHashMap::default();
        for duty in &spec.duties {
            let Some(p) = org.person_ids.get(duty.person.as_str()) else {
                continue;
            };
            let entry = by_person.entry(p).or_default();
            for l in &duty.lists {
                if !entry.0.contains(l) {
                    entry.0.push(l.clone());
                }
                for c in list_cats.get(l.as_str()).into_iter().flatten() {
                    entry.1.insert((*c).clone());
                }
            }
        }
        by_person.retain(|_, (l, _)| !l.is_empty());
        Self { by_person }
    }
}

/// A grid worker lacking some of the common lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingCommonLists {
    /// The grid worker.
    pub person: PersonId,
    /// The common lists they do not hold, in declaration order.
    pub lists: Vec<Name>,
}

impl OrgGraph {
    /// The duty lists the organisation declares, if any.
    #[must_use]
    pub fn duty_lists(&self) -> Option<&DutyListsSpec> {
        self.spec.duty_lists.as_ref()
    }

    fn cover(&self) -> &Cover {
        self.duty_cover.get_or_init(|| Cover::build(self))
    }

    /// The lists a person holds through their duties, in the order first held.
    #[must_use]
    pub fn held_lists(&self, person: &str) -> &[Name] {
        self.person_ids
            .get(person)
            .and_then(|p| self.cover().by_person.get(&p))
            .map_or(&[], |(l, _)| l.as_slice())
    }

    /// Whether the lists a person (by index) holds cover a category: `None` when the
    /// organisation declares no duty lists or the person holds none (nothing to check).
    pub(crate) fn lists_cover(&self, person: u32, category: &str) -> Option<bool> {
        self.spec.duty_lists.as_ref()?;
        let (_, cats) = self.cover().by_person.get(&person)?;
        Some(cats.contains(category))
    }

    /// The categories some item of some list covers, through its work areas.
    #[must_use]
    pub fn covered_categories(&self) -> FxHashSet<&str> {
        let Some(d) = &self.spec.duty_lists else {
            return FxHashSet::default();
        };
        let used: FxHashSet<&str> = d
            .lists
            .iter()
            .flat_map(|l| l.items.iter())
            .flat_map(|i| i.areas.iter())
            .map(Name::as_str)
            .collect();
        d.work_areas
            .iter()
            .filter(|a| used.contains(a.id.as_str()))
            .flat_map(|a| a.categories.iter())
            .map(Category::as_str)
            .collect()
    }

    /// The grid workers that do not hold every common list, in duty order (each once).
    #[must_use]
    pub fn missing_common_lists(&self) -> Vec<MissingCommonLists> {
        let Some(d) = &self.spec.duty_lists else {
            return Vec::new();
        };
        let common: Vec<&Name> = d
            .lists
            .iter()
            .filter(|l| l.scope == DutyScope::Common)
            .map(|l| &l.id)
            .collect();
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for duty in &self.spec.duties {
            if duty.duty != DutyKind::GridWorker || !seen.insert(duty.person.as_str()) {
                continue;
            }
            let held = self.held_lists(duty.person.as_str());
            let lists: Vec<Name> = common
                .iter()
                .filter(|c| !held.contains(c))
                .map(|c| (*c).clone())
                .collect();
            if !lists.is_empty() {
                out.push(MissingCommonLists {
                    person: duty.person.clone(),
                    lists,
                });
            }
        }
        out
    }
}
