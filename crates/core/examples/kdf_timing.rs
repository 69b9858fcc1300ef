//! Times the Argon2id password KDF for a few parameter sets (to choose and re-check the default):
//! `cargo run --release -p tessera-core --example kdf_timing`.

use std::time::Instant;
use tessera_core::vault::KdfParams;

fn main() {
    let sets = [
        ("default", KdfParams::default()),
        (
            "64 MiB, t=2",
            KdfParams {
                memory_kib: 64 * 1024,
                iterations: 2,
                parallelism: 1,
            },
        ),
        (
            "64 MiB, t=3",
            KdfParams {
                memory_kib: 64 * 1024,
                iterations: 3,
                parallelism: 1,
            },
        ),
        (
            "128 MiB, t=3",
            KdfParams {
                memory_kib: 128 * 1024,
                iterations: 3,
                parallelism: 1,
            },
        ),
    ];
    for (name, kdf) in sets {
        let mut times = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let key = kdf
                .derive(b"a reasonably long vault password", &[7u8; 32])
                .unwrap();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            drop(key);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<14} m={} KiB t={} p={}: min {:.0} ms, median {:.0} ms, max {:.0} ms",
            kdf.memory_kib, kdf.iterations, kdf.parallelism, times[0], times[2], times[4]
        );
    }
}
