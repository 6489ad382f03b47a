//! A CloudWatch metric alarm: per-period statistics, "M out of N" evaluation, state, invocation.
//!
//! Periods are aligned to multiples of the period from time 0, as CloudWatch
//! aligns them to the clock. The simulation feeds datapoints every tick;
//! when a tick ends a period, its statistic becomes the alarm's newest
//! datapoint and the alarm is evaluated over the last N of them.
//!
//! Missing data (a period with no datapoints, e.g. every instance still
//! warming up) follows CloudWatch's default `TreatMissingData: missing`
//! only in part: a missing period counts as neither breaching nor not
//! breaching, the alarm goes to ALARM when at least M of the last N periods
//! breach, to INSUFFICIENT_DATA when none of them has data, and otherwise
//! to OK. (CloudWatch would also look further back than N periods when some
//! are missing; capsim does not.)

use crate::spec::asg::{ALARM_REINVOKE_NS, AlarmSpec, Statistic};
use crate::units::{Nanos, format_duration};
use std::collections::VecDeque;

/// The state of an alarm (`StateValue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmState {
    /// Not enough data yet (the state of a new alarm).
    InsufficientData,
    /// The metric is within the threshold.
    Ok,
    /// At least M of the last N periods breached.
    Alarm,
}

/// Running statistics of the open period.
#[derive(Debug, Clone, Copy, Default)]
struct Accumulator {
    sum: f64,
    count: u64,
    min: f64,
    max: f64,
}

impl Accumulator {
    fn add(&mut self, value: f64) {
        if self.count == 0 {
            self.min = value;
            self.max = value;
        } else {
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
        self.sum += value;
        self.count += 1;
    }

    /// The period's value, or `None` when it had no datapoints.
    fn value(&self, statistic: Statistic) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        Some(match statistic {
            Statistic::Average => self.sum / self.count as f64,
            Statistic::Sum => self.sum,
            Statistic::Minimum => self.min,
            Statistic::Maximum => self.max,
            Statistic::SampleCount => self.count as f64,
        })
    }
}

/// One alarm's running state.
#[derive(Debug, Clone)]
pub struct Alarm {
    spec: AlarmSpec,
    open: Accumulator,
    /// Closed periods' values, newest last; at most N.
    history: VecDeque<Option<f64>>,
    state: AlarmState,
    last_invoked_ns: Option<Nanos>,
}

impl Alarm {
    /// A new alarm, in INSUFFICIENT_DATA.
    pub fn new(spec: AlarmSpec) -> Self {
        Alarm {
            history: VecDeque::with_capacity(spec.evaluation_periods as usize),
            spec,
            open: Accumulator::default(),
            state: AlarmState::InsufficientData,
            last_invoked_ns: None,
        }
    }

    /// The alarm's settings.
    pub fn spec(&self) -> &AlarmSpec {
        &self.spec
    }

    /// The current state.
    pub fn state(&self) -> AlarmState {
        self.state
    }

    /// The newest closed period's value, if it had data.
    pub fn latest(&self) -> Option<f64> {
        self.history.back().copied().flatten()
    }

    /// Adds datapoints that fall into the open period.
    pub fn record(&mut self, datapoints: &[f64]) {
        for &v in datapoints {
            self.open.add(v);
        }
    }

    /// Ends the tick at `now_ns`: closes the period if it ends now, re-evaluates,
    /// and says whether the alarm invokes its scaling action now.
    ///
    /// The action runs when the alarm enters ALARM and then once a minute
    /// while it stays there ([`ALARM_REINVOKE_NS`]).
    pub fn tick(&mut self, now_ns: Nanos) -> bool {
        let mut entered = false;
        if now_ns.is_multiple_of(self.spec.period_ns) {
            let value = self.open.value(self.spec.statistic);
            self.open = Accumulator::default();
            if self.history.len() == self.spec.evaluation_periods as usize {
                self.history.pop_front();
            }
            self.history.push_back(value);
            let next = self.evaluate();
            entered = next == AlarmState::Alarm && self.state != AlarmState::Alarm;
            self.state = next;
        }
        if self.state != AlarmState::Alarm {
            return false;
        }
        let due = entered
            || self
                .last_invoked_ns
                .is_none_or(|t| now_ns >= t + ALARM_REINVOKE_NS);
        if due {
            self.last_invoked_ns = Some(now_ns);
        }
        due
    }

    /// The state the last N closed periods give.
    fn evaluate(&self) -> AlarmState {
        let s = &self.spec;
        let present = self.history.iter().flatten().count();
        let breaching = self
            .history
            .iter()
            .flatten()
            .filter(|&&v| s.comparison.breaches(v, s.threshold))
            .count();
        if breaching >= s.datapoints_to_alarm as usize {
            AlarmState::Alarm
        } else if present == 0 {
            AlarmState::InsufficientData
        } else {
            AlarmState::Ok
        }
    }

    /// The alarm in words: `cpu_utilization average > 70 for 5 of 5 periods of 1m`.
    pub fn describe(&self) -> String {
        let s = &self.spec;
        format!(
            "{} {} {} {} for {} of {} periods of {}",
            s.metric.name(),
            format!("{:?}", s.statistic).to_lowercase(),
            s.comparison.symbol(),
            s.threshold,
            s.datapoints_to_alarm,
            s.evaluation_periods,
            format_duration(s.period_ns)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::asg::{Comparison, Metric};
    use crate::units::NANOS_PER_SEC;

    const MIN: Nanos = 60 * NANOS_PER_SEC;

    fn alarm(period_ns: Nanos, m: u32, n: u32, statistic: Statistic) -> Alarm {
        Alarm::new(AlarmSpec {
            metric: Metric::CpuUtilization,
            statistic,
            period_ns,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            comparison: Comparison::Greater,
            threshold: 70.0,
        })
    }

    /// Feeds one datapoint per minute and returns the minutes (1-based) at which the action ran.
    fn invocations(a: &mut Alarm, minutes: &[f64]) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, &v) in minutes.iter().enumerate() {
            a.record(&[v]);
            if a.tick((i as u64 + 1) * MIN) {
                out.push(i + 1);
            }
        }
        out
    }

    #[test]
    fn m_out_of_n_needs_m_breaching_within_the_last_n() {
        // 3 of 5: breaches at minutes 1, 3, 5 → ALARM at minute 5, not before.
        let mut a = alarm(MIN, 3, 5, Statistic::Average);
        let got = invocations(&mut a, &[80.0, 10.0, 80.0, 10.0, 80.0]);
        assert_eq!(got, vec![5]);
        assert_eq!(a.state(), AlarmState::Alarm);
        // Minute 6 OK, minute 7 OK: breaches at 3, 5 only → back to OK.
        a.record(&[10.0]);
        assert!(!a.tick(6 * MIN));
        assert_eq!(a.state(), AlarmState::Ok);
    }

    #[test]
    fn stays_in_alarm_and_reinvokes_every_minute() {
        let mut a = alarm(MIN, 2, 2, Statistic::Average);
        let got = invocations(&mut a, &[90.0; 5]);
        assert_eq!(got, vec![2, 3, 4, 5]);
    }

    #[test]
    fn five_minute_period_reinvokes_each_minute_between_evaluations() {
        // Period 5 min, 1 of 1. Ticks every minute.
        let mut a = alarm(5 * MIN, 1, 1, Statistic::Average);
        let got = invocations(&mut a, &[90.0; 8]);
        // Closes at minute 5 → ALARM; invoked at 5, 6, 7, 8.
        assert_eq!(got, vec![5, 6, 7, 8]);
    }

    #[test]
    fn statistics_over_instances_and_ticks() {
        let mut a = alarm(2 * MIN, 1, 1, Statistic::Average);
        a.record(&[60.0, 80.0]);
        a.tick(MIN);
        a.record(&[100.0]);
        a.tick(2 * MIN);
        assert_eq!(a.latest(), Some(80.0));
        for (stat, want) in [
            (Statistic::Sum, 240.0),
            (Statistic::Minimum, 60.0),
            (Statistic::Maximum, 100.0),
            (Statistic::SampleCount, 3.0),
        ] {
            let mut b = alarm(2 * MIN, 1, 1, stat);
            b.record(&[60.0, 80.0]);
            b.tick(MIN);
            b.record(&[100.0]);
            b.tick(2 * MIN);
            assert_eq!(b.latest(), Some(want), "{stat:?}");
        }
    }

    #[test]
    fn missing_data_is_insufficient_and_never_breaches() {
        let mut a = alarm(MIN, 1, 2, Statistic::Average);
        assert!(!a.tick(MIN));
        assert_eq!(a.state(), AlarmState::InsufficientData);
        a.record(&[10.0]);
        a.tick(2 * MIN);
        assert_eq!(a.state(), AlarmState::Ok);
        assert_eq!(
            a.describe(),
            "cpu_utilization average > 70 for 1 of 2 periods of 1m"
        );
    }
}
