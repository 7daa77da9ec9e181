//! The three coordinate systems of Chinese maps and the conversions between them.
//!
//! - WGS-84: GPS and most of the world's maps.
//! - GCJ-02 (国测局坐标, "Mars coordinates"): WGS-84 with the state-mandated offset, used by
//!   AMap (高德), Tencent and most Chinese web maps and city apps.
//! - BD-09: Baidu's further offset of GCJ-02.
//!
//! The offset is the published formula (the one every open implementation shares, with
//! the Krasovsky ellipsoid's semi-major axis `a = 6378245`); GCJ-02 → WGS-84 has no closed
//! form and is solved by fixed-point iteration to below 10⁻¹² degrees. Outside China's
//! bounding box the offset is not applied, as in every implementation.
//!
//! The trigonometry is the `libm` crate's pure-Rust functions, not the platform's maths
//! library, so a conversion gives the same bits natively, in Python and in the browser.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

/// A coordinate reference system for longitude/latitude points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Crs {
    /// WGS-84 (GPS).
    Wgs84,
    /// GCJ-02, the offset coordinates of Chinese web maps.
    Gcj02,
    /// BD-09, Baidu's coordinates.
    Bd09,
}

impl Crs {
    /// Every system, in a fixed order.
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09];

    /// The name used in JSON: `wgs84`, `gcj02` or `bd09`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Wgs84 => "wgs84",
            Self::Gcj02 => "gcj02",
            Self::Bd09 => "bd09",
        }
    }

    /// Converts a point (longitude, latitude in degrees) from this system to `to`.
    ///
    /// ```
    /// use gridgov::spatial::Crs;
    /// // A published pair (Tiananmen area): WGS-84 → GCJ-02.
    /// let (lon, lat) = Crs::Wgs84.convert(Crs::Gcj02, 116.404, 39.915);
    /// assert!((lon - 116.410_244_499_169_38).abs() < 1e-12);
    /// assert!((lat - 39.916_404_281_501_64).abs() < 1e-12);
    /// ```
    #[must_use]
    pub fn convert(self, to: Crs, lon: f64, lat: f64) -> (f64, f64) {
        if self == to {
            return (lon, lat);
        }
        let (glon, glat) = match self {
            Self::Wgs84 => wgs84_to_gcj02(lon, lat),
            Self::Gcj02 => (lon, lat),
            Self::Bd09 => bd09_to_gcj02(lon, lat),
        };
        match to {
            Self::Wgs84 => gcj02_to_wgs84(glon, glat),
            Self::Gcj02 => (glon, glat),
            Self::Bd09 => gcj02_to_bd09(glon, glat),
        }
    }
}

impl Crs {
    /// A coordinate system named by an argument (`crs`), as the bindings and JSON entry
    /// points take it.
    ///
    /// # Errors
    /// An [`InputError`](crate::input::InputError) on `crs` naming the three systems.
    pub fn arg(name: &str) -> Result<Self, crate::input::InputError> {
        name.parse()
            .map_err(|e: String| crate::input::InputError::value("crs", e))
    }
}

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Crs {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "wgs84" | "epsg4326" => Ok(Self::Wgs84),
            "gcj02" => Ok(Self::Gcj02),
            "bd09" | "bd09ll" => Ok(Self::Bd09),
            _ => Err(format!(
                "unknown coordinate system `{}`; valid: wgs84, gcj02, bd09",
                crate::text::truncate_for_message(s)
            )),
        }
    }
}

/// Semi-major axis of the Krasovsky 1940 ellipsoid, as in the GCJ-02 formula.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's constant.
const X_PI: f64 = PI * 3000.0 / 180.0;

fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret =
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * libm::sqrt(x.abs());
    ret += (20.0 * libm::sin(6.0 * x * PI) + 20.0 * libm::sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * libm::sin(y * PI) + 40.0 * libm::sin(y / 3.0 * PI)) * 2.0 / 3.0;
    ret += (160.0 * libm::sin(y / 12.0 * PI) + 320.0 * libm::sin(y * PI / 30.0)) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * libm::sqrt(x.abs());
    ret += (20.0 * libm::sin(6.0 * x * PI) + 20.0 * libm::sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * libm::sin(x * PI) + 40.0 * libm::sin(x / 3.0 * PI)) * 2.0 / 3.0;
    ret += (150.0 * libm::sin(x / 12.0 * PI) + 300.0 * libm::sin(x / 30.0 * PI)) * 2.0 / 3.0;
    ret
}

/// The GCJ-02 offset at a WGS-84 point: (Δlon, Δlat) in degrees.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 105.0;
    let y = lat - 35.0;
    let rad_lat = lat / 180.0 * PI;
    let s = libm::sin(rad_lat);
    let magic = 1.0 - EE * s * s;
    let sqrt_magic = libm::sqrt(magic);
    let dlat = transform_lat(x, y) * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = transform_lon(x, y) * 180.0 / (A / sqrt_magic * libm::cos(rad_lat) * PI);
    (dlon, dlat)
}

fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = offset(lon, lat);
    (lon + dlon, lat + dlat)
}

/// The WGS-84 point whose GCJ-02 image is the given point, by fixed-point iteration
/// (the offset changes slowly, so each step gains several digits).
fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = offset(lon, lat);
    let (mut wlon, mut wlat) = (lon - dlon, lat - dlat);
    for _ in 0..30 {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-12 && elat.abs() < 1e-12 {
            break;
        }
    }
    (wlon, wlat)
}

fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = libm::sqrt(lon * lon + lat * lat) + 0.000_02 * libm::sin(lat * X_PI);
    let theta = libm::atan2(lat, lon) + 0.000_003 * libm::cos(lon * X_PI);
    (z * libm::cos(theta) + 0.0065, z * libm::sin(theta) + 0.006)
}

fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 0.0065;
    let y = lat - 0.006;
    let z = libm::sqrt(x * x + y * y) - 0.000_02 * libm::sin(y * X_PI);
    let theta = libm::atan2(y, x) - 0.000_003 * libm::cos(x * X_PI);
    (z * libm::cos(theta), z * libm::sin(theta))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "exact pairs are compared within a tolerance"
    )]
    use super::Crs;

    fn near(a: (f64, f64), b: (f64, f64), tol: f64) -> bool {
        (a.0 - b.0).abs() < tol && (a.1 - b.1).abs() < tol
    }

    /// Published pairs from the open implementations (wandergis/coordtransform's README
    /// and tests, googollee/eviltransform's tests), longitude first.
    #[test]
    fn published_pairs() {
        let cases = [
            // wandergis/coordtransform, the same input through each conversion.
            (
                Crs::Wgs84,
                Crs::Gcj02,
                (116.404, 39.915),
                (116.410_244_499_169_38, 39.916_404_281_501_64),
            ),
            (
                Crs::Gcj02,
                Crs::Bd09,
                (116.404, 39.915),
                (116.410_369_493_710_29, 39.921_336_993_510_21),
            ),
            (
                Crs::Bd09,
                Crs::Gcj02,
                (116.404, 39.915),
                (116.397_627_291_193_15, 39.908_656_739_576_31),
            ),
        ];
        for (from, to, p, want) in cases {
            let got = from.convert(to, p.0, p.1);
            assert!(
                near(got, want, 1e-9),
                "{from}→{to} {p:?}: got {got:?}, want {want:?}"
            );
        }
    }

    /// wandergis's GCJ-02 → WGS-84 is a one-step approximation; ours iterates to the exact
    /// inverse, so it lies within a metre of theirs and maps back onto the input.
    #[test]
    fn gcj02_to_wgs84_is_the_exact_inverse() {
        let wgs = Crs::Gcj02.convert(Crs::Wgs84, 116.404, 39.915);
        assert!(
            near(wgs, (116.397_755_500_830_61, 39.913_595_718_498_36), 1e-5),
            "{wgs:?}"
        );
        let back = Crs::Wgs84.convert(Crs::Gcj02, wgs.0, wgs.1);
        assert!(near(back, (116.404, 39.915), 1e-12), "{back:?}");
    }

    /// GCJ-02 ↔ WGS-84 round trips to 10⁻⁹ degrees (0.1 mm); through BD-09 to 10⁻⁶
    /// (0.1 m), because the published BD-09 → GCJ-02 formula is itself an approximation.
    #[test]
    fn round_trips() {
        for &(lon, lat) in &[
            (116.97, 35.40),
            (121.527_210_6, 31.177_427_6),
            (113.912_316, 22.543_847),
        ] {
            for from in Crs::ALL {
                for to in Crs::ALL {
                    let there = from.convert(to, lon, lat);
                    let back = to.convert(from, there.0, there.1);
                    let tol = if from == Crs::Bd09 || to == Crs::Bd09 {
                        1e-6
                    } else {
                        1e-9
                    };
                    assert!(
                        near(back, (lon, lat), tol),
                        "{from}→{to}→{from} {lon},{lat}: {back:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn outside_china_is_unchanged() {
        assert_eq!(Crs::Wgs84.convert(Crs::Gcj02, 2.35, 48.85), (2.35, 48.85));
        assert_eq!(Crs::Gcj02.convert(Crs::Wgs84, -74.0, 40.7), (-74.0, 40.7));
    }

    #[test]
    fn eviltransform_pairs() {
        // googollee/eviltransform's tests: (wgs lat, wgs lng, gcj lat, gcj lng).
        let got = Crs::Wgs84.convert(Crs::Gcj02, 116.377_817, 39.911_954);
        assert!(
            near(got, (116.384_047_224_556_57, 39.913_345_455_360_69), 1e-6),
            "{got:?}"
        );
    }

    #[test]
    fn names_parse() {
        assert_eq!("GCJ-02".parse::<Crs>(), Ok(Crs::Gcj02));
        assert_eq!("bd09".parse::<Crs>(), Ok(Crs::Bd09));
        assert_eq!("WGS84".parse::<Crs>(), Ok(Crs::Wgs84));
        assert!(
            "utm"
                .parse::<Crs>()
                .unwrap_err()
                .contains("valid: wgs84, gcj02, bd09")
        );
    }
}
