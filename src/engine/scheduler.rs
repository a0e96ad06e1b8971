//! The scheduler's memory: the next due time of every schedule, of every
//! thread to close and every send to retry, in one min-heap. Entries are
//! invalidated lazily: a popped schedule entry counts only if it still
//! matches the schedule's current due time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Fire(i64),
    Close(i64),
    Retry(i64),
}

#[derive(Debug, Default)]
pub struct Agenda {
    heap: BinaryHeap<Reverse<(i64, Job)>>,
    due: HashMap<i64, i64>,
}

impl Agenda {
    /// Sets (or moves) a schedule's next due time.
    pub fn set_schedule(&mut self, schedule_id: i64, at: i64) {
        self.due.insert(schedule_id, at);
        self.heap.push(Reverse((at, Job::Fire(schedule_id))));
    }

    pub fn unset_schedule(&mut self, schedule_id: i64) {
        self.due.remove(&schedule_id);
    }

    pub fn schedule_due(&self, schedule_id: i64) -> Option<i64> {
        self.due.get(&schedule_id).copied()
    }

    pub fn push(&mut self, at: i64, job: Job) {
        self.heap.push(Reverse((at, job)));
    }

    /// The earliest job, whatever its time.
    pub fn peek_time(&mut self) -> Option<i64> {
        self.drop_stale();
        self.heap.peek().map(|Reverse((t, _))| *t)
    }

    /// Removes and returns the earliest job due at or before `now`.
    pub fn pop_due(&mut self, now: i64) -> Option<(i64, Job)> {
        self.drop_stale();
        match self.heap.peek() {
            Some(Reverse((t, _))) if *t <= now => {
                let Reverse((t, job)) = self.heap.pop()?;
                if let Job::Fire(id) = job {
                    self.due.remove(&id);
                }
                Some((t, job))
            }
            _ => None,
        }
    }

    fn drop_stale(&mut self) {
        while let Some(Reverse((t, Job::Fire(id)))) = self.heap.peek() {
            if self.due.get(id) == Some(t) {
                break;
            }
            self.heap.pop();
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_come_out_in_time_order_and_moved_schedules_fire_once() {
        let mut a = Agenda::default();
        a.set_schedule(1, 30);
        a.set_schedule(2, 10);
        a.push(20, Job::Close(7));
        a.set_schedule(1, 15); // moved: the entry at 30 is stale
        assert_eq!(a.peek_time(), Some(10));
        assert_eq!(a.pop_due(100), Some((10, Job::Fire(2))));
        assert_eq!(a.pop_due(100), Some((15, Job::Fire(1))));
        assert_eq!(a.pop_due(100), Some((20, Job::Close(7))));
        assert_eq!(a.pop_due(100), None);
    }

    #[test]
    fn nothing_pops_before_its_time_and_removed_schedules_never_fire() {
        let mut a = Agenda::default();
        a.set_schedule(1, 50);
        a.set_schedule(2, 60);
        a.unset_schedule(1);
        assert_eq!(a.pop_due(55), None);
        assert_eq!(a.peek_time(), Some(60));
    }
}
