//! The request path: arrival, balancing, admission, CPU phase, I/O, finish.
//!
//! A pod with dedicated CPU books each request's course when it arrives
//! ([`crate::model::service::ledger`]); the world settles the bookings
//! before any other event ([`World::settle`]). The rest of this file is
//! the event-by-event path of pods with a shared CPU and of services
//! balanced by least requests (which compare the pods' loads at every
//! arrival).
//!
//! A request's life: it arrives (the next arrival of its service is
//! scheduled at once), the balancer picks a Ready pod, the pod starts it,
//! queues it or rejects it; it runs its CPU phase (dedicated or shared CPU,
//! see [`crate::model::service::pod`]), then its I/O wait, then finishes and hands its
//! worker slot to the head of the queue. This is the hot path: nothing here
//! allocates.

use crate::engine::Scheduler;
use crate::model::service::pod::Admission;
use crate::model::world::{Event, FREE, Request, World};
use crate::units::Nanos;

impl World {
    /// Settles every pod's bookings: CPU used up to `now`, and the requests
    /// finished before `done_before` counted as completed.
    pub(super) fn settle(&mut self, now: Nanos, done_before: Nanos) {
        for s in 0..self.services.len() {
            for i in 0..self.services[s].pods.len() {
                let p = self.services[s].pods[i];
                self.settle_pod(p, now, done_before);
            }
        }
    }

    /// Settles pod `p`'s bookings (see [`World::settle`]); nothing without a ledger.
    pub(super) fn settle_pod(&mut self, p: u32, now: Nanos, done_before: Nanos) {
        let pod = &mut self.pods[p as usize];
        let s = pod.service as usize;
        let Some((ledger, pod_usage)) = pod.ledger_and_usage() else {
            return;
        };
        let (recorder, svc) = (&mut self.recorders[s], &mut self.services[s]);
        let core_ns = ledger.settle(now, done_before, |b| {
            recorder.finished(b.finish_ns, b.arrival_ns, b.measured);
            svc.in_flight -= 1;
        });
        pod_usage.add_core_ns(core_ns);
        svc.usage.add_core_ns(core_ns);
    }

    /// The run ends at `now`: bookings finished before it are settled, the
    /// rest are unfinished (timed out if their client has given up, else in
    /// flight).
    pub(super) fn settle_end(&mut self, now: Nanos) {
        self.settle(now, now);
        for p in 0..self.pods.len() {
            let s = self.pods[p].service as usize;
            let Some(ledger) = self.pods[p].ledger_mut() else {
                continue;
            };
            for b in ledger.kill() {
                if self.recorders[s].unfinished(now, b.arrival_ns, b.measured) {
                    self.services[s].in_flight -= 1;
                }
            }
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
    pub(super) fn release(&mut self, req: u32) {
        self.requests[req as usize].arrival_ns = FREE;
        self.free.push(req);
    }

    #[inline]
    pub(super) fn arrival(&mut self, s: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let svc = &mut self.services[s as usize];
        if let Some(t) = svc.arrivals.next(&mut svc.arrival_rng) {
            sched.at_lane(t, s);
        }
        svc.arrivals_total += 1;
        let measured = now >= self.warmup_ns;
        let mut cpu_ns = svc.cpu.sample(&mut svc.work_rng);
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
        if svc.startup.has_warmup() {
            let life = &self.lives[pod as usize];
            if now < life.warm_until {
                let factor = svc.startup.slowdown(life.ready as u64, now);
                cpu_ns = (cpu_ns as f64 * factor) as u64;
            }
        }
        self.pods[pod as usize].arrivals += 1;
        if let Some(ledger) = self.pods[pod as usize].ledger_mut() {
            // Dedicated CPU: the request's course is booked now.
            let booked = ledger.book(now, cpu_ns, io_ns, measured);
            let settle = ledger.wants_settle();
            if booked {
                self.services[s as usize].in_flight += 1;
            } else {
                self.recorders[s as usize].rejected(measured);
            }
            if settle {
                // Long between ticks: what finished before now is settled
                // now (into the interval in progress, as at the next event).
                self.settle_pod(pod, now, now);
            }
            return;
        }
        let req = self.alloc(Request {
            arrival_ns: now,
            cpu_ns,
            io_ns,
            pod,
            measured,
            dead: false,
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
        let integrate = self.pod_usage_read;
        let pod = &mut self.pods[r.pod as usize];
        let usage = &mut self.services[pod.service as usize].usage;
        match pod.cpu_mut() {
            (pod_usage, None) => {
                usage.change_whole(now, 1);
                pod_usage.change_whole_if(integrate, now, 1);
                sched.after(r.cpu_ns, Event::CpuDone(req));
            }
            (pod_usage, Some(cpu)) => {
                let before = cpu.usage_cores();
                cpu.add(now, req, r.cpu_ns);
                let delta = cpu.usage_cores() - before;
                usage.change(now, delta);
                pod_usage.change_if(integrate, now, delta);
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
    pub(super) fn cpu_done(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        if self.requests[req as usize].dead {
            self.release(req);
            return;
        }
        let now = sched.now();
        let pod = &mut self.pods[self.requests[req as usize].pod as usize];
        pod.usage.change_whole_if(self.pod_usage_read, now, -1);
        self.services[pod.service as usize]
            .usage
            .change_whole(now, -1);
        self.after_cpu(req, sched);
    }

    pub(super) fn pod_cpu(&mut self, pod_id: u32, generation: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let pod = &mut self.pods[pod_id as usize];
        let service = pod.service as usize;
        let (pod_usage, Some(cpu)) = pod.cpu_mut() else {
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
        let delta = cpu.usage_cores() - before;
        pod_usage.change_if(self.pod_usage_read, now, delta);
        self.services[service].usage.change(now, delta);
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
    pub(super) fn io_done(&mut self, req: u32, sched: &mut Scheduler<Event>) {
        if self.requests[req as usize].dead {
            self.release(req);
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
        } else if self.pods[r.pod as usize].terminating
            && self.pods[r.pod as usize].in_flight() == 0
        {
            // A draining pod that finished its last request exits.
            self.pod_gone(r.pod, now, sched);
        }
    }
}
