//! The scheduled events' state in one run ([`Faults`]): the events
//! themselves, in the scenario's order (an event's index is its id in
//! `Event::Fault`), and the end of a metrics outage. What the events do is
//! [`crate::model::world::faults`]'s; the control loops read the outage.

use crate::spec::EventSpec;
use crate::units::Nanos;

/// The scheduled events and what they leave behind.
#[derive(Debug, Clone)]
pub struct Faults {
    /// The scenario's `events:`, in order.
    pub(crate) scheduled: Vec<EventSpec>,
    /// The metrics pipeline delivers nothing before this time (a metrics outage).
    pub(crate) metrics_out_until_ns: Nanos,
}

impl Faults {
    /// The events of a scenario, none happened yet.
    pub fn new(scheduled: Vec<EventSpec>) -> Faults {
        Faults {
            scheduled,
            metrics_out_until_ns: 0,
        }
    }

    /// Whether a metrics outage is under way at `now_ns`.
    pub fn metrics_out(&self, now_ns: Nanos) -> bool {
        now_ns < self.metrics_out_until_ns
    }
}
