//! The simulated world of one run: services, their pods, requests in flight.
//!
//! A request's life: it arrives (the next arrival of its service is
//! scheduled at once), the balancer picks a Ready pod, the pod starts it,
//! queues it or rejects it; it runs its CPU phase (dedicated or shared CPU,
//! see [`super::pod`]), then its I/O wait, then finishes and hands its
//! worker slot to the head of the queue. Requests live in a slab that is
//! reused, so memory follows the number in flight, not the number simulated.

use super::arrivals::ArrivalGen;
use super::balancer::Balancer;
use super::dist::Sampler;
use super::pod::{Admission, Cpu, Pod};
use super::traffic::RateFn;
use crate::engine::rng::{SimRng, StreamKey};
use crate::engine::{Model, Scheduler};
use crate::metrics::{ServiceRecorder, ServiceResult};
use crate::scenario::Scenario;
use crate::units::{Nanos, nanos_to_secs};

/// Events of the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A request of service `.0` arrives.
    Arrival(u32),
    /// Request `.0` ends its CPU phase on a dedicated CPU.
    CpuDone(u32),
    /// The first CPU phase on shared-CPU pod `pod` ends, if `generation` is still current.
    PodCpu {
        /// The pod.
        pod: u32,
        /// Generation the event was scheduled for.
        generation: u32,
    },
    /// Request `.0` ends its I/O wait.
    IoDone(u32),
    /// An interval of the time series ends.
    Tick,
}

/// Purposes of random streams within a service (stream id = service · 256 + purpose).
mod stream {
    pub const ARRIVALS: u64 = 0;
    pub const WORK: u64 = 1;
    pub const BALANCER: u64 = 2;
}

/// Marks a free slab entry.
const FREE: Nanos = Nanos::MAX;

#[derive(Debug, Clone, Copy)]
struct Request {
    arrival_ns: Nanos,
    cpu_ns: Nanos,
    io_ns: Nanos,
    pod: u32,
    measured: bool,
}

/// CPU core-seconds used by a service, integrated as usage changes.
#[derive(Debug, Clone, Default)]
struct Usage {
    cores: f64,
    core_s: f64,
    last_ns: Nanos,
}

impl Usage {
    #[inline]
    fn change(&mut self, now: Nanos, delta_cores: f64) {
        self.core_s += self.cores * (now - self.last_ns) as f64 * 1e-9;
        self.last_ns = now;
        self.cores += delta_cores;
    }

    fn total(&self, now: Nanos) -> f64 {
        self.core_s + self.cores * (now - self.last_ns) as f64 * 1e-9
    }
}

#[derive(Debug, Clone)]
struct ServiceState {
    name: String,
    arrivals: ArrivalGen,
    arrival_rng: SimRng,
    cpu: Sampler,
    io: Option<Sampler>,
    work_rng: SimRng,
    balancer: Balancer,
    balancer_rng: SimRng,
    endpoints: Vec<u32>,
    in_flight: u64,
    usage: Usage,
    cpu_base_cores: f64,
}

/// The state of one run.
#[derive(Debug, Clone)]
pub struct World {
    services: Vec<ServiceState>,
    pods: Vec<Pod>,
    requests: Vec<Request>,
    free: Vec<u32>,
    recorders: Vec<ServiceRecorder>,
    warmup_ns: Nanos,
    duration_ns: Nanos,
    interval_ns: Nanos,
}

impl World {
    /// The world of replication `replication` of profile `profile`.
    pub fn new(scenario: &Scenario, profile: u32, replication: u32) -> Self {
        let end_s = nanos_to_secs(scenario.duration_ns);
        let key = |service: usize, purpose: u64| {
            StreamKey {
                seed: scenario.seed,
                profile,
                replication,
                stream: ((service as u64) << 8) | purpose,
            }
            .rng()
        };
        let mut pods = Vec::new();
        let mut services = Vec::with_capacity(scenario.services.len());
        let mut recorders = Vec::with_capacity(scenario.services.len());
        for (i, s) in scenario.services.iter().enumerate() {
            let first = pods.len() as u32;
            for _ in 0..s.replicas {
                pods.push(Pod::new(
                    i as u32,
                    s.pod.concurrency,
                    s.pod.queue_limit,
                    s.pod.cpu_limit_cores,
                ));
            }
            services.push(ServiceState {
                name: s.name.clone(),
                arrivals: ArrivalGen::new(s.traffic.arrivals, RateFn::new(&s.traffic.rate), end_s),
                arrival_rng: key(i, stream::ARRIVALS),
                cpu: Sampler::new(&s.request.cpu),
                io: s.request.io.as_ref().map(Sampler::new),
                work_rng: key(i, stream::WORK),
                balancer: Balancer::new(s.balancing),
                balancer_rng: key(i, stream::BALANCER),
                endpoints: (first..pods.len() as u32).collect(),
                in_flight: 0,
                usage: Usage::default(),
                cpu_base_cores: s.pod.utilization_base_cores(),
            });
            recorders.push(ServiceRecorder::new(
                s.request.timeout_ns,
                scenario.duration_ns,
            ));
        }
        World {
            services,
            pods,
            requests: Vec::new(),
            free: Vec::new(),
            recorders,
            warmup_ns: scenario.warmup_ns,
            duration_ns: scenario.duration_ns,
            interval_ns: scenario.interval_ns,
        }
    }

    /// Expected number of arrivals over the whole run, all services.
    pub fn expected_requests(&self) -> f64 {
        let end_s = nanos_to_secs(self.duration_ns);
        self.services
            .iter()
            .map(|s| s.arrivals.rate().integral(end_s))
            .sum()
    }

    /// Schedules the first arrival of every service and the first tick.
    pub fn start(&mut self, sched: &mut Scheduler<Event>) {
        for (i, s) in self.services.iter_mut().enumerate() {
            if let Some(t) = s.arrivals.next(&mut s.arrival_rng) {
                sched.at(t, Event::Arrival(i as u32));
            }
        }
        if self.interval_ns < self.duration_ns {
            sched.at(self.interval_ns, Event::Tick);
        }
    }

    /// Ends the run at `now`: closes the last interval, classifies requests still open.
    pub fn finish(mut self, now: Nanos) -> Vec<ServiceResult> {
        self.close_intervals(now);
        for r in self
            .requests
            .iter()
            .filter(|r| r.arrival_ns != FREE && r.measured)
        {
            let s = self.pods[r.pod as usize].service as usize;
            self.recorders[s].unfinished(now, r.arrival_ns);
        }
        self.recorders
            .into_iter()
            .zip(self.services)
            .map(|(rec, s)| rec.into_result(s.name))
            .collect()
    }

    fn close_intervals(&mut self, now: Nanos) {
        for (s, rec) in self.services.iter().zip(self.recorders.iter_mut()) {
            rec.close_interval(
                now,
                s.in_flight,
                s.endpoints.len() as u32,
                s.usage.total(now),
                s.cpu_base_cores,
            );
        }
    }

    #[inline]
    fn alloc(&mut self, r: Request) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.requests[i as usize] = r;
                i
            }
            None => {
                self.requests.push(r);
                (self.requests.len() - 1) as u32
            }
        }
    }

    #[inline]
    fn release(&mut self, req: u32) {
        self.requests[req as usize].arrival_ns = FREE;
        self.free.push(req);
    }

    #[inline]
    fn arrival(&mut self, s: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let svc = &mut self.services[s as usize];
        if let Some(t) = svc.arrivals.next(&mut svc.arrival_rng) {
            sched.at(t, Event::Arrival(s));
        }
        let measured = now >= self.warmup_ns;
        let cpu_ns = svc.cpu.sample(&mut svc.work_rng);
        let io_ns = match &svc.io {
            Some(d) => d.sample(&mut svc.work_rng),
            None => 0,
        };
        self.recorders[s as usize].arrival(measured);
        let Some(pod) = svc
            .balancer
            .pick(&svc.endpoints, &self.pods, &mut svc.balancer_rng)
        else {
            self.recorders[s as usize].rejected(measured);
            return;
        };
        let req = self.alloc(Request {
            arrival_ns: now,
            cpu_ns,
            io_ns,
            pod,
            measured,
        });
        match self.pods[pod as usize].admit(req) {
            Admission::Start => {
                self.services[s as usize].in_flight += 1;
                self.start_cpu(req, sched);
            }
            Admission::Queued => self.services[s as usize].in_flight += 1,
            Admission::Rejected => {
                self.release(req);
                self.recorders[s as usize].rejected(measured);
            }
        }
    }

    #[inline]
    fn start_cpu(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let r = self.requests[req as usize];
        let pod = &mut self.pods[r.pod as usize];
        let usage = &mut self.services[pod.service as usize].usage;
        match &mut pod.cpu {
            Cpu::Dedicated { active } => {
                *active += 1;
                usage.change(now, 1.0);
                sched.after(r.cpu_ns, Event::CpuDone(req));
            }
            Cpu::Shared(cpu) => {
                let before = cpu.usage_cores();
                cpu.add(now, req, r.cpu_ns);
                usage.change(now, cpu.usage_cores() - before);
                if let Some((t, generation)) = cpu.rearm(now) {
                    sched.at(
                        t,
                        Event::PodCpu {
                            pod: r.pod,
                            generation,
                        },
                    );
                }
            }
        }
    }

    #[inline]
    fn cpu_done(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let pod = &mut self.pods[self.requests[req as usize].pod as usize];
        if let Cpu::Dedicated { active } = &mut pod.cpu {
            *active -= 1;
        }
        self.services[pod.service as usize].usage.change(now, -1.0);
        self.after_cpu(req, sched);
    }

    fn pod_cpu(&mut self, pod_id: u32, generation: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let pod = &mut self.pods[pod_id as usize];
        let Cpu::Shared(cpu) = &mut pod.cpu else {
            return;
        };
        let before = cpu.usage_cores();
        let done = cpu.fire(now, generation);
        if let Some((t, generation)) = cpu.rearm(now) {
            sched.at(
                t,
                Event::PodCpu {
                    pod: pod_id,
                    generation,
                },
            );
        }
        let Some(req) = done else {
            return; // stale, or early: a newcomer slowed the CPU down since it was armed
        };
        self.services[pod.service as usize]
            .usage
            .change(now, cpu.usage_cores() - before);
        self.after_cpu(req, sched);
    }

    #[inline]
    fn after_cpu(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        let io_ns = self.requests[req as usize].io_ns;
        if io_ns > 0 {
            sched.after(io_ns, Event::IoDone(req));
        } else {
            self.finish_request(req, sched);
        }
    }

    #[inline]
    fn finish_request(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let r = self.requests[req as usize];
        let s = self.pods[r.pod as usize].service as usize;
        self.recorders[s].finished(now, r.arrival_ns, r.measured);
        self.services[s].in_flight -= 1;
        self.release(req);
        if let Some(next) = self.pods[r.pod as usize].release() {
            self.start_cpu(next, sched);
        }
    }
}

impl Model for World {
    type Event = Event;

    #[inline]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        match event {
            Event::Arrival(s) => self.arrival(s, sched),
            Event::CpuDone(req) => self.cpu_done(req, sched),
            Event::PodCpu { pod, generation } => self.pod_cpu(pod, generation, sched),
            Event::IoDone(req) => self.finish_request(req, sched),
            Event::Tick => {
                let now = sched.now();
                self.close_intervals(now);
                if now + self.interval_ns < self.duration_ns {
                    sched.at(now + self.interval_ns, Event::Tick);
                }
            }
        }
    }
}
