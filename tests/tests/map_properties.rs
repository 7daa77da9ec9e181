//! Property tests of the map: on random generated cities (grids in rows of random widths,
//! each split into micro-grids by slanted boundaries, corners on whole micro-degrees so
//! neighbours share their edges exactly), validation finds no overlap or gap; a random
//! point inside a random micro-grid locates to that micro-grid, by the cells, by the
//! R-tree and through the batch path alike; and a point on a shared edge or corner
//! resolves to the same micro-grid every time, whatever order the areas are listed in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on the first surprise"
)]

use gridgov::OrgGraph;
use gridgov::org::GapPolicy;
use gridgov::spatial::Crs;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A grid: its width and the cuts between its micro-grids (bottom and top offsets).
type Grid = (i64, Vec<(i64, i64)>);
/// A row of grids: its height and its grids.
type Row = (i64, Vec<Grid>);

/// A generated city: per micro-grid its id and its quadrilateral (bottom-left,
/// bottom-right, top-right, top-left) in micro-degrees.
struct City {
    spec: Value,
    quads: Vec<(String, [(i64, i64); 4])>,
}

/// Rows of grids; each grid a column of the row, split into micro-grids by boundaries
/// whose bottom and top ends differ (slanted).
fn city(rows: &[Row]) -> City {
    let mut units = vec![
        json!({"id": "sd", "kind": "subdistrict", "name": "SD"}),
        json!({"id": "c1", "kind": "community", "parent": "sd", "name": "C"}),
        json!({"id": "x1", "kind": "compound", "parent": "c1", "name": "X"}),
    ];
    let mut features = Vec::new();
    let mut quads = Vec::new();
    let mut y0 = 35_000_000_i64;
    for (r, (height, grids)) in rows.iter().enumerate() {
        let y1 = y0 + height;
        let mut x0 = 116_000_000_i64;
        for (g, (width, cuts)) in grids.iter().enumerate() {
            let x1 = x0 + width;
            let gid = format!("g{r}-{g}");
            units.push(json!({"id": gid, "kind": "grid", "parent": "x1", "name": gid}));
            // Boundaries: the grid's left edge, each cut (bottom x, top x), its right edge.
            let mut bounds = vec![(x0, x0)];
            bounds.extend(cuts.iter().map(|&(b, t)| (x0 + b, x0 + t)));
            bounds.push((x1, x1));
            for (m, pair) in bounds.windows(2).enumerate() {
                let (l, rt) = (pair[0], pair[1]);
                let mid = format!("{gid}-m{m}");
                units.push(json!({"id": mid, "kind": "micro_grid", "parent": gid, "name": mid}));
                let q = [(l.0, y0), (rt.0, y0), (rt.1, y1), (l.1, y1)];
                let ring: Vec<[f64; 2]> = q
                    .iter()
                    .chain(std::iter::once(&q[0]))
                    .map(|&(x, y)| [x as f64 / 1e6, y as f64 / 1e6])
                    .collect();
                features.push(json!({"type": "Feature", "properties": {"unit": mid},
                    "geometry": {"type": "Polygon", "coordinates": [ring]}}));
                quads.push((mid, q));
            }
            x0 = x1;
        }
        y0 = y1;
    }
    let spec = json!({"format": 1, "name": "generated", "units": units,
        "map": {"crs": "gcj02", "areas": {"type": "FeatureCollection", "features": features}}});
    City { spec, quads }
}

fn build(spec: &Value) -> OrgGraph {
    OrgGraph::from_json_str_with(&spec.to_string(), GapPolicy::Report).unwrap()
}

/// A row: its height and its grids, each a width and the cuts of its micro-grids (bottom
/// and top offsets, increasing and inside the grid).
fn rows() -> impl Strategy<Value = Vec<Row>> {
    let grid = (400_i64..3_000, 0_usize..4).prop_flat_map(|(width, n)| {
        let cut = (1_i64..1_000, 1_i64..1_000);
        (Just(width), prop::collection::vec(cut, n)).prop_map(move |(w, raw)| {
            // Spread the cuts evenly, each end nudged by up to a tenth of a slot.
            let slot = w / (raw.len() as i64 + 1);
            let cuts = raw
                .iter()
                .enumerate()
                .map(|(i, &(b, t))| {
                    let base = slot * (i as i64 + 1);
                    (
                        base + (b % (slot / 5 + 1)) - slot / 10,
                        base + (t % (slot / 5 + 1)) - slot / 10,
                    )
                })
                .collect::<Vec<_>>();
            (w, cuts)
        })
    });
    prop::collection::vec((400_i64..3_000, prop::collection::vec(grid, 1..5)), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn points_inside_locate_to_their_micro_grid(rows in rows(), picks in prop::collection::vec((any::<prop::sample::Index>(), 1_u32..999, 1_u32..999), 1..40)) {
        let city = city(&rows);
        let org = build(&city.spec);
        prop_assert!(
            org.gaps().iter().all(|g| !g.code().starts_with("area")),
            "gaps: {:?}", org.gaps()
        );
        let index = org.map().unwrap().micro_grids();
        let mut lons = Vec::new();
        let mut lats = Vec::new();
        let mut want = Vec::new();
        for (pick, fx, fy) in picks {
            let (id, q) = &city.quads[pick.index(city.quads.len())];
            // Bilinear inside the (convex) quadrilateral, away from its edges.
            let (fx, fy) = (f64::from(fx) / 1000.0, f64::from(fy) / 1000.0);
            let lerp = |a: (i64, i64), b: (i64, i64), t: f64| {
                (a.0 as f64 + (b.0 - a.0) as f64 * t, a.1 as f64 + (b.1 - a.1) as f64 * t)
            };
            let bottom = lerp(q[0], q[1], fx);
            let top = lerp(q[3], q[2], fx);
            let p = (bottom.0 + (top.0 - bottom.0) * fy, bottom.1 + (top.1 - bottom.1) * fy);
            let (lon, lat) = (p.0 / 1e6, p.1 / 1e6);
            let at = org.locate(lon, lat, Crs::Gcj02).unwrap();
            prop_assert_eq!(at.micro_grid.unwrap().id.as_str(), id.as_str());
            prop_assert_eq!(index.locate_by_tree(lon, lat, Crs::Gcj02), Some(at.micro_grid_key.index() as u32));
            lons.push(lon);
            lats.push(lat);
            want.push(id.clone());
        }
        let micro: Vec<String> = org.units_of_kind(gridgov::UnitKind::MicroGrid).map(|u| u.id.to_string()).collect();
        let all = org.locate_all(&lons, &lats, Crs::Gcj02).unwrap();
        let got: Vec<String> = all.iter().map(|&i| micro[usize::try_from(i).unwrap()].clone()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn points_on_shared_edges_are_stable(rows in rows(), picks in prop::collection::vec((any::<prop::sample::Index>(), 0_u32..=1000), 1..40)) {
        let city = city(&rows);
        let org = build(&city.spec);
        // The same city with its areas listed backwards.
        let mut reversed = city.spec.clone();
        reversed["map"]["areas"]["features"].as_array_mut().unwrap().reverse();
        let org_rev = build(&reversed);
        let index = org.map().unwrap().micro_grids();
        for (pick, t) in picks {
            let (_, q) = &city.quads[pick.index(city.quads.len())];
            // A point on the micro-grid's left edge (shared with its neighbour, or with the
            // grid to the left), corners included.
            let t = f64::from(t) / 1000.0;
            let lon = (q[0].0 as f64 + (q[3].0 - q[0].0) as f64 * t) / 1e6;
            let lat = (q[0].1 as f64 + (q[3].1 - q[0].1) as f64 * t) / 1e6;
            // The city is tiled without a gap, so every edge point is in some micro-grid.
            let first = org.locate_key(lon, lat, Crs::Gcj02);
            prop_assert!(first.is_ok(), "{lon}, {lat}: {first:?}");
            let Ok(first) = first else { continue };
            prop_assert_eq!(org.locate_key(lon, lat, Crs::Gcj02).ok(), Some(first));
            prop_assert_eq!(org_rev.locate_key(lon, lat, Crs::Gcj02).ok(), Some(first));
            prop_assert_eq!(index.locate_by_tree(lon, lat, Crs::Gcj02), Some(first.index() as u32));
            let all = org.locate_all(&[lon], &[lat], Crs::Gcj02).unwrap();
            let micro: Vec<usize> = org.units().enumerate().filter(|(_, u)| u.kind == gridgov::UnitKind::MicroGrid).map(|(i, _)| i).collect();
            prop_assert_eq!(all.iter().map(|&m| micro[usize::try_from(m).unwrap()]).collect::<Vec<_>>(), vec![first.index()]);
        }
    }
}

/// Points exactly on a vertical shared edge and at a corner shared by four micro-grids go
/// to the first of them in the spec.
#[test]
fn shared_edges_and_corners_go_to_the_first_in_the_spec() {
    let rows = vec![
        (1_000, vec![(1_000, vec![]), (1_000, vec![])]),
        (1_000, vec![(1_000, vec![]), (1_000, vec![])]),
    ];
    let city = city(&rows);
    let org = build(&city.spec);
    let id = |lon: f64, lat: f64| {
        org.locate(lon, lat, Crs::Gcj02)
            .unwrap()
            .micro_grid
            .unwrap()
            .id
            .to_string()
    };
    assert_eq!(
        id(116.001, 35.0005),
        "g0-0-m0",
        "edge between g0-0 and g0-1"
    );
    assert_eq!(id(116.001, 35.001), "g0-0-m0", "corner of all four");
    assert_eq!(id(116.0015, 35.001), "g0-1-m0", "edge between the rows");
    assert_eq!(id(116.002, 35.002), "g1-1-m0", "the outer corner");
    let err = org.locate(116.0025, 35.001, Crs::Gcj02).unwrap_err();
    assert_eq!(err.code(), "outside_map");
    assert!(
        err.to_string().contains("nearest is `g0-1-m0`")
            || err.to_string().contains("nearest is `g1-1-m0`"),
        "{err}"
    );
}
