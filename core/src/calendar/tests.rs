//! Calendar tests: every edge by hand (lunch break, end of a period, weekends, holidays,
//! make-up working days, pauses, rounding of seconds, range), and every validation rule.

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn due(start: &str, limit: &str) -> String {
    Calendar::china()
        .deadline(ts(start), limit.parse().unwrap())
        .unwrap()
        .to_string()
}

#[test]
fn china_2026_days() {
    let cal = Calendar::china();
    let wd = |s: &str| cal.is_working_day(s.parse().unwrap());
    assert!(wd("2026-03-02")); // Monday
    assert!(!wd("2026-03-07")); // Saturday
    assert!(!wd("2026-01-01") && !wd("2026-01-03")); // New Year's Day holiday
    assert!(wd("2026-01-04")); // Sunday make-up working day
    assert!(wd("2026-02-14") && wd("2026-02-28")); // Saturday make-ups
    assert!(!wd("2026-02-15") && !wd("2026-02-23")); // Spring Festival
    assert!(!wd("2026-10-07") && wd("2026-10-08") && wd("2026-10-10"));
    assert!(wd("2025-09-28") && !wd("2025-10-08") && wd("2025-10-11"));
    assert!(cal.has_year(2025) && cal.has_year(2026) && !cal.has_year(2027));
    // Years without data count weekends only.
    assert!(wd("2027-10-01") && !wd("2027-10-02"));
    assert_eq!(cal.minutes_per_day(), 420);
}

#[test]
fn working_hours_inside_a_morning() {
    assert_eq!(
        due("2026-03-02T08:30:00+08:00", "2 working hours"),
        "2026-03-02T10:30:00+08:00"
    );
}

#[test]
fn working_hours_across_the_lunch_break() {
    // 09:15-12:00 is 2h45, the last 1h15 runs from 14:00.
    assert_eq!(
        due("2026-03-02T09:15:00+08:00", "4 working hours"),
        "2026-03-02T15:15:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T12:30:00+08:00", "1 working hour"),
        "2026-03-02T15:00:00+08:00"
    );
}

#[test]
fn a_deadline_on_the_end_of_a_period_stays_there() {
    assert_eq!(
        due("2026-03-02T11:00:00+08:00", "1 working hour"),
        "2026-03-02T12:00:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T16:30:00+08:00", "1 working hour"),
        "2026-03-02T17:30:00+08:00"
    );
    // One minute more and it moves to the next period.
    assert_eq!(
        due("2026-03-02T11:01:00+08:00", "1 working hour"),
        "2026-03-02T14:01:00+08:00"
    );
}

#[test]
fn a_report_after_hours_starts_the_clock_next_morning() {
    assert_eq!(
        due("2026-03-02T20:00:00+08:00", "4 working hours"),
        "2026-03-03T14:30:00+08:00"
    );
    assert_eq!(
        due("2026-03-03T06:00:00+08:00", "1 working hour"),
        "2026-03-03T09:30:00+08:00"
    );
}

#[test]
fn working_hours_across_a_weekend() {
    // Friday 16:00: 1h30 on Friday, 2h30 on Monday.
    assert_eq!(
        due("2026-03-06T16:00:00+08:00", "4 working hours"),
        "2026-03-09T11:00:00+08:00"
    );
    // Reported on Saturday: the clock starts Monday morning.
    assert_eq!(
        due("2026-03-07T10:00:00+08:00", "1 working hour"),
        "2026-03-09T09:30:00+08:00"
    );
}

#[test]
fn working_hours_across_a_public_holiday() {
    // 2026-10-01..07 National Day: the remaining 2h30 fall on Thursday 10-08.
    assert_eq!(
        due("2026-09-30T16:00:00+08:00", "4 working hours"),
        "2026-10-08T11:00:00+08:00"
    );
    // Spring Festival 2026-02-15..23 (with make-up Saturday 02-14 before it).
    assert_eq!(
        due("2026-02-13T17:00:00+08:00", "1 working hour"),
        "2026-02-14T09:00:00+08:00"
    );
    assert_eq!(
        due("2026-02-14T17:00:00+08:00", "1 working hour"),
        "2026-02-24T09:00:00+08:00"
    );
}

#[test]
fn working_hours_on_a_make_up_sunday() {
    // 2026-01-03 is a holiday Saturday; Sunday 01-04 is a make-up working day.
    assert_eq!(
        due("2026-01-03T10:00:00+08:00", "4 working hours"),
        "2026-01-04T14:30:00+08:00"
    );
}

#[test]
fn working_days_do_not_count_the_start_day() {
    // Monday, any hour: 1 working day is the close of Tuesday.
    assert_eq!(
        due("2026-03-02T08:30:00+08:00", "1 working day"),
        "2026-03-03T17:30:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T17:29:00+08:00", "1 working day"),
        "2026-03-03T17:30:00+08:00"
    );
    // Friday: the next working day is Monday.
    assert_eq!(
        due("2026-03-06T09:00:00+08:00", "1 working day"),
        "2026-03-09T17:30:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T10:00:00+08:00", "15 working days"),
        "2026-03-23T17:30:00+08:00"
    );
}

#[test]
fn working_days_across_holidays_and_make_up_days() {
    // 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up) are the first three after the holiday.
    assert_eq!(
        due("2026-09-30T16:00:00+08:00", "3 working days"),
        "2026-10-10T17:30:00+08:00"
    );
    // Reported on a holiday: the first working day after it is day 1.
    assert_eq!(
        due("2026-10-03T10:00:00+08:00", "1 working day"),
        "2026-10-08T17:30:00+08:00"
    );
    // Make-up Saturday before Spring Festival, then the festival.
    assert_eq!(
        due("2026-02-13T10:00:00+08:00", "1 working day"),
        "2026-02-14T17:30:00+08:00"
    );
    assert_eq!(
        due("2026-02-13T10:00:00+08:00", "2 working days"),
        "2026-02-24T17:30:00+08:00"
    );
}

#[test]
fn plain_hours_run_on_the_wall_clock() {
    assert_eq!(
        due("2026-03-06T16:00:00+08:00", "48 hours"),
        "2026-03-08T16:00:00+08:00"
    );
    assert_eq!(
        due("2026-09-30T16:00:00+08:00", "24小时"),
        "2026-10-01T16:00:00+08:00"
    );
    // Minutes too: a Friday evening emergency is due the same evening, and one at 23:50
    // on a holiday eve is due after midnight on the holiday.
    assert_eq!(
        due("2026-03-06T18:30:00+08:00", "30 minutes"),
        "2026-03-06T19:00:00+08:00"
    );
    assert_eq!(
        due("2026-09-30T23:50:00+08:00", "30 minutes"),
        "2026-10-01T00:20:00+08:00"
    );
}

#[test]
fn calendar_days_end_at_midnight_and_move_off_holidays() {
    // Monday + 15 days = Tuesday 03-17, ends at 24:00.
    assert_eq!(
        due("2026-03-02T10:00:00+08:00", "15 days"),
        "2026-03-18T00:00:00+08:00"
    );
    // 09-16 + 15 days = 10-01, a holiday: the period ends with the first working day after.
    assert_eq!(
        due("2026-09-16T10:00:00+08:00", "15 days"),
        "2026-10-09T00:00:00+08:00"
    );
    // Ending on a Saturday moves to Monday.
    assert_eq!(
        due("2026-03-02T10:00:00+08:00", "5 days"),
        "2026-03-10T00:00:00+08:00"
    );
}

#[test]
fn seconds_round_the_start_up_to_the_next_minute() {
    assert_eq!(
        due("2026-03-02T09:15:30+08:00", "1 working hour"),
        "2026-03-02T10:16:00+08:00"
    );
    assert_eq!(
        due("2026-03-02T09:15:00+08:00", "1 working hour"),
        "2026-03-02T10:15:00+08:00"
    );
}

#[test]
fn other_offsets_are_converted_and_the_deadline_shown_in_the_calendars() {
    // 01:15Z is 09:15 in China.
    assert_eq!(
        due("2026-03-02T01:15:00Z", "4 working hours"),
        "2026-03-02T15:15:00+08:00"
    );
}

#[test]
fn pauses_stop_the_clock() {
    let cal = Calendar::china();
    let limit: TimeLimit = "4 working hours".parse().unwrap();
    let start = ts("2026-03-02T09:00:00+08:00");
    assert_eq!(
        cal.deadline(start, limit).unwrap().to_string(),
        "2026-03-02T15:00:00+08:00"
    );
    // 09:00-12:00 is 3 hours, the fourth runs 14:00-15:00.
    // Paused Monday 10:00 to Tuesday 10:00 = one full working day of 420 minutes.
    let p = Pause {
        from: ts("2026-03-02T10:00:00+08:00"),
        to: Some(ts("2026-03-03T10:00:00+08:00")),
    };
    let d = cal
        .deadline_with_pauses(start, limit, &[p])
        .unwrap()
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-03T15:00:00+08:00");
    // Paused over lunch only: no working time stopped.
    let lunch = Pause {
        from: ts("2026-03-02T12:00:00+08:00"),
        to: Some(ts("2026-03-02T14:00:00+08:00")),
    };
    let d = cal
        .deadline_with_pauses(start, limit, &[lunch])
        .unwrap()
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-02T15:00:00+08:00");
    // An open pause: no deadline while the clock is stopped.
    let open = Pause {
        from: ts("2026-03-02T10:00:00+08:00"),
        to: None,
    };
    assert_eq!(
        cal.deadline_with_pauses(start, limit, &[open]).unwrap(),
        None
    );
    // A pause that begins after the deadline changes nothing.
    let late = Pause {
        from: ts("2026-03-02T15:30:00+08:00"),
        to: Some(ts("2026-03-02T16:00:00+08:00")),
    };
    let d = cal
        .deadline_with_pauses(start, limit, &[late])
        .unwrap()
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-02T15:00:00+08:00");
    // Two pauses in any order add up.
    let a = Pause {
        from: ts("2026-03-02T09:30:00+08:00"),
        to: Some(ts("2026-03-02T10:00:00+08:00")),
    };
    let b = Pause {
        from: ts("2026-03-02T10:30:00+08:00"),
        to: Some(ts("2026-03-02T11:00:00+08:00")),
    };
    let d = cal
        .deadline_with_pauses(start, limit, &[b, a])
        .unwrap()
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-02T16:00:00+08:00");
}

#[test]
fn pauses_on_wall_clock_limits_count_wall_time() {
    let cal = Calendar::china();
    let limit: TimeLimit = "48 hours".parse().unwrap();
    let start = ts("2026-03-06T16:00:00+08:00");
    let p = Pause {
        from: ts("2026-03-07T00:00:00+08:00"),
        to: Some(ts("2026-03-07T12:00:00+08:00")),
    };
    let d = cal
        .deadline_with_pauses(start, limit, &[p])
        .unwrap()
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-09T04:00:00+08:00");
}

#[test]
fn clock_minutes_and_advance_agree() {
    let cal = Calendar::china();
    let a = ts("2026-09-30T16:00:00+08:00");
    let b = ts("2026-10-08T11:00:00+08:00");
    assert_eq!(cal.clock_minutes(Clock::Working, a, b).unwrap(), 240);
    assert_eq!(cal.advance(Clock::Working, a, 240).unwrap(), b);
    assert_eq!(cal.clock_minutes(Clock::Working, b, a).unwrap(), 0);
    assert_eq!(
        cal.clock_minutes(Clock::Wall, a, b).unwrap(),
        7 * 1440 + 19 * 60
    );
}

#[test]
fn out_of_range() {
    let cal = Calendar::china();
    let err = cal
        .deadline(
            ts("2099-12-31T17:00:00+08:00"),
            "2 working days".parse().unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "calendar_out_of_range");
    assert!(err.to_string().contains("2000 to 2099"), "{err}");
    let err = cal
        .deadline(
            ts("1999-06-01T09:00:00+08:00"),
            "1 working hour".parse().unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "calendar_out_of_range");
}

#[test]
fn time_limits_parse_and_print() {
    for (text, canonical) in [
        ("4 working hours", "4 working hours"),
        ("1 working hour", "1 working hour"),
        ("1 Working Day", "1 working day"),
        ("15 working days", "15 working days"),
        ("48 hours", "48 hours"),
        ("30 calendar days", "30 days"),
        ("4个工作小时", "4 working hours"),
        ("15个工作日", "15 working days"),
        ("48小时", "48 hours"),
        ("30日", "30 days"),
        ("60天", "60 days"),
        ("30 minutes", "30 minutes"),
        ("1 minute", "1 minute"),
        ("30分钟", "30 minutes"),
        (" 2 working days ", "2 working days"),
    ] {
        assert_eq!(
            text.parse::<TimeLimit>().unwrap().to_string(),
            canonical,
            "{text}"
        );
    }
    for bad in [
        "",
        "working days",
        "0 working days",
        "10001 hours",
        "4 weeks",
        "-1 hours",
        "1.5 hours",
        "99999999999 hours",
    ] {
        let err = bad.parse::<TimeLimit>().unwrap_err();
        assert!(
            err.to_string().contains("is not a valid time limit"),
            "{bad}: {err}"
        );
    }
}

fn spec_json(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Calendar, CalendarError> {
    let mut v: serde_json::Value = serde_json::from_str(CHINA_JSON).unwrap();
    edit(&mut v);
    Calendar::from_json_str(&v.to_string())
}

fn problem_codes(r: Result<Calendar, CalendarError>) -> Vec<&'static str> {
    match r {
        Err(CalendarError::Invalid(ps)) => ps.iter().map(CalendarProblem::code).collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn validation_rules() {
    assert_eq!(
        problem_codes(spec_json(|v| v["format"] = 9.into())),
        ["unsupported_format"]
    );
    assert_eq!(
        problem_codes(spec_json(|v| v["working_hours"] = serde_json::json!([]))),
        ["no_working_hours"]
    );
    assert_eq!(
        problem_codes(spec_json(
            |v| v["working_hours"] = serde_json::json!([["12:00", "08:30"]])
        )),
        ["bad_period"]
    );
    assert_eq!(
        problem_codes(spec_json(|v| {
            v["working_hours"] = serde_json::json!([["08:30", "12:00"], ["11:00", "17:30"]]);
        })),
        ["bad_period"]
    );
    assert_eq!(
        problem_codes(spec_json(
            |v| v["working_hours"] = serde_json::json!([["8:30", "12:00"]])
        )),
        ["bad_period"]
    );
    assert_eq!(
        problem_codes(spec_json(|v| v["years"]["1999"] = serde_json::json!({}))),
        ["bad_year"]
    );
    assert_eq!(
        problem_codes(spec_json(|v| {
            v["years"]["2026"]["holidays"][0]["to"] = "2025-12-31".into();
        })),
        ["holiday_backwards"]
    );
    assert_eq!(
        problem_codes(spec_json(|v| {
            v["years"]["2026"]["makeup_workdays"][0] = "2025-01-26".into();
        })),
        ["date_outside_year"]
    );
    let err =
        spec_json(|v| v["years"]["2026"]["makeup_workdays"][0] = "2026-03-02".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "calendar has 1 problem: make-up working day 2026-03-02 is a monday, not a weekend day; make-up working days (调休) replace weekend days"
    );
    assert_eq!(
        problem_codes(spec_json(|v| {
            v["years"]["2026"]["makeup_workdays"][0] = "2026-01-03".into();
        })),
        ["holiday_and_makeup"]
    );
    let err = spec_json(|v| v["weekend"] = serde_json::json!(["caturday"])).unwrap_err();
    assert_eq!(err.code(), "calendar_parse");
    assert!(err.to_string().contains("caturday"), "{err}");
    let err = spec_json(|v| v["utc_offset"] = "+25:00".into()).unwrap_err();
    assert_eq!(err.code(), "calendar_parse");
}

#[test]
fn a_calendar_with_one_period_and_a_six_day_week() {
    let cal = spec_json(|v| {
        v["working_hours"] = serde_json::json!([["09:00", "17:00"]]);
        v["weekend"] = serde_json::json!(["sunday"]);
        v["years"] = serde_json::json!({});
    })
    .unwrap();
    // Saturday is a working day; 8 hours a day.
    let d = cal
        .deadline(
            ts("2026-03-06T13:00:00+08:00"),
            "8 working hours".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(d.to_string(), "2026-03-07T13:00:00+08:00");
}

/// A New York office: 09:00-17:00, Saturday and Sunday off, no holiday data. The clocks
/// go forward on Sunday 2026-03-08 (02:00 EST → 03:00 EDT) and back on Sunday 2026-11-01
/// (02:00 EDT → 01:00 EST).
fn new_york() -> Calendar {
    spec_json(|v| {
        v.as_object_mut().unwrap().remove("utc_offset");
        v["time_zone"] = "America/New_York".into();
        v["working_hours"] = serde_json::json!([["09:00", "17:00"]]);
        v["years"] = serde_json::json!({});
    })
    .unwrap()
}

fn ny_due(start: &str, limit: &str) -> String {
    new_york()
        .deadline(ts(start), limit.parse().unwrap())
        .unwrap()
        .to_string()
}

#[test]
fn working_time_follows_the_local_clock_across_daylight_saving() {
    // Friday 10:00 EST + 2 working days: Tuesday's close, in EDT.
    assert_eq!(
        ny_due("2026-03-06T10:00:00-05:00", "2 working days"),
        "2026-03-10T17:00:00-04:00"
    );
    // Friday 16:00 EST + 2 working hours: one hour on Friday, one on Monday from 09:00 EDT.
    assert_eq!(
        ny_due("2026-03-06T16:00:00-05:00", "2 working hours"),
        "2026-03-09T10:00:00-04:00"
    );
    // The same instant given in UTC reads the same local clock.
    assert_eq!(
        ny_due("2026-03-06T21:00:00Z", "2 working hours"),
        "2026-03-09T10:00:00-04:00"
    );
    // Back to EST in November: Friday 16:30 EDT + 1 working hour = Monday 09:30 EST.
    assert_eq!(
        ny_due("2026-10-30T16:30:00-04:00", "1 working hour"),
        "2026-11-02T09:30:00-05:00"
    );
}

#[test]
fn natural_hours_are_elapsed_time_across_daylight_saving() {
    // Saturday 12:00 EST + 24 hours = Sunday 13:00 EDT (the night was an hour short).
    assert_eq!(
        ny_due("2026-03-07T12:00:00-05:00", "24 hours"),
        "2026-03-08T13:00:00-04:00"
    );
    // Saturday 12:00 EDT + 24 hours = Sunday 11:00 EST (an hour long).
    assert_eq!(
        ny_due("2026-10-31T12:00:00-04:00", "24 hours"),
        "2026-11-01T11:00:00-05:00"
    );
    // Elapsed minutes on the wall clock are real minutes: 23 hours of local clock.
    let cal = new_york();
    let m = cal
        .clock_minutes(
            Clock::Wall,
            ts("2026-03-07T12:00:00-05:00"),
            ts("2026-03-08T12:00:00-04:00"),
        )
        .unwrap();
    assert_eq!(m, 23 * 60);
    // A natural-day limit ends at local midnight, in the offset of that day.
    assert_eq!(
        ny_due("2026-03-06T10:00:00-05:00", "3 days"),
        "2026-03-10T00:00:00-04:00"
    );
}

#[test]
fn local_times_the_clocks_skip_or_repeat() {
    let ny: Zone = "America/New_York".parse().unwrap();
    let local = |s: &str| {
        let t: Timestamp = format!("{s}+00:00").parse().unwrap();
        t.unix()
    };
    // 02:30 on 2026-03-08 does not exist: read with EST, it is 03:30 EDT.
    assert_eq!(
        ny.timestamp(ny.unix_of_local(local("2026-03-08T02:30:00")))
            .to_string(),
        "2026-03-08T03:30:00-04:00"
    );
    // 01:30 on 2026-11-01 happens twice: the earlier, EDT.
    assert_eq!(
        ny.timestamp(ny.unix_of_local(local("2026-11-01T01:30:00")))
            .to_string(),
        "2026-11-01T01:30:00-04:00"
    );
}

#[test]
fn asia_shanghai_and_plus_eight_give_the_same_deadlines() {
    let named = spec_json(|v| {
        v.as_object_mut().unwrap().remove("utc_offset");
        v["time_zone"] = "Asia/Shanghai".into();
    })
    .unwrap();
    let fixed = Calendar::china();
    for start in [
        "2026-03-02T08:30:00+08:00",
        "2026-02-13T17:00:00+08:00",
        "2026-09-30T16:59:30+08:00",
        "2025-12-31T23:59:59Z",
    ] {
        for limit in ["4 working hours", "3 working days", "48 hours", "30 days"] {
            let (a, b) = (ts(start), limit.parse().unwrap());
            assert_eq!(
                named.deadline(a, b).unwrap().to_string(),
                fixed.deadline(a, b).unwrap().to_string(),
                "{start} + {limit}"
            );
        }
    }
    assert_eq!(named.zone().to_string(), "Asia/Shanghai");
    assert_eq!(fixed.zone().to_string(), "+08:00");
}

#[test]
fn the_zone_is_given_once() {
    let both = spec_json(|v| v["time_zone"] = "Asia/Shanghai".into()).unwrap_err();
    assert_eq!(problem_codes(Err(both)), ["bad_zone"]);
    let neither = spec_json(|v| {
        v.as_object_mut().unwrap().remove("utc_offset");
    })
    .unwrap_err();
    assert!(neither.to_string().contains("not neither"), "{neither}");
    let err = spec_json(|v| {
        v.as_object_mut().unwrap().remove("utc_offset");
        v["time_zone"] = "Mars/Olympus_Mons".into();
    })
    .unwrap_err();
    assert_eq!(err.code(), "calendar_parse");
    assert!(err.to_string().contains("IANA zone name"), "{err}");
}

proptest::proptest! {
    /// A calendar in `Asia/Shanghai` gives every deadline the `+08:00` one gives.
    #[test]
    fn a_named_zone_without_changes_is_its_fixed_offset(
        secs in 1_735_660_800i64..1_798_732_800,
        amount in 1u32..200,
        unit in 0usize..4,
    ) {
        static NAMED: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(|| {
            spec_json(|v| {
                v.as_object_mut().unwrap().remove("utc_offset");
                v["time_zone"] = "Asia/Shanghai".into();
            })
            .unwrap()
        });
        let fixed = Calendar::china();
        let unit = [LimitUnit::WorkingHours, LimitUnit::Hours, LimitUnit::WorkingDays, LimitUnit::Days][unit];
        let limit = TimeLimit::known(amount, unit);
        let start = Timestamp::from_unix(secs, Offset::UTC);
        let a = NAMED.deadline(start, limit).map(|t| t.to_string());
        let b = fixed.deadline(start, limit).map(|t| t.to_string());
        proptest::prop_assert_eq!(a, b);
    }
}

proptest::proptest! {
    /// A time limit prints as its amount and its unit's English name, plural unless the
    /// amount is 1, and reads back to itself; `push_to` appends the same text.
    #[test]
    fn a_time_limit_prints_its_amount_and_unit(amount in 1u32..=10_000, unit in 0usize..5) {
        let (unit, name) = [
            (LimitUnit::WorkingHours, "working hour"),
            (LimitUnit::WorkingDays, "working day"),
            (LimitUnit::Hours, "hour"),
            (LimitUnit::Days, "day"),
            (LimitUnit::Minutes, "minute"),
        ][unit];
        let limit = TimeLimit::new(amount, unit).unwrap();
        let expected = format!("{amount} {name}{}", if amount == 1 { "" } else { "s" });
        proptest::prop_assert_eq!(&limit.to_string(), &expected);
        proptest::prop_assert_eq!(expected.parse::<TimeLimit>().unwrap(), limit);
        let mut pushed = String::from("limit ");
        limit.push_to(&mut pushed);
        proptest::prop_assert_eq!(pushed, format!("limit {expected}"));
    }
}

/// The tables a deadline reads (working minutes before each minute of the day, and the
/// minute each count of working minutes is reached) hold what the periods give, minute by
/// minute, for calendars of one, two and three periods, from midnight and to midnight.
#[test]
fn day_tables_are_their_periods() {
    for hours in [
        serde_json::json!([["08:30", "12:00"], ["14:00", "17:30"]]),
        serde_json::json!([["09:00", "17:00"]]),
        serde_json::json!([["00:00", "06:00"], ["07:15", "07:16"], ["20:00", "24:00"]]),
    ] {
        let cal = spec_json(|v| v["working_hours"] = hours.clone()).unwrap();
        for m in 0..=1440 {
            assert_eq!(
                cal.worked_before(m),
                worked_by_periods(&cal.periods, &cal.before, m),
                "{hours}: minute {m}"
            );
        }
        for r in 0..=cal.per_day {
            assert_eq!(
                cal.reached.get(r as usize).map(|m| u32::from(*m)),
                Some(reached_by_periods(&cal.periods, &cal.before, r)),
                "{hours}: working minute {r}"
            );
        }
        assert_eq!(cal.reached.len(), cal.per_day as usize + 1, "{hours}");
    }
}
