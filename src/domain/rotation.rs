//! Rotation: a shuffle bag per channel. No prompt repeats until every prompt
//! of the channel's pool has been posted; then a new cycle starts. Weights
//! decide how early a prompt tends to come in a cycle (each draw picks among
//! the prompts not yet used with probability proportional to weight), never
//! how often it comes: that would break "no repeats within a cycle".

use std::collections::HashSet;
use std::sync::Arc;

use rand::Rng;

use super::prompt::Prompt;

#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub prompt: Arc<Prompt>,
    /// True when the pool was used up and this draw starts a new cycle.
    pub new_cycle: bool,
    /// Prompts still unused in the cycle after this one.
    pub left: usize,
}

/// Draws the next prompt from `pool`, skipping the ids in `used` (this cycle's).
/// Returns `None` only when the pool is empty.
pub fn draw(pool: &[Arc<Prompt>], used: &HashSet<String>, rng: &mut impl Rng) -> Option<Draw> {
    let fresh: Vec<&Arc<Prompt>> = pool.iter().filter(|p| !used.contains(&p.id)).collect();
    let (candidates, new_cycle) = if fresh.is_empty() {
        (pool.iter().collect(), true)
    } else {
        (fresh, false)
    };
    let prompt = pick_weighted(&candidates, rng)?;
    Some(Draw {
        prompt: prompt.clone(),
        new_cycle,
        left: candidates.len() - 1,
    })
}

fn pick_weighted<'a>(
    candidates: &[&'a Arc<Prompt>],
    rng: &mut impl Rng,
) -> Option<&'a Arc<Prompt>> {
    let total: f64 = candidates.iter().map(|p| p.weight).sum();
    if candidates.is_empty() {
        return None;
    }
    let mut x = rng.random::<f64>() * total;
    for p in candidates {
        if x < p.weight {
            return Some(p);
        }
        x -= p.weight;
    }
    candidates.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn pool(weights: &[f64]) -> Vec<Arc<Prompt>> {
        weights
            .iter()
            .enumerate()
            .map(|(i, w)| {
                Arc::new(Prompt {
                    pack: "p".into(),
                    id: format!("q{i}"),
                    title: None,
                    text: format!("question {i}"),
                    source: None,
                    follow_ups: vec![],
                    tags: vec![],
                    weight: *w,
                })
            })
            .collect()
    }

    #[test]
    fn no_prompt_repeats_until_the_pool_is_used_up() {
        let pool = pool(&[1.0, 2.0, 0.5, 1.0, 3.0]);
        let mut rng = StdRng::seed_from_u64(7);
        let mut used = HashSet::new();
        for cycle in 0..20 {
            let mut seen = HashSet::new();
            for i in 0..pool.len() {
                let d = draw(&pool, &used, &mut rng).unwrap();
                assert_eq!(d.new_cycle, i == 0 && cycle > 0);
                if d.new_cycle {
                    used.clear();
                }
                assert!(
                    seen.insert(d.prompt.id.clone()),
                    "repeat within cycle {cycle}"
                );
                assert_eq!(d.left, pool.len() - 1 - i);
                used.insert(d.prompt.id.clone());
            }
        }
    }

    #[test]
    fn heavier_prompts_tend_to_come_first() {
        let pool = pool(&[1.0, 9.0]);
        let mut rng = StdRng::seed_from_u64(1);
        let first_heavy = (0..1000)
            .filter(|_| draw(&pool, &HashSet::new(), &mut rng).unwrap().prompt.id == "q1")
            .count();
        assert!((850..950).contains(&first_heavy), "{first_heavy}");
    }

    #[test]
    fn an_empty_pool_draws_nothing() {
        assert!(draw(&[], &HashSet::new(), &mut StdRng::seed_from_u64(0)).is_none());
    }
}
