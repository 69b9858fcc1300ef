//! How long opening a backup takes with its key-derivation settings: the default next to the vault's
//! cost (64 MiB, 3 passes) and to the foreign formats' KDFs we have to run on import.

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use tessera_core::backup::container::{self, BackupKdf};

fn backup_kdf(c: &mut Criterion) {
    let mut group = c.benchmark_group("backup_open");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, kdf) in [
        ("default_256MiB_t3", BackupKdf::default()),
        (
            "vault_cost_64MiB_t3",
            BackupKdf {
                memory_kib: 64 * 1024,
                passes: 3,
                lanes: 1,
            },
        ),
    ] {
        let file = container::seal(b"{}", "plinth mango ferry cobalt", kdf).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| container::open(&file, "plinth mango ferry cobalt").unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, backup_kdf);
criterion_main!(benches);
