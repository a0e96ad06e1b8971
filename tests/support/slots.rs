//! Slots a test or benchmark can aim at.
#![allow(dead_code)]

/// A schedule whose one slot in a test's or bench's life is the returned time (UTC
/// seconds), the first second from `earliest` that works: `every Ns` fires at
/// the multiples of N, and an N of 200 to 366 days (intervals are capped at
/// 366 days) that divides it leaves no other slot within months either side.
pub fn once_from(earliest: i64) -> (i64, String) {
    const DAY: i64 = 86_400;
    (earliest..)
        .find_map(|at| {
            (50..=200)
                .filter(|k| at % k == 0)
                .map(|k| at / k)
                .find(|n| (200 * DAY..=366 * DAY).contains(n))
                .map(|n| (at, format!("every {n}s")))
        })
        .expect("some second has such a divisor")
}
