//! Self time per event label (and per proc-macro argument) from a rustc -Z self-profile file.
use analyzeme::ProfilingData;
use std::collections::HashMap;
use std::time::Duration;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("profile path without .mm_profdata");
    let top: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(40);
    let data = ProfilingData::new(std::path::Path::new(&path)).expect("load");
    // Per thread: sort intervals by start, compute self time with a stack.
    let mut by_thread: HashMap<
        u32,
        Vec<(std::time::SystemTime, std::time::SystemTime, String, String)>,
    > = HashMap::new();
    for ev in data.iter_full() {
        if let Some(analyzeme::Timestamp::Interval { start, end }) = ev.payload.timestamp() {
            let label = ev.label.to_string();
            let arg = ev
                .additional_data
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            by_thread
                .entry(ev.thread_id)
                .or_default()
                .push((start, end, label, arg));
        }
    }
    let mut self_time: HashMap<String, (Duration, u64)> = HashMap::new();
    let mut macro_time: HashMap<String, (Duration, u64)> = HashMap::new();
    let mut total = Duration::ZERO;
    for (_, mut evs) in by_thread {
        evs.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        // stack of (end, index)
        let mut stack: Vec<(std::time::SystemTime, usize, Duration)> = Vec::new();
        let durations: Vec<Duration> = evs
            .iter()
            .map(|e| e.1.duration_since(e.0).unwrap_or_default())
            .collect();
        let mut child: Vec<Duration> = vec![Duration::ZERO; evs.len()];
        for (i, e) in evs.iter().enumerate() {
            while let Some(&(end, _, _)) = stack.last() {
                if end <= e.0 {
                    stack.pop();
                } else {
                    break;
                }
            }
            if let Some(&(_, p, _)) = stack.last() {
                child[p] += durations[i];
            } else {
                total += durations[i];
            }
            stack.push((e.1, i, Duration::ZERO));
        }
        for (i, e) in evs.iter().enumerate() {
            let s = durations[i].saturating_sub(child[i]);
            let ent = self_time.entry(e.2.clone()).or_default();
            ent.0 += s;
            ent.1 += 1;
            if e.2 == "expand_proc_macro" {
                let m = macro_time.entry(e.3.clone()).or_default();
                m.0 += durations[i];
                m.1 += 1;
            }
        }
    }
    let mut v: Vec<_> = self_time.into_iter().collect();
    v.sort_by(|a, b| b.1.0.cmp(&a.1.0));
    println!("total (top-level) {:.3} s", total.as_secs_f64());
    println!("{:>9} {:>7} {:>8}  label", "self ms", "%", "count");
    for (label, (d, n)) in v.iter().take(top) {
        println!(
            "{:9.1} {:6.1}% {:8}  {}",
            d.as_secs_f64() * 1e3,
            100.0 * d.as_secs_f64() / total.as_secs_f64(),
            n,
            label
        );
    }
    let mut m: Vec<_> = macro_time.into_iter().collect();
    m.sort_by(|a, b| b.1.0.cmp(&a.1.0));
    for (arg, (d, n)) in m.iter() {
        println!(
            "expand_proc_macro {arg}: {:.1} ms in {n} calls ({:.3} ms each)",
            d.as_secs_f64() * 1e3,
            d.as_secs_f64() * 1e3 / *n as f64
        );
    }
}
