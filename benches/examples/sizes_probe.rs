#![allow(clippy::print_stdout, reason = "a probe")]
use std::mem::size_of;
fn main() {
    use gridgov::case::event::*;
    use gridgov::case::ledger::*;
    println!(
        "CaseState {} Case {} Assignment {} LoopState {} Reporter {} Booking {} Pause {} PetitionState {} TimeLimit {}",
        size_of::<CaseState>(),
        size_of::<gridgov::case::Case>(),
        size_of::<Assignment>(),
        size_of::<LoopState>(),
        size_of::<gridgov::case::Reporter>(),
        size_of::<gridgov::case::event::Booking>(),
        size_of::<gridgov::calendar::Pause>(),
        size_of::<PetitionState>(),
        size_of::<gridgov::calendar::TimeLimit>()
    );
}
